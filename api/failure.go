package api

import "errors"

// Failure is why a call got no answer from the service, when it did not
// (an answer is an *Error). A client's errors report it through
// FailureKind, so that callers tell failures apart without knowing the
// client's own error types.
type Failure string

const (
	// FailureNetwork: the service could not be reached, or the connection
	// broke before it answered.
	FailureNetwork Failure = "network"
	// FailureTimeout: the service did not answer in time.
	FailureTimeout Failure = "timeout"
	// FailureCertificate: the secure connection was refused (an untrusted
	// or expired certificate, a pin that does not match, a TLS version the
	// client does not accept); nothing was sent.
	FailureCertificate Failure = "certificate"
	// FailureUnexpected: something answered, but not with the contract (a
	// proxy's page, a captive portal, malformed JSON).
	FailureUnexpected Failure = "unexpected"
)

// FailureOf is the kind of failure err is or wraps: what the first error
// in its chain with a FailureKind method reports, FailureNetwork for any
// other error, and "" for nil or an answer of the service (*Error).
func FailureOf(err error) Failure {
	var answer *Error
	if err == nil || errors.As(err, &answer) {
		return ""
	}
	var k interface{ FailureKind() Failure }
	if errors.As(err, &k) {
		return k.FailureKind()
	}
	return FailureNetwork
}
