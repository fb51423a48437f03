package ldapdir_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"casreset/api"
	"casreset/internal/testkit/sambatest"
	"casreset/service"
	"casreset/service/delivery"
	"casreset/service/delivery/deliverytest"
)

// The help desk's actions against Active Directory, through resetd over
// TLS with a directory operator signed in: what IT Help may not touch, and
// an unlock that a teacher's Windows logon (Kerberos) and the CAS server
// (an LDAP bind) both see.

// signedIn signs p in and returns the session token.
func (s *sambaResetd) signedIn(p sambatest.Person) string {
	s.t.Helper()
	status, body := s.signIn(p.Account, p.Password)
	if status != http.StatusCreated {
		s.t.Fatalf("%s signing in: %d %s", p.Account, status, body)
	}
	var session api.HelpdeskSession
	if err := json.Unmarshal(body, &session); err != nil {
		s.t.Fatal(err)
	}
	return session.SessionToken
}

// account is the help desk's page of staffNumber.
func (s *sambaResetd) account(token, staffNumber string) api.HelpdeskAccount {
	s.t.Helper()
	status, body := s.call("GET", "/v1/helpdesk/accounts/"+staffNumber, token, nil)
	if status != http.StatusOK {
		s.t.Fatalf("the page of %s: %d %s", staffNumber, status, body)
	}
	var a api.HelpdeskAccount
	if err := json.Unmarshal(body, &a); err != nil {
		s.t.Fatal(err)
	}
	return a
}

// unlock posts the unlock of staffNumber with note (empty: none).
func (s *sambaResetd) unlock(token, staffNumber, note string) (int, []byte) {
	s.t.Helper()
	return s.call("POST", "/v1/helpdesk/accounts/"+staffNumber+"/unlock", token, api.UnlockRequest{InPersonNote: note})
}

// outboxTo waits for total messages in resetd's outbox (the delivery
// worker writes on its own schedule) and returns those to address.
func (s *sambaResetd) outboxTo(address string, total int) []delivery.OutboxMessage {
	s.t.Helper()
	var to []delivery.OutboxMessage
	for _, m := range deliverytest.WaitForOutbox(s.t, s.outbox, total, 20*time.Second) {
		if m.To == address {
			to = append(to, m)
		}
	}
	return to
}

