// Package pgserver starts throw-away PostgreSQL servers from the binaries of
// Debian's postgresql package (/usr/lib/postgresql/*/bin). A server lives in
// a temporary directory, listens on 127.0.0.1 on a free port with trust
// authentication, and is removed by Destroy. Root runs it as the postgres
// user, since PostgreSQL refuses root. Tests reach it through pgtest; the
// load tool uses it directly.
package pgserver

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
)

// readyLine is what the postmaster logs once it accepts connections. The
// server runs with LC_MESSAGES=C, so it is always in English.
const readyLine = "database system is ready to accept connections"

// startTimeout bounds initdb and each start or stop of the server.
const startTimeout = 2 * time.Minute

// Options shape the server.
type Options struct {
	// Durable keeps fsync, synchronous commit and full-page writes on, as
	// on a production server, so that timings are those of a durable
	// database. Off, the server skips them: faster, and its data is thrown
	// away anyway.
	Durable bool
	// MaxConnections is max_connections; 0 keeps PostgreSQL's default.
	MaxConnections int
	// SharedBuffers is shared_buffers, e.g. "32MB"; empty keeps the default.
	SharedBuffers string
}

// Server is a PostgreSQL server of its own in a temporary directory.
type Server struct {
	opts Options
	bin  string // the directory of initdb and postgres
	root string // the temporary directory: data/, socket/, server.log
	port int
	cred *credential // nil when the current user runs the server

	mu     sync.Mutex
	cmd    *exec.Cmd
	exited chan struct{} // closed when cmd has exited
}

// New runs initdb in a fresh temporary directory and starts the server on
// a free port. Without an installed server its error wraps ErrNotInstalled.
func New(opts Options) (*Server, error) {
	bin, err := findBinaries(debianBinaries)
	if err != nil {
		return nil, err
	}
	cred, err := serverUser()
	if err != nil {
		return nil, err
	}
	// Not a test's TempDir: its parent is private to the current user, and
	// the server may run as another.
	root, err := os.MkdirTemp("", "pgserver-")
	if err != nil {
		return nil, fmt.Errorf("pgserver: %w", err)
	}
	s := &Server{opts: opts, bin: bin, root: root, cred: cred}
	if err := s.init(); err != nil {
		os.RemoveAll(root)
		return nil, err
	}
	// Another process may take the free port between our probe and the
	// server's bind; a few tries make that harmless.
	for attempt := 0; ; attempt++ {
		if s.port, err = freePort(); err != nil {
			break
		}
		if err = s.Start(); err == nil || attempt == 2 || !strings.Contains(err.Error(), "could not bind") {
			break
		}
	}
	if err != nil {
		os.RemoveAll(root)
		return nil, err
	}
	return s, nil
}

func (s *Server) dataDir() string   { return filepath.Join(s.root, "data") }
func (s *Server) socketDir() string { return filepath.Join(s.root, "socket") }
func (s *Server) logPath() string   { return filepath.Join(s.root, "server.log") }

// command prepares one of the PostgreSQL programs to run as the server's
// user, in the C locale so that its messages are predictable.
func (s *Server) command(name string, args ...string) *exec.Cmd {
	cmd := exec.Command(filepath.Join(s.bin, name), args...)
	cmd.Dir = s.root
	cmd.Env = []string{"PATH=/usr/bin:/bin", "LANG=C", "LC_ALL=C", "TZ=UTC"}
	cmd.SysProcAttr = procAttr(s.cred, false)
	return cmd
}

// init creates the cluster with trust authentication for local
// connections.
func (s *Server) init() error {
	if err := os.Mkdir(s.socketDir(), 0o700); err != nil {
		return fmt.Errorf("pgserver: %w", err)
	}
	if s.cred != nil {
		for _, dir := range []string{s.root, s.socketDir()} {
			if err := os.Chown(dir, int(s.cred.Uid), int(s.cred.Gid)); err != nil {
				return fmt.Errorf("pgserver: give %s to the postgres user: %w", dir, err)
			}
		}
	}
	args := []string{"--pgdata", s.dataDir(), "--username", "postgres",
		"--auth", "trust", "--encoding", "UTF8", "--locale", "C", "--no-instructions"}
	if !s.opts.Durable {
		args = append(args, "--no-sync")
	}
	if out, err := s.command("initdb", args...).CombinedOutput(); err != nil {
		return fmt.Errorf("pgserver: initdb: %w\n%s", err, out)
	}
	return nil
}

