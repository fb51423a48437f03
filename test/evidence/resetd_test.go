package evidence

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"casreset/client"
	"casreset/internal/testkit/pgtest"
)

// captchaAnswer is RESETD_TEST_CAPTCHA_ANSWER in every test.
const captchaAnswer = "135790"

// startTimeout bounds how long resetd may take to listen or to stop.
const startTimeout = time.Minute

// engine is the database a resetd runs on.
type engine struct {
	name string
	pg   *pgtest.Server // nil for SQLite in --data
}

// sqliteOnly is the engine of the tests about the database file.
var sqliteOnly = engine{name: "sqlite"}

// engines returns SQLite and a PostgreSQL server of t's own (one initdb
// for all of t's subtests; each setup gets an empty database on it).
func engines(t *testing.T) []engine {
	t.Helper()
	return []engine{sqliteOnly, {name: "postgres", pg: pgtest.NewServer(t)}}
}

// syncBuffer collects a process's output.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// instance is one running `resetd serve`.
type instance struct {
	t       *testing.T
	data    string
	outbox  string
	db      string
	url     string
	metrics string // the URL of /metrics on the metrics listener
	cmd     *exec.Cmd
	stderr  *syncBuffer
	exited  chan struct{}
	waitErr error
}

// setup is the data directory and outbox of one service, kept across
// restarts.
type setup struct {
	dir, data, outbox string
	db                string
}

// newSetup gives a service of its own: an empty data directory and outbox,
// and on PostgreSQL an empty database.
func newSetup(t *testing.T, e engine) *setup {
	t.Helper()
	dir := t.TempDir()
	s := &setup{dir: dir, data: filepath.Join(dir, "data"), outbox: filepath.Join(dir, "outbox")}
	if e.pg != nil {
		s.db = e.pg.CreateDatabase(t)
	}
	return s
}

// storeArgs select the database for any subcommand.
func (s *setup) storeArgs() []string {
	args := []string{"--data", s.data}
	if s.db != "" {
		args = append(args, "--db", s.db)
	}
	return args
}

