package ldapdir

import (
	"fmt"
	"strings"

	"github.com/go-ldap/ldap/v3"

	"casreset/service"
)

// operatorFilter is the search filter of the operator who signs in as
// username, in one of the forms Windows sign-in screens take:
//   - name: the UsernameAttr (sAMAccountName under AD, uid otherwise);
//   - name@suffix under AD: the userPrincipalName (or the UsernameAttr,
//     when it is one that holds an @, such as mail);
//   - DOMAIN\name under AD: the UsernameAttr, when DOMAIN is this domain's
//     NetBIOS name. Any other domain is an unknown user: resetd binds only
//     to this directory, so a name from another domain is not the same
//     account even when its name part matches one here.
//
// Every value is escaped into the filter.
func (d *Directory) operatorFilter(s session, username string) (string, error) {
	attr := d.cfg.UsernameAttr
	if domain, name, ok := strings.Cut(username, `\`); ok {
		if !d.cfg.AD {
			return "", local(service.ErrOperatorUnknown)
		}
		ours, err := d.domainNetBIOSName(s)
		if err != nil {
			return "", err
		}
		if ours == "" || !strings.EqualFold(domain, ours) {
			return "", local(service.ErrOperatorUnknown)
		}
		return fmt.Sprintf("(%s=%s)", attr, ldap.EscapeFilter(name)), nil
	}
	if d.cfg.AD && strings.Contains(username, "@") && !strings.EqualFold(attr, "userPrincipalName") {
		return fmt.Sprintf("(|(userPrincipalName=%[1]s)(%[2]s=%[1]s))", ldap.EscapeFilter(username), attr), nil
	}
	return fmt.Sprintf("(%s=%s)", attr, ldap.EscapeFilter(username)), nil
}

// domainNetBIOSName is the domain's NetBIOS name (EXAMPLE for
// example.edu.hk), read once from the domain's crossRef in the partitions
// container, which every authenticated account may read. It is "" when
// the directory does not say, which is logged once: DOMAIN\name sign-ins
// are then refused, and the other forms still work.
func (d *Directory) domainNetBIOSName(s session) (string, error) {
	d.infoMu.Lock()
	name := d.netBIOS
	d.infoMu.Unlock()
	if name != "" {
		return name, nil
	}
	info, err := d.serverInfo(s)
	if err != nil {
		return "", err
	}
	if info.namingContext != "" && info.configContext != "" {
		filter := fmt.Sprintf("(&(objectClass=crossRef)(nCName=%s))", ldap.EscapeFilter(info.namingContext))
		res, err := s.Search(ldap.NewSearchRequest("CN=Partitions,"+info.configContext, ldap.ScopeSingleLevel,
			ldap.NeverDerefAliases, 2, d.timeLimit(), false, filter, []string{"nETBIOSName"}, nil))
		if err != nil && !isMissingEntry(err) {
			return "", err
		}
		if err == nil && len(res.Entries) == 1 {
			name = strings.TrimSpace(res.Entries[0].GetEqualFoldAttributeValue("nETBIOSName"))
		}
	}
	if name == "" {
		if !d.netBIOSMissing.Swap(true) {
			d.cfg.Logger.Error(`ldap: the domain's NetBIOS name cannot be read from the partitions container; operators cannot sign in as DOMAIN\name, only with their account name or userPrincipalName`,
				"naming_context", info.namingContext, "configuration", info.configContext)
		}
		return "", nil
	}
	d.infoMu.Lock()
	d.netBIOS = name
	d.infoMu.Unlock()
	return name, nil
}

// operatorName is the name an operator found in entry is audited under,
// whichever form they typed: the entry's UsernameAttr (the sAMAccountName
// under AD, uid otherwise) in lower case, or what they typed when that
// value is not an operator name.
func (d *Directory) operatorName(entry *ldap.Entry, typed string) string {
	if name, ok := service.NormalizeOperatorName(entry.GetEqualFoldAttributeValue(d.cfg.UsernameAttr)); ok {
		return name
	}
	return typed
}
