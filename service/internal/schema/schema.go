// Package schema applies a store's embedded, numbered SQL migrations. The
// stores share the order, the bookkeeping and the refusal of a newer schema;
// each supplies its SQL dialect through Tx and its transactions (and any
// lock) through the function it passes to Run.
package schema

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"
)

// Migration is one schema change: the file 0001_initial.sql is version 1.
type Migration struct {
	Version int
	Name    string
	SQL     string
}

// List reads the files of fsys matching pattern (e.g. "migrations/*.sql")
// in the order of the number that starts each name. A name without that
// number, two files with one number, or no file at all is an error: each
// is a packaging mistake that must not reach a database.
func List(fsys fs.FS, pattern string) ([]Migration, error) {
	names, err := fs.Glob(fsys, pattern)
	if err != nil {
		return nil, err
	}
	var list []Migration
	for _, name := range names {
		base := path.Base(name)
		prefix, _, ok := strings.Cut(base, "_")
		version, err := strconv.Atoi(prefix)
		if !ok || err != nil || version <= 0 {
			return nil, fmt.Errorf("migration %s: name must start with a positive number and _", base)
		}
		text, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		list = append(list, Migration{Version: version, Name: base, SQL: string(text)})
	}
	if len(list) == 0 {
		return nil, errors.New("no migrations embedded")
	}
	slices.SortFunc(list, func(a, b Migration) int { return a.Version - b.Version })
	for i := 1; i < len(list); i++ {
		if list[i].Version == list[i-1].Version {
			return nil, fmt.Errorf("migrations %s and %s share a version", list[i-1].Name, list[i].Name)
		}
	}
	return list, nil
}

// Tx is one migration's transaction on the schema_migrations table, in the
// store's SQL dialect.
type Tx interface {
	// Newest returns the highest version recorded, 0 when none is.
	Newest(ctx context.Context) (int, error)
	// Applied reports whether version is recorded.
	Applied(ctx context.Context, version int) (bool, error)
	// Exec runs a migration's SQL.
	Exec(ctx context.Context, sql string) error
	// Record notes m as applied now.
	Record(ctx context.Context, m Migration) error
}

// InTx runs fn in a new transaction, committing if fn returns nil and
// rolling back otherwise. A store that runs beside other instances takes
// its lock inside the transaction, so that they take turns.
type InTx func(ctx context.Context, fn func(Tx) error) error

// Run applies the migrations of list (as returned by List) that the
// database has not recorded, each in its own transaction, so that a failure
// leaves the database at the last migration that succeeded. A database
// whose schema is newer than list belongs to a newer program and is
// refused before anything runs on it.
func Run(ctx context.Context, list []Migration, inTx InTx) error {
	if len(list) == 0 {
		return errors.New("no migrations to run")
	}
	known := list[len(list)-1].Version
	for _, m := range list {
		var refused error
		err := inTx(ctx, func(tx Tx) error {
			// Checked in every transaction: another instance may have
			// upgraded the database since the last one.
			have, err := tx.Newest(ctx)
			if err != nil {
				return err
			}
			if have > known {
				refused = fmt.Errorf("the database has schema version %d, newer than this program's %d; use a newer program", have, known)
				return refused
			}
			done, err := tx.Applied(ctx, m.Version)
			if err != nil || done {
				return err
			}
			if err := tx.Exec(ctx, m.SQL); err != nil {
				return err
			}
			return tx.Record(ctx, m)
		})
		if refused != nil {
			return refused
		}
		if err != nil {
			return fmt.Errorf("migration %s: %w", m.Name, err)
		}
	}
	return nil
}
