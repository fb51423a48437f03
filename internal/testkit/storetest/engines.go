package storetest

import (
	"testing"

	"casreset/internal/testkit/pgtest"
	"casreset/service"
	"casreset/service/postgres"
)

// Engine is a kind of store that tests of the domain run on.
type Engine struct {
	Name string
	// Open returns an empty store of this kind, closed when tb ends.
	Open func(tb testing.TB) service.Store
}

// Engines are SQLite and PostgreSQL, for tests that must hold on both. The
// PostgreSQL store is a new database on the test binary's shared server,
// so the package's tests must run under pgtest.Main.
var Engines = []Engine{
	{Name: "sqlite", Open: SQLite},
	{Name: "postgres", Open: PostgreSQL},
}

// PostgreSQL returns an empty PostgreSQL store on a new database of the
// test binary's shared server (see pgtest.Start), closed when tb ends.
func PostgreSQL(tb testing.TB) service.Store {
	tb.Helper()
	db, err := postgres.Open(tb.Context(), pgtest.Start(tb))
	if err != nil {
		tb.Fatalf("open PostgreSQL store: %v", err)
	}
	tb.Cleanup(func() {
		if err := db.Close(); err != nil {
			tb.Errorf("close PostgreSQL store: %v", err)
		}
	})
	return db
}
