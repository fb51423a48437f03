package storetest

import (
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
