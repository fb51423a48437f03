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