// importAccounts runs `resetd accounts import` with a CSV of n accounts
// (see staff, mobileOf, emailOf).
func (s *setup) importAccounts(t *testing.T, n int) {
	t.Helper()
	var csv strings.Builder
	csv.WriteString("staff_number,name,mobile,email,contract_end_date\n")
	for i := range n {
		fmt.Fprintf(&csv, "%s,Staff Member,%s,%s,\n", staff(i), mobileOf(i), emailOf(i))
	}
	file := filepath.Join(s.dir, "accounts.csv")
	if err := os.WriteFile(file, []byte(csv.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	args := append([]string{"accounts", "import"}, s.storeArgs()...)
	out, err := exec.Command(resetdBin, append(args, file)...).CombinedOutput()
	if err != nil {
		t.Fatalf("resetd accounts import: %v\n%s", err, out)
	}
}

func staff(i int) string    { return fmt.Sprintf("E%07d", i) }
func mobileOf(i int) string { return fmt.Sprintf("+8529%07d", i) }
func emailOf(i int) string  { return fmt.Sprintf("staff%d@example.edu.hk", i) }

// start runs `resetd serve` on 127.0.0.1 with the test switch and the
// outbox, metrics on a free port of 127.0.0.1, plus extra flags, and waits
// until it listens. The process is
// stopped when t ends.
func (s *setup) start(t *testing.T, extra ...string) *instance {
	t.Helper()
	return s.startWith(t, nil, extra...)
}

// startWith is start with a hook to change the command before it runs.
func (s *setup) startWith(t *testing.T, prepare func(*exec.Cmd), extra ...string) *instance {
	t.Helper()
	args := append([]string{"serve", "--addr", "127.0.0.1:0", "--metrics-addr", "127.0.0.1:0", "--outbox", s.outbox,
		"--org-name", "Evidence College", "--help-email", "it-help@example.edu.hk", "--log-format", "json"},
		s.storeArgs()...)
	cmd := exec.Command(resetdBin, append(args, extra...)...)
	cmd.Env = []string{"RESETD_TEST_CAPTCHA_ANSWER=" + captchaAnswer, "TZ=UTC"}
	in := &instance{t: t, data: s.data, outbox: s.outbox, db: s.db, cmd: cmd, stderr: &syncBuffer{}, exited: make(chan struct{})}
	cmd.Stderr = in.stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if prepare != nil {
		prepare(cmd)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start resetd: %v", err)
	}
	listening := make(chan [2]string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		var urls [2]string // the API's, then the metrics'
		for sc.Scan() {
			line := sc.Text()
			if _, rest, ok := strings.Cut(line, " listening on "); ok {
				urls[0], _, _ = strings.Cut(rest, " ")
			}
			if url, ok := strings.CutPrefix(line, "metrics at "); ok {
				urls[1] = url
			}
			// resetd prints the metrics line right after the API's.
			if urls[0] != "" && urls[1] != "" {
				listening <- urls
				urls = [2]string{}
			}
		}
		io.Copy(io.Discard, stdout)
		in.waitErr = cmd.Wait()
		close(in.exited)
	}()
	t.Cleanup(func() { in.stopNow() })
	select {
	case urls := <-listening:
		in.url, in.metrics = urls[0], urls[1]
	case <-in.exited:
		t.Fatalf("resetd exited before listening (%v):\n%s", in.waitErr, in.stderr.String())
	case <-time.After(startTimeout):
		t.Fatalf("resetd did not listen within %s:\n%s", startTimeout, in.stderr.String())
	}
	return in
}

// stop sends SIGTERM and waits for the exit; it returns the exit error.
func (in *instance) stop() error {
	in.t.Helper()
	in.signal(syscall.SIGTERM)
	return in.wait()
}

// wait waits for the process to exit.
func (in *instance) wait() error {
	in.t.Helper()
	select {
	case <-in.exited:
		return in.waitErr
	case <-time.After(startTimeout):
		in.cmd.Process.Kill()
		<-in.exited
		in.t.Fatalf("resetd did not exit within %s:\n%s", startTimeout, in.stderr.String())
		return nil
	}
}

func (in *instance) signal(sig os.Signal) {
	if err := in.cmd.Process.Signal(sig); err != nil && !errors.Is(err, os.ErrProcessDone) {
		in.t.Fatalf("signal %v: %v", sig, err)
	}
}

// running reports whether the process is still alive.
func (in *instance) running() bool {
	select {
	case <-in.exited:
		return false
	default:
		return true
	}
}

// stopNow ends the process if a test left it running.
func (in *instance) stopNow() {
	if !in.running() {
		return
	}
	in.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-in.exited:
	case <-time.After(startTimeout):
		in.cmd.Process.Kill()
		<-in.exited
	}
}

// caPEM is the CA resetd generated into its data directory.
func (in *instance) caPEM() []byte {
	in.t.Helper()
	pem, err := os.ReadFile(filepath.Join(in.data, "ca.pem"))
	if err != nil {
		in.t.Fatal(err)
	}
	return pem
}

// client is a new client (a PC of its own) trusting the instance's CA.
func (in *instance) client() *client.Client {
	in.t.Helper()
	c, err := client.New(client.Config{BaseURL: in.url, CAPEM: in.caPEM(), Version: "evidence"})
	if err != nil {
		in.t.Fatal(err)
	}
	return c
}

// hostPort is the instance's address, for raw connections.
func (in *instance) hostPort() string { return strings.TrimPrefix(in.url, "https://") }

// tlsConfig trusts the instance's CA; nextProto selects HTTP/1.1 for
// raw requests.
func (in *instance) tlsConfig() *tls.Config {
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(in.caPEM())
	return &tls.Config{RootCAs: pool, ServerName: "127.0.0.1", MinVersion: tls.VersionTLS13, NextProtos: []string{"http/1.1"}}
}

// dial opens a raw TLS connection speaking HTTP/1.1.
func (in *instance) dial() *tls.Conn {
	in.t.Helper()
	conn, err := tls.Dial("tcp", in.hostPort(), in.tlsConfig())
	if err != nil {
		in.t.Fatalf("dial: %v", err)
	}
	in.t.Cleanup(func() { conn.Close() })
	return conn
}

// ctx is a context bounded for one test's calls.
func testContext(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	return ctx
}
