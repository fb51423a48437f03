package ldapdir

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	ber "github.com/go-asn1-ber/asn1-ber"
	"github.com/go-ldap/ldap/v3"

	"casreset/service"
)

// The attributes of an account's state, and of the names Active
// Directory's complexity rule keeps out of passwords.
const (
	attrUserAccountControl = "userAccountControl" // AD: flags; 0x2 is "disabled"
	attrLockoutTime        = "lockoutTime"        // AD: FILETIME of the lockout, 0 when none
	attrAdminCount         = "adminCount"         // AD: 1 for protected (privileged) accounts
	attrPwdLastSet         = "pwdLastSet"         // AD: FILETIME of the last password set
	attrAccountExpires     = "accountExpires"     // AD: FILETIME from which logins stop
	attrSAMAccountName     = "sAMAccountName"     // AD: the login name
	attrDisplayName        = "displayName"        // AD: the display name

	attrPwdAccountLockedTime = "pwdAccountLockedTime" // ppolicy: the lockout
	attrPwdChangedTime       = "pwdChangedTime"       // ppolicy: the last password change
)

// uacDisabled is userAccountControl's ACCOUNTDISABLE flag.
const uacDisabled = 0x2

// ppolicyDisabled is the pwdAccountLockedTime that OpenLDAP's ppolicy
// reads as "locked by an administrator until unlocked by one": disabled,
// not locked out after wrong passwords.
const ppolicyDisabled = "000001010000Z"

// stateAttributes are the attributes of the state of an account.
func (d *Directory) stateAttributes() []string {
	if d.cfg.AD {
		return []string{attrUserAccountControl, attrLockoutTime, attrAdminCount, attrPwdLastSet,
			attrAccountExpires, attrSAMAccountName, attrDisplayName, attrObjectSid}
	}
	// Operational attributes come only when asked for by name; a server
	// without ppolicy ignores the names.
	return []string{attrPwdAccountLockedTime, attrPwdChangedTime}
}

// readState sets the directory's state of the account a from entry e. A
// value that cannot be read is an error for accountExpires, which decides
// whether the account may be reset at all, and is logged and left out
// otherwise.
func (d *Directory) readState(e *ldap.Entry, a *service.Account) error {
	if !d.cfg.AD {
		switch locked := strings.TrimSpace(e.GetEqualFoldAttributeValue(attrPwdAccountLockedTime)); locked {
		case "":
		case ppolicyDisabled:
			a.Disabled = true
		default:
			a.LockedOut = true
		}
		if raw := strings.TrimSpace(e.GetEqualFoldAttributeValue(attrPwdChangedTime)); raw != "" {
			if t, err := ber.ParseGeneralizedTime([]byte(raw)); err == nil {
				a.PasswordSetAt = t
			} else {
				d.cfg.Logger.Warn("ldap entry has an unreadable "+attrPwdChangedTime, "dn", e.DN)
			}
		}
		return nil
	}

	if raw := strings.TrimSpace(e.GetEqualFoldAttributeValue(attrAccountExpires)); raw != "" {
		end, err := fileTime(raw)
		if err != nil {
			return local(fmt.Errorf("ldapdir: %s of %s: %w", attrAccountExpires, e.DN, err))
		}
		a.LoginsEnd = end
	}
	if raw := strings.TrimSpace(e.GetEqualFoldAttributeValue(attrUserAccountControl)); raw != "" {
		// A 32-bit flag word, which AD writes as a signed number.
		if uac, err := strconv.ParseInt(raw, 10, 64); err == nil {
			a.Disabled = uac&uacDisabled != 0
		} else {
			d.cfg.Logger.Warn("ldap entry has an unreadable "+attrUserAccountControl, "dn", e.DN)
		}
	}
	if raw := strings.TrimSpace(e.GetEqualFoldAttributeValue(attrLockoutTime)); raw != "" {
		if t, err := fileTime(raw); err == nil {
			a.LockedOut = !t.IsZero()
		} else {
			d.cfg.Logger.Warn("ldap entry has an unreadable "+attrLockoutTime, "dn", e.DN)
		}
	}
	a.Privileged = strings.TrimSpace(e.GetEqualFoldAttributeValue(attrAdminCount)) == "1"
	if raw := strings.TrimSpace(e.GetEqualFoldAttributeValue(attrPwdLastSet)); raw != "" {
		if t, err := fileTime(raw); err == nil {
			a.PasswordSetAt = t
		} else {
			d.cfg.Logger.Warn("ldap entry has an unreadable "+attrPwdLastSet, "dn", e.DN)
		}
	}
	a.LoginName = strings.TrimSpace(e.GetEqualFoldAttributeValue(attrSAMAccountName))
	a.DisplayName = strings.TrimSpace(e.GetEqualFoldAttributeValue(attrDisplayName))
	return nil
}

// withoutDuplicates is attrs with each name once (names compare without
// case, as LDAP's do).
func withoutDuplicates(attrs []string) []string {
	var out []string
	for _, a := range attrs {
		if !slices.ContainsFunc(out, func(b string) bool { return strings.EqualFold(a, b) }) {
			out = append(out, a)
		}
	}
	return out
}

// fileTime reads a Windows FILETIME (100-ns intervals since 1601, in
// decimal) as an instant; 0 and the largest value mean "never" and give
// the zero time.
func fileTime(value string) (time.Time, error) {
	const (
		unixEpoch  = 116444736000000000 // 1970-01-01 in FILETIME units
		perSecond  = 10_000_000
		neverValue = math.MaxInt64
	)
	v, err := strconv.ParseInt(value, 10, 64)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not a FILETIME", value)
	}
	if v == 0 || v == neverValue {
		return time.Time{}, nil
	}
	if v < unixEpoch {
		return time.Time{}, fmt.Errorf("%q is a FILETIME before 1970", value)
	}
	v -= unixEpoch
	return time.Unix(v/perSecond, (v%perSecond)*100).UTC(), nil
}
