package postgres

import (
	"context"
	"embed"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"casreset/service/internal/schema"
)

// migrationFiles are the schema changes, applied in the order of the number
// that starts each name (0001_initial.sql, 0002_….sql); each has the same
// number and purpose as its SQLite twin. A released file is never edited: a
// change is a new file. Each runs in a transaction, so a file must not use
// statements that refuse one (CREATE INDEX CONCURRENTLY).
//
//go:embed migrations/*.sql
var migrationFiles embed.FS

// migrate applies the migrations the database has not seen, each in its own
// transaction under an advisory lock, so that instances starting together
// take turns and the later ones find the work done. The lock is released
// with the transaction, even if the instance dies mid-way.
func migrate(ctx context.Context, pool *pgxpool.Pool) error {
	list, err := schema.List(migrationFiles, "migrations/*.sql")
	if err != nil {
		return dbError("list migrations", err)
	}
	inTx := func(ctx context.Context, fn func(schema.Tx) error) error {
		return pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1)", lockMigrations); err != nil {
				return err
			}
			// Created under the lock: concurrent CREATE TABLE IF NOT
			// EXISTS can still collide in PostgreSQL's catalogue.
			if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
				version    integer PRIMARY KEY,
				name       text NOT NULL,
				applied_at timestamptz NOT NULL
			)`); err != nil {
				return err
			}
			return fn(migrationTx{tx})
		})
	}
	if err := schema.Run(ctx, list, inTx); err != nil {
		return dbError("schema", err)
	}
	return nil
}

// migrationTx is schema.Tx in PostgreSQL's dialect.
type migrationTx struct{ tx pgx.Tx }

func (t migrationTx) Newest(ctx context.Context) (int, error) {
	var have int
	err := t.tx.QueryRow(ctx, "SELECT coalesce(max(version), 0) FROM schema_migrations").Scan(&have)
	return have, err
}

func (t migrationTx) Applied(ctx context.Context, version int) (bool, error) {
	var done bool
	err := t.tx.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM schema_migrations WHERE version = $1)", version).Scan(&done)
	return done, err
}

func (t migrationTx) Exec(ctx context.Context, sql string) error {
	_, err := t.tx.Exec(ctx, sql)
	return err
}

func (t migrationTx) Record(ctx context.Context, m schema.Migration) error {
	_, err := t.tx.Exec(ctx, "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
		m.Version, m.Name, time.Now())
	return err
}
