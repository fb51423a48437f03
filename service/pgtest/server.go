package pgtest

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// debianPackage is named in every failure caused by missing binaries, so
// that whoever runs the tests knows what to install.
const debianPackage = "postgresql"

// readyLine is what the postmaster logs once it accepts connections. The
// server runs with LC_MESSAGES=C, so it is always in English.
const readyLine = "database system is ready to accept connections"

// startTimeout bounds initdb and each start or stop of the server.
const startTimeout = 2 * time.Minute

// Server is a PostgreSQL server of its own in a temporary directory,
// listening on 127.0.0.1 with trust authentication. Tests that must stop the
// database mid-flow use one from NewServer; the others share the server
// behind Start.
type Server struct {
	bin  string // the directory of initdb and postgres
	root string // the temporary directory: data/, socket/, server.log
	port int
	cred *syscall.Credential // nil when the current user runs the server

	mu     sync.Mutex
	cmd    *exec.Cmd
	exited chan struct{} // closed when cmd has exited
}

// newServer runs initdb in a fresh temporary directory and starts the
// server on a free port.
func newServer() (*Server, error) {
	bin, err := findBinaries(debianBinaries)
	if err != nil {
		return nil, err
	}
	cred, err := serverUser()
	if err != nil {
		return nil, err
	}
	// Not t.TempDir: its parent is private to the current user, and the
	// server may run as another.
	root, err := os.MkdirTemp("", "pgtest-")
	if err != nil {
		return nil, fmt.Errorf("pgtest: %w", err)
	}
	s := &Server{bin: bin, root: root, cred: cred}
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
		if err = s.start(); err == nil || attempt == 2 || !strings.Contains(err.Error(), "could not bind") {
			break
		}
	}
	if err != nil {
		os.RemoveAll(root)
		return nil, err
	}
	return s, nil
}

// debianBinaries is where Debian's postgresql packages put the server, one
// directory per major version.
const debianBinaries = "/usr/lib/postgresql/*/bin"

// findBinaries returns the bin directory of the newest PostgreSQL under
// pattern (debianBinaries).
func findBinaries(pattern string) (string, error) {
	found, _ := filepath.Glob(filepath.Join(pattern, "postgres"))
	var dirs []string
	for _, f := range found {
		if _, err := os.Stat(filepath.Join(filepath.Dir(f), "initdb")); err == nil {
			dirs = append(dirs, filepath.Dir(f))
		}
	}
	if len(dirs) == 0 {
		return "", fmt.Errorf("pgtest: no PostgreSQL server under %s: install the Debian package %q (apt-get install %s, or make deps)", pattern, debianPackage, debianPackage)
	}
	version := func(dir string) int {
		v, _ := strconv.Atoi(filepath.Base(filepath.Dir(dir)))
		return v
	}
	slices.SortFunc(dirs, func(a, b string) int { return version(a) - version(b) })
	return dirs[len(dirs)-1], nil
}

// serverUser returns the credentials to run the server with. PostgreSQL
// refuses to run as root, so root runs it as the postgres user that the
// Debian package creates.
func serverUser() (*syscall.Credential, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		return nil, fmt.Errorf("pgtest: running as root needs the postgres user that the Debian package %q creates: %w", debianPackage, err)
	}
	uid, err := strconv.Atoi(u.Uid)
	if err != nil {
		return nil, fmt.Errorf("pgtest: postgres uid %q: %w", u.Uid, err)
	}
	gid, err := strconv.Atoi(u.Gid)
	if err != nil {
		return nil, fmt.Errorf("pgtest: postgres gid %q: %w", u.Gid, err)
	}
	return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}, nil
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("pgtest: find a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
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
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: s.cred}
	return cmd
}

// init creates the cluster: trust authentication for local connections,
// no fsync (the data is thrown away).
func (s *Server) init() error {
	if err := os.Mkdir(s.socketDir(), 0o700); err != nil {
		return fmt.Errorf("pgtest: %w", err)
	}
	if s.cred != nil {
		for _, dir := range []string{s.root, s.socketDir()} {
			if err := os.Chown(dir, int(s.cred.Uid), int(s.cred.Gid)); err != nil {
				return fmt.Errorf("pgtest: give %s to the postgres user: %w", dir, err)
			}
		}
	}
	cmd := s.command("initdb", "--pgdata", s.dataDir(), "--username", "postgres",
		"--auth", "trust", "--encoding", "UTF8", "--locale", "C", "--no-sync", "--no-instructions")
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("pgtest: initdb: %w\n%s", err, out)
	}
	return nil
}

// start runs the postmaster and waits until it accepts connections.
func (s *Server) start() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd != nil {
		return errors.New("pgtest: the server is running already")
	}
	logFile, err := os.OpenFile(s.logPath(), os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return fmt.Errorf("pgtest: %w", err)
	}
	// Our own pipe rather than cmd.StderrPipe: the server's backends inherit
	// it and write to it long after this function returns, and Wait must
	// not close it under them.
	pr, pw, err := os.Pipe()
	if err != nil {
		logFile.Close()
		return fmt.Errorf("pgtest: %w", err)
	}

	cmd := s.command("postgres",
		"-D", s.dataDir(),
		"-p", strconv.Itoa(s.port),
		"-c", "listen_addresses=127.0.0.1",
		"-c", "unix_socket_directories="+s.socketDir(),
		"-c", "fsync=off",
		"-c", "synchronous_commit=off",
		"-c", "full_page_writes=off",
		"-c", "max_connections=300",
		"-c", "shared_buffers=32MB",
	)
	// The server must not outlive the test binary, even one that is killed.
	// (Linux sends it when the thread that started the server ends; Go
	// ends threads only for goroutines that exit while locked to one.)
	cmd.SysProcAttr.Pdeathsig = syscall.SIGQUIT
	cmd.Stdout, cmd.Stderr = pw, pw
	err = cmd.Start()
	pw.Close()
	if err != nil {
		pr.Close()
		logFile.Close()
		return fmt.Errorf("pgtest: start postgres: %w", err)
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
		cmd.Wait() // how it exited matters not: stop asked it to, or start reports it
		close(exited)
	}()

	// early is read only once the reader is done with it.
	failed := func(why string) error {
		select {
		case <-drained:
			return fmt.Errorf("pgtest: postgres %s:\n%s", why, early.String())
		case <-time.After(5 * time.Second):
			return fmt.Errorf("pgtest: postgres %s; its log is %s", why, s.logPath())
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

// stop shuts the server down ("fast": connections are cut, no waiting for
// clients) and waits for it to exit.
func (s *Server) stop() error {
	s.mu.Lock()
	cmd, exited := s.cmd, s.exited
	s.cmd, s.exited = nil, nil
	s.mu.Unlock()
	if cmd == nil {
		return nil
	}
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil && !errors.Is(err, os.ErrProcessDone) {
		return fmt.Errorf("pgtest: stop postgres: %w", err)
	}
	select {
	case <-exited:
	case <-time.After(startTimeout):
		cmd.Process.Kill()
		<-exited
		return fmt.Errorf("pgtest: postgres did not stop within %s; killed", startTimeout)
	}
	return nil
}

// destroy stops the server and removes its directory.
func (s *Server) destroy() error {
	return errors.Join(s.stop(), os.RemoveAll(s.root))
}

// adminURL is the URL of the server's maintenance database.
func (s *Server) adminURL() string { return s.url("postgres") }

func (s *Server) url(database string) string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/%s?sslmode=disable", s.port, database)
}

// withTimeout is the context of the helpers' own statements.
func withTimeout() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), startTimeout)
}
