package sqlite

import (
	"errors"
	"fmt"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"casreset/service"
)

// markUnavailable wraps err in service.ErrUnavailable when SQLite failed
// because of the file or the machine (a full or read-only disk, an I/O
// error, a lock held too long by another process), so that the service
// answers 503 "try again later" rather than 500: the request was fine and
// will succeed once an administrator has made room or the lock is gone.
// Other errors (constraints, bugs in a statement, a damaged file) are
// returned as they are.
//
// queryOnly says err comes from a query-only connection: there a plain
// SQLITE_READONLY is the guard refusing a write that a View must not make,
// a bug rather than an outage.
func markUnavailable(err error, queryOnly bool) error {
	var e *sqlite.Error
	if err == nil || !errors.As(err, &e) || !unavailableCode(e.Code(), queryOnly) {
		return err
	}
	return fmt.Errorf("%w: %w", service.ErrUnavailable, err)
}

// unavailableCode reports whether an (extended) SQLite result code means
// the database cannot be written or read at the moment.
func unavailableCode(code int, queryOnly bool) bool {
	if queryOnly && code == sqlite3.SQLITE_READONLY {
		return false
	}
	// The low byte of an extended code is its primary code:
	// SQLITE_IOERR_WRITE (778) is SQLITE_IOERR (10) | 3<<8.
	switch code & 0xff {
	case sqlite3.SQLITE_FULL, // the disk (or max_page_count) is full
		sqlite3.SQLITE_IOERR,    // read, write, fsync, lock… failed: EIO, EPERM, ENOSPC
		sqlite3.SQLITE_READONLY, // the file, its directory or its WAL cannot be written
		sqlite3.SQLITE_CANTOPEN, // the file or its WAL cannot be opened
		sqlite3.SQLITE_BUSY,     // another process held the lock past the busy timeout
		sqlite3.SQLITE_LOCKED,
		sqlite3.SQLITE_PROTOCOL, // lock races in WAL mode that SQLite gave up retrying
		sqlite3.SQLITE_NOMEM:    // the machine is out of memory
		return true
	}
	return false
}
