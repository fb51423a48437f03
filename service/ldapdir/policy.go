package ldapdir

import (
	"context"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/go-ldap/ldap/v3"

	"casreset/service"
)

// The attributes of Active Directory's password policies: the domain's, on
// the domain's root object, and a fine-grained one (a Password Settings
// Object, PSO), which replaces the domain's for the accounts it applies
// to. An account's msDS-ResultantPSO names the PSO that applies to it.
const (
	attrResultantPSO = "msDS-ResultantPSO"

	attrMinPwdLength     = "minPwdLength"
	attrPwdProperties    = "pwdProperties" // flags; 0x1 is "complexity"
	attrPwdHistoryLength = "pwdHistoryLength"
	attrMinPwdAge        = "minPwdAge" // negative 100-ns intervals

	attrPSOMinLength  = "msDS-MinimumPasswordLength"
	attrPSOComplexity = "msDS-PasswordComplexityEnabled" // TRUE or FALSE
	attrPSOHistory    = "msDS-PasswordHistoryLength"
	attrPSOMinAge     = "msDS-MinimumPasswordAge" // negative 100-ns intervals
)

// pwdPropertiesComplex is pwdProperties' DOMAIN_PASSWORD_COMPLEX flag.
const pwdPropertiesComplex = 0x1

// PasswordPolicy is Active Directory's password policy for the account of
// staffNumber: its fine-grained policy when one applies and the service
// account may read it, else the domain's. The history and the minimum age
// are left out when the directory does not take the policy hints control,
// since it then applies neither to resets. Other directories have no
// policy here (OpenLDAP's ppolicy refuses for itself).
func (d *Directory) PasswordPolicy(ctx context.Context, staffNumber string) (service.DirectoryPolicy, error) {
	if !d.cfg.AD {
		return service.DirectoryPolicy{}, nil
	}
	var p service.DirectoryPolicy
	err := d.conn.do(ctx, true, func(s session) error {
		info, err := d.serverInfo(s)
		if err != nil {
			return err
		}
		e, err := d.findStaff(s, staffNumber)
		if err != nil {
			return err
		}
		pso, err := d.resultantPSO(s, e.DN)
		if err != nil {
			return err
		}
		if pso != nil {
			p = psoPolicy(pso)
		} else {
			domain, err := d.readBase(s, info.namingContext, attrMinPwdLength, attrPwdProperties, attrPwdHistoryLength, attrMinPwdAge)
			if err != nil {
				return err
			}
			if domain != nil {
				p = domainPolicy(domain)
			}
		}
		if info.policyHints == "" {
			p.History, p.MinAge = 0, 0
		}
		return nil
	})
	return p, err
}

// resultantPSO reads the fine-grained policy that applies to the entry dn,
// or nil when none does or the service account may not read it (by
// default only administrators may: the domain's policy then stands, and
// the log says so once).
func (d *Directory) resultantPSO(s session, dn string) (*ldap.Entry, error) {
	// A constructed attribute, which AD returns to base searches only.
	e, err := d.readBase(s, dn, attrResultantPSO)
	if err != nil || e == nil {
		return nil, err
	}
	psoDN := strings.TrimSpace(e.GetEqualFoldAttributeValue(attrResultantPSO))
	if psoDN == "" {
		return nil, nil
	}
	pso, err := d.readBase(s, psoDN, attrPSOMinLength, attrPSOComplexity, attrPSOHistory, attrPSOMinAge)
	if err == nil && pso != nil && pso.GetEqualFoldAttributeValue(attrPSOMinLength) != "" {
		return pso, nil
	}
	if err != nil && !ldap.IsErrorWithCode(err, ldap.LDAPResultNoSuchObject) &&
		!ldap.IsErrorWithCode(err, ldap.LDAPResultInsufficientAccessRights) {
		return nil, err
	}
	if !d.psoUnreadable.Swap(true) {
		d.cfg.Logger.Warn("the service account may not read a fine-grained password policy: the domain's policy "+
			"stands in for it, and the directory may refuse passwords that pass it", "pso", psoDN)
	}
	return nil, nil
}

// readBase reads attrs of the entry dn, or nil when dn is empty or the
// search finds nothing.
func (d *Directory) readBase(s session, dn string, attrs ...string) (*ldap.Entry, error) {
	if dn == "" {
		return nil, nil
	}
	req := ldap.NewSearchRequest(dn, ldap.ScopeBaseObject, ldap.NeverDerefAliases, 1, d.timeLimit(), false,
		"(objectClass=*)", attrs, nil)
	res, err := s.Search(req)
	if err != nil {
		return nil, err
	}
	if len(res.Entries) != 1 {
		return nil, nil
	}
	return res.Entries[0], nil
}

func domainPolicy(e *ldap.Entry) service.DirectoryPolicy {
	return service.DirectoryPolicy{
		MinLength:  intAttr(e, attrMinPwdLength),
		Complexity: intAttr(e, attrPwdProperties)&pwdPropertiesComplex != 0,
		History:    intAttr(e, attrPwdHistoryLength),
		MinAge:     interval(e.GetEqualFoldAttributeValue(attrMinPwdAge)),
	}
}

func psoPolicy(e *ldap.Entry) service.DirectoryPolicy {
	return service.DirectoryPolicy{
		MinLength:  intAttr(e, attrPSOMinLength),
		Complexity: strings.EqualFold(strings.TrimSpace(e.GetEqualFoldAttributeValue(attrPSOComplexity)), "TRUE"),
		History:    intAttr(e, attrPSOHistory),
		MinAge:     interval(e.GetEqualFoldAttributeValue(attrPSOMinAge)),
	}
}

// intAttr is a non-negative integer attribute of e; 0 when it is missing
// or not one.
func intAttr(e *ldap.Entry, attr string) int {
	n, err := strconv.Atoi(strings.TrimSpace(e.GetEqualFoldAttributeValue(attr)))
	if err != nil || n < 0 {
		return 0
	}
	return n
}

// interval reads one of AD's durations (minPwdAge): a count of 100-ns
// intervals, negative, as AD stores them. Anything else is none.
func interval(value string) time.Duration {
	v, err := strconv.ParseInt(strings.TrimSpace(value), 10, 64)
	if err != nil || v >= 0 {
		return 0
	}
	if v < -math.MaxInt64/100 {
		return time.Duration(math.MaxInt64)
	}
	return time.Duration(-v) * 100
}
