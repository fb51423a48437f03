package helpdesk

import (
	"errors"

	"casreset/api"
	"casreset/ui/shell"
)

// errorKeys are the help desk's messages for the codes an operator's calls
// may meet, in the operator's terms; the rest read as the wizard's.
var errorKeys = map[api.Code]string{
	api.CodeOperatorAuthFailed: "hd.err.sign_in_failed",
	api.CodeOperatorForbidden:  "hd.err.forbidden",
	api.CodeCallerNotVerified:  "hd.err.caller_not_verified",
	api.CodeAccountNotFound:    "hd.err.account_not_found",
	api.CodeNotFound:           "hd.err.reference_not_found",
	api.CodeInvalidRequest:     "hd.err.invalid_request",
	api.CodeCodeInvalid:        "hd.err.code_invalid",
	api.CodeCodeExpired:        "hd.err.code_expired",
	api.CodeAttemptsExhausted:  "hd.err.attempts_exhausted",
	api.CodeNoContact:          "hd.err.no_contact",
	api.CodeChannelUnavailable: "hd.err.channel_unavailable",
	api.CodeUnavailable:        "err.unavailable",
}

// errorText is the message for err: by its code when the service
// answered, else that the service cannot be reached. Users never see the
// service's own text.
func errorText(err error) shell.Text {
	var e *api.Error
	if !errors.As(err, &e) {
		return shell.TransportText(err)
	}
	if e.Code == api.CodeRateLimited {
		return shell.RetryText(e.RetryAfter)
	}
	if key, ok := errorKeys[e.Code]; ok {
		return shell.Msg(key)
	}
	return shell.Msg("hd.err.internal")
}
