package sqlite

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"casreset/service"
)

func TestUnavailableCodesAreOutagesOnly(t *testing.T) {
	cases := []struct {
		name        string
		code        int
		queryOnly   bool
		unavailable bool
	}{
		{"disk full", sqlite3.SQLITE_FULL, false, true},
		{"I/O error", sqlite3.SQLITE_IOERR, false, true},
		{"write failed (EPERM on an immutable file)", sqlite3.SQLITE_IOERR_WRITE, false, true},
		{"fsync failed", sqlite3.SQLITE_IOERR_FSYNC, false, true},
		{"WAL shared memory cannot be mapped", sqlite3.SQLITE_IOERR_SHMMAP, false, true},
		{"read-only file", sqlite3.SQLITE_READONLY, false, true},
		{"read-only directory", sqlite3.SQLITE_READONLY_DIRECTORY, false, true},
		{"WAL cannot be initialised read-only", sqlite3.SQLITE_READONLY_CANTINIT, true, true},
		{"cannot open", sqlite3.SQLITE_CANTOPEN, false, true},
		{"busy past the timeout", sqlite3.SQLITE_BUSY, false, true},
		{"busy: snapshot", sqlite3.SQLITE_BUSY_SNAPSHOT, true, true},
		{"locked", sqlite3.SQLITE_LOCKED, false, true},
		{"lock protocol", sqlite3.SQLITE_PROTOCOL, false, true},
		{"out of memory", sqlite3.SQLITE_NOMEM, false, true},
		{"a write in a View (query_only)", sqlite3.SQLITE_READONLY, true, false},
		{"generic error (a bad statement)", sqlite3.SQLITE_ERROR, false, false},
		{"unique constraint", sqlite3.SQLITE_CONSTRAINT_UNIQUE, false, false},
		{"foreign key", sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY, false, false},
		{"damaged file", sqlite3.SQLITE_CORRUPT, false, false},
		{"not a database", sqlite3.SQLITE_NOTADB, false, false},
		{"too big", sqlite3.SQLITE_TOOBIG, false, false},
		{"interrupted (a cancelled request)", sqlite3.SQLITE_INTERRUPT, false, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := unavailableCode(tc.code, tc.queryOnly); got != tc.unavailable {
				t.Errorf("unavailableCode(%d, queryOnly %v) = %v, want %v", tc.code, tc.queryOnly, got, tc.unavailable)
			}
		})
	}
}

func TestMarkUnavailableLeavesOtherErrorsAlone(t *testing.T) {
	for _, err := range []error{nil, service.ErrNotFound, errors.New("scan: cannot convert"), context.Canceled} {
		if got := markUnavailable(err, false); got != err {
			t.Errorf("markUnavailable(%v) = %v, want it unchanged", err, got)
		}
	}
}

// openFull opens a store whose writer may not grow the file: SQLite then
// fails writes with SQLITE_FULL exactly as on a full disk.
func openFull(t *testing.T) *DB {
	t.Helper()
	db, err := Open(filepath.Join(t.TempDir(), "resetd.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	ctx := context.Background()
	var pages int
	if err := db.write.QueryRowContext(ctx, "PRAGMA page_count").Scan(&pages); err != nil {
		t.Fatal(err)
	}
	// The pool's single connection lives as long as the pool, and with it
	// this setting.
	if _, err := db.write.ExecContext(ctx, fmt.Sprintf("PRAGMA max_page_count = %d", pages)); err != nil {
		t.Fatal(err)
	}
	return db
}

func TestStoreErrorsOfAFullDatabaseAreUnavailable(t *testing.T) {
	db := openFull(t)
	ctx := context.Background()
	now := time.Date(2025, 3, 14, 9, 26, 0, 0, time.UTC)
	err := db.Update(ctx, func(tx service.Tx) error {
		for i := range 1000 {
			err := tx.InsertAudit(service.AuditEvent{Time: now, Event: "sensitive_read", Detail: strings.Repeat("x", 1000) + fmt.Sprint(i)})
			if err != nil {
				return err
			}
		}
		return nil
	})
	var e *sqlite.Error
	if !errors.As(err, &e) || e.Code()&0xff != sqlite3.SQLITE_FULL {
		t.Fatalf("Update on a full database: %v, want SQLITE_FULL", err)
	}
	if !errors.Is(err, service.ErrUnavailable) {
		t.Errorf("Update on a full database: %v, want it to wrap service.ErrUnavailable", err)
	}

	// The same store still tells a bug from an outage.
	err = db.View(ctx, func(tx service.Tx) error { return tx.InsertSecret("k", []byte("v")) })
	if err == nil || errors.Is(err, service.ErrUnavailable) {
		t.Errorf("a write in a View: %v, want an error that is not ErrUnavailable", err)
	}
	if err := db.Ping(ctx); err != nil {
		t.Errorf("Ping of a full database (reads still work): %v", err)
	}
}

func TestConstraintErrorsAreNotUnavailable(t *testing.T) {
	db, err := Open(filepath.Join(t.TempDir(), "resetd.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	insert := func(tx service.Tx) error { return tx.InsertSecret("k", []byte("v")) }
	if err := db.Update(ctx, insert); err != nil {
		t.Fatal(err)
	}
	// InsertSecret ignores a duplicate on purpose; a plain INSERT does not.
	err = db.Update(ctx, func(st service.Tx) error {
		_, err := st.(*tx).exec(`INSERT INTO secrets (name, value) VALUES ('k', x'00')`)
		return err
	})
	var e *sqlite.Error
	if !errors.As(err, &e) || e.Code()&0xff != sqlite3.SQLITE_CONSTRAINT {
		t.Fatalf("duplicate secret: %v, want a constraint error", err)
	}
	if errors.Is(err, service.ErrUnavailable) {
		t.Errorf("duplicate secret: %v wraps ErrUnavailable", err)
	}
}
