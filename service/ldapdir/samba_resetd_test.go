package ldapdir_test

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"casreset/api"
	"casreset/internal/testkit/sambatest"
	"casreset/service"
	"casreset/service/server"
)

// sambaResetd is resetd serving over TLS on loopback with the Samba DC as
// its directory, as README's Active Directory example configures it, and
// directory operators from the members of group (--helpdesk-group).
type sambaResetd struct {
	t      *testing.T
	run    *server.Running
	http   *http.Client
	logs   *logBuffer
	outbox string // where messages are written instead of sent
}

// startSambaResetd runs resetd with the least-privileged service account.
func startSambaResetd(t *testing.T, dc *sambatest.DC, group string) *sambaResetd {
	t.Helper()
	return startSambaResetdAs(t, dc, group, sambatest.ServiceDN, sambatest.ServicePassword)
}

// startSambaResetdAs runs resetd with the service account bindDN, its
// configuration changed by each of options.
func startSambaResetdAs(t *testing.T, dc *sambatest.DC, group, bindDN, password string, options ...func(*server.Config)) *sambaResetd {
	t.Helper()
	dir := t.TempDir()
	cfg := server.DefaultConfig()
	cfg.Addr = "127.0.0.1:0"
	cfg.MetricsAddr = server.MetricsOff
	cfg.DataDir = filepath.Join(dir, "data")
	cfg.Outbox = filepath.Join(dir, "outbox")
	cfg.Org.Name = "Example College"
	cfg.Org.HelpEmail = "ithelp@example.edu.hk"
	cfg.Service.PasswordHash = service.HashParams{MemoryKiB: 64, Time: 1, Threads: 1}
	var logs *logBuffer
	cfg.LDAP, logs = adConfig(t, dc, bindDN, password)
	cfg.LDAP.HelpdeskGroup = group
	cfg.Log = cfg.LDAP.Logger
	for _, o := range options {
		o(&cfg)
	}
	r, err := server.Start(t.Context(), cfg)
	if err != nil {
		t.Fatalf("starting resetd: %v", err)
	}
	t.Cleanup(func() { r.Shutdown(context.Background()) })
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(r.CAPEM) {
		t.Fatal("resetd's CA holds no certificate")
	}
	c := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}, Timeout: 30 * time.Second}
	t.Cleanup(c.CloseIdleConnections)
	return &sambaResetd{t: t, run: r, http: c, logs: logs, outbox: cfg.Outbox}
}

// call sends body as JSON with the session token, if any, and returns the
// status and the answer's body.
func (s *sambaResetd) call(method, path, token string, body any) (int, []byte) {
	s.t.Helper()
	b, err := json.Marshal(body)
	if err != nil {
		s.t.Fatal(err)
	}
	req, err := http.NewRequestWithContext(s.t.Context(), method, s.run.URL+path, bytes.NewReader(b))
	if err != nil {
		s.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := s.http.Do(req)
	if err != nil {
		s.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err != nil {
		s.t.Fatal(err)
	}
	return resp.StatusCode, out
}

// signIn posts the operator's sign-in (a directory operator has no TOTP).
func (s *sambaResetd) signIn(username, password string) (int, []byte) {
	s.t.Helper()
	return s.call("POST", "/v1/helpdesk/sessions", "", api.HelpdeskSignInRequest{Username: username, Password: password})
}

// problem decodes an error answer.
func problem(t *testing.T, body []byte) api.Error {
	t.Helper()
	var e api.Error
	if err := json.Unmarshal(body, &e); err != nil {
		t.Fatalf("not a problem answer: %s", body)
	}
	return e
}

// auditOf is the detail of the audit event of reference.
func (s *sambaResetd) auditOf(reference string) string {
	s.t.Helper()
	var events []service.AuditEvent
	err := s.run.Store.View(s.t.Context(), func(tx service.Tx) error {
		var err error
		events, err = tx.Audit(service.AuditFilter{Reference: reference})
		return err
	})
	if err != nil {
		s.t.Fatal(err)
	}
	var details []string
	for _, e := range events {
		details = append(details, e.Detail)
	}
	return strings.Join(details, "; ")
}

// allAudit is the detail of every audit event, oldest first.
func (s *sambaResetd) allAudit() []string {
	s.t.Helper()
	var details []string
	err := s.run.Store.View(s.t.Context(), func(tx service.Tx) error {
		events, err := tx.Audit(service.AuditFilter{})
		for _, e := range events {
			details = append(details, e.Detail)
		}
		return err
	})
	if err != nil {
		s.t.Fatal(err)
	}
	return details
}
