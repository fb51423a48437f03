package postgres

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"syscall"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"casreset/service"
)

func TestDBErrorMarksOnlyOutagesUnavailable(t *testing.T) {
	refused := &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}
	cases := []struct {
		name        string
		err         error
		unavailable bool
	}{
		{"connection refused", refused, true},
		{"server closed the connection", io.ErrUnexpectedEOF, true},
		{"deadline passed", context.DeadlineExceeded, true},
		{"server shutting down", &pgconn.PgError{Code: "57P01"}, true},
		{"server starting up", &pgconn.PgError{Code: "57P03"}, true},
		{"connection failure", &pgconn.PgError{Code: "08006"}, true},
		{"too many connections", &pgconn.PgError{Code: "53300"}, true},
		{"standby after a failover", &pgconn.PgError{Code: "25006"}, true},
		{"caller went away", context.Canceled, false},
		{"caller went away during a read", fmt.Errorf("read: %w", context.Canceled), false},
		{"unique violation", &pgconn.PgError{Code: "23505"}, false},
		{"syntax error", &pgconn.PgError{Code: "42601"}, false},
		{"no rows", pgx.ErrNoRows, false},
		{"anything else", errors.New("scan: cannot convert"), false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := dbError("op", tc.err)
			if got := errors.Is(err, service.ErrUnavailable); got != tc.unavailable {
				t.Errorf("errors.Is(dbError(%v), ErrUnavailable) = %v, want %v", tc.err, got, tc.unavailable)
			}
			if !errors.Is(err, tc.err) {
				t.Errorf("dbError(%v) lost its cause", tc.err)
			}
		})
	}
}

func TestNotFoundMapsNoRows(t *testing.T) {
	if err := notFound("read flow", fmt.Errorf("scan: %w", pgx.ErrNoRows)); err != service.ErrNotFound {
		t.Errorf("notFound(no rows) = %v, want service.ErrNotFound", err)
	}
}

func TestDescribeShowsNoPassword(t *testing.T) {
	cases := map[string]string{
		"postgres://resetd:s3cret@db.example.edu.hk/resetd?sslmode=verify-full": "resetd@db.example.edu.hk:5432/resetd",
		"postgresql://resetd:s3cret@10.0.0.5:6432/reset":                        "resetd@10.0.0.5:6432/reset",
		"postgres://resetd:s3cret@db:notaport/resetd":                           "(invalid URL)",
	}
	for url, want := range cases {
		if got := Describe(url); got != want {
			t.Errorf("Describe(%q) = %q, want %q", url, got, want)
		}
	}
}