// auditOfAccount lists the details of the audit events of staffNumber.
func (s *sambaResetd) auditOfAccount(staffNumber string) []string {
	s.t.Helper()
	var details []string
	err := s.run.Store.View(s.t.Context(), func(tx service.Tx) error {
		events, err := tx.Audit(service.AuditFilter{StaffNumber: staffNumber})
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

func anyContains(details []string, parts ...string) bool {
	for _, d := range details {
		all := true
		for _, p := range parts {
			all = all && strings.Contains(d, p)
		}
		if all {
			return true
		}
	}
	return false
}

// wantProblem fails unless the answer is status with code.
func wantProblem(t *testing.T, what string, status int, body []byte, want api.Code) {
	t.Helper()
	if e := problem(t, body); status != want.Status() || e.Code != want {
		t.Errorf("%s: %d %s, want %d %s", what, status, body, want.Status(), want)
	}
}

func TestSambaHelpdeskRefusesPrivilegedAndOperatorsAccounts(t *testing.T) {
	dc := sambatest.Shared(t)
	hana := dc.AddStaff(t, operator("op.hana2", "HO Hana", "Hana-Desk-2027"))
	ming := dc.AddStaff(t, operator("op.ming2", "LEE Ming", "Ming-Night-2027"))
	boss := dc.AddStaff(t, sambatest.Person{Account: "adm.chan", Name: "CHAN Admin", Mobile: "9123 4061"})
	dc.MakeDomainAdmin(t, boss)
	dc.LockOut(t, boss)
	// Added to Domain Admins a moment ago: no adminCount yet (Windows sets
	// it when SDProp next runs, Samba never).
	newAdmin := dc.AddStaff(t, sambatest.Person{Account: "adm.lee", Name: "LEE Admin", Mobile: "9123 4062"})
	dc.AddMember(t, sambatest.DomainAdminsDN, newAdmin.DN())
	helpdesk := dc.AddGroup(t, "IT Help Two", hana.DN(), dc.AddGroup(t, "IT Help Two Nights", ming.DN()))
	resetd := startSambaResetd(t, dc, helpdesk)
	token := resetd.signedIn(hana)

	for _, tc := range []struct {
		name      string
		p         sambatest.Person
		protected string
	}{
		{"a Domain Admin (adminCount=1)", boss, api.ProtectedPrivileged},
		{"a Domain Admin without adminCount yet", newAdmin, api.ProtectedPrivileged},
		{"another operator, through the nested group", ming, api.ProtectedOperator},
		{"the operator's own account", hana, api.ProtectedOwnAccount},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if a := resetd.account(token, tc.p.StaffNumber); a.Protected != tc.protected {
				t.Errorf("the page says protected %q, want %q", a.Protected, tc.protected)
			}
			status, body := resetd.unlock(token, tc.p.StaffNumber, "Staff card seen at the desk")
			wantProblem(t, "unlock", status, body, api.CodeOperatorForbidden)
			status, body = resetd.call("POST", "/v1/helpdesk/accounts/"+tc.p.StaffNumber+"/passes", token, api.PassRequest{InPersonNote: "Staff card seen at the desk"})
			wantProblem(t, "pass", status, body, api.CodeOperatorForbidden)
		})
	}
	if lt := dc.Attr(t, boss.DN(), "lockoutTime"); lt == "" || lt == "0" {
		t.Errorf("the Domain Admin's lockout was lifted (lockoutTime %q)", lt)
	}
}

func TestSambaHelpdeskUnlocksATeacherWhoKeepsTheirPassword(t *testing.T) {
	dc := sambatest.Shared(t)
	hana := dc.AddStaff(t, operator("op.hana3", "HO Hana", "Hana-Desk-2028"))
	helpdesk := dc.AddGroup(t, "IT Help Three", hana.DN())
	resetd := startSambaResetd(t, dc, helpdesk)
	token := resetd.signedIn(hana)

	t.Run("a caller verified by a code", func(t *testing.T) {
		teacher := dc.AddStaff(t, sambatest.Person{Name: "WONG Siu Ling", Mobile: "9123 4071", Mail: "wong.siu.ling@example.edu.hk"})
		dc.LockOut(t, teacher)
		if a := resetd.account(token, teacher.StaffNumber); !a.LockedOut || a.Protected != "" {
			t.Fatalf("the page: locked out %v, protected %q", a.LockedOut, a.Protected)
		}
		status, body := resetd.unlock(token, teacher.StaffNumber, "")
		wantProblem(t, "unlock before the caller is verified", status, body, api.CodeCallerNotVerified)

		status, body = resetd.call("POST", "/v1/helpdesk/accounts/"+teacher.StaffNumber+"/verifications", token, api.VerificationRequest{Channel: api.ChannelSMS})
		if status != http.StatusAccepted {
			t.Fatalf("sending the caller a code: %d %s", status, body)
		}
		sent := resetd.outboxTo("+85291234071", 1)
		if len(sent) != 1 || sent[0].Code == "" {
			t.Fatalf("the caller's code by SMS: %+v", sent)
		}
		code := sent[0].Code
		status, body = resetd.call("POST", "/v1/helpdesk/accounts/"+teacher.StaffNumber+"/verifications/current/check", token, api.VerificationCheckRequest{Code: code})
		if status != http.StatusOK {
			t.Fatalf("the code the caller read back: %d %s", status, body)
		}

		unlocked := unlockOK(t, resetd, token, teacher.StaffNumber, "")
		if !unlocked.DirectoryUnlocked || unlocked.StillLocked {
			t.Errorf("unlock = %+v, want the directory's lockout ended", unlocked)
		}
		loginsWork(t, dc, teacher)
		if !anyContains(resetd.auditOfAccount(teacher.StaffNumber), "unlock", "account unlocked", "op.hana3") {
			t.Errorf("no audit event of the unlock naming the operator: %q", resetd.auditOfAccount(teacher.StaffNumber))
		}
		// The teacher hears of it on every channel: the code and the
		// notice by SMS, the notice by e-mail.
		if sms, mail := resetd.outboxTo("+85291234071", 3), resetd.outboxTo(teacher.Mail, 3); len(sms) != 2 || len(mail) != 1 || mail[0].Code != "" {
			t.Errorf("messages to the teacher: %d by SMS, %d by e-mail (%+v); want the code and a notice by SMS, a notice by e-mail", len(sms), len(mail), mail)
		}
	})

	t.Run("a teacher at the desk", func(t *testing.T) {
		teacher := dc.AddStaff(t, sambatest.Person{Name: "LAU Ka Yan", Mobile: "9123 4072"})
		dc.LockOut(t, teacher)
		unlocked := unlockOK(t, resetd, token, teacher.StaffNumber, "Staff card seen at the desk")
		if !unlocked.DirectoryUnlocked || unlocked.StillLocked {
			t.Errorf("unlock = %+v, want the directory's lockout ended", unlocked)
		}
		loginsWork(t, dc, teacher)
		if !anyContains(resetd.auditOfAccount(teacher.StaffNumber), "Staff card seen at the desk", "op.hana3") {
			t.Errorf("the note is not in the audit: %q", resetd.auditOfAccount(teacher.StaffNumber))
		}
	})
}

// With the service account that may reset but not unlock, the unlock
// lifts what resetd holds and says the directory's lockout stays.
func TestSambaHelpdeskUnlockSaysWhenTheDirectoryKeepsTheLockout(t *testing.T) {
	dc := sambatest.Shared(t)
	hana := dc.AddStaff(t, operator("op.hana4", "HO Hana", "Hana-Desk-2029"))
	teacher := dc.AddStaff(t, sambatest.Person{Name: "CHEUNG Wai", Mobile: "9123 4081"})
	dc.LockOut(t, teacher)
	resetd := startSambaResetdAs(t, dc, dc.AddGroup(t, "IT Help Four", hana.DN()), sambatest.ResetOnlyDN, sambatest.ResetOnlyPassword)
	token := resetd.signedIn(hana)

	unlocked := unlockOK(t, resetd, token, teacher.StaffNumber, "Staff card seen at the desk")
	if unlocked.DirectoryUnlocked || !unlocked.StillLocked {
		t.Errorf("unlock = %+v, want still_locked", unlocked)
	}
	if err := dc.Bind(teacher.DN(), teacher.Password); err == nil {
		t.Error("the teacher logs in, but the service account may not unlock")
	}
	if !anyContains(resetd.auditOfAccount(teacher.StaffNumber), "still locked", "op.hana4") {
		t.Errorf("the audit does not say the account is still locked: %q", resetd.auditOfAccount(teacher.StaffNumber))
	}
	if a := resetd.account(token, teacher.StaffNumber); !a.LockedOut {
		t.Error("the page no longer shows the lockout")
	}
}

func unlockOK(t *testing.T, resetd *sambaResetd, token, staffNumber, note string) api.UnlockResponse {
	t.Helper()
	status, body := resetd.unlock(token, staffNumber, note)
	if status != http.StatusOK {
		t.Fatalf("unlock: %d %s", status, body)
	}
	var out api.UnlockResponse
	if err := json.Unmarshal(body, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// loginsWork fails unless p logs in with their unchanged password over
// LDAP (as CAS does) and Kerberos (as Windows does).
func loginsWork(t *testing.T, dc *sambatest.DC, p sambatest.Person) {
	t.Helper()
	if lt := dc.Attr(t, p.DN(), "lockoutTime"); lt != "0" {
		t.Errorf("lockoutTime = %q after the unlock, want 0", lt)
	}
	if err := dc.Bind(p.DN(), p.Password); err != nil {
		t.Errorf("LDAP bind with the unchanged password: %v", err)
	}
	if !kinitWorks(t, dc, p, p.Password) {
		t.Error("kinit with the unchanged password failed")
	}
}
