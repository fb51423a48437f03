package sambatest

import (
	"encoding/binary"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/go-ldap/ldap/v3"
)

// userAccountControl flags.
const (
	uacDisabled        = 0x2
	uacNormalAccount   = 0x200
	uacDontExpirePassw = 0x10000
)

// addBaseTree adds the organisational units and the service accounts, and
// gives the service account its rights on the staff unit.
func (dc *DC) addBaseTree() error {
	c, err := dc.dialAdmin()
	if err != nil {
		return fmt.Errorf("sambatest: binding as the administrator: %w", err)
	}
	defer c.Close()
	for _, ou := range []string{StaffDN, ServicesDN, GroupsDN, ITDN} {
		req := ldap.NewAddRequest(ou, nil)
		req.Attribute("objectClass", []string{"organizationalUnit"})
		if err := c.Add(req); err != nil {
			return fmt.Errorf("sambatest: adding %s: %w", ou, err)
		}
	}
	for _, a := range []struct{ dn, password string }{{ServiceDN, ServicePassword}, {NoRightDN, NoRightPassword}, {ResetOnlyDN, ResetOnlyPassword}} {
		if err := c.Add(userAdd(a.dn, a.password, uacNormalAccount|uacDontExpirePassw)); err != nil {
			return fmt.Errorf("sambatest: adding %s: %w", a.dn, err)
		}
	}
	// Reset Password, and write lockoutTime, inherited by the user objects
	// under the staff unit (CIIO: not on the unit itself).
	resetACE := fmt.Sprintf("(OA;CIIO;CR;%s;%s;%%[1]s)", resetPasswordRight, userClass)
	unlockACE := fmt.Sprintf("(OA;CIIO;WP;%s;%s;%%[1]s)", lockoutTimeAttr, userClass)
	var sddl strings.Builder
	for _, g := range []struct{ dn, aces string }{{ServiceDN, resetACE + unlockACE}, {ResetOnlyDN, resetACE}} {
		sid, err := objectSID(c, g.dn)
		if err != nil {
			return err
		}
		fmt.Fprintf(&sddl, g.aces, sid)
	}
	if err := dc.run(exec.Command(dc.bins.sambaTool, "dsacl", "set", "-s", dc.smbConf(),
		"-H", filepath.Join(dc.Dir, "private", "sam.ldb"), "--objectdn="+StaffDN, "--sddl="+sddl.String())); err != nil {
		return fmt.Errorf("sambatest: granting the service accounts their rights: %w", err)
	}
	return nil
}

// userAdd is the add request of a user account whose CN is the account
// name, with a password.
func userAdd(dn, password string, uac int) *ldap.AddRequest {
	account := strings.TrimPrefix(strings.SplitN(dn, ",", 2)[0], "CN=")
	req := ldap.NewAddRequest(dn, nil)
	req.Attribute("objectClass", []string{"top", "person", "organizationalPerson", "user"})
	req.Attribute("sAMAccountName", []string{account})
	req.Attribute("userPrincipalName", []string{account + "@" + DNSDomain})
	req.Attribute("unicodePwd", []string{UnicodePwd(password)})
	req.Attribute("userAccountControl", []string{strconv.Itoa(uac)})
	return req
}

// UnicodePwd is password as Active Directory takes it in unicodePwd:
// quoted, UTF-16LE.
func UnicodePwd(password string) string {
	units := utf16.Encode([]rune(`"` + password + `"`))
	b := make([]byte, 0, 2*len(units))
	for _, u := range units {
		b = binary.LittleEndian.AppendUint16(b, u)
	}
	return string(b)
}

// objectSID reads the objectSid of dn in its string form (S-1-5-21-…).
func objectSID(c *ldap.Conn, dn string) (string, error) {
	res, err := c.Search(ldap.NewSearchRequest(dn, ldap.ScopeBaseObject, ldap.NeverDerefAliases, 1, 0, false,
		"(objectClass=*)", []string{"objectSid"}, nil))
	if err != nil || len(res.Entries) != 1 {
		return "", fmt.Errorf("sambatest: reading the objectSid of %s: %v", dn, err)
	}
	return sidString(res.Entries[0].GetRawAttributeValue("objectSid"))
}

