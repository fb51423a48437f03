package ldapdir_test

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
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

// startSambaResetdAs runs resetd with the service account bindDN.
func startSambaResetdAs(t *testing.T, dc *sambatest.DC, group, bindDN, password string) *sambaResetd {
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

// Help-desk operators in the directory: staff whose sAMAccountName they
// sign in with. Each test adds its own, under names of its own.
func operator(account, name, password string) sambatest.Person {
	return sambatest.Person{Account: account, Name: name, Password: password}
}

func TestSambaDirectoryOperatorsSignInThroughTheGroupAndGroupsInIt(t *testing.T) {
	dc := sambatest.Shared(t)
	hana := dc.AddStaff(t, operator("op.hana", "HO Hana", "Hana-Desk-2026"))
	ming := dc.AddStaff(t, operator("op.ming", "LEE Ming", "Ming-Night-2026"))
	sam := dc.AddStaff(t, operator("op.sam", "SO Sam", "Sam-Staff-2026"))
	dora := dc.AddStaff(t, sambatest.Person{Account: "op.dora", Password: "Dora-Gone-2026", Disabled: true})
	lou := dc.AddStaff(t, operator("op.lou", "LO Lou", "Lou-Locked-2026"))
	ivy := dc.AddStaff(t, sambatest.Person{Account: "op.ivy", Password: "Ivy-Left-2026", Expires: time.Date(2020, 8, 31, 0, 0, 0, 0, time.UTC)})
	nightShift := dc.AddGroup(t, "IT Help, Night Shift", ming.DN())
	helpdesk := dc.AddGroup(t, "IT Help", hana.DN(), nightShift, dora.DN(), lou.DN(), ivy.DN())
	dc.AddGroup(t, "Teachers", sam.DN())
	dc.LockOut(t, lou)
	resetd := startSambaResetd(t, dc, helpdesk)

	for _, p := range []sambatest.Person{hana, ming} {
		t.Run(p.Account+" signs in", func(t *testing.T) {
			// As people type it: another case, spaces around.
			status, body := resetd.signIn(" "+strings.ToUpper(p.Account)+" ", p.Password)
			if status != http.StatusCreated {
				t.Fatalf("sign-in: %d %s", status, body)
			}
			var s api.HelpdeskSession
			if err := json.Unmarshal(body, &s); err != nil {
				t.Fatal(err)
			}
			if s.Operator != (api.HelpdeskOperator{Name: p.Account, Kind: "directory"}) || s.SessionToken == "" {
				t.Errorf("session %+v", s)
			}
			op, err := resetd.run.Service.OperatorOfSession(t.Context(), service.Client{Addr: "127.0.0.1"}, s.SessionToken)
			if err != nil || op.StaffNumber != p.StaffNumber || op.Kind != service.DirectoryOperator {
				t.Errorf("the session's operator %+v %v, want staff number %s (employeeNumber)", op, err, p.StaffNumber)
			}
			if status, body := resetd.call("DELETE", "/v1/helpdesk/sessions/current", s.SessionToken, nil); status != http.StatusNoContent {
				t.Errorf("sign-out: %d %s", status, body)
			}
		})
	}

	t.Run("every refusal is the same 401", func(t *testing.T) {
		var first *api.Error
		for _, tc := range []struct {
			name, user, password, audit string
		}{
			{"not in the group", sam.Account, sam.Password, "operator op.sam (directory): not a member of the help-desk group"},
			{"wrong password", hana.Account, "Not-Hers-2026", "operator op.hana (directory): wrong password"},
			{"disabled account", dora.Account, dora.Password, "operator op.dora (directory): account disabled"},
			{"disabled account, wrong password", dora.Account, "Not-Hers-2026", "operator op.dora (directory): wrong password"},
			{"locked-out account", lou.Account, lou.Password, "operator op.lou (directory): account locked out"},
			{"expired account", ivy.Account, ivy.Password, "operator op.ivy (directory): account expired"},
			{"no such account", "op.nobody", "Whatever-It-Is-1", "operator sign-in: unknown username"},
		} {
			status, body := resetd.signIn(tc.user, tc.password)
			e := problem(t, body)
			if status != http.StatusUnauthorized || e.Code != api.CodeOperatorAuthFailed {
				t.Errorf("%s: %d %s, want 401 operator_auth_failed", tc.name, status, body)
				continue
			}
			if got := resetd.auditOf(e.Reference); got != tc.audit {
				t.Errorf("%s: the audit says %q, want %q", tc.name, got, tc.audit)
			}
			e.Reference = ""
			if first == nil {
				first = &e
			} else if e.Title != first.Title || e.Detail != first.Detail || e.Type != first.Type {
				t.Errorf("%s: answered %+v, unlike %+v", tc.name, e, *first)
			}
		}
	})

	t.Run("an empty password asks for one and binds nothing", func(t *testing.T) {
		// An empty password is a simple bind without one: AD's
		// unauthenticated bind. It is refused before anything is tried,
		// as incomplete input, whoever the username is.
		status, body := resetd.signIn(hana.Account, "")
		if e := problem(t, body); status != http.StatusBadRequest || e.Code != api.CodeInvalidRequest {
			t.Errorf("sign-in without a password: %d %s, want 400 invalid_request", status, body)
		}
		cfg, _ := adConfig(t, dc, sambatest.ServiceDN, sambatest.ServicePassword)
		cfg.HelpdeskGroup = helpdesk
		if _, err := open(t, cfg).AuthenticateOperator(t.Context(), hana.Account, ""); !errors.Is(err, service.ErrOperatorPassword) {
			t.Errorf("the directory with no password: %v, want ErrOperatorPassword", err)
		}
	})

	for _, p := range []sambatest.Person{hana, ming, sam, dora, lou, ivy} {
		if strings.Contains(resetd.logs.String(), p.Password) {
			t.Errorf("the log holds %s's password", p.Account)
		}
	}
}

// The help-desk group's members are operators' accounts, through the
// groups in it too: the help desk may not act on them.
func TestSambaOperatorsAccountsAreTheGroupsMembersThroughTheChain(t *testing.T) {
	dc := sambatest.Shared(t)
	direct, nested, teacher := dc.AddStaff(t, sambatest.Person{}), dc.AddStaff(t, sambatest.Person{}), dc.AddStaff(t, sambatest.Person{})
	helpdesk := dc.AddGroup(t, "IT Help Desk", direct.DN(), dc.AddGroup(t, "IT Help Desk Interns", nested.DN()))
	cfg, _ := adConfig(t, dc, sambatest.ServiceDN, sambatest.ServicePassword)
	cfg.HelpdeskGroup = helpdesk
	d := open(t, cfg)
	for _, tc := range []struct {
		p    sambatest.Person
		want bool
	}{{direct, true}, {nested, true}, {teacher, false}} {
		if got, err := d.IsOperatorAccount(t.Context(), tc.p.StaffNumber); err != nil || got != tc.want {
			t.Errorf("IsOperatorAccount(%s) = %v %v, want %v", tc.p.Account, got, err, tc.want)
		}
	}
}

// A --helpdesk-group that names no group refuses every operator, as it
// must, and the log says why: AD answers the in-chain filter for a missing
// group as for a non-member.
func TestSambaAMissingHelpdeskGroupIsLogged(t *testing.T) {
	dc := sambatest.Shared(t)
	p := dc.AddStaff(t, operator("op.kit", "KIT Kit", "Kit-Desk-2026"))
	for _, group := range []string{
		"CN=IT Hlep," + sambatest.GroupsDN, // mistyped
		"CN=IT Help,OU=No Such Unit," + sambatest.BaseDN,
		"IT Help", // not a DN
	} {
		cfg, logs := adConfig(t, dc, sambatest.ServiceDN, sambatest.ServicePassword)
		cfg.HelpdeskGroup = group
		_, err := open(t, cfg).AuthenticateOperator(t.Context(), p.Account, p.Password)
		if !errors.Is(err, service.ErrOperatorNotInGroup) {
			t.Errorf("group %q: %v, want ErrOperatorNotInGroup", group, err)
		}
		if !strings.Contains(logs.String(), "level=ERROR") || !strings.Contains(logs.String(), "the help-desk group or the operator's entry is not there") {
			t.Errorf("group %q: the log does not say the group is missing:\n%s", group, logs)
		}
	}
}
