// Package sqlite is the service's store on an embedded SQLite database
// (modernc.org/sqlite, pure Go). It owns the schema, its migrations and the
// online backup.
package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"runtime"
	"strings"

	"casreset/service"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// busyTimeoutMS is how long a connection waits for a lock that another
// process (say `resetd accounts import` beside `resetd serve`) holds.
// Writers inside this process never wait on it: they queue for the single
// write connection instead.
const busyTimeoutMS = 10000

// DB is the SQLite store. It implements service.Store.
//
// Writes go through a pool of exactly one connection whose transactions
// begin IMMEDIATE: concurrent Updates queue in database/sql for that
// connection (honouring their contexts) instead of polling the file lock,
// so they never fail with SQLITE_BUSY, and a read-modify-write in one
// Update is serialised against every other. Reads go through a separate
// pool of query-only connections; in WAL mode they never wait for the
// writer.
type DB struct {
	path  string
	write *sql.DB
	read  *sql.DB
}

var _ service.Store = (*DB)(nil)

// Open opens (creating if needed, with mode 0600) the database at path and
// brings its schema up to date.
func Open(path string) (*DB, error) {
	if path == "" || strings.ContainsRune(path, '?') {
		return nil, fmt.Errorf("sqlite: invalid database path %q", path)
	}
	if err := createPrivate(path); err != nil {
		return nil, fmt.Errorf("sqlite: %w", err)
	}

	write, err := openPool(path, url.Values{"_txlock": {"immediate"}})
	if err != nil {
		return nil, err
	}
	// One writer; it is kept open for good so that its page cache stays warm.
	write.SetMaxOpenConns(1)
	write.SetMaxIdleConns(1)
	write.SetConnMaxLifetime(0)
	write.SetConnMaxIdleTime(0)

	readers := max(4, runtime.GOMAXPROCS(0))
	read, err := openPool(path, url.Values{"_query_only": {"1"}})
	if err != nil {
		write.Close()
		return nil, err
	}
	read.SetMaxOpenConns(readers)
	read.SetMaxIdleConns(readers)

	db := &DB{path: path, write: write, read: read}
	ctx := context.Background()
	// Journal mode is a property of the file: set it once, on the writer,
	// before any reader opens a connection.
	if _, err := write.ExecContext(ctx, "PRAGMA journal_mode = WAL"); err != nil {
		db.Close()
		return nil, fmt.Errorf("sqlite: enable WAL: %w", err)
	}
	if err := migrate(ctx, write); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// createPrivate creates an empty database file readable by its owner only.
// SQLite would create it 0644 and gives the -wal and -shm files the mode of
// the database, so creating it first is enough. An existing file keeps the
// mode its administrator gave it.
func createPrivate(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, os.ErrExist) {
		return nil
	}
	if err != nil {
		return err
	}
	return f.Close()
}

// openPool opens a connection pool on path with the settings every
// connection needs plus extra DSN parameters.
func openPool(path string, extra url.Values) (*sql.DB, error) {
	q := url.Values{
		"_busy_timeout": {fmt.Sprint(busyTimeoutMS)},
		"_foreign_keys": {"1"},
		// FULL: a password reported as changed must survive a power cut.
		"_synchronous": {"FULL"},
	}
	for k, v := range extra {
		q[k] = v
	}
	pool, err := sql.Open("sqlite", path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	return pool, nil
}

// Update runs fn in a write transaction, committing when fn returns nil.
// Updates are serialised; fn must not call Update itself. Failures of the
// disk or the file (full, read-only, I/O errors) wrap service.ErrUnavailable.
func (db *DB) Update(ctx context.Context, fn func(service.Tx) error) error {
	return markUnavailable(runTx(ctx, db.write, nil, fn), false)
}

// View runs fn in a read-only transaction; writes in it fail (as a bug,
// not as service.ErrUnavailable).
func (db *DB) View(ctx context.Context, fn func(service.Tx) error) error {
	return markUnavailable(runTx(ctx, db.read, &sql.TxOptions{ReadOnly: true}, fn), true)
}

func runTx(ctx context.Context, pool *sql.DB, opts *sql.TxOptions, fn func(service.Tx) error) error {
	sqlTx, err := pool.BeginTx(ctx, opts)
	if err != nil {
		return fmt.Errorf("sqlite: begin: %w", err)
	}
	defer sqlTx.Rollback()
	if err := fn(&tx{ctx: ctx, tx: sqlTx}); err != nil {
		return err
	}
	if err := sqlTx.Commit(); err != nil {
		return fmt.Errorf("sqlite: commit: %w", err)
	}
	return nil
}

// Ping reports whether the database file can be read.
func (db *DB) Ping(ctx context.Context) error {
	var one int
	if err := db.read.QueryRowContext(ctx, "SELECT 1 FROM schema_migrations LIMIT 1").Scan(&one); err != nil {
		return markUnavailable(fmt.Errorf("sqlite: ping: %w", err), true)
	}
	return nil
}

// Close closes both pools. The last connection to close checkpoints the WAL.
func (db *DB) Close() error {
	return errors.Join(db.read.Close(), db.write.Close())
}
