package evidence

import (
	"database/sql"
	"path/filepath"
	"testing"

	_ "modernc.org/sqlite" // reads the database file resetd left behind

	"casreset/service"
)

// dbFile is resetd's SQLite database in s.
func (s *setup) dbFile() string { return filepath.Join(s.data, "resetd.db") }

// openDB opens s's SQLite database from outside resetd (which must have
// stopped) and checks its integrity.
func (s *setup) openDB(t *testing.T) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", s.dbFile())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	var result string
	if err := db.QueryRow("PRAGMA integrity_check").Scan(&result); err != nil || result != "ok" {
		t.Fatalf("PRAGMA integrity_check = %q, %v", result, err)
	}
	return db
}

// storedHash is account i's password hash ("" when never set).
func storedHash(t *testing.T, db *sql.DB, i int) string {
	t.Helper()
	var hash string
	if err := db.QueryRow("SELECT password_hash FROM accounts WHERE staff_number = ?", staff(i)).Scan(&hash); err != nil {
		t.Fatalf("account %s: %v", staff(i), err)
	}
	return hash
}

// holds reports whether hash is password's.
func holds(t *testing.T, hash, password string) bool {
	t.Helper()
	if hash == "" {
		return false
	}
	ok, err := service.VerifyPassword(password, hash)
	if err != nil {
		t.Fatalf("stored hash %q: %v", hash, err)
	}
	return ok
}
