package ldapdir

import (
	"bytes"
	"testing"

	ber "github.com/go-asn1-ber/asn1-ber"
	"github.com/go-ldap/ldap/v3"
)

// The policy hints control as Windows reads it: the OID, critical, and the
// value SEQUENCE { INTEGER 1 } (30 03 02 01 01).
func TestPolicyHintsControlEncoding(t *testing.T) {
	for _, oid := range []string{oidPolicyHints, oidPolicyHintsDeprecated} {
		c := policyHints(oid)
		packet := c.Encode()
		if len(packet.Children) != 3 {
			t.Fatalf("%s: %d members, want OID, criticality and value", oid, len(packet.Children))
		}
		if got := packet.Children[0].Value; got != oid {
			t.Errorf("OID = %v, want %s", got, oid)
		}
		if got := packet.Children[1].Value; got != true {
			t.Errorf("criticality = %v, want true", got)
		}
		value := packet.Children[2].Data.Bytes()
		if want := []byte{0x30, 0x03, 0x02, 0x01, 0x01}; !bytes.Equal(value, want) {
			t.Errorf("value = % x, want % x", value, want)
		}
		seq, err := ber.DecodePacketErr(value)
		if err != nil || len(seq.Children) != 1 || seq.Children[0].Value != int64(1) {
			t.Errorf("value decodes to %v (%v), want SEQUENCE { 1 }", seq, err)
		}
		if c.GetControlType() != oid {
			t.Errorf("control type %s", c.GetControlType())
		}
		var _ ldap.Control = c
	}
}
