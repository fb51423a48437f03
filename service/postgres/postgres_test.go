package postgres_test

import (
	"testing"

	"casreset/internal/testkit/pgtest"
	"casreset/internal/testkit/storetest"
	"casreset/service"
	"casreset/service/postgres"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// open returns a store on a new, empty database, closed when t ends.
func open(t testing.TB, url string) *postgres.DB {
	t.Helper()
	db, err := postgres.Open(t.Context(), url)
	if err != nil {
		t.Fatalf("open PostgreSQL store: %v", err)
	}
	t.Cleanup(func() {
		if err := db.Close(); err != nil {
			t.Errorf("close PostgreSQL store: %v", err)
		}
	})
	return db
}

func TestStoreConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) service.Store { return open(t, pgtest.Start(t)) })
}
