package ldapdir

import (
	"errors"
	"testing"

	"github.com/go-ldap/ldap/v3"

	"casreset/service"
)

// AD's bind refusals as Samba and Windows word them: the reason is the
// "data" code; every one is a wrong password to the service.
func TestADBindRefusalsKeepTheirReason(t *testing.T) {
	for diagnostic, want := range map[string]string{
		"80090308: LdapErr: DSID-0C0903A9, comment: AcceptSecurityContext error, data 533, v1db1": "account disabled",
		"80090308: LdapErr: DSID-0C0903A9, comment: AcceptSecurityContext error, data 775, v1db1": "account locked out",
		"80090308: LdapErr: DSID-0C09044E, comment: AcceptSecurityContext error, data 701, v4563": "account expired",
		"80090308: LdapErr: DSID-0C090447, comment: AcceptSecurityContext error, data 52e, v3839": "",
		"80090308: LdapErr: DSID-0C0903A9, comment: AcceptSecurityContext error, data 999, v1db1": "",
		"no data at all": "",
	} {
		err := ldapErr(ldap.LDAPResultInvalidCredentials, diagnostic)
		got := adBindReasons[adBindData(err)]
		if got != want {
			t.Errorf("%q: reason %q, want %q", diagnostic, got, want)
		}
	}
	if r := bindRefusal("account disabled"); !errors.Is(r, service.ErrOperatorPassword) || errors.Is(r, service.ErrOperatorNotInGroup) {
		t.Error("a bind refusal is not exactly a wrong password to the service")
	}
}

func TestDomainSIDIsTheAccountsSIDWithoutItsRID(t *testing.T) {
	// S-1-5-21-1-2-3-1105
	account := []byte{1, 5, 0, 0, 0, 0, 0, 5, 21, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 0x51, 0x04, 0, 0}
	if got, ok := domainSID(account); !ok || got != "S-1-5-21-1-2-3" {
		t.Errorf("domainSID = %q %v, want S-1-5-21-1-2-3", got, ok)
	}
	builtin := []byte{1, 2, 0, 0, 0, 0, 0, 5, 32, 0, 0, 0, 0x20, 0x02, 0, 0} // S-1-5-32-544
	for name, b := range map[string][]byte{"built-in": builtin, "truncated": account[:20], "empty": nil} {
		if got, ok := domainSID(b); ok {
			t.Errorf("%s: domainSID = %q, want none", name, got)
		}
	}
}
