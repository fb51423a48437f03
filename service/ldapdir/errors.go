package ldapdir

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/go-ldap/ldap/v3"

	"casreset/api"
	"casreset/service"
)

// unavailableError is a directory that cannot be reached or used. It wraps
// service.ErrUnavailable, which the domain answers with 503 unavailable,
// and the cause, which the domain logs.
type unavailableError struct{ cause error }

func unavailable(cause error) error { return &unavailableError{cause} }

func (e *unavailableError) Error() string {
	return "ldapdir: the directory is unavailable: " + e.cause.Error()
}

func (e *unavailableError) Unwrap() []error { return []error{service.ErrUnavailable, e.cause} }

// User-safe explanations of the directory's refusals. The directory's own
// messages go to the log, never to users.
const (
	detailPolicy   = "The directory refused the new password under its own password policy. Choose a different password."
	detailReused   = "The directory refused the new password because it was used before. Choose one you have not used."
	detailTooSoon  = "The directory does not allow another password change this soon. Please try again later."
	detailADPolicy = "The directory refused the new password: it may be too short, too simple or one used before. Choose a different password."
)

// Windows error codes that Active Directory puts at the front of its
// diagnostic messages ("0000052D: Constraint violation - …").
const (
	winAccessDenied        = 0x5
	winPasswordRestriction = 0x52D // ERROR_PASSWORD_RESTRICTION: length, complexity, history or minimum age
)

var adCodePattern = regexp.MustCompile(`^([0-9A-Fa-f]{8}):`)

// adCode is the Windows error code at the front of an Active Directory
// diagnostic message, and whether there is one.
func adCode(diagnostic string) (uint32, bool) {
	m := adCodePattern.FindStringSubmatch(strings.TrimSpace(diagnostic))
	if m == nil {
		return 0, false
	}
	n, err := strconv.ParseUint(m[1], 16, 32)
	return uint32(n), err == nil
}

// passwordError maps a directory's refusal of a new password. Refusals
// that are about the password become password_policy or password_reused
// with a user-safe detail; a missing entry is service.ErrNotFound; anything
// else (the service account's rights, a misconfigured server) stays an
// internal error carrying the directory's message for the log.
func passwordError(err error, ad bool) error {
	var le *ldap.Error
	if !errors.As(err, &le) {
		return err
	}
	diagnostic := ""
	if le.Err != nil {
		diagnostic = le.Err.Error()
	}
	if le.ResultCode == ldap.LDAPResultNoSuchObject {
		return fmt.Errorf("ldapdir: the entry went away: %w", service.ErrNotFound)
	}
	if ad {
		if code, ok := adCode(diagnostic); ok {
			switch code {
			case winPasswordRestriction:
				// Windows does not say which rule failed; Samba does.
				if refusedAsReused(diagnostic) {
					return refusal(api.CodePasswordReused, detailReused, err)
				}
				return refusal(api.CodePasswordPolicy, detailADPolicy, err)
			case winAccessDenied:
				return fmt.Errorf("ldapdir: the service account may not reset passwords: %w", err)
			}
		}
	}
	if le.ResultCode != ldap.LDAPResultConstraintViolation {
		return fmt.Errorf("ldapdir: setting the password: %w", err)
	}
	switch {
	case refusedAsReused(diagnostic):
		return refusal(api.CodePasswordReused, detailReused, err)
	case refusedAsTooSoon(diagnostic):
		return refusal(api.CodePasswordPolicy, detailTooSoon, err)
	case refusedAsTooShort(diagnostic):
		return refusal(api.CodePasswordPolicy, detailPolicy, err, api.RuleTooShort)
	default:
		return refusal(api.CodePasswordPolicy, detailPolicy, err)
	}
}

// The texts below are OpenLDAP ppolicy's and Samba's; other servers fall
// through to the generic policy refusal.
func refusedAsReused(diagnostic string) bool {
	d := strings.ToLower(diagnostic)
	return strings.Contains(d, "history") || // OpenLDAP: "Password is in history of old passwords"; Samba: "(in history)"
		strings.Contains(d, "already used") ||
		strings.Contains(d, "not being changed from existing value") // OpenLDAP: the current password again
}

func refusedAsTooSoon(diagnostic string) bool {
	return strings.Contains(strings.ToLower(diagnostic), "too young") // OpenLDAP pwdMinAge
}

func refusedAsTooShort(diagnostic string) bool {
	return strings.Contains(strings.ToLower(diagnostic), "too short")
}

// refusalError is the directory refusing a password: the *api.Error for the
// domain, the directory's own message kept for the log.
type refusalError struct {
	api   *api.Error
	cause error
}

func refusal(code api.Code, detail string, cause error, violations ...api.RuleID) error {
	e := api.Errorf(code, "%s", detail)
	if len(violations) > 0 {
		e = e.WithViolations(violations...)
	}
	return &refusalError{api: e, cause: cause}
}

func (e *refusalError) Error() string {
	return "ldapdir: the directory refused the password: " + e.cause.Error()
}

func (e *refusalError) Unwrap() []error { return []error{e.api, e.cause} }
