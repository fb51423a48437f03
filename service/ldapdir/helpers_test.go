package ldapdir_test

import (
	"bytes"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/go-ldap/ldap/v3"

	"casreset/internal/testkit/slapdtest"
	"casreset/service/ldapdir"
)

// logBuffer collects a directory's log lines, so that tests can check what
// never goes there.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
	out io.Writer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.buf.Write(p)
	return l.out.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// config is a Config for s over plain ldap://, as the service account.
func config(t *testing.T, s *slapdtest.Server) (ldapdir.Config, *logBuffer) {
	t.Helper()
	logs := &logBuffer{out: t.Output()}
	return ldapdir.Config{
		URL:          s.URL,
		BindDN:       slapdtest.ServiceDN,
		BindPassword: slapdtest.ServicePassword,
		BaseDN:       slapdtest.BaseDN,
		Timeout:      5 * time.Second,
		Logger:       slog.New(slog.NewTextHandler(logs, nil)),
	}, logs
}

func open(t *testing.T, cfg ldapdir.Config) *ldapdir.Directory {
	t.Helper()
	d, err := ldapdir.New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

// bind reports whether a simple bind as dn with password succeeds, the way
// CAS checks a password.
func bind(t *testing.T, s *slapdtest.Server, dn, password string) error {
	t.Helper()
	c, err := ldap.DialURL(s.URL)
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	defer c.Close()
	return c.Bind(dn, password)
}
