package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	osuser "os/user"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
)

// pgServer is a throw-away PostgreSQL server in a temporary directory,
// started the way service/pgtest starts one for tests (that package's
// entry points take a testing.TB): Debian's binaries, 127.0.0.1 on a free
// port, trust authentication, the postgres user when run as root. Unlike
// the tests' server it keeps fsync on, so that the figures are those of a
// durable database.
type pgServer struct {
	root string
	port int
	cmd  *exec.Cmd
	done chan error
}

func startPostgres(ctx context.Context) (*pgServer, error) {
	bin, err := postgresBinaries()
	if err != nil {
		return nil, err
	}
	cred, err := postgresUser()
	if err != nil {
		return nil, err
	}
	root, err := os.MkdirTemp("", "resetd-load-pg-")
	if err != nil {
		return nil, err
	}
	s := &pgServer{root: root}
	ok := false
	defer func() {
		if !ok {
			s.stop()
		}
	}()
	socket := filepath.Join(root, "socket")
	if err := os.Mkdir(socket, 0o700); err != nil {
		return nil, err
	}
	if cred != nil {
		for _, dir := range []string{root, socket} {
			if err := os.Chown(dir, int(cred.Uid), int(cred.Gid)); err != nil {
				return nil, err
			}
		}
	}
	command := func(name string, args ...string) *exec.Cmd {
		cmd := exec.Command(filepath.Join(bin, name), args...)
		cmd.Dir = root
		cmd.Env = []string{"PATH=/usr/bin:/bin", "LANG=C", "LC_ALL=C", "TZ=UTC"}
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred, Pdeathsig: syscall.SIGQUIT}
		return cmd
	}
	data := filepath.Join(root, "data")
	if out, err := command("initdb", "--pgdata", data, "--username", "postgres", "--auth", "trust",
		"--encoding", "UTF8", "--locale", "C", "--no-instructions").CombinedOutput(); err != nil {
		return nil, fmt.Errorf("initdb: %w\n%s", err, out)
	}
	if s.port, err = freePort(); err != nil {
		return nil, err
	}
	s.cmd = command("postgres", "-D", data, "-p", strconv.Itoa(s.port),
		"-c", "listen_addresses=127.0.0.1",
		"-c", "unix_socket_directories="+socket,
		"-c", "max_connections=200",
		"-c", "shared_buffers=64MB")
	out, err := s.cmd.StderrPipe()
	if err != nil {
		return nil, err
	}
	if err := s.cmd.Start(); err != nil {
		return nil, fmt.Errorf("start postgres: %w", err)
	}
	s.done = make(chan error, 1)
	ready := make(chan struct{})
	var early strings.Builder
	go func() {
		sc := bufio.NewScanner(out)
		announced := false
		for sc.Scan() {
			if !announced {
				early.WriteString(sc.Text() + "\n")
				if strings.Contains(sc.Text(), "database system is ready to accept connections") {
					announced = true
					close(ready)
				}
			}
		}
		s.done <- s.cmd.Wait()
	}()
	select {
	case <-ready:
	case err := <-s.done:
		s.cmd = nil
		return nil, fmt.Errorf("postgres exited before accepting connections (%v):\n%s", err, early.String())
	case <-time.After(2 * time.Minute):
		return nil, errors.New("postgres was not ready within 2 minutes")
	}
	if err := s.exec(ctx, "CREATE DATABASE resetd"); err != nil {
		return nil, err
	}
	ok = true
	return s, nil
}

// URL is the database resetd uses.
func (s *pgServer) URL() string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/resetd?sslmode=disable", s.port)
}

func (s *pgServer) exec(ctx context.Context, statement string) error {
	conn, err := pgx.Connect(ctx, fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", s.port))
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, statement)
	return err
}

// stop shuts the server down ("fast") and removes its directory.
func (s *pgServer) stop() {
	if s.cmd != nil && s.cmd.Process != nil {
		s.cmd.Process.Signal(syscall.SIGINT)
		select {
		case <-s.done:
		case <-time.After(time.Minute):
			s.cmd.Process.Kill()
			<-s.done
		}
	}
	os.RemoveAll(s.root)
}

// postgresBinaries is the bin directory of the newest server of Debian's
// postgresql package.
func postgresBinaries() (string, error) {
	found, _ := filepath.Glob("/usr/lib/postgresql/*/bin/postgres")
	var dirs []string
	for _, f := range found {
		if _, err := os.Stat(filepath.Join(filepath.Dir(f), "initdb")); err == nil {
			dirs = append(dirs, filepath.Dir(f))
		}
	}
	if len(dirs) == 0 {
		return "", errors.New("no PostgreSQL server under /usr/lib/postgresql: install the Debian package postgresql (make deps), or run with -engines sqlite")
	}
	version := func(dir string) int {
		v, _ := strconv.Atoi(filepath.Base(filepath.Dir(dir)))
		return v
	}
	slices.SortFunc(dirs, func(a, b string) int { return version(a) - version(b) })
	return dirs[len(dirs)-1], nil
}

// postgresUser is who runs the server: PostgreSQL refuses root.
func postgresUser() (*syscall.Credential, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	u, err := osuser.Lookup("postgres")
	if err != nil {
		return nil, fmt.Errorf("running as root needs the postgres user of the Debian package postgresql: %w", err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}, nil
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