// sidString formats a binary SID (MS-DTYP 2.4.2.2).
func sidString(b []byte) (string, error) {
	if len(b) < 8 || len(b) != 8+4*int(b[1]) {
		return "", fmt.Errorf("sambatest: a SID of %d bytes", len(b))
	}
	var authority uint64
	for _, x := range b[2:8] {
		authority = authority<<8 | uint64(x)
	}
	s := fmt.Sprintf("S-%d-%d", b[0], authority)
	for i := 0; i < int(b[1]); i++ {
		s += fmt.Sprintf("-%d", binary.LittleEndian.Uint32(b[8+4*i:]))
	}
	return s, nil
}

// DefaultPassword is the password of people added without one.
const DefaultPassword = "Start-Passw0rd-1"

// Person is a user account under StaffDN, or Unit. Empty fields are left
// out.
type Person struct {
	// Unit is the DN of the organisational unit the account is in
	// (ITDN, say); StaffDN when empty.
	Unit string
	// Account is the sAMAccountName, which is also the CN; AddStaff makes
	// up a unique one when it is empty.
	Account string
	// StaffNumber is the employeeNumber; AddStaff makes up a unique one
	// when it is empty.
	StaffNumber string
	Name        string // displayName
	Mobile      string // mobile, as stored
	Mail        string
	Password    string // DefaultPassword when empty
	Disabled    bool   // userAccountControl 514 instead of 512
	// Expires is accountExpires: the moment the account stops logging in;
	// zero for never.
	Expires time.Time
}

// DN is the entry's DN.
func (p Person) DN() string {
	if p.Unit != "" {
		return "CN=" + p.Account + "," + p.Unit
	}
	return "CN=" + p.Account + "," + StaffDN
}

// Principal is the Kerberos principal, account@REALM.
func (p Person) Principal() string { return p.Account + "@" + Realm }

// AddStaff adds p under StaffDN (or p.Unit) as the administrator and returns it with
// the account name, staff number and password it got.
func (dc *DC) AddStaff(tb testing.TB, p Person) Person {
	tb.Helper()
	n := dc.seq.Add(1)
	if p.Account == "" {
		p.Account = fmt.Sprintf("staff%04d", n)
	}
	if p.StaffNumber == "" {
		p.StaffNumber = fmt.Sprintf("A%05d", n)
	}
	if p.Password == "" {
		p.Password = DefaultPassword
	}
	uac := uacNormalAccount | uacDontExpirePassw
	if p.Disabled {
		uac |= uacDisabled
	}
	req := userAdd(p.DN(), p.Password, uac)
	req.Attribute(StaffAttr, []string{p.StaffNumber})
	for attr, v := range map[string]string{"displayName": p.Name, "mobile": p.Mobile, "mail": p.Mail} {
		if v != "" {
			req.Attribute(attr, []string{v})
		}
	}
	if !p.Expires.IsZero() {
		req.Attribute("accountExpires", []string{FileTime(p.Expires)})
	}
	c := dc.Admin(tb)
	if err := c.Add(req); err != nil {
		tb.Fatalf("sambatest: adding %s: %v", p.DN(), err)
	}
	return p
}

// FileTime is t as a Windows FILETIME in decimal (100-ns intervals since
// 1601), the form of accountExpires and lockoutTime.
func FileTime(t time.Time) string {
	const unixEpoch = 116444736000000000
	return strconv.FormatInt(unixEpoch+t.UnixNano()/100, 10)
}

// Admin returns a connection bound as the administrator, closed when tb
// ends.
func (dc *DC) Admin(tb testing.TB) *ldap.Conn {
	tb.Helper()
	c, err := dc.dialAdmin()
	if err != nil {
		tb.Fatalf("sambatest: binding as the administrator: %v", err)
	}
	tb.Cleanup(func() { c.Close() })
	return c
}

