package sambatest_test

import (
	"strings"
	"testing"
	"time"

	"github.com/go-ldap/ldap/v3"

	"casreset/internal/testkit/sambatest"
)

func TestMain(m *testing.M) { sambatest.Main(m) }

// reset writes password to dn's unicodePwd as the account bound on c, the
// administrator's reset that resetd does.
func reset(c *ldap.Conn, dn, password string) error {
	req := ldap.NewModifyRequest(dn, nil)
	req.Replace("unicodePwd", []string{sambatest.UnicodePwd(password)})
	return c.Modify(req)
}

func bindAs(t *testing.T, dc *sambatest.DC, dn, password string) *ldap.Conn {
	t.Helper()
	c, err := dc.DialLDAPS()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	if err := c.Bind(dn, password); err != nil {
		t.Fatalf("bind as %s: %v", dn, err)
	}
	return c
}

func TestControllerChecksPasswordsOverLDAPAndKerberos(t *testing.T) {
	dc := sambatest.Shared(t)
	p := dc.AddStaff(t, sambatest.Person{Name: "Chan Tai Man", Mobile: "(+852) 9123 4011", Mail: "chan@example.edu.hk"})

	if err := dc.Bind(p.DN(), p.Password); err != nil {
		t.Errorf("LDAPS bind: %v", err)
	}
	if err := dc.Bind(p.DN(), "Wrong-Passw0rd-9"); !ldap.IsErrorWithCode(err, ldap.LDAPResultInvalidCredentials) {
		t.Errorf("LDAPS bind with a wrong password = %v, want invalid credentials", err)
	}
	tlsConfig, err := dc.TLSConfig()
	if err != nil {
		t.Fatal(err)
	}
	c, err := ldap.DialURL(dc.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.StartTLS(tlsConfig); err != nil {
		t.Fatalf("StartTLS: %v", err)
	}
	if err := c.Bind(p.DN(), p.Password); err != nil {
		t.Errorf("bind after StartTLS: %v", err)
	}

	if out, err := dc.Kinit(p.Principal(), p.Password); err != nil {
		t.Errorf("kinit: %v\n%s", err, out)
	}
	if _, err := dc.Kinit(p.Principal(), "Wrong-Passw0rd-9"); err == nil {
		t.Error("kinit with a wrong password succeeded")
	}

	// Samba answers binds but not the Who am I? operation (ldapwhoami):
	// ldapsearch shows the bind instead.
	out, err := dc.Command("ldapsearch", "-LLL", "-x", "-H", "ldaps://127.0.0.1", "-D", p.DN(), "-w", p.Password,
		"-b", p.DN(), "-s", "base", "sAMAccountName").CombinedOutput()
	if err != nil || !strings.Contains(string(out), "sAMAccountName: "+p.Account) {
		t.Errorf("ldapsearch inside the namespace: %v\n%s", err, out)
	}
}

func TestServiceAccountMayResetStaffPasswordsAndNothingElse(t *testing.T) {
	dc := sambatest.Shared(t)
	p := dc.AddStaff(t, sambatest.Person{})
	service := bindAs(t, dc, sambatest.ServiceDN, sambatest.ServicePassword)

	const newPassword = "Harbour-View-2031"
	if err := reset(service, p.DN(), newPassword); err != nil {
		t.Fatalf("reset as the service account: %v", err)
	}
	if err := dc.Bind(p.DN(), newPassword); err != nil {
		t.Errorf("bind with the new password: %v", err)
	}
	if err := dc.Bind(p.DN(), p.Password); err == nil {
		t.Error("the old password still binds")
	}
	if _, err := dc.Kinit(p.Principal(), newPassword); err != nil {
		t.Errorf("kinit with the new password: %v", err)
	}
	if _, err := dc.Kinit(p.Principal(), p.Password); err == nil {
		t.Error("kinit with the old password succeeded")
	}

	// Outside the staff unit, and any other attribute, the service account
	// may not write.
	if err := reset(service, sambatest.NoRightDN, newPassword); !ldap.IsErrorWithCode(err, ldap.LDAPResultInsufficientAccessRights) {
		t.Errorf("reset outside the staff unit = %v, want insufficient access rights", err)
	}
	mod := ldap.NewModifyRequest(p.DN(), nil)
	mod.Replace("mail", []string{"someone@example.net"})
	if err := service.Modify(mod); !ldap.IsErrorWithCode(err, ldap.LDAPResultInsufficientAccessRights) {
		t.Errorf("writing mail = %v, want insufficient access rights", err)
	}

	noRight := bindAs(t, dc, sambatest.NoRightDN, sambatest.NoRightPassword)
	err := reset(noRight, p.DN(), "Another-Passw0rd-7")
	if !ldap.IsErrorWithCode(err, ldap.LDAPResultInsufficientAccessRights) {
		t.Errorf("reset by the account without the right = %v, want insufficient access rights", err)
	}
	t.Logf("the directory says: %v", err)
}

func TestAccountStatesStopLogins(t *testing.T) {
	dc := sambatest.Shared(t)
	disabled := dc.AddStaff(t, sambatest.Person{Disabled: true})
	expired := dc.AddStaff(t, sambatest.Person{Expires: time.Now().AddDate(0, -1, 0)})
	locked := dc.AddStaff(t, sambatest.Person{})
	dc.LockOut(t, locked)

	for _, tc := range []struct {
		name string
		p    sambatest.Person
		data string // the reason in AD's bind error
	}{{"disabled", disabled, "data 533"}, {"expired", expired, "data 701"}, {"locked", locked, "data 775"}} {
		t.Run(tc.name, func(t *testing.T) {
			err := dc.Bind(tc.p.DN(), tc.p.Password)
			if !ldap.IsErrorWithCode(err, ldap.LDAPResultInvalidCredentials) || !strings.Contains(err.Error(), tc.data) {
				t.Errorf("bind = %v, want invalid credentials with %s", err, tc.data)
			}
			if _, err := dc.Kinit(tc.p.Principal(), tc.p.Password); err == nil {
				t.Error("kinit succeeded")
			}
		})
	}

	t.Run("the reset-only account may reset but not unlock", func(t *testing.T) {
		resetOnly := bindAs(t, dc, sambatest.ResetOnlyDN, sambatest.ResetOnlyPassword)
		mod := ldap.NewModifyRequest(locked.DN(), nil)
		mod.Replace("lockoutTime", []string{"0"})
		if err := resetOnly.Modify(mod); !ldap.IsErrorWithCode(err, ldap.LDAPResultInsufficientAccessRights) {
			t.Errorf("lockoutTime=0 as the reset-only account = %v, want insufficient access rights", err)
		}
		if err := reset(resetOnly, locked.DN(), "Reset-Only-Passw0rd-5"); err != nil {
			t.Errorf("reset as the reset-only account: %v", err)
		}
		locked.Password = "Reset-Only-Passw0rd-5"
	})

	t.Run("the service account may unlock", func(t *testing.T) {
		service := bindAs(t, dc, sambatest.ServiceDN, sambatest.ServicePassword)
		mod := ldap.NewModifyRequest(locked.DN(), nil)
		mod.Replace("lockoutTime", []string{"0"})
		if err := service.Modify(mod); err != nil {
			t.Fatalf("lockoutTime=0 as the service account: %v", err)
		}
		if err := dc.Bind(locked.DN(), locked.Password); err != nil {
			t.Errorf("bind after the unlock: %v", err)
		}
	})
}

func TestDomainPolicyIsInForce(t *testing.T) {
	dc := sambatest.Shared(t)
	for attr, want := range map[string]string{"minPwdLength": "10", "pwdHistoryLength": "3", "pwdProperties": "1", "minPwdAge": "0", "lockoutThreshold": "5"} {
		if got := dc.Attr(t, sambatest.BaseDN, attr); got != want {
			t.Errorf("%s = %q, want %q", attr, got, want)
		}
	}
	p := dc.AddStaff(t, sambatest.Person{})
	admin := dc.Admin(t)
	for _, pw := range []string{"abcdefgh12", "Short-1"} {
		if err := reset(admin, p.DN(), pw); !ldap.IsErrorWithCode(err, ldap.LDAPResultConstraintViolation) {
			t.Errorf("reset to %q = %v, want a constraint violation", pw, err)
		}
	}
}

func TestPeopleWithOneStaffNumber(t *testing.T) {
	dc := sambatest.Shared(t)
	a := dc.AddStaff(t, sambatest.Person{})
	b := dc.AddStaff(t, sambatest.Person{StaffNumber: a.StaffNumber})
	res, err := dc.Admin(t).Search(ldap.NewSearchRequest(sambatest.StaffDN, ldap.ScopeWholeSubtree, ldap.NeverDerefAliases, 0, 0, false,
		"("+sambatest.StaffAttr+"="+a.StaffNumber+")", []string{"1.1"}, nil))
	if err != nil || len(res.Entries) != 2 {
		t.Fatalf("search for %s: %v entries, %v; want %s and %s", a.StaffNumber, len(res.Entries), err, a.Account, b.Account)
	}
}

// inChain reports whether the service account finds dn a member of group
// through nested groups (LDAP_MATCHING_RULE_IN_CHAIN).
func inChain(t *testing.T, dc *sambatest.DC, dn, group string) bool {
	t.Helper()
	c := bindAs(t, dc, sambatest.ServiceDN, sambatest.ServicePassword)
	res, err := c.Search(ldap.NewSearchRequest(dn, ldap.ScopeBaseObject, ldap.NeverDerefAliases, 1, 0, false,
		"(memberOf:1.2.840.113556.1.4.1941:="+ldap.EscapeFilter(group)+")", []string{"1.1"}, nil))
	if err != nil {
		t.Fatalf("in-chain search of %s: %v", dn, err)
	}
	return len(res.Entries) == 1
}

func TestGroupsNest(t *testing.T) {
	dc := sambatest.Shared(t)
	direct, nested, outside := dc.AddStaff(t, sambatest.Person{}), dc.AddStaff(t, sambatest.Person{}), dc.AddStaff(t, sambatest.Person{})
	inner := dc.AddGroup(t, "Kit Inner, Night", nested.DN())
	outer := dc.AddGroup(t, "Kit Outer", direct.DN(), inner)
	dc.AddGroup(t, "Kit Elsewhere", outside.DN())
	for _, tc := range []struct {
		who  sambatest.Person
		want bool
	}{{direct, true}, {nested, true}, {outside, false}} {
		if got := inChain(t, dc, tc.who.DN(), outer); got != tc.want {
			t.Errorf("%s in %s through the chain: %v, want %v", tc.who.Account, outer, got, tc.want)
		}
	}
	late := dc.AddStaff(t, sambatest.Person{})
	dc.AddMember(t, inner, late.DN())
	if !inChain(t, dc, late.DN(), outer) {
		t.Errorf("%s, added to %s later, is not in %s", late.Account, inner, outer)
	}
}

func TestDomainAdminsAreProtected(t *testing.T) {
	dc := sambatest.Shared(t)
	p := dc.AddStaff(t, sambatest.Person{})
	dc.MakeDomainAdmin(t, p)
	if got := dc.Attr(t, p.DN(), "adminCount"); got != "1" {
		t.Errorf("adminCount = %q, want 1", got)
	}
	if !inChain(t, dc, p.DN(), sambatest.DomainAdminsDN) {
		t.Errorf("%s is not in Domain Admins", p.Account)
	}
	if got := dc.Attr(t, sambatest.AdminDN, "adminCount"); got != "1" {
		t.Errorf("the Administrator's adminCount = %q, want 1 (set by provisioning)", got)
	}
}
