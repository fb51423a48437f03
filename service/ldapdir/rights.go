package ldapdir

import (
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"github.com/go-ldap/ldap/v3"

	"casreset/service"
)

// The rights the service account needs, named as the directories' own tools
// name them.
const (
	// rightResetPassword is Active Directory's extended right
	// User-Force-Change-Password ("Reset Password" in its tools).
	rightResetPassword = "Reset Password"
	// rightWritePassword is what an OpenLDAP ACL grants for the Password
	// Modify operation.
	rightWritePassword = "write access to userPassword"
)

// resetPasswordGUID is the rightsGuid of User-Force-Change-Password.
var resetPasswordGUID = mustGUID("00299570-246d-11d0-a768-00aa006e0529")

// missingRight is the directory refusing a password write for want of a
// right: err is its answer. The base DN is filled in by the caller.
func missingRight(ad bool, err error) error {
	right := rightWritePassword
	if ad {
		right = rightResetPassword
	}
	return &service.MissingRightError{Right: right, Err: err}
}

// sdFlagsDACL is the LDAP_SERVER_SD_FLAGS control asking for the DACL of a
// security descriptor alone: without it AD asks for the SACL too, which
// only administrators may read, and then returns nothing.
var sdFlagsDACL = &ldap.ControlString{
	ControlType:  "1.2.840.113556.1.4.801",
	Criticality:  true,
	ControlValue: "\x30\x03\x02\x01\x04", // SEQUENCE { INTEGER 4 (DACL_SECURITY_INFORMATION) }
}

// errCannotTell means the directory did not give what the rights check
// needs: it is logged, and readiness does not depend on it.
var errCannotTell = errors.New("cannot tell")

// checkResetRight tells whether the service account may reset passwords
// of the staff entries under the base DN (Active Directory). It reads the
// account's security token (tokenGroups of the root DSE: its own SID and
// its groups'), and the security descriptor of one staff entry, whose DACL
// holds the rights inherited from the OU; then it decides as Windows does
// for the one right (allowedAttributesEffective lists attributes only, not
// extended rights such as Reset Password). A *service.MissingRightError
// when the right is missing; errCannotTell (wrapped) when the directory
// does not give what the check needs.
func (d *Directory) checkResetRight(s session) error {
	res, err := s.Search(ldap.NewSearchRequest("", ldap.ScopeBaseObject, ldap.NeverDerefAliases,
		1, d.timeLimit(), false, "(objectClass=*)", []string{"tokenGroups"}, nil))
	if err != nil {
		return err
	}
	token := map[string]bool{}
	for _, e := range res.Entries {
		for _, sid := range e.GetRawAttributeValues("tokenGroups") {
			token[string(sid)] = true
		}
	}
	if len(token) == 0 {
		return fmt.Errorf("%w: the root DSE gives no tokenGroups", errCannotTell)
	}

	filter := fmt.Sprintf("(&(objectClass=user)(%s=*))", d.cfg.StaffAttr)
	res, err = s.Search(ldap.NewSearchRequest(d.cfg.BaseDN, ldap.ScopeWholeSubtree, ldap.NeverDerefAliases,
		1, d.timeLimit(), false, filter, []string{"nTSecurityDescriptor"}, []ldap.Control{sdFlagsDACL}))
	if err != nil && !ldap.IsErrorWithCode(err, ldap.LDAPResultSizeLimitExceeded) {
		return err
	}
	if res == nil || len(res.Entries) == 0 {
		return fmt.Errorf("%w: no staff entry under %s to check", errCannotTell, d.cfg.BaseDN)
	}
	entry := res.Entries[0]
	sd := entry.GetRawAttributeValue("nTSecurityDescriptor")
	if len(sd) == 0 {
		return fmt.Errorf("%w: the security descriptor of %s is not readable", errCannotTell, entry.DN)
	}
	granted, err := grantsControlAccess(sd, token, resetPasswordGUID)
	if err != nil {
		return local(fmt.Errorf("%w: the security descriptor of %s: %w", errCannotTell, entry.DN, err))
	}
	if !granted {
		return &service.MissingRightError{Right: rightResetPassword, On: d.cfg.BaseDN,
			Err: fmt.Errorf("the DACL of %s grants it to none of the account's SIDs", entry.DN)}
	}
	return nil
}