// Attr reads attr of dn as the administrator ("" when it has none).
func (dc *DC) Attr(tb testing.TB, dn, attr string) string {
	tb.Helper()
	res, err := dc.Admin(tb).Search(ldap.NewSearchRequest(dn, ldap.ScopeBaseObject, ldap.NeverDerefAliases, 1, 0, false,
		"(objectClass=*)", []string{attr}, nil))
	if err != nil || len(res.Entries) != 1 {
		tb.Fatalf("sambatest: reading %s of %s: %v", attr, dn, err)
	}
	return res.Entries[0].GetAttributeValue(attr)
}

// Replace sets attr of dn to values as the administrator.
func (dc *DC) Replace(tb testing.TB, dn, attr string, values ...string) {
	tb.Helper()
	req := ldap.NewModifyRequest(dn, nil)
	req.Replace(attr, values)
	if err := dc.Admin(tb).Modify(req); err != nil {
		tb.Fatalf("sambatest: replacing %s of %s: %v", attr, dn, err)
	}
}

// Bind binds as dn with password over LDAPS, the way a CAS server checks a
// password.
func (dc *DC) Bind(dn, password string) error {
	c, err := dc.DialLDAPS()
	if err != nil {
		return err
	}
	defer c.Close()
	return c.Bind(dn, password)
}

// LockOut locks p's account out the way a person does: wrong passwords
// over LDAP until the lockout threshold. It fails unless the directory then
// shows the account locked (lockoutTime set).
func (dc *DC) LockOut(tb testing.TB, p Person) {
	tb.Helper()
	for range PolicyLockoutThreshold {
		if err := dc.Bind(p.DN(), "Wrong-Passw0rd-0"); !ldap.IsErrorWithCode(err, ldap.LDAPResultInvalidCredentials) {
			tb.Fatalf("sambatest: a wrong password for %s: %v, want invalid credentials", p.Account, err)
		}
	}
	if lt := dc.Attr(tb, p.DN(), "lockoutTime"); lt == "" || lt == "0" {
		tb.Fatalf("sambatest: %s is not locked out after %d wrong passwords (lockoutTime %q)", p.Account, PolicyLockoutThreshold, lt)
	}
	if err := dc.Bind(p.DN(), p.Password); err == nil {
		tb.Fatalf("sambatest: %s still logs in with the right password after the lockout", p.Account)
	}
}

// Command runs a program inside the controller's namespace, with
// KRB5_CONFIG set to the realm's krb5.conf and LDAPTLS_CACERT to the CA,
// so that ldapsearch -H ldaps://127.0.0.1 and kinit work as they would on
// a member machine.
func (dc *DC) Command(name string, args ...string) *exec.Cmd {
	cmd := dc.ns.command(name, args...)
	cmd.Env = append(os.Environ(), "KRB5_CONFIG="+dc.KRB5Config, "LDAPTLS_CACERT="+dc.CAFile)
	return cmd
}

// Kinit asks the KDC for a ticket for principal with password (kinit, in
// a credentials cache of its own) and returns kinit's output; the error is
// kinit failing, which it does for a wrong password, a disabled, locked or
// expired account.
func (dc *DC) Kinit(principal, password string) (string, error) {
	cache := filepath.Join(dc.Dir, fmt.Sprintf("ccache-%d", dc.seq.Add(1)))
	defer os.Remove(cache)
	cmd := dc.Command(dc.bins.kinit, "-c", "FILE:"+cache, principal)
	cmd.Stdin = strings.NewReader(password + "\n")
	out, err := cmd.CombinedOutput()
	if err != nil {
		return string(out), fmt.Errorf("kinit %s: %v: %s", principal, err, strings.TrimSpace(string(out)))
	}
	return string(out), nil
}
