// Package pgtest starts throw-away PostgreSQL servers (package pgserver) for
// tests, from the binaries of Debian's postgresql package
// (/usr/lib/postgresql/*/bin). A server lives in a temporary directory,
// listens on 127.0.0.1 on a free port with trust authentication, runs
// without fsync, and is removed afterwards.
// When the binaries are missing the tests fail, naming the package to
// install; they are never skipped.
//
// A test binary shares one server: its TestMain calls Main, and each test
// gets a database of its own from Start. A test that stops the database
// mid-way takes a server of its own from NewServer.
package pgtest

import (
	"fmt"
	"os"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/jackc/pgx/v5"
)

var (
	// mainRunning tells Start that Main will stop the shared server.
	mainRunning atomic.Bool

	sharedOnce   sync.Once
	sharedServer *Server
	sharedErr    error

	databaseSeq atomic.Int64
)

// Main runs the tests of m and then stops the shared server, if a test
// started it. Call it from TestMain:
//
//	func TestMain(m *testing.M) { pgtest.Main(m) }
func Main(m *testing.M) {
	mainRunning.Store(true)
	code := m.Run()
	if sharedServer != nil {
		if err := sharedServer.destroy(); err != nil {
			fmt.Fprintln(os.Stderr, err)
			code = max(code, 1)
		}
	}
	os.Exit(code)
}

// Start returns the URL of a new, empty database on the test binary's
// shared server, starting the server on first use. The database is dropped
// when the test ends.
func Start(tb testing.TB) string {
	tb.Helper()
	if !mainRunning.Load() {
		tb.Fatal("pgtest: Start needs the shared server to be stopped at the end: add\n\tfunc TestMain(m *testing.M) { pgtest.Main(m) }\nto the package's tests")
	}
	sharedOnce.Do(func() { sharedServer, sharedErr = newServer() })
	if sharedErr != nil {
		tb.Fatal(sharedErr)
	}
	return sharedServer.CreateDatabase(tb)
}

// NewServer starts a server for tb alone, so that tb may stop and start it.
// It is removed when tb ends.
func NewServer(tb testing.TB) *Server {
	tb.Helper()
	s, err := newServer()
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		if err := s.destroy(); err != nil {
			tb.Error(err)
		}
	})
	return s
}

// Stop shuts the server down, cutting every connection. The URLs it gave
// stay valid for when Start brings it back.
func (s *Server) Stop(tb testing.TB) {
	tb.Helper()
	if err := s.srv.Stop(); err != nil {
		tb.Fatal(err)
	}
}

// Start starts a stopped server again, on the same port with the same data.
func (s *Server) Start(tb testing.TB) {
	tb.Helper()
	if err := s.srv.Start(); err != nil {
		tb.Fatal(err)
	}
}

var notIdentifier = regexp.MustCompile(`[^a-z0-9_]+`)

// CreateDatabase creates an empty database and returns its URL. The
// database is dropped when tb ends, if the server still runs then.
func (s *Server) CreateDatabase(tb testing.TB) string {
	tb.Helper()
	name := fmt.Sprintf("t%d_%s", databaseSeq.Add(1), notIdentifier.ReplaceAllString(strings.ToLower(tb.Name()), "_"))
	name = name[:min(len(name), 63)] // PostgreSQL's identifier limit
	if err := s.admin("CREATE DATABASE " + pgx.Identifier{name}.Sanitize()); err != nil {
		tb.Fatalf("pgtest: create database %s: %v", name, err)
	}
	tb.Cleanup(func() {
		if !s.running() {
			return // the whole cluster is thrown away with the server
		}
		if err := s.admin("DROP DATABASE IF EXISTS " + pgx.Identifier{name}.Sanitize() + " WITH (FORCE)"); err != nil {
			tb.Errorf("pgtest: drop database %s: %v", name, err)
		}
	})
	return s.url(name)
}
