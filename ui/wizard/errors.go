package wizard

import (
	"errors"

	"casreset/api"
	"casreset/ui/shell"
	"casreset/ui/validate"
)

// errorKeys maps each code of the contract to its message. Every code has
// its own, in plain words, in both languages; none shows the service's
// own text, which is for logs and the help desk.
var errorKeys = map[api.Code]string{
	api.CodeInvalidRequest:     "err.invalid_request",
	api.CodeCaptchaInvalid:     "err.captcha_invalid",
	api.CodeAccountNotFound:    "err.account_not_found",
	api.CodeAccountExpired:     "err.account_expired",
	api.CodeAccountDisabled:    "err.account_disabled",
	api.CodeNoContact:          "err.no_contact",
	api.CodeTokenInvalid:       "err.token_invalid",
	api.CodeWrongStep:          "err.wrong_step",
	api.CodeChannelUnavailable: "err.channel_unavailable",
	api.CodeCodeInvalid:        "err.code_invalid",
	api.CodeCodeExpired:        "err.code_expired",
	api.CodeAttemptsExhausted:  "err.attempts_exhausted",
	api.CodePasswordPolicy:     "err.password_policy",
	api.CodePasswordReused:     "err.password_reused",
	api.CodeRateLimited:        "err.rate_limited",
	api.CodeNotFound:           "err.not_found",
	api.CodeUnavailable:        "err.unavailable",
	api.CodeInternal:           "err.internal",
	api.CodeOperatorAuthFailed: "err.operator_auth_failed",
	api.CodeOperatorForbidden:  "err.operator_forbidden",
	api.CodeCallerNotVerified:  "err.caller_not_verified",
}

// errorText is the message for err: by its code when the service
// answered, else that the service cannot be reached.
func (c *controller) errorText(err error) text {
	var e *api.Error
	if !errors.As(err, &e) {
		return transportText(err)
	}
	switch e.Code {
	case api.CodeCodeInvalid:
		if e.AttemptsLeft != nil {
			return plural("err.code_invalid_attempts", *e.AttemptsLeft)
		}
	case api.CodeRateLimited:
		return retryText(e.RetryAfter)
	case api.CodePasswordReused:
		history, _ := c.policy.Rule(api.RuleReused)
		return plural("err.password_reused", max(history.Count, 1))
	case api.CodeAccountExpired:
		return msg("err.account_expired", "Months", 18)
	}
	if key, ok := errorKeys[e.Code]; ok {
		return msg(key)
	}
	return msg("err.internal")
}

// retryText says when to try again after a rate limit.
func retryText(seconds int) text { return text{Text: shell.RetryText(seconds)} }

// reference is the help-desk reference of err, if the service gave one.
func reference(err error) string {
	var e *api.Error
	if errors.As(err, &e) {
		return e.Reference
	}
	return ""
}

// errorCode is the code of err, or "" when the service did not answer.
func errorCode(err error) api.Code {
	var e *api.Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}

// fieldText is the message for a validator's error on a field; field
// names the field ("staff", "captcha", "code", "contact").
func fieldText(field string, err error) text {
	switch {
	case err == nil:
		return text{}
	case errors.Is(err, validate.ErrEmpty):
		return msg("field." + field + ".empty")
	case errors.Is(err, validate.ErrNotDigits):
		return msg("field." + field + ".digits")
	case errors.Is(err, validate.ErrLength):
		return msg("field." + field + ".length")
	case errors.Is(err, validate.ErrStaffChars):
		return msg("field.staff.chars")
	default:
		return msg("field.contact.invalid")
	}
}

// violationsOf lists the rules a password_policy error names.
func violationsOf(err error) []api.RuleID {
	var e *api.Error
	if errors.As(err, &e) {
		return e.Violations
	}
	return nil
}

// transportText is the message for a call that got no answer from the
// service (shell.TransportText).
func transportText(err error) text { return text{Text: shell.TransportText(err)} }
