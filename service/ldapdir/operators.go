package ldapdir

import (
	"context"
	"errors"
	"fmt"
	"regexp"

	"github.com/go-ldap/ldap/v3"

	"casreset/service"
)

var _ service.OperatorDirectory = (*Directory)(nil)

// matchingRuleInChain is Active Directory's LDAP_MATCHING_RULE_IN_CHAIN:
// memberOf matched through nested groups.
const matchingRuleInChain = "1.2.840.113556.1.4.1941"

// AuthenticateOperator signs a help-desk operator in against the
// directory: the service account finds the one entry under the operators'
// base DN that username names (operatorFilter: the UsernameAttr, or under
// AD the userPrincipalName or DOMAIN\name), the operator binds as that entry with
// password on a connection of their own (the service account's stays as it
// is), and the service account checks that the entry is a member of
// HelpdeskGroup: through nested groups under Active Directory
// (LDAP_MATCHING_RULE_IN_CHAIN), directly (the group's member or
// uniqueMember) otherwise. The operator's staff number is read from the
// entry, so that they may not act on their own account. The operator's
// name is the entry's UsernameAttr, whichever form was typed
// (operatorName).
func (d *Directory) AuthenticateOperator(ctx context.Context, username, password string) (service.Operator, error) {
	if d.cfg.HelpdeskGroup == "" || username == "" {
		return service.Operator{}, service.ErrOperatorUnknown
	}
	if password == "" {
		// A simple bind with a DN and no password is an unauthenticated
		// bind (RFC 4513, 5.1.2), which many servers let succeed.
		return service.Operator{}, service.ErrOperatorPassword
	}
	var dn, staff, name string
	err := d.conn.do(ctx, true, func(s session) error {
		filter, err := d.operatorFilter(s, username)
		if err != nil {
			return err
		}
		req := ldap.NewSearchRequest(d.cfg.OperatorBaseDN, ldap.ScopeWholeSubtree, ldap.NeverDerefAliases,
			2, d.timeLimit(), false, filter, []string{d.cfg.StaffAttr, d.cfg.UsernameAttr}, nil)
		res, err := s.Search(req)
		if ldap.IsErrorWithCode(err, ldap.LDAPResultSizeLimitExceeded) || (err == nil && len(res.Entries) > 1) {
			d.cfg.Logger.Warn("ldap: several entries have one operator username", "username", username, "attr", d.cfg.UsernameAttr)
			return local(service.ErrOperatorUnknown)
		}
		if err != nil {
			return err
		}
		if len(res.Entries) == 0 {
			// local: the answer, not the connection, says no.
			return local(service.ErrOperatorUnknown)
		}
		e := res.Entries[0]
		dn, staff, name = e.DN, e.GetAttributeValue(d.cfg.StaffAttr), d.operatorName(e, username)
		return nil
	})
	if err != nil {
		return service.Operator{}, err
	}
	found := service.Operator{Name: name, Kind: service.DirectoryOperator}
	if err := d.bindAs(ctx, dn, password); err != nil {
		return found, err
	}
	member, err := d.inHelpdeskGroup(ctx, dn)
	if err != nil {
		return service.Operator{}, err
	}
	if !member {
		return found, service.ErrOperatorNotInGroup
	}
	found.StaffNumber = staff
	return found, nil
}

// bindAs checks password with a simple bind as dn on a new connection,
// closed at once. Wrong credentials (also a locked or expired account,
// which directories answer alike) are service.ErrOperatorPassword, with
// Active Directory's reason when it gives one (adBindReasons).
func (d *Directory) bindAs(ctx context.Context, dn, password string) error {
	ctx, cancel := context.WithTimeout(ctx, d.cfg.Timeout)
	defer cancel()
	c := newConn(d.conn.ep, dn, password, d.cfg.Timeout, d.cfg.Logger)
	err := c.dial(ctx)
	if err == nil {
		c.drop()
		return nil
	}
	if ldap.IsErrorWithCode(err, ldap.LDAPResultInvalidCredentials) {
		if d.cfg.AD {
			if reason, ok := adBindReasons[adBindData(err)]; ok {
				return bindRefusal(reason)
			}
		}
		return service.ErrOperatorPassword
	}
	return unavailable(err)
}

