package storetest

import (
	"context"
	"errors"
	"testing"

	"casreset/service"
)

var errRefused = errors.New("refused by fn")

var transactionTests = []test{
	{"ErrorFromFnRollsBackAndIsReturned", func(t *testing.T, s service.Store) {
		err := s.Update(t.Context(), func(tx service.Tx) error {
			if err := tx.UpsertAccount(chanTaiMan); err != nil {
				return err
			}
			if err := tx.InsertSecret("k", []byte("v")); err != nil {
				return err
			}
			if err := tx.AddHit("start:192.0.2.7", t0); err != nil {
				return err
			}
			return errRefused
		})
		if !errors.Is(err, errRefused) {
			t.Fatalf("Update returned %v, want fn's error", err)
		}
		assertNotFound(t, s, "account written before the error", func(tx service.Tx) error {
			_, err := tx.Account(chanTaiMan.StaffNumber)
			return err
		})
		assertNotFound(t, s, "secret written before the error", func(tx service.Tx) error {
			_, err := tx.Secret("k")
			return err
		})
		if n := read(t, s, func(tx service.Tx) (int, error) {
			n, _, err := tx.CountHits("start:192.0.2.7", t0)
			return n, err
		}); n != 0 {
			t.Errorf("%d hits written before the error survived", n)
		}
	}},
	{"UpdateReadsItsOwnWrites", func(t *testing.T, s service.Store) {
		update(t, s, func(tx service.Tx) error {
			if err := tx.InsertFlow(flow); err != nil {
				return err
			}
			got, err := tx.Flow(flow.ID)
			if err != nil {
				return err
			}
			assertEqual(t, "flow read in the same transaction", got, flow)
			return nil
		})
	}},
	{"ViewRefusesWrites", func(t *testing.T, s service.Store) {
		if err := s.View(t.Context(), func(tx service.Tx) error { return tx.InsertSecret("k", []byte("v")) }); err == nil {
			t.Error("a write in View succeeded")
		}
		assertNotFound(t, s, "secret written in View", func(tx service.Tx) error {
			_, err := tx.Secret("k")
			return err
		})
	}},
	{"CancelledContextRunsNothing", func(t *testing.T, s service.Store) {
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		for name, run := range map[string]func(context.Context, func(service.Tx) error) error{
			"Update": s.Update,
			"View":   s.View,
		} {
			called := false
			err := run(ctx, func(service.Tx) error { called = true; return nil })
			if !errors.Is(err, context.Canceled) {
				t.Errorf("%s with a cancelled context: %v, want context.Canceled", name, err)
			}
			if called {
				t.Errorf("%s with a cancelled context ran fn", name)
			}
		}
	}},
	{"ConcurrentReadModifyWritesAreSerialised", func(t *testing.T, s service.Store) {
		update(t, s, func(tx service.Tx) error { return tx.InsertFlow(freshFlow) })
		const n = 16
		concurrently(t, n, func(int) (struct{}, error) {
			return struct{}{}, s.Update(t.Context(), func(tx service.Tx) error {
				f, err := tx.Flow(freshFlow.ID)
				if err != nil {
					return err
				}
				f.Sends++
				return tx.UpdateFlow(f)
			})
		})
		got := read(t, s, func(tx service.Tx) (service.Flow, error) { return tx.Flow(freshFlow.ID) })
		if got.Sends != n {
			t.Errorf("after %d concurrent increments Sends = %d", n, got.Sends)
		}
	}},
	{"Ping", func(t *testing.T, s service.Store) {
		if err := s.Ping(t.Context()); err != nil {
			t.Errorf("Ping: %v", err)
		}
	}},
}