// Access masks and ACE layout of Windows security descriptors (MS-DTYP 2.4).
const (
	rightControlAccess = 0x00000100 // ADS_RIGHT_DS_CONTROL_ACCESS
	rightGenericAll    = 0x10000000

	aceAllowed       = 0x00
	aceDenied        = 0x01
	aceAllowedObject = 0x05
	aceDeniedObject  = 0x06

	aceInheritOnly = 0x08

	aceObjectTypePresent          = 0x1
	aceInheritedObjectTypePresent = 0x2

	sdSelfRelative = 0x8000
	sdDACLPresent  = 0x0004
)

// grantsControlAccess evaluates a self-relative security descriptor for
// the extended right: in DACL order, the first ACE for a SID of token that
// allows or denies it decides; none means denied. An absent DACL allows
// everything.
func grantsControlAccess(sd []byte, token map[string]bool, right [16]byte) (bool, error) {
	if len(sd) < 20 {
		return false, errors.New("too short")
	}
	control := binary.LittleEndian.Uint16(sd[2:4])
	if control&sdSelfRelative == 0 {
		return false, errors.New("not self-relative")
	}
	offset := int(binary.LittleEndian.Uint32(sd[16:20]))
	if control&sdDACLPresent == 0 || offset == 0 {
		return true, nil // a NULL DACL
	}
	if offset+8 > len(sd) {
		return false, errors.New("the DACL lies outside")
	}
	count := int(binary.LittleEndian.Uint16(sd[offset+4 : offset+6]))
	p := offset + 8
	for range count {
		if p+8 > len(sd) {
			return false, errors.New("an ACE lies outside")
		}
		aceType, flags := sd[p], sd[p+1]
		size := int(binary.LittleEndian.Uint16(sd[p+2 : p+4]))
		if size < 8 || p+size > len(sd) {
			return false, errors.New("an ACE has a bad size")
		}
		ace := sd[p : p+size]
		p += size
		if flags&aceInheritOnly != 0 {
			continue
		}
		allows := aceType == aceAllowed || aceType == aceAllowedObject
		mask := binary.LittleEndian.Uint32(ace[4:8])
		sidAt := 8
		switch aceType {
		case aceAllowed, aceDenied:
		case aceAllowedObject, aceDeniedObject:
			if len(ace) < 12 {
				return false, errors.New("an object ACE is too short")
			}
			objFlags := binary.LittleEndian.Uint32(ace[8:12])
			sidAt = 12
			if objFlags&aceObjectTypePresent != 0 {
				if len(ace) < sidAt+16 {
					return false, errors.New("an object ACE is too short")
				}
				if [16]byte(ace[sidAt:sidAt+16]) != right {
					continue // another right or property
				}
				sidAt += 16
			}
			if objFlags&aceInheritedObjectTypePresent != 0 {
				sidAt += 16
			}
		default:
			continue // audit, callback and other ACEs grant nothing here
		}
		if mask&(rightControlAccess|rightGenericAll) == 0 {
			continue
		}
		sid, ok := sidAtOffset(ace, sidAt)
		if !ok {
			return false, errors.New("an ACE's SID lies outside")
		}
		if token[sid] {
			return allows, nil
		}
	}
	return false, nil
}

// sidAtOffset is the binary SID at b[at:].
func sidAtOffset(b []byte, at int) (string, bool) {
	if at+8 > len(b) {
		return "", false
	}
	end := at + 8 + 4*int(b[at+1])
	if end > len(b) {
		return "", false
	}
	return string(b[at:end]), true
}

// mustGUID turns a GUID as written (00299570-246d-11d0-a768-00aa006e0529)
// into its bytes as Windows stores them: the first three groups
// little-endian.
func mustGUID(s string) [16]byte {
	b, err := hex.DecodeString(strings.ReplaceAll(s, "-", ""))
	if err != nil || len(b) != 16 {
		panic("ldapdir: bad GUID " + s)
	}
	var g [16]byte
	binary.LittleEndian.PutUint32(g[0:4], binary.BigEndian.Uint32(b[0:4]))
	binary.LittleEndian.PutUint16(g[4:6], binary.BigEndian.Uint16(b[4:6]))
	binary.LittleEndian.PutUint16(g[6:8], binary.BigEndian.Uint16(b[6:8]))
	copy(g[8:], b[8:])
	return g
}
