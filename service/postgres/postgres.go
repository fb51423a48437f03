// Package postgres is the service's store on PostgreSQL (github.com/jackc/pgx),
// for several resetd instances behind a load balancer. It owns the
// PostgreSQL twin of the schema and its migrations.
//
// Every instance sees the same state: CAPTCHAs, flows, codes, limits, the
// message queue and shared secrets all live in the database. Update
// transactions run at READ COMMITTED and lock what they read with
// SELECT … FOR UPDATE (flows, accounts) or a transaction-scoped advisory
// lock (rate-limit counters), so that a read-modify-write in one Update is
// serialised against the same one in another instance.
package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"casreset/service"
)

// Pool defaults, used unless the URL sets them (pool_max_conns,
// pool_max_conn_lifetime, … and connect_timeout, as pgxpool reads them).
const (
	// A small pool per instance leaves room for several instances within
	// PostgreSQL's default max_connections of 100. Transactions are short
	// and never wait for the directory or Argon2.
	defaultMaxConns        = 10
	defaultMaxConnLifetime = 30 * time.Minute
	defaultMaxConnIdleTime = 5 * time.Minute
	// The health check drops connections the server closed (a restart, a
	// failover) before a request trips on them.
	defaultHealthCheckPeriod = 15 * time.Second
	// An unreachable host answers 503 within this, not when the client
	// gives up.
	defaultConnectTimeout = 5 * time.Second
)

// DB is the PostgreSQL store. It implements service.Store.
type DB struct {
	pool *pgxpool.Pool
}

var _ service.Store = (*DB)(nil)

// Open connects to the database at url (postgres://user@host/db?…, or any
// connection string pgx accepts) and brings its schema up to date. Several
// instances may open one database at once: migrations take turns.
func Open(ctx context.Context, url string) (*DB, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		// The parse error may quote the URL, password and all.
		return nil, errors.New("postgres: the database URL is not valid")
	}
	applyDefaults(cfg, url)
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	db := &DB{pool: pool}
	if err := migrate(ctx, pool); err != nil {
		pool.Close()
		return nil, err
	}
	return db, nil
}

// applyDefaults sets the pool limits that url leaves out.
func applyDefaults(cfg *pgxpool.Config, url string) {
	given := func(param string) bool { return strings.Contains(url, param) }
	if !given("pool_max_conns") {
		cfg.MaxConns = defaultMaxConns
	}
	if !given("pool_max_conn_lifetime") {
		cfg.MaxConnLifetime = defaultMaxConnLifetime
		// Spread reconnections of connections opened together.
		cfg.MaxConnLifetimeJitter = defaultMaxConnLifetime / 10
	}
	if !given("pool_max_conn_idle_time") {
		cfg.MaxConnIdleTime = defaultMaxConnIdleTime
	}
	if !given("pool_health_check_period") {
		cfg.HealthCheckPeriod = defaultHealthCheckPeriod
	}
	if !given("connect_timeout") {
		cfg.ConnConfig.ConnectTimeout = defaultConnectTimeout
	}
	if _, ok := cfg.ConnConfig.RuntimeParams["application_name"]; !ok {
		cfg.ConnConfig.RuntimeParams["application_name"] = "resetd"
	}
}

// Update runs fn in a READ COMMITTED transaction, committing when fn
// returns nil. The rows fn reads with Tx.Flow and Tx.Account stay locked
// until then.
func (db *DB) Update(ctx context.Context, fn func(service.Tx) error) error {
	return db.run(ctx, pgx.TxOptions{IsoLevel: pgx.ReadCommitted}, true, fn)
}

// View runs fn in a read-only transaction on one snapshot, so that what it
// reads is consistent; it takes no locks.
func (db *DB) View(ctx context.Context, fn func(service.Tx) error) error {
	return db.run(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, false, fn)
}

func (db *DB) run(ctx context.Context, opts pgx.TxOptions, update bool, fn func(service.Tx) error) error {
	pgTx, err := db.begin(ctx, opts)
	if err != nil {
		return dbError("begin", err)
	}
	defer rollback(ctx, pgTx)
	if err := fn(&tx{ctx: ctx, tx: pgTx, update: update}); err != nil {
		return err
	}
	if err := pgTx.Commit(ctx); err != nil {
		return dbError("commit", err)
	}
	return nil
}

// begin begins a transaction. After the database restarted, the pool may
// hand out a connection the server closed within the last second (older
// idle ones are pinged first); nothing was done on it yet, so a second
// try, on a new connection, spares the request. A failure to connect is
// not retried: the database is down and the caller should hear so now.
func (db *DB) begin(ctx context.Context, opts pgx.TxOptions) (pgx.Tx, error) {
	pgTx, err := db.pool.BeginTx(ctx, opts)
	var connectErr *pgconn.ConnectError
	if err != nil && unreachable(err) && !errors.As(err, &connectErr) && ctx.Err() == nil {
		pgTx, err = db.pool.BeginTx(ctx, opts)
	}
	return pgTx, err
}

// rollbackTimeout bounds a rollback on a connection that stopped answering.
const rollbackTimeout = 5 * time.Second

// rollback ends pgTx unless it was committed. It does not stop when ctx is
// cancelled, which would close the connection rather than return it to the
// pool.
func rollback(ctx context.Context, pgTx pgx.Tx) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), rollbackTimeout)
	defer cancel()
	pgTx.Rollback(ctx) // after Commit it does nothing; a failure closes the connection
}

// Ping reports whether the database answers and holds our schema.
func (db *DB) Ping(ctx context.Context) error {
	var one int
	if err := db.pool.QueryRow(ctx, "SELECT 1 FROM schema_migrations LIMIT 1").Scan(&one); err != nil {
		return dbError("ping", err)
	}
	return nil
}

// Close closes every connection, waiting for those in use to be returned.
func (db *DB) Close() error {
	db.pool.Close()
	return nil
}
