package main

import (
	"context"
	"errors"
	"fmt"

	"casreset/internal/testkit/pgserver"
)

// loadOptions keep fsync on, so that the figures are those of a durable
// database; the connections and buffers leave room for the load's clients.
var loadOptions = pgserver.Options{Durable: true, MaxConnections: 200, SharedBuffers: "64MB"}

// pgServer is the throw-away PostgreSQL server the load runs resetd on.
type pgServer struct {
	srv *pgserver.Server
}

// startPostgres starts the server and creates resetd's database on it.
func startPostgres(ctx context.Context) (*pgServer, error) {
	srv, err := pgserver.New(loadOptions)
	if errors.Is(err, pgserver.ErrNotInstalled) {
		return nil, fmt.Errorf("%w, or run with -engines sqlite", err)
	}
	if err != nil {
		return nil, err
	}
	s := &pgServer{srv: srv}
	if err := srv.Exec(ctx, "CREATE DATABASE resetd"); err != nil {
		s.stop()
		return nil, err
	}
	return s, nil
}

// URL is the database resetd uses.
func (s *pgServer) URL() string { return s.srv.URL("resetd") }

// stop shuts the server down ("fast") and removes its directory. The load
// is over by then and its figures are out; a failure to clean up a
// temporary directory would change none of them.
func (s *pgServer) stop() { s.srv.Destroy() }