// adBindReasons are the reasons Active Directory gives for refusing the
// bind of an account that may not log in, as "data NNN" in the
// diagnostic message of invalidCredentials (a wrong password is 52e).
// The operator is told the same as for a wrong password; the audit says
// which, so that IT Help knows why a colleague cannot sign in.
var adBindReasons = map[string]string{
	"530": "not permitted to log on at this time",
	"532": "password expired",
	"533": "account disabled",
	"701": "account expired",
	"773": "password must be changed",
	"775": "account locked out",
}

var adBindDataPattern = regexp.MustCompile(`\bdata ([0-9a-f]{3}),`)

// adBindData is the NNN of "data NNN," in an AD bind refusal, or "".
func adBindData(err error) string {
	if m := adBindDataPattern.FindStringSubmatch(err.Error()); m != nil {
		return m[1]
	}
	return ""
}

// bindRefusal is a refused operator bind whose reason the directory
// gave: service.ErrOperatorPassword for the service, its reason for the
// audit.
type bindRefusal string

func (r bindRefusal) Error() string        { return string(r) }
func (r bindRefusal) Is(target error) bool { return target == service.ErrOperatorPassword }

// inHelpdeskGroup reports, as the service account, whether the entry dn is
// a member of the help-desk group.
func (d *Directory) inHelpdeskGroup(ctx context.Context, dn string) (bool, error) {
	group := d.cfg.HelpdeskGroup
	var found bool
	err := d.conn.do(ctx, true, func(s session) error {
		var req *ldap.SearchRequest
		if d.cfg.AD {
			filter := fmt.Sprintf("(memberOf:%s:=%s)", matchingRuleInChain, ldap.EscapeFilter(group))
			req = ldap.NewSearchRequest(dn, ldap.ScopeBaseObject, ldap.NeverDerefAliases,
				1, d.timeLimit(), false, filter, []string{"1.1"}, nil)
		} else {
			filter := fmt.Sprintf("(|(member=%[1]s)(uniqueMember=%[1]s))", ldap.EscapeFilter(dn))
			req = ldap.NewSearchRequest(group, ldap.ScopeBaseObject, ldap.NeverDerefAliases,
				1, d.timeLimit(), false, filter, []string{"1.1"}, nil)
		}
		res, err := s.Search(req)
		if isMissingEntry(err) {
			d.logMissingGroup(dn)
			return nil
		}
		if err != nil {
			return err
		}
		found = len(res.Entries) > 0
		if !found && d.cfg.AD {
			// Active Directory answers an in-chain filter that names no
			// group as it answers one for a non-member: look at the group,
			// so that a wrong --helpdesk-group is logged rather than every
			// operator refused in silence.
			return d.checkGroupIsThere(s, dn)
		}
		return nil
	})
	return found, err
}

// checkGroupIsThere logs, as the service account on s, when the help-desk
// group is not an entry of the directory.
func (d *Directory) checkGroupIsThere(s session, dn string) error {
	_, err := s.Search(ldap.NewSearchRequest(d.cfg.HelpdeskGroup, ldap.ScopeBaseObject, ldap.NeverDerefAliases,
		1, d.timeLimit(), false, "(objectClass=*)", []string{"1.1"}, nil))
	if isMissingEntry(err) {
		d.logMissingGroup(dn)
		return nil
	}
	return err
}

// isMissingEntry reports the directory's answers to a search whose base is
// not an entry: no such object, or not a DN at all.
func isMissingEntry(err error) bool {
	return ldap.IsErrorWithCode(err, ldap.LDAPResultNoSuchObject) || ldap.IsErrorWithCode(err, ldap.LDAPResultInvalidDNSyntax)
}

func (d *Directory) logMissingGroup(dn string) {
	d.cfg.Logger.Error("ldap: the help-desk group or the operator's entry is not there; nobody can sign in from the directory",
		"group", d.cfg.HelpdeskGroup, "entry", dn)
}

// IsOperatorAccount reports whether the account of staffNumber is a
// help-desk operator's: a member of HelpdeskGroup, as AuthenticateOperator
// checks it. The help desk refuses to act on another operator's account.
// Without a group there are no directory operators.
func (d *Directory) IsOperatorAccount(ctx context.Context, staffNumber string) (bool, error) {
	if d.cfg.HelpdeskGroup == "" {
		return false, nil
	}
	var dn string
	err := d.conn.do(ctx, true, func(s session) error {
		e, err := d.findStaff(s, staffNumber)
		if err != nil {
			return err
		}
		dn = e.DN
		return nil
	})
	if errors.Is(err, service.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return d.inHelpdeskGroup(ctx, dn)
}
