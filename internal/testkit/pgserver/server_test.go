package pgserver_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"casreset/internal/testkit/pgserver"
)

// newServer starts a server that is destroyed when t ends.
func newServer(t *testing.T, opts pgserver.Options) *pgserver.Server {
	t.Helper()
	s, err := pgserver.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := s.Destroy(); err != nil {
			t.Error(err)
		}
	})
	return s
}

func TestDurableDecidesFsync(t *testing.T) {
	for _, tc := range []struct {
		durable   bool
		wantFsync string
	}{
		{durable: false, wantFsync: "off"},
		{durable: true, wantFsync: "on"},
	} {
		s := newServer(t, pgserver.Options{Durable: tc.durable, MaxConnections: 50})
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		conn, err := pgx.Connect(ctx, s.URL("postgres"))
		if err != nil {
			t.Fatal(err)
		}
		var fsync, maxConnections string
		err = conn.QueryRow(ctx, "SELECT current_setting('fsync'), current_setting('max_connections')").Scan(&fsync, &maxConnections)
		conn.Close(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if fsync != tc.wantFsync {
			t.Errorf("Durable %v: fsync = %s, want %s", tc.durable, fsync, tc.wantFsync)
		}
		if maxConnections != "50" {
			t.Errorf("Durable %v: max_connections = %s, want 50", tc.durable, maxConnections)
		}
	}
}

func TestStopCutsConnectionsAndStartKeepsTheData(t *testing.T) {
	s := newServer(t, pgserver.Options{})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := s.Exec(ctx, "CREATE DATABASE kept"); err != nil {
		t.Fatal(err)
	}
	if err := s.Stop(); err != nil {
		t.Fatal(err)
	}
	if s.Running() {
		t.Error("Running after Stop")
	}
	if err := s.Exec(ctx, "SELECT 1"); err == nil {
		t.Fatal("a stopped server ran a statement")
	}
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	if !s.Running() {
		t.Error("not Running after Start")
	}
	conn, err := pgx.Connect(ctx, s.URL("kept"))
	if err != nil {
		t.Fatalf("the database made before the restart is gone: %v", err)
	}
	conn.Close(ctx)
}