// settings are the postmaster's -c options.
func (s *Server) settings() []string {
	set := []string{
		"listen_addresses=127.0.0.1",
		"unix_socket_directories=" + s.socketDir(),
	}
	if !s.opts.Durable {
		set = append(set, "fsync=off", "synchronous_commit=off", "full_page_writes=off")
	}
	if s.opts.MaxConnections > 0 {
		set = append(set, "max_connections="+strconv.Itoa(s.opts.MaxConnections))
	}
	if s.opts.SharedBuffers != "" {
		set = append(set, "shared_buffers="+s.opts.SharedBuffers)
	}
	return set
}

// Start starts a stopped server again, on the same port with the same
// data, and waits until it accepts connections.
func (s *Server) Start() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd != nil {
		return errors.New("pgserver: the server is running already")
	}
	logFile, err := os.OpenFile(s.logPath(), os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return fmt.Errorf("pgserver: %w", err)
	}
	// Our own pipe rather than cmd.StderrPipe: the server's backends inherit
	// it and write to it long after this function returns, and Wait must
	// not close it under them.
	pr, pw, err := os.Pipe()
	if err != nil {
		logFile.Close()
		return fmt.Errorf("pgserver: %w", err)
	}

	args := []string{"-D", s.dataDir(), "-p", strconv.Itoa(s.port)}
	for _, setting := range s.settings() {
		args = append(args, "-c", setting)
	}
	cmd := s.command("postgres", args...)
	// The server must not outlive this process, even one that is killed.
	cmd.SysProcAttr = procAttr(s.cred, true)
	cmd.Stdout, cmd.Stderr = pw, pw
	err = cmd.Start()
	pw.Close()
	if err != nil {
		pr.Close()
		logFile.Close()
		return fmt.Errorf("pgserver: start postgres: %w", err)
	}

	ready := make(chan struct{})
	drained := make(chan struct{})
	var early strings.Builder // what the server said until it was ready
	go func() {
		defer close(drained)
		defer pr.Close()
		defer logFile.Close()
		sc := bufio.NewScanner(pr)
		announced := false
		for sc.Scan() {
			line := sc.Text()
			fmt.Fprintln(logFile, line)
			if !announced {
				early.WriteString(line + "\n")
				if strings.Contains(line, readyLine) {
					announced = true
					close(ready)
				}
			}
		}
	}()
	exited := make(chan struct{})
	go func() {
		cmd.Wait() // how it exited matters not: Stop asked it to, or Start reports it
		close(exited)
	}()

	// early is read only once the reader is done with it.
	failed := func(why string) error {
		select {
		case <-drained:
			return fmt.Errorf("pgserver: postgres %s:\n%s", why, early.String())
		case <-time.After(5 * time.Second):
			return fmt.Errorf("pgserver: postgres %s; its log is %s", why, s.logPath())
		}
	}
	select {
	case <-ready:
		s.cmd, s.exited = cmd, exited
		return nil
	case <-exited:
		return failed("exited before accepting connections")
	case <-time.After(startTimeout):
		cmd.Process.Kill()
		<-exited
		return failed(fmt.Sprintf("was not ready after %s", startTimeout))
	}
}

// Running tells whether the server is up (started and not stopped).
func (s *Server) Running() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.cmd != nil
}

// Stop shuts the server down ("fast": connections are cut, no waiting for
// clients) and waits for it to exit. The URLs it gave stay valid for when
// Start brings it back.
func (s *Server) Stop() error {
	s.mu.Lock()
	cmd, exited := s.cmd, s.exited
	s.cmd, s.exited = nil, nil
	s.mu.Unlock()
	if cmd == nil {
		return nil
	}
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil && !errors.Is(err, os.ErrProcessDone) {
		return fmt.Errorf("pgserver: stop postgres: %w", err)
	}
	select {
	case <-exited:
	case <-time.After(startTimeout):
		cmd.Process.Kill()
		<-exited
		return fmt.Errorf("pgserver: postgres did not stop within %s; killed", startTimeout)
	}
	return nil
}

// Destroy stops the server and removes its directory.
func (s *Server) Destroy() error {
	return errors.Join(s.Stop(), os.RemoveAll(s.root))
}

// URL is the address of database on the server, as user postgres.
func (s *Server) URL(database string) string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/%s?sslmode=disable", s.port, database)
}

// Exec runs one statement on the maintenance database, e.g. CREATE
// DATABASE.
func (s *Server) Exec(ctx context.Context, statement string) error {
	conn, err := pgx.Connect(ctx, s.URL("postgres"))
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, statement)
	return err
}
