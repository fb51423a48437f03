package client

import (
	"fmt"
	"time"

	"casreset/api"
)

// Besides the service's own answers (*api.Error, with errors.As), a call
// fails with one of the types below. Their messages name what went wrong in
// words a help desk can act on; none of them holds a response body, a
// token, a code or a password. Each reports its api.Failure through
// FailureKind, which is all the wizard needs of it. RequestID is the X-Request-Id the call was
// sent with, for matching the service's and the proxies' logs.

// NetworkError means the service could not be reached or the connection
// broke before an answer arrived.
type NetworkError struct {
	Host      string
	RequestID string
	Err       error
}

func (e *NetworkError) Error() string {
	return fmt.Sprintf("cannot reach the reset service at %s: check the network connection (%v)", e.Host, e.Err)
}

func (e *NetworkError) Unwrap() error { return e.Err }

// FailureKind is api.FailureNetwork.
func (e *NetworkError) FailureKind() api.Failure { return api.FailureNetwork }

// TimeoutError means the service did not answer within the configured time.
type TimeoutError struct {
	Host string
	// Connect is true when connecting (TCP and TLS) took too long, false
	// when the whole call did.
	Connect   bool
	Limit     time.Duration
	RequestID string
	Err       error
}

func (e *TimeoutError) Error() string {
	what := "answer"
	if e.Connect {
		what = "accept the connection"
	}
	return fmt.Sprintf("the reset service at %s did not %s within %s", e.Host, what, e.Limit)
}

func (e *TimeoutError) Unwrap() error { return e.Err }

// Timeout reports true, as net.Error does.
func (e *TimeoutError) Timeout() bool { return true }

// FailureKind is api.FailureTimeout.
func (e *TimeoutError) FailureKind() api.Failure { return api.FailureTimeout }

// CertificateReason says why a secure connection was refused.
type CertificateReason string

const (
	// ReasonUntrusted: the certificate is not signed by the configured CA.
	ReasonUntrusted CertificateReason = "untrusted"
	// ReasonExpired: the certificate has expired or is not yet valid.
	ReasonExpired CertificateReason = "expired"
	// ReasonHostname: the certificate is for another host name.
	ReasonHostname CertificateReason = "hostname"
	// ReasonPin: the certificate chain does not carry the pinned key.
	ReasonPin CertificateReason = "pin"
	// ReasonInvalid: the certificate is unusable for another reason.
	ReasonInvalid CertificateReason = "invalid"
	// ReasonProtocol: the server does not speak the TLS this PC requires.
	ReasonProtocol CertificateReason = "protocol"
)

var reasonText = map[CertificateReason]string{
	ReasonUntrusted: "it is not signed by the certificate authority configured on this PC",
	ReasonExpired:   "it has expired or is not valid yet; check the PC's date and time",
	ReasonHostname:  "it was issued for another server name",
	ReasonPin:       "its key does not match the key pinned in this PC's configuration",
	ReasonInvalid:   "it is not valid",
	ReasonProtocol:  "the server does not offer the secure connection (TLS version) this PC requires",
}

// CertificateError means the TLS handshake was refused: the connection
// failed closed and nothing was sent.
type CertificateError struct {
	Host      string
	Reason    CertificateReason
	RequestID string
	Err       error
}

func (e *CertificateError) Error() string {
	if e.Reason == ReasonProtocol {
		return fmt.Sprintf("cannot connect securely to %s: %s", e.Host, reasonText[e.Reason])
	}
	return fmt.Sprintf("the server's certificate is not the one this PC trusts (%s: %s)", e.Host, reasonText[e.Reason])
}

func (e *CertificateError) Unwrap() error { return e.Err }

// FailureKind is api.FailureCertificate.
func (e *CertificateError) FailureKind() api.Failure { return api.FailureCertificate }

// UnexpectedResponseError means something answered, but not with the
// contract: an HTML page from a proxy or captive portal, a bare 502, a
// redirect, malformed or oversized JSON. The body is never kept.
type UnexpectedResponseError struct {
	Host        string
	Status      int
	ContentType string
	// Reason is a short technical phrase for logs ("not JSON", "too large").
	Reason    string
	RequestID string
}

func (e *UnexpectedResponseError) Error() string {
	return fmt.Sprintf("the server at %s gave an answer that is not from the reset service (HTTP %d, %s); a proxy may be in the way", e.Host, e.Status, e.Reason)
}

// FailureKind is api.FailureUnexpected.
func (e *UnexpectedResponseError) FailureKind() api.Failure { return api.FailureUnexpected }
