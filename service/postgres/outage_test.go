package postgres_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"casreset/api"
	"casreset/internal/testkit/pgtest"
	"casreset/service"
)

func TestOutageIsUnavailableAndTheStoreRecoversByItself(t *testing.T) {
	srv := pgtest.NewServer(t)
	db := open(t, srv.CreateDatabase(t))
	f := service.Flow{ID: "flow-1", StaffNumber: "T1234567", Step: api.StepStarted, CreatedAt: t0, ExpiresAt: t0.Add(time.Hour)}
	if err := db.Update(t.Context(), func(tx service.Tx) error { return tx.InsertFlow(f) }); err != nil {
		t.Fatal(err)
	}

	srv.Stop(t)

	// The pool still holds connections the server has closed: each call
	// below must report the outage, not fail as a bug or hang.
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	calls := map[string]func() error{
		"Ping": func() error { return db.Ping(ctx) },
		"View": func() error {
			return db.View(ctx, func(tx service.Tx) error { _, err := tx.Flow(f.ID); return err })
		},
		"Update": func() error {
			return db.Update(ctx, func(tx service.Tx) error { return tx.AddHit("k", t0) })
		},
	}
	for round := range 3 { // the first round meets stale connections, the later ones refused connects
		for name, call := range calls {
			err := call()
			if !errors.Is(err, service.ErrUnavailable) {
				t.Errorf("round %d: %s with the database down: %v, want service.ErrUnavailable", round, name, err)
			}
		}
	}
	if ctx.Err() != nil {
		t.Fatal("calls with the database down waited for the deadline instead of failing fast")
	}

	srv.Start(t)

	for name, call := range calls {
		if err := call(); err != nil {
			t.Errorf("%s after the database came back: %v", name, err)
		}
	}
	var got service.Flow
	if err := db.View(t.Context(), func(tx service.Tx) (err error) { got, err = tx.Flow(f.ID); return err }); err != nil {
		t.Fatal(err)
	}
	if got.ID != f.ID {
		t.Errorf("after the outage the flow reads %+v", got)
	}
}

func TestConnectionClosedByTheServerIsReplacedWithoutFailingTheCall(t *testing.T) {
	url := pgtest.Start(t)
	db := open(t, url+"&pool_max_conns=1")
	if err := db.Ping(t.Context()); err != nil {
		t.Fatal(err)
	}
	// The pool's one connection now sits idle; the server ends it, as it
	// does to every connection when it restarts.
	admin, err := pgx.Connect(t.Context(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(t.Context())
	var ended int
	err = admin.QueryRow(t.Context(), `SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
		WHERE datname = current_database() AND pid <> pg_backend_pid()`).Scan(&ended)
	if err != nil || ended != 1 {
		t.Fatalf("ending the pool's connection: %d ended, %v", ended, err)
	}

	err = db.Update(t.Context(), func(tx service.Tx) error { return tx.AddHit("k", t0) })
	if err != nil {
		t.Errorf("Update on a pool whose connection the server closed: %v", err)
	}
}
