package postgres

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"casreset/service"
)

// dbError names op in err and marks the errors that mean "the database
// cannot be reached" with service.ErrUnavailable, so that the service
// answers 503 unavailable (and /readyz fails) rather than 500.
func dbError(op string, err error) error {
	if unreachable(err) {
		return fmt.Errorf("postgres: %s: %w: %w", op, service.ErrUnavailable, err)
	}
	return fmt.Errorf("postgres: %s: %w", op, err)
}

// notFound is dbError that turns "no rows" into service.ErrNotFound.
func notFound(op string, err error) error {
	if errors.Is(err, pgx.ErrNoRows) {
		return service.ErrNotFound
	}
	return dbError(op, err)
}

// mustAffect reports service.ErrNotFound when an update touched no row.
func mustAffect(op string, tag pgconn.CommandTag, err error) error {
	if err != nil {
		return dbError(op, err)
	}
	if tag.RowsAffected() == 0 {
		return service.ErrNotFound
	}
	return nil
}

// unreachable reports whether err is the database being down, restarting,
// out of connections, a standby after a failover, or the network between
// us failing, as opposed to a bug in a statement or a cancelled request.
func unreachable(err error) bool {
	if errors.Is(err, context.Canceled) {
		return false // the caller went away; nothing is wrong with the database
	}
	// Whatever stopped a new connection (refused, timed out, the server
	// starting up, even a rejected password), no request can be served.
	var connectErr *pgconn.ConnectError
	if errors.As(err, &connectErr) {
		return true
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch {
		case strings.HasPrefix(pgErr.Code, "08"): // connection exception
			return true
		case strings.HasPrefix(pgErr.Code, "53"): // insufficient resources: too many connections, disk full
			return true
		case pgErr.Code == "57P01", // admin_shutdown
			pgErr.Code == "57P02", // crash_shutdown
			pgErr.Code == "57P03", // cannot_connect_now: starting up or shutting down
			pgErr.Code == "25006": // read_only_sql_transaction: a standby after a failover
			return true
		}
		return false
	}
	var netErr net.Error
	return errors.As(err, &netErr) ||
		errors.Is(err, io.EOF) ||
		errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, context.DeadlineExceeded) ||
		pgconn.Timeout(err) ||
		// The connection broke before the statement was sent, e.g. one the
		// server closed while it sat idle in the pool.
		pgconn.SafeToRetry(err)
}
