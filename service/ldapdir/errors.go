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
	detailPolicy     = "The directory refused the new password under its own password policy. Choose a different password."
	detailReused     = "The directory refused the new password because it was used before. Choose one you have not used."
	detailTooSoon    = "The directory does not allow another password change this soon. Please try again later."
	detailComplexity = "The directory refused the new password as too simple: use characters of at least three kinds (upper case, lower case, digits, symbols)."
	detailADPolicy   = "The directory refused the new password: it may be too short, too simple or one used before. Choose a different password."
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
// with a user-safe detail; a missing entry is service.ErrNotFound; a
// service account without the right is a *service.MissingRightError
// (unavailable); anything else (a misconfigured server) stays an internal
// error carrying the directory's message for the log.
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
	if le.ResultCode == ldap.LDAPResultInsufficientAccessRights {
		return missingRight(ad, err)
	}
	if ad {
		if code, ok := adCode(diagnostic); ok {
			switch code {
			case winPasswordRestriction:
				// Windows does not say which rule failed (see
				// hintedRefusal); Samba does.
				if named := namedRefusal(diagnostic, err); named != nil {
					return named
				}
				return refusal(api.CodePasswordPolicy, detailADPolicy, err)
			case winAccessDenied:
				return missingRight(true, err)
			}
		}
	}
	if le.ResultCode != ldap.LDAPResultConstraintViolation {
		return fmt.Errorf("ldapdir: setting the password: %w", err)
	}
	if named := namedRefusal(diagnostic, err); named != nil {
		return named
	}
	return refusal(api.CodePasswordPolicy, detailPolicy, err)
}

// namedRefusal reads which rule the directory's words name, or returns nil
// when they name none. The words are OpenLDAP ppolicy's and Samba's (after
// "check_password_restrictions: "); Windows names none.
func namedRefusal(diagnostic string, cause error) error {
	d := strings.ToLower(diagnostic)
	switch {
	case strings.Contains(d, "history") || // OpenLDAP: "Password is in history of old passwords"; Samba: "the password was already used (in history)!"
		strings.Contains(d, "already used") ||
		strings.Contains(d, "not being changed from existing value"): // OpenLDAP: the current password again
		return refusal(api.CodePasswordReused, detailReused, cause)
	case strings.Contains(d, "too young"): // OpenLDAP pwdMinAge; Samba: "password is too young to change!"
		return refusal(api.CodePasswordPolicy, detailTooSoon, cause, api.RuleTooSoon)
	case strings.Contains(d, "too short"): // OpenLDAP pwdMinLength; Samba: "the password is too short. It should be equal or longer than 10 characters!"
		return refusal(api.CodePasswordPolicy, detailPolicy, cause, api.RuleTooShort)
	case strings.Contains(d, "too long"):
		return refusal(api.CodePasswordPolicy, detailPolicy, cause, api.RuleTooLong)
	case strings.Contains(d, "complexity"): // Samba: "the password does not meet the complexity criteria!"
		return refusal(api.CodePasswordPolicy, detailComplexity, cause, api.RuleNeedsThreeClasses)
	}
	return nil
}

// hintedRefusal names the rule of a refusal by Windows, which says only
// 0000052D ("password restriction"). The service checks the length, the
// complexity and the minimum age of the account's policy before the
// directory is asked, so what Windows still refuses under the policy
// hints is the one rule the service cannot check: its history.
// Without the hints Windows applies no history to a reset, and the cause
// stays unnamed.
func hintedRefusal(err error, hinted bool) error {
	var r *refusalError
	if !hinted || !errors.As(err, &r) || r.api.Detail != detailADPolicy {
		return err
	}
	return refusal(api.CodePasswordReused, detailReused, r.cause)
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
