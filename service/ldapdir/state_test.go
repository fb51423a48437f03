package ldapdir

import (
	"io"
	"log/slog"
	"slices"
	"testing"
	"time"

	"github.com/go-ldap/ldap/v3"

	"casreset/service"
)

func testDirectory(t *testing.T, ad bool) *Directory {
	t.Helper()
	cfg := Config{URL: "ldaps://dc1.example.edu.hk", BindDN: "CN=resetd", BindPassword: "x", BaseDN: "OU=Staff",
		AD: ad, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	d, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// 2024-08-31T16:00:00Z, midnight in Hong Kong, as a FILETIME.
const (
	fileTimeAug31 = "133695936000000000"
	timeAug31     = "2024-08-31T16:00:00Z"
)

func TestActiveDirectoryState(t *testing.T) {
	aug31, _ := time.Parse(time.RFC3339, timeAug31)
	tests := []struct {
		name  string
		attrs map[string][]string
		want  func(a service.Account) bool
	}{
		{"a normal account", map[string][]string{attrUserAccountControl: {"512"}, attrLockoutTime: {"0"}, attrAccountExpires: {"9223372036854775807"}},
			func(a service.Account) bool {
				return !a.Disabled && !a.LockedOut && !a.Privileged && a.LoginsEnd.IsZero()
			}},
		{"disabled (514)", map[string][]string{attrUserAccountControl: {"514"}},
			func(a service.Account) bool { return a.Disabled }},
		{"disabled with other flags (66050)", map[string][]string{attrUserAccountControl: {"66050"}},
			func(a service.Account) bool { return a.Disabled }},
		{"locked out", map[string][]string{attrLockoutTime: {fileTimeAug31}},
			func(a service.Account) bool { return a.LockedOut && !a.Disabled }},
		{"protected", map[string][]string{attrAdminCount: {"1"}},
			func(a service.Account) bool { return a.Privileged }},
		{"logins end", map[string][]string{attrAccountExpires: {fileTimeAug31}},
			func(a service.Account) bool { return a.LoginsEnd.Equal(aug31) && a.ContractEnd == "" }},
		{"logins never end", map[string][]string{attrAccountExpires: {"0"}},
			func(a service.Account) bool { return a.LoginsEnd.IsZero() }},
		{"password set", map[string][]string{attrPwdLastSet: {fileTimeAug31}},
			func(a service.Account) bool { return a.PasswordSetAt.Equal(aug31) }},
		{"password to change at the next logon", map[string][]string{attrPwdLastSet: {"0"}},
			func(a service.Account) bool { return a.PasswordSetAt.IsZero() }},
		{"names", map[string][]string{attrSAMAccountName: {"tmchan"}, attrDisplayName: {"CHAN, Tai-man"}},
			func(a service.Account) bool { return a.LoginName == "tmchan" && a.DisplayName == "CHAN, Tai-man" }},
		{"an unreadable lockout is left out", map[string][]string{attrLockoutTime: {"soon"}, attrUserAccountControl: {"x"}},
			func(a service.Account) bool { return !a.LockedOut && !a.Disabled }},
	}
	d := testDirectory(t, true)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			attrs := map[string][]string{"employeeNumber": {"T1"}}
			for k, v := range tt.attrs {
				attrs[k] = v
			}
			a, err := d.account(ldap.NewEntry("CN=T1,OU=Staff", attrs))
			if err != nil {
				t.Fatal(err)
			}
			if !tt.want(a) {
				t.Errorf("account = %+v", a)
			}
		})
	}
	t.Run("an unreadable accountExpires is an error", func(t *testing.T) {
		if _, err := d.account(ldap.NewEntry("CN=T1,OU=Staff", map[string][]string{attrAccountExpires: {"soon"}})); err == nil {
			t.Error("no error")
		}
	})
}

// With --ldap-end-date-attr accountExpires, accountExpires is both the end
// of logins and (as before) the contract end date; the earlier wins.
func TestAccountExpiresAsTheContractEndToo(t *testing.T) {
	d := testDirectory(t, true)
	d.cfg.EndDateAttr = attrAccountExpires
	if n := slices.Index(d.attributes(), attrAccountExpires); n < 0 || slices.Index(d.attributes()[n+1:], attrAccountExpires) >= 0 {
		t.Errorf("attributes %v: accountExpires not once", d.attributes())
	}
	a, err := d.account(ldap.NewEntry("CN=T1,OU=Staff", map[string][]string{attrAccountExpires: {fileTimeAug31}}))
	if err != nil || a.ContractEnd != "2024-08-31" || a.LoginsEnd.IsZero() {
		t.Errorf("account = %+v, %v", a, err)
	}
}

func TestPPolicyState(t *testing.T) {
	d := testDirectory(t, false)
	tests := []struct {
		locked            string
		disabled, lockout bool
	}{
		{"", false, false},
		{ppolicyDisabled, true, false},
		{"20250303015000Z", false, true},
	}
	for _, tt := range tests {
		attrs := map[string][]string{attrPwdChangedTime: {"20240831160000Z"}}
		if tt.locked != "" {
			attrs[attrPwdAccountLockedTime] = []string{tt.locked}
		}
		a, err := d.account(ldap.NewEntry("uid=t1", attrs))
		if err != nil {
			t.Fatal(err)
		}
		if a.Disabled != tt.disabled || a.LockedOut != tt.lockout || a.PasswordSetAt.IsZero() {
			t.Errorf("pwdAccountLockedTime %q: %+v", tt.locked, a)
		}
	}
	for _, attr := range []string{attrUserAccountControl, attrLockoutTime, attrSAMAccountName} {
		if slices.Contains(d.attributes(), attr) {
			t.Errorf("a plain LDAP directory is asked for AD's %s", attr)
		}
	}
}

func TestActiveDirectoryPolicies(t *testing.T) {
	domain := ldap.NewEntry("DC=example", map[string][]string{
		attrMinPwdLength: {"10"}, attrPwdProperties: {"1"}, attrPwdHistoryLength: {"24"}, attrMinPwdAge: {"-864000000000"},
	})
	want := service.DirectoryPolicy{MinLength: 10, Complexity: true, History: 24, MinAge: 24 * time.Hour}
	if got := domainPolicy(domain); got != want {
		t.Errorf("domain policy = %+v, want %+v", got, want)
	}
	simple := ldap.NewEntry("DC=example", map[string][]string{attrMinPwdLength: {"7"}, attrPwdProperties: {"0"}, attrMinPwdAge: {"0"}})
	if got := domainPolicy(simple); got != (service.DirectoryPolicy{MinLength: 7}) {
		t.Errorf("a domain without complexity = %+v", got)
	}
	pso := ldap.NewEntry("CN=Teachers,CN=Password Settings Container", map[string][]string{
		attrPSOMinLength: {"14"}, attrPSOComplexity: {"TRUE"}, attrPSOHistory: {"5"}, attrPSOMinAge: {"-36000000000"},
	})
	if got, want := psoPolicy(pso), (service.DirectoryPolicy{MinLength: 14, Complexity: true, History: 5, MinAge: time.Hour}); got != want {
		t.Errorf("fine-grained policy = %+v, want %+v", got, want)
	}
	if got := interval("-9223372036854775808"); got <= 0 {
		t.Errorf("the longest interval = %v", got)
	}
}
