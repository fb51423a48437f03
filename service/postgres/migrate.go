package postgres

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// migrationFiles are the schema changes, applied in the order of the number
// that starts each name (0001_initial.sql, 0002_….sql); each has the same
// number and purpose as its SQLite twin. A released file is never edited: a
// change is a new file. Each runs in a transaction, so a file must not use
// statements that refuse one (CREATE INDEX CONCURRENTLY).
//
//go:embed migrations/*.sql
var migrationFiles embed.FS

type migration struct {
	version int
	name    string
	sql     string
}

// migrations lists the embedded migrations in order.
func migrations() ([]migration, error) {
	names, err := fs.Glob(migrationFiles, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	var list []migration
	for _, name := range names {
		base := path.Base(name)
		prefix, _, ok := strings.Cut(base, "_")
		version, err := strconv.Atoi(prefix)
		if !ok || err != nil || version <= 0 {
			return nil, fmt.Errorf("migration %s: name must start with a positive number and _", base)
		}
		text, err := migrationFiles.ReadFile(name)
		if err != nil {
			return nil, err
		}
		list = append(list, migration{version: version, name: base, sql: string(text)})
	}
	if len(list) == 0 {
		return nil, fmt.Errorf("no migrations embedded")
	}
	slices.SortFunc(list, func(a, b migration) int { return a.version - b.version })
	for i := 1; i < len(list); i++ {
		if list[i].version == list[i-1].version {
			return nil, fmt.Errorf("migrations %s and %s share a version", list[i-1].name, list[i].name)
		}
	}
	return list, nil
}

// migrate applies the migrations the database has not seen, each in its own
// transaction under an advisory lock, so that instances starting together
// take turns and the later ones find the work done. The lock is released
// with the transaction, even if the instance dies mid-way.
func migrate(ctx context.Context, pool *pgxpool.Pool) error {
	list, err := migrations()
	if err != nil {
		return fmt.Errorf("postgres: %w", err)
	}
	for _, m := range list {
		if err := apply(ctx, pool, m, list[len(list)-1].version); err != nil {
			return dbError("migration "+m.name, err)
		}
	}
	return nil
}

// apply runs m unless it was applied already. newest is the newest version
// this program knows: a database past it belongs to a newer program.
func apply(ctx context.Context, pool *pgxpool.Pool, m migration, newest int) error {
	return pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1)", lockMigrations); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
			version    integer PRIMARY KEY,
			name       text NOT NULL,
			applied_at timestamptz NOT NULL
		)`); err != nil {
			return err
		}
		var have int
		if err := tx.QueryRow(ctx, "SELECT coalesce(max(version), 0) FROM schema_migrations").Scan(&have); err != nil {
			return err
		}
		if have > newest {
			return fmt.Errorf("the database has schema version %d, newer than this program's %d; use a newer program", have, newest)
		}
		var done bool
		if err := tx.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM schema_migrations WHERE version = $1)", m.version).Scan(&done); err != nil {
			return err
		}
		if done {
			return nil
		}
		if _, err := tx.Exec(ctx, m.sql); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
			m.version, m.name, time.Now())
		return err
	})
}
