package ldapdir_test

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"casreset/api"
	"casreset/internal/testkit/sambatest"
	"casreset/service"
	"casreset/service/server"
)

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

// IT staff kept in their own unit, outside the staff accounts', sign in
// once --ldap-operator-base-dn reaches them, with their name typed as
// Windows sign-in screens take it: the sAMAccountName, the
// userPrincipalName or EXAMPLE\name. Whichever they type, they are their
// sAMAccountName in lower case. Another domain's prefix, or another UPN
// suffix, is refused with the same 401 as every other failure; the forms
// of one name share the per-username limit; staff look-ups keep to the
// staff unit.
func TestSambaOperatorsOutsideTheStaffUnitSignInWithEveryWindowsForm(t *testing.T) {
	dc := sambatest.Shared(t)
	kai := dc.AddStaff(t, sambatest.Person{Unit: sambatest.ITDN, Account: "it.kai", Name: "CHAN Kai", Password: "Kai-Desk-2026"})
	tam := dc.AddStaff(t, sambatest.Person{Unit: sambatest.ITDN, Account: "it.tam", Name: "TAM Tam", Password: "Tam-Desk-2026"})
	helpdesk := dc.AddGroup(t, "IT Help, IT Unit", kai.DN(), tam.DN())

	staffOnly := startSambaResetd(t, dc, helpdesk)
	status, body := staffOnly.signIn(kai.Account, kai.Password)
	if e := problem(t, body); status != http.StatusUnauthorized || staffOnly.auditOf(e.Reference) != "operator sign-in: unknown username" {
		t.Errorf("kai, outside the staff unit, with no --ldap-operator-base-dn: %d %s", status, body)
	}

	resetd := startSambaResetdAs(t, dc, helpdesk, sambatest.ServiceDN, sambatest.ServicePassword,
		func(c *server.Config) { c.LDAP.OperatorBaseDN = sambatest.BaseDN })
	for _, typed := range []string{
		kai.Account,
		"IT.Kai@" + strings.ToUpper(sambatest.DNSDomain), // the UPN, in another case
		sambatest.NetBIOSDomain + `\` + kai.Account,
		` example\IT.KAI `,
	} {
		status, body := resetd.signIn(typed, kai.Password)
		if status != http.StatusCreated {
			t.Errorf("%s: %d %s", typed, status, body)
			continue
		}
		var s api.HelpdeskSession
		if err := json.Unmarshal(body, &s); err != nil {
			t.Fatal(err)
		}
		if s.Operator != (api.HelpdeskOperator{Name: "it.kai", Kind: "directory"}) {
			t.Errorf("%s: operator %+v, want it.kai", typed, s.Operator)
		}
		op, err := resetd.run.Service.OperatorOfSession(t.Context(), service.Client{Addr: "127.0.0.1"}, s.SessionToken)
		if err != nil || op.Name != "it.kai" || op.StaffNumber != kai.StaffNumber {
			t.Errorf("%s: the session's operator %+v %v", typed, op, err)
		}
	}
	if got := strings.Count(strings.Join(resetd.allAudit(), "\n"), "operator it.kai (directory): signed in"); got != 4 {
		t.Errorf("the audit names it.kai in %d sign-ins, want 4:\n%s", got, strings.Join(resetd.allAudit(), "\n"))
	}

	t.Run("refusals are the same 401", func(t *testing.T) {
		var first *api.Error
		for _, tc := range []struct{ user, password, audit string }{
			{`EXAMPLE\it.kai`, "Not-His-2026", "operator it.kai (directory): wrong password"},
			{"it.kai@" + sambatest.DNSDomain, "Not-His-2026", "operator it.kai (directory): wrong password"},
			{`OTHER\it.kai`, kai.Password, "operator sign-in: unknown username"},
			{"it.kai@other.example", kai.Password, "operator sign-in: unknown username"},
		} {
			status, body := resetd.signIn(tc.user, tc.password)
			e := problem(t, body)
			if status != http.StatusUnauthorized || e.Code != api.CodeOperatorAuthFailed {
				t.Errorf("%s: %d %s, want 401 operator_auth_failed", tc.user, status, body)
				continue
			}
			if got := resetd.auditOf(e.Reference); got != tc.audit {
				t.Errorf("%s: the audit says %q, want %q", tc.user, got, tc.audit)
			}
			e.Reference = ""
			if first == nil {
				first = &e
			} else if e.Title != first.Title || e.Detail != first.Detail || e.Type != first.Type {
				t.Errorf("%s: answered %+v, unlike %+v", tc.user, e, *first)
			}
		}
	})

	t.Run("not a Windows name is invalid input", func(t *testing.T) {
		for _, typed := range []string{`EXAMPLE\it.kai@` + sambatest.DNSDomain, `EXAMPLE\\it.kai`, `\it.kai`, `EXAMPLE\`, `A\B\C`, `EXAMPLE1234567890\it.kai`, `EXAMPLE\*`, `EXAMPLE\it)(uid=*`} {
			status, body := resetd.signIn(typed, kai.Password)
			if e := problem(t, body); status != http.StatusBadRequest || e.Code != api.CodeInvalidRequest {
				t.Errorf("%q: %d %s, want 400 invalid_request", typed, status, body)
			}
		}
	})

	t.Run("the forms of one name share its limit", func(t *testing.T) {
		forms := []string{tam.Account, `EXAMPLE\` + tam.Account, tam.Account + "@" + sambatest.DNSDomain}
		limit := server.DefaultConfig().Service.OperatorAuth.FailuresPerUser
		for i := range limit {
			if status, body := resetd.signIn(forms[i%len(forms)], "Not-Hers-2026"); status != http.StatusUnauthorized {
				t.Fatalf("failure %d: %d %s", i+1, status, body)
			}
		}
		for _, typed := range forms {
			status, body := resetd.signIn(typed, tam.Password)
			if e := problem(t, body); status != http.StatusTooManyRequests || e.Code != api.CodeRateLimited {
				t.Errorf("%s after %d failures in its other forms: %d %s, want 429 rate_limited", typed, limit, status, body)
			}
		}
	})

	t.Run("staff look-ups keep to the staff unit", func(t *testing.T) {
		cfg, _ := adConfig(t, dc, sambatest.ServiceDN, sambatest.ServicePassword)
		cfg.HelpdeskGroup, cfg.OperatorBaseDN = helpdesk, sambatest.BaseDN
		if _, err := open(t, cfg).Account(t.Context(), kai.StaffNumber); !errors.Is(err, service.ErrNotFound) {
			t.Errorf("kai's staff number: %v, want ErrNotFound", err)
		}
	})
}
