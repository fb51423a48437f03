package storetest

import (
	"context"
	"path/filepath"
	"testing"

	"casreset/service"
	"casreset/service/sqlite"
)

// SQLite returns an empty SQLite store in a temporary directory, closed when
// the test ends.
func SQLite(tb testing.TB) service.Store {
	tb.Helper()
	db, err := sqlite.Open(filepath.Join(tb.TempDir(), "resetd.db"))
	if err != nil {
		tb.Fatalf("open SQLite store: %v", err)
	}
	tb.Cleanup(func() {
		if err := db.Close(); err != nil {
			tb.Errorf("close SQLite store: %v", err)
		}
	})
	return db
}

// AddAccounts upserts accounts into store in one transaction, failing the
// test on error.
func AddAccounts(tb testing.TB, store service.Store, accounts ...service.Account) {
	tb.Helper()
	err := store.Update(context.Background(), func(tx service.Tx) error {
		for _, a := range accounts {
			if err := tx.UpsertAccount(a); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		tb.Fatalf("add accounts: %v", err)
	}
}
