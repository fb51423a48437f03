package sambatest

import (
	"strings"
	"testing"

	"github.com/go-ldap/ldap/v3"
)

// groupGlobalSecurity is the groupType of a global security group, the
// kind a college's IT makes for its staff (ADS_GROUP_TYPE_GLOBAL_GROUP |
// ADS_GROUP_TYPE_SECURITY_ENABLED, as a signed 32-bit number).
const groupGlobalSecurity = "-2147483646"

// AddGroup adds a global security group named name (its CN, and its
// sAMAccountName without the characters AD keeps out of it) under GroupsDN, with members (DNs of people or of other
// groups: a group in a group is nested), and returns its DN. Names are the
// test's to keep unique in the shared controller.
func (dc *DC) AddGroup(tb testing.TB, name string, members ...string) string {
	tb.Helper()
	dn := "CN=" + ldap.EscapeDN(name) + "," + GroupsDN
	req := ldap.NewAddRequest(dn, nil)
	req.Attribute("objectClass", []string{"top", "group"})
	req.Attribute("sAMAccountName", []string{strings.Map(func(r rune) rune {
		if strings.ContainsRune(`"/\[]:;|=,+*?<>`, r) {
			return -1
		}
		return r
	}, name)})
	req.Attribute("groupType", []string{groupGlobalSecurity})
	if len(members) > 0 {
		req.Attribute("member", members)
	}
	if err := dc.Admin(tb).Add(req); err != nil {
		tb.Fatalf("sambatest: adding the group %s: %v", dn, err)
	}
	return dn
}

// AddMember adds member (a DN) to the group as the administrator.
func (dc *DC) AddMember(tb testing.TB, group, member string) {
	tb.Helper()
	req := ldap.NewModifyRequest(group, nil)
	req.Add("member", []string{member})
	if err := dc.Admin(tb).Modify(req); err != nil {
		tb.Fatalf("sambatest: adding %s to %s: %v", member, group, err)
	}
}

// MakeDomainAdmin adds p to Domain Admins and returns once the directory
// marks the account protected, adminCount=1, as Active Directory does for
// members of its protected groups. Windows' SDProp sets adminCount (and
// replaces the account's permissions with AdminSDHolder's) within the
// hour; Samba 4.17 runs no SDProp and leaves adminCount unset, so the
// administrator sets it here, which is what SDProp would write. The
// permissions stay as inherited: on Samba the service account may still
// reset the account's password, which is why resetd's own check of
// adminCount matters there.
func (dc *DC) MakeDomainAdmin(tb testing.TB, p Person) {
	tb.Helper()
	dc.AddMember(tb, DomainAdminsDN, p.DN())
	if dc.Attr(tb, p.DN(), "adminCount") != "1" {
		dc.Replace(tb, p.DN(), "adminCount", "1")
	}
}
