package storetest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
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

// FlowOfToken reads the flow whose reset token is token (the store keys
// flows by the hex SHA-256 of the token), failing the test on error.
func FlowOfToken(tb testing.TB, store service.Store, token string) service.Flow {
	tb.Helper()
	sum := sha256.Sum256([]byte(token))
	var f service.Flow
	err := store.View(context.Background(), func(tx service.Tx) error {
		var err error
		f, err = tx.Flow(hex.EncodeToString(sum[:]))
		return err
	})
	if err != nil {
		tb.Fatalf("read flow: %v", err)
	}
	return f
}

// CodeKeyStored reports whether store holds the validation codes' HMAC key
// (service.CodeKeySecret), failing the test when it cannot tell.
func CodeKeyStored(tb testing.TB, store service.Store) bool {
	tb.Helper()
	err := store.View(context.Background(), func(tx service.Tx) error {
		_, err := tx.Secret(service.CodeKeySecret)
		return err
	})
	if errors.Is(err, service.ErrNotFound) {
		return false
	}
	if err != nil {
		tb.Fatalf("read the code key: %v", err)
	}
	return true
}
