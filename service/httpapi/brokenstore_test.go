package httpapi_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"

	"casreset/internal/testkit/storetest"
	"casreset/service"
)

// brokenStore is a real store that can be made to fail as a damaged
// database does: with an error that is neither a refusal nor "unavailable".
type brokenStore struct {
	service.Store
	broken atomic.Bool
}

var errDamaged = errors.New("disk image is malformed (simulated)")

func (s *brokenStore) Update(ctx context.Context, fn func(service.Tx) error) error {
	if s.broken.Load() {
		return errDamaged
	}
	return s.Store.Update(ctx, fn)
}

func (s *brokenStore) View(ctx context.Context, fn func(service.Tx) error) error {
	if s.broken.Load() {
		return errDamaged
	}
	return s.Store.View(ctx, fn)
}

// newStore returns a SQLite store, wrapped in a brokenStore when breakable.
func newStore(t testing.TB, breakable bool) service.Store {
	s := storetest.SQLite(t)
	if breakable {
		return &brokenStore{Store: s}
	}
	return s
}
