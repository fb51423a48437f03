package ldapdir

import (
	"slices"
	"strings"

	ber "github.com/go-asn1-ber/asn1-ber"
	"github.com/go-ldap/ldap/v3"
)

// The controls that ask Active Directory to apply its password history
// and minimum age to a password reset as to a change by the user
// (LDAP_SERVER_POLICY_HINTS_OID, Windows Server 2012 R2 on, and its
// deprecated predecessor of Windows Server 2008 R2).
const (
	oidPolicyHints           = "1.2.840.113556.1.4.2239"
	oidPolicyHintsDeprecated = "1.2.840.113556.1.4.2066"
)

// serverInfo is what the directory's root DSE says, read once.
type serverInfo struct {
	// policyHints is the OID of the policy-hints control the server
	// supports, or "" when it supports neither.
	policyHints string
	// namingContext is the domain's root (AD's defaultNamingContext),
	// which holds the domain's password policy.
	namingContext string
	// configContext is AD's configurationNamingContext, which holds the
	// partitions container (the domain's NetBIOS name).
	configContext string
}

// serverInfo reads the root DSE on the first call that reaches the
// directory, and says once in the log when Active Directory will not apply
// its own history to resets.
func (d *Directory) serverInfo(s session) (serverInfo, error) {
	d.infoMu.Lock()
	defer d.infoMu.Unlock()
	if d.info != nil {
		return *d.info, nil
	}
	req := ldap.NewSearchRequest("", ldap.ScopeBaseObject, ldap.NeverDerefAliases, 1, d.timeLimit(), false,
		"(objectClass=*)", []string{"supportedControl", "defaultNamingContext", "configurationNamingContext"}, nil)
	res, err := s.Search(req)
	if err != nil {
		return serverInfo{}, err
	}
	var info serverInfo
	if len(res.Entries) == 1 {
		e := res.Entries[0]
		controls := e.GetEqualFoldAttributeValues("supportedControl")
		for _, oid := range []string{oidPolicyHints, oidPolicyHintsDeprecated} {
			if slices.Contains(controls, oid) {
				info.policyHints = oid
				break
			}
		}
		info.namingContext = strings.TrimSpace(e.GetEqualFoldAttributeValue("defaultNamingContext"))
		info.configContext = strings.TrimSpace(e.GetEqualFoldAttributeValue("configurationNamingContext"))
	}
	if d.cfg.AD {
		if info.policyHints == "" {
			d.cfg.Logger.Warn("the directory does not take the password policy hints control: it applies neither its " +
				"password history nor its minimum password age to resets, and only resetd's own history of the " +
				"passwords set through it applies")
		} else {
			d.cfg.Logger.Info("the directory applies its password history and minimum age to resets", "control", info.policyHints)
		}
	}
	d.info = &info
	return info, nil
}

// policyHints is the control that asks Active Directory to enforce its
// password policy, history and minimum age included, on a reset: the OID
// the server supports, with the BER value SEQUENCE { Flags INTEGER 1 }.
func policyHints(oid string) ldap.Control {
	seq := ber.Encode(ber.ClassUniversal, ber.TypeConstructed, ber.TagSequence, nil, "PolicyHintsRequestValue")
	seq.AppendChild(ber.NewInteger(ber.ClassUniversal, ber.TypePrimitive, ber.TagInteger, int64(1), "Flags"))
	return ldap.NewControlString(oid, true, string(seq.Bytes()))
}
