package pgtest_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"casreset/internal/testkit/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

func connect(t *testing.T, url string) *pgx.Conn {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatalf("connect to %s: %v", url, err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}

func TestStartGivesEachTestAnEmptyDatabase(t *testing.T) {
	first, second := pgtest.Start(t), pgtest.Start(t)
	if first == second {
		t.Fatalf("two calls gave the same database %s", first)
	}
	ctx := context.Background()
	a := connect(t, first)
	if _, err := a.Exec(ctx, "CREATE TABLE marker (n int)"); err != nil {
		t.Fatal(err)
	}
	b := connect(t, second)
	var tables int
	if err := b.QueryRow(ctx, "SELECT count(*) FROM pg_tables WHERE tablename = 'marker'").Scan(&tables); err != nil {
		t.Fatal(err)
	}
	if tables != 0 {
		t.Errorf("the second database sees the first one's table")
	}
}

func TestServerStopsAndStartsWithItsData(t *testing.T) {
	srv := pgtest.NewServer(t)
	url := srv.CreateDatabase(t)
	ctx := context.Background()

	conn := connect(t, url)
	if _, err := conn.Exec(ctx, "CREATE TABLE kept (n int); INSERT INTO kept VALUES (42)"); err != nil {
		t.Fatal(err)
	}

	srv.Stop(t)
	if _, err := pgx.Connect(ctx, url); err == nil {
		t.Fatal("connected to a stopped server")
	}

	srv.Start(t)
	var n int
	if err := connect(t, url).QueryRow(ctx, "SELECT n FROM kept").Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 42 {
		t.Errorf("after a restart the row holds %d, want 42", n)
	}
}
