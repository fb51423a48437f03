// Package storetest is the conformance suite every service.Store must pass
// (SQLite now, PostgreSQL next), and helpers that give other packages' tests
// a real store. The suite speaks only through the service.Store interface.
package storetest

import (
	"errors"
	"testing"
	"time"

	"casreset/service"
)

// Run runs the conformance suite. open must return an empty store that is
// closed when its test ends; each subtest opens its own. Subtests do not run
// in parallel, so stores may share one database server.
func Run(t *testing.T, open func(t *testing.T) service.Store) {
	suites := []struct {
		name  string
		tests []test
	}{
		{"Accounts", accountTests},
		{"PasswordHistory", historyTests},
		{"Captchas", captchaTests},
		{"Flows", flowTests},
		{"Hits", hitTests},
		{"Messages", messageTests},
		{"Claims", claimTests},
		{"Audit", auditTests},
		{"Secrets", secretTests},
		{"Purge", purgeTests},
		{"Transactions", transactionTests},
		{"HelpdeskAuth", helpdeskAuthTests},
		{"Helpdesk", helpdeskTests},
	}
	for _, s := range suites {
		t.Run(s.name, func(t *testing.T) {
			for _, tc := range s.tests {
				t.Run(tc.name, func(t *testing.T) { tc.run(t, open(t)) })
			}
		})
	}
}

// test is one case of the suite, given a fresh store.
type test struct {
	name string
	run  func(t *testing.T, s service.Store)
}

// t0 has microsecond precision, which every engine keeps.
var t0 = time.Date(2025, 3, 14, 9, 26, 53, 589793000, time.UTC)

// hongKong is a zone other than UTC, to show that times come back as the
// same instant, in UTC.
var hongKong = time.FixedZone("HKT", 8*60*60)

// update runs fn in an Update and fails the test on error.
func update(t *testing.T, s service.Store, fn func(service.Tx) error) {
	t.Helper()
	if err := s.Update(t.Context(), fn); err != nil {
		t.Fatalf("Update: %v", err)
	}
}

// view runs fn in a View and fails the test on error.
func view(t *testing.T, s service.Store, fn func(service.Tx) error) {
	t.Helper()
	if err := s.View(t.Context(), fn); err != nil {
		t.Fatalf("View: %v", err)
	}
}

// read returns what get reads in a View, failing the test on error.
func read[T any](t *testing.T, s service.Store, get func(service.Tx) (T, error)) T {
	t.Helper()
	var v T
	view(t, s, func(tx service.Tx) (err error) {
		v, err = get(tx)
		return err
	})
	return v
}

// assertNotFound fails t unless get reports service.ErrNotFound.
func assertNotFound(t *testing.T, s service.Store, what string, get func(service.Tx) error) {
	t.Helper()
	if err := s.View(t.Context(), get); !isNotFound(err) {
		t.Errorf("%s: error %v, want service.ErrNotFound", what, err)
	}
}

func isNotFound(err error) bool { return errors.Is(err, service.ErrNotFound) }
