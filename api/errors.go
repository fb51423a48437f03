package api

import (
	"errors"
	"fmt"
)

// Code is a machine-readable error code of the contract.
type Code string

const (
	CodeInvalidRequest     Code = "invalid_request"
	CodeCaptchaInvalid     Code = "captcha_invalid"
	CodeAccountNotFound    Code = "account_not_found"
	CodeAccountExpired     Code = "account_expired"
	CodeAccountDisabled    Code = "account_disabled"
	CodeNoContact          Code = "no_contact"
	CodeTokenInvalid       Code = "token_invalid"
	CodeWrongStep          Code = "wrong_step"
	CodeChannelUnavailable Code = "channel_unavailable"
	CodeCodeInvalid        Code = "code_invalid"
	CodeCodeExpired        Code = "code_expired"
	CodeAttemptsExhausted  Code = "attempts_exhausted"
	CodePasswordPolicy     Code = "password_policy"
	CodePasswordReused     Code = "password_reused"
	CodeRateLimited        Code = "rate_limited"
	CodeOperatorAuthFailed Code = "operator_auth_failed"
	CodeOperatorForbidden  Code = "operator_forbidden"
	CodeCallerNotVerified  Code = "caller_not_verified"
	CodeNotFound           Code = "not_found"
	CodeUnavailable        Code = "unavailable"
	CodeInternal           Code = "internal"
)

// statuses (HTTP status numbers, kept as literals so that the domain need
// not import net/http) is the one table from codes to HTTP statuses; the service answers
// with it and the client reads it back.
var statuses = map[Code]int{
	CodeInvalidRequest:     400,
	CodeCaptchaInvalid:     422,
	CodeAccountNotFound:    404,
	CodeAccountExpired:     403,
	CodeAccountDisabled:    403,
	CodeNoContact:          403,
	CodeTokenInvalid:       401,
	CodeWrongStep:          409,
	CodeChannelUnavailable: 422,
	CodeCodeInvalid:        422,
	CodeCodeExpired:        410,
	CodeAttemptsExhausted:  403,
	CodePasswordPolicy:     422,
	CodePasswordReused:     422,
	CodeRateLimited:        429,
	CodeOperatorAuthFailed: 401,
	CodeOperatorForbidden:  403,
	CodeCallerNotVerified:  403,
	CodeNotFound:           404,
	CodeUnavailable:        503,
	CodeInternal:           500,
}

// titles are the fixed, generic titles of each code (English; clients
// translate by code, never by title).
var titles = map[Code]string{
	CodeInvalidRequest:     "The request is not valid",
	CodeCaptchaInvalid:     "The CAPTCHA answer is wrong or has expired",
	CodeAccountNotFound:    "No account has this staff number",
	CodeAccountExpired:     "The account is past its contract end date plus 18 months",
	CodeAccountDisabled:    "The account is disabled in the directory",
	CodeNoContact:          "The account has no registered mobile number or e-mail address",
	CodeTokenInvalid:       "The reset session is unknown, finished or expired",
	CodeWrongStep:          "This step is not available now",
	CodeChannelUnavailable: "The account cannot receive codes this way",
	CodeCodeInvalid:        "The validation code is wrong",
	CodeCodeExpired:        "The validation code has expired",
	CodeAttemptsExhausted:  "Too many wrong validation codes",
	CodePasswordPolicy:     "The new password does not meet the policy",
	CodePasswordReused:     "The new password was used recently",
	CodeRateLimited:        "Too many requests",
	CodeOperatorAuthFailed: "The operator is not signed in",
	CodeOperatorForbidden:  "The operator may not act on this account",
	CodeCallerNotVerified:  "The caller has not been verified",
	CodeNotFound:           "Not found",
	CodeUnavailable:        "The service is temporarily unavailable",
	CodeInternal:           "An internal error occurred",
}

// Status is the HTTP status of code; unknown codes are 500.
func (c Code) Status() int {
	if s, ok := statuses[c]; ok {
		return s
	}
	return 500
}

// Title is the generic title of code.
func (c Code) Title() string {
	if t, ok := titles[c]; ok {
		return t
	}
	return titles[CodeInternal]
}

// Codes lists every code of the contract.
func Codes() []Code {
	out := make([]Code, 0, len(statuses))
	for c := range statuses {
		out = append(out, c)
	}
	return out
}

// Error is an RFC 9457 problem with the contract's extension members. The
// service returns it for every failure and the client decodes it back.
type Error struct {
	Type         string   `json:"type"`
	Title        string   `json:"title"`
	Status       int      `json:"status"`
	Detail       string   `json:"detail,omitempty"`
	Code         Code     `json:"code"`
	Reference    string   `json:"reference,omitempty"`
	RetryAfter   int      `json:"retry_after,omitempty"`
	AttemptsLeft *int     `json:"attempts_left,omitempty"`
	Violations   []RuleID `json:"violations,omitempty"`
}

// Errorf returns an Error with code and a detail safe to show to users.
func Errorf(code Code, format string, args ...any) *Error {
	return &Error{
		Type:   "about:blank",
		Title:  code.Title(),
		Status: code.Status(),
		Code:   code,
		Detail: fmt.Sprintf(format, args...),
	}
}

func (e *Error) Error() string {
	if e.Detail != "" {
		return fmt.Sprintf("%s: %s", e.Code, e.Detail)
	}
	return string(e.Code)
}

// WithAttemptsLeft sets AttemptsLeft and returns e.
func (e *Error) WithAttemptsLeft(n int) *Error { e.AttemptsLeft = &n; return e }

// WithRetryAfter sets RetryAfter in whole seconds (at least 1) and returns e.
func (e *Error) WithRetryAfter(seconds int) *Error {
	e.RetryAfter = max(seconds, 1)
	return e
}

// WithViolations sets Violations and returns e.
func (e *Error) WithViolations(rules ...RuleID) *Error { e.Violations = rules; return e }

// ErrorCode returns the code of err if it is or wraps an *Error, and
// CodeInternal for anything else (nil gives "").
func ErrorCode(err error) Code {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return CodeInternal
}
