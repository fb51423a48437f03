package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"time"

	"casreset/service/internal/schema"
)

// migrationFiles are the schema changes, applied in the order of the number
// that starts each name (0001_initial.sql, 0002_….sql). A released file is
// never edited: a change is a new file.
//
//go:embed migrations/*.sql
var migrationFiles embed.FS

// migrations lists the embedded migrations in order.
func migrations() ([]schema.Migration, error) {
	return schema.List(migrationFiles, "migrations/*.sql")
}

// migrate applies the migrations the database has not seen, each in its own
// transaction. The write pool begins IMMEDIATE, so two processes opening a
// new database at once take turns and the second finds the work done.
func migrate(ctx context.Context, write *sql.DB) error {
	list, err := migrations()
	if err != nil {
		return fmt.Errorf("sqlite: %w", err)
	}
	if _, err := write.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    INTEGER PRIMARY KEY,
		name       TEXT NOT NULL,
		applied_at INTEGER NOT NULL
	) STRICT`); err != nil {
		return fmt.Errorf("sqlite: create schema_migrations: %w", err)
	}
	inTx := func(ctx context.Context, fn func(schema.Tx) error) error {
		tx, err := write.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		defer tx.Rollback()
		if err := fn(migrationTx{tx}); err != nil {
			return err
		}
		return tx.Commit()
	}
	if err := schema.Run(ctx, list, inTx); err != nil {
		return fmt.Errorf("sqlite: %w", err)
	}
	return nil
}

// migrationTx is schema.Tx in SQLite's dialect.
type migrationTx struct{ tx *sql.Tx }

func (t migrationTx) Newest(ctx context.Context) (int, error) {
	var newest sql.NullInt64
	err := t.tx.QueryRowContext(ctx, "SELECT max(version) FROM schema_migrations").Scan(&newest)
	return int(newest.Int64), err
}

func (t migrationTx) Applied(ctx context.Context, version int) (bool, error) {
	var done int
	err := t.tx.QueryRowContext(ctx, "SELECT count(*) FROM schema_migrations WHERE version = ?", version).Scan(&done)
	return done > 0, err
}

func (t migrationTx) Exec(ctx context.Context, sql string) error {
	_, err := t.tx.ExecContext(ctx, sql)
	return err
}

func (t migrationTx) Record(ctx context.Context, m schema.Migration) error {
	_, err := t.tx.ExecContext(ctx,
		"INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
		m.Version, m.Name, time.Now().UnixMicro())
	return err
}
