package shell

import "casreset/api"

// TransportText is the message for a call that got no answer from the
// service: the connection was refused as untrusted, something else
// answered, it took too long, or the network is down.
func TransportText(err error) Text {
	switch api.FailureOf(err) {
	case api.FailureCertificate:
		return Msg("err.certificate")
	case api.FailureUnexpected:
		return Msg("err.unexpected")
	case api.FailureTimeout:
		return Msg("err.timeout")
	default:
		return Msg("err.unreachable")
	}
}

// RetryText says when to try again after a rate limit.
func RetryText(seconds int) Text {
	switch {
	case seconds <= 0:
		return Msg("err.rate_limited")
	case seconds < 90:
		return Plural("err.rate_limited_seconds", seconds)
	default:
		// To the nearest minute: "in 10 minutes" reads better than "in 11"
		// for a wait of 10 minutes and a second.
		return Plural("err.rate_limited_minutes", (seconds+30)/60)
	}
}
