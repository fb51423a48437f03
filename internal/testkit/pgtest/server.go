package pgtest

import (
	"context"
	"time"

	"casreset/internal/testkit/pgserver"
)

// testOptions trade durability for speed: the data is thrown away. The
// connection limit leaves room for the tests that run in parallel on the
// shared server.
var testOptions = pgserver.Options{Durable: false, MaxConnections: 300, SharedBuffers: "32MB"}

// adminTimeout bounds each of the helpers' own statements.
const adminTimeout = 2 * time.Minute

// Server is a PostgreSQL server of its own in a temporary directory,
// listening on 127.0.0.1 with trust authentication. Tests that must stop the
// database mid-flow use one from NewServer; the others share the server
// behind Start.
type Server struct {
	srv *pgserver.Server
}

// newServer runs initdb in a fresh temporary directory and starts the
// server on a free port.
func newServer() (*Server, error) {
	srv, err := pgserver.New(testOptions)
	if err != nil {
		return nil, err
	}
	return &Server{srv: srv}, nil
}

// destroy stops the server and removes its directory.
func (s *Server) destroy() error { return s.srv.Destroy() }

func (s *Server) running() bool { return s.srv.Running() }

func (s *Server) url(database string) string { return s.srv.URL(database) }

// admin runs one statement on the maintenance database.
func (s *Server) admin(statement string) error {
	ctx, cancel := context.WithTimeout(context.Background(), adminTimeout)
	defer cancel()
	return s.srv.Exec(ctx, statement)
}
