package ldapdir

import (
	"encoding/binary"
	"testing"
)

// testACE is one ACE of a test security descriptor.
type testACE struct {
	typ, flags byte
	mask       uint32
	object     *[16]byte // object type, for object ACEs
	inherited  *[16]byte // inherited object type, for object ACEs
	sid        []byte
}

func binarySID(rids ...uint32) []byte {
	b := []byte{1, byte(len(rids)), 0, 0, 0, 0, 0, 5}
	for _, r := range rids {
		b = binary.LittleEndian.AppendUint32(b, r)
	}
	return b
}

// securityDescriptor encodes a self-relative descriptor with a DACL of aces.
func securityDescriptor(aces ...testACE) []byte {
	var acl []byte
	for _, a := range aces {
		body := binary.LittleEndian.AppendUint32(nil, a.mask)
		if a.typ == aceAllowedObject || a.typ == aceDeniedObject {
			var flags uint32
			var types []byte
			if a.object != nil {
				flags |= aceObjectTypePresent
				types = append(types, a.object[:]...)
			}
			if a.inherited != nil {
				flags |= aceInheritedObjectTypePresent
				types = append(types, a.inherited[:]...)
			}
			body = binary.LittleEndian.AppendUint32(body, flags)
			body = append(body, types...)
		}
		body = append(body, a.sid...)
		acl = append(acl, a.typ, a.flags)
		acl = binary.LittleEndian.AppendUint16(acl, uint16(4+len(body)))
		acl = append(acl, body...)
	}
	sd := []byte{1, 0}
	sd = binary.LittleEndian.AppendUint16(sd, sdSelfRelative|sdDACLPresent)
	sd = binary.LittleEndian.AppendUint32(sd, 0)  // owner
	sd = binary.LittleEndian.AppendUint32(sd, 0)  // group
	sd = binary.LittleEndian.AppendUint32(sd, 0)  // SACL
	sd = binary.LittleEndian.AppendUint32(sd, 20) // DACL
	sd = append(sd, 2, 0)
	sd = binary.LittleEndian.AppendUint16(sd, uint16(8+len(acl)))
	sd = binary.LittleEndian.AppendUint16(sd, uint16(len(aces)))
	sd = append(sd, 0, 0)
	return append(sd, acl...)
}

func TestGrantsControlAccessDecidesAsWindows(t *testing.T) {
	service, group, other := binarySID(21, 1, 2, 3, 1102), binarySID(21, 1, 2, 3, 513), binarySID(21, 1, 2, 3, 1200)
	token := map[string]bool{string(service): true, string(group): true}
	reset := resetPasswordGUID
	changePassword := mustGUID("ab721a53-1e2f-11d0-9819-00aa0040529b")
	user := mustGUID("bf967aba-0de6-11d0-a285-00aa003049e2")

	tests := []struct {
		name string
		aces []testACE
		want bool
	}{
		{"Reset Password for the account, inherited from the OU",
			[]testACE{{typ: aceAllowedObject, flags: 0x10, mask: rightControlAccess, object: &reset, inherited: &user, sid: service}}, true},
		{"for one of its groups",
			[]testACE{{typ: aceAllowedObject, mask: rightControlAccess, object: &reset, sid: group}}, true},
		{"all extended rights",
			[]testACE{{typ: aceAllowedObject, mask: rightControlAccess, sid: service}}, true},
		{"full control",
			[]testACE{{typ: aceAllowed, mask: 0xF01FF, sid: group}}, true},
		{"generic all",
			[]testACE{{typ: aceAllowed, mask: rightGenericAll, sid: group}}, true},
		{"no ACE for the account", nil, false},
		{"for someone else",
			[]testACE{{typ: aceAllowedObject, mask: rightControlAccess, object: &reset, sid: other}}, false},
		{"Change Password only",
			[]testACE{{typ: aceAllowedObject, mask: rightControlAccess, object: &changePassword, sid: service}}, false},
		{"write property only",
			[]testACE{{typ: aceAllowed, mask: 0x20, sid: service}}, false},
		{"inherit only: for the children, not this entry",
			[]testACE{{typ: aceAllowedObject, flags: aceInheritOnly, mask: rightControlAccess, object: &reset, sid: service}}, false},
		{"denied first",
			[]testACE{
				{typ: aceDeniedObject, mask: rightControlAccess, object: &reset, sid: group},
				{typ: aceAllowedObject, mask: rightControlAccess, object: &reset, sid: service},
			}, false},
		{"a denial of another right does not stop it",
			[]testACE{
				{typ: aceDeniedObject, mask: rightControlAccess, object: &changePassword, sid: service},
				{typ: aceAllowedObject, mask: rightControlAccess, object: &reset, sid: service},
			}, true},
		{"allowed before a denial",
			[]testACE{
				{typ: aceAllowed, mask: rightControlAccess, sid: group},
				{typ: aceDenied, mask: rightControlAccess, sid: service},
			}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := grantsControlAccess(securityDescriptor(tt.aces...), token, reset)
			if err != nil || got != tt.want {
				t.Errorf("grantsControlAccess = %v, %v; want %v", got, err, tt.want)
			}
		})
	}

	t.Run("a NULL DACL allows everything", func(t *testing.T) {
		sd := securityDescriptor()
		binary.LittleEndian.PutUint16(sd[2:4], sdSelfRelative)
		if got, err := grantsControlAccess(sd, token, reset); err != nil || !got {
			t.Errorf("grantsControlAccess = %v, %v", got, err)
		}
	})
	t.Run("damaged descriptors are errors", func(t *testing.T) {
		sd := securityDescriptor(testACE{typ: aceAllowedObject, mask: rightControlAccess, object: &reset, sid: service})
		for _, bad := range [][]byte{nil, sd[:10], sd[:30], sd[:len(sd)-2]} {
			if _, err := grantsControlAccess(bad, token, reset); err == nil {
				t.Errorf("a descriptor of %d bytes was read", len(bad))
			}
		}
	})
}

func TestGUIDsAreInWindowsByteOrder(t *testing.T) {
	g := mustGUID("00299570-246d-11d0-a768-00aa006e0529")
	want := [16]byte{0x70, 0x95, 0x29, 0x00, 0x6d, 0x24, 0xd0, 0x11, 0xa7, 0x68, 0x00, 0xaa, 0x00, 0x6e, 0x05, 0x29}
	if g != want {
		t.Errorf("mustGUID = % x, want % x", g, want)
	}
}
