package sqlite

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
)

func TestMigrationsAreNumberedOneByOne(t *testing.T) {
	list, err := migrations()
	if err != nil {
		t.Fatal(err)
	}
	if len(list) == 0 {
		t.Fatal("no migrations embedded")
	}
	for i, m := range list {
		if m.Version != i+1 {
			t.Errorf("migration %s has version %d, want %d", m.Name, m.Version, i+1)
		}
	}
}

func TestConnectionsHaveTheirSettings(t *testing.T) {
	db, err := Open(filepath.Join(t.TempDir(), "resetd.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, tc := range []struct {
		pool   string
		db     *sql.DB
		pragma string
		want   string
	}{
		{"write", db.write, "journal_mode", "wal"},
		{"read", db.read, "journal_mode", "wal"},
		{"write", db.write, "foreign_keys", "1"},
		{"read", db.read, "foreign_keys", "1"},
		{"write", db.write, "busy_timeout", "10000"},
		{"read", db.read, "busy_timeout", "10000"},
		{"write", db.write, "synchronous", "2"}, // FULL
		{"write", db.write, "query_only", "0"},
		{"read", db.read, "query_only", "1"},
	} {
		var got string
		if err := tc.db.QueryRowContext(context.Background(), "PRAGMA "+tc.pragma).Scan(&got); err != nil {
			t.Fatalf("%s pool: PRAGMA %s: %v", tc.pool, tc.pragma, err)
		}
		if got != tc.want {
			t.Errorf("%s pool: %s = %s, want %s", tc.pool, tc.pragma, got, tc.want)
		}
	}
}
