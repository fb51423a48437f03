package client

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"sync"

	"github.com/go-resty/resty/v2"
)

// retryCondition decides, after a failed attempt, whether to try again.
// GETs change nothing and may always be repeated; any other call only when
// the connection could not even be opened, so the service never saw it.
// Certificate failures are never retried: they fail the same way each time.
func retryCondition(method string, hs *handshakeTrace) resty.RetryConditionFunc {
	return func(resp *resty.Response, err error) bool {
		if err != nil {
			return !hs.refused() && retryableError(method, err)
		}
		if method != http.MethodGet || resp == nil {
			return false
		}
		switch resp.StatusCode() {
		case http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
			return true
		}
		return false
	}
}

func retryableError(method string, err error) bool {
	switch {
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded),
		errors.Is(err, resty.ErrResponseBodyTooLarge),
		certificateReason(err) != "":
		return false
	case method == http.MethodGet:
		return true
	}
	var op *net.OpError
	return errors.As(err, &op) && op.Op == "dial"
}

// transportError turns an error of the HTTP round trip into the package's
// types. parent is the caller's context: when the caller cancelled, its
// error is returned as is.
func (c *Client) transportError(parent context.Context, err error, reqID string, hs *handshakeTrace) error {
	host := c.s.base.Host
	if errors.Is(parent.Err(), context.Canceled) {
		return parent.Err()
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return &TimeoutError{Host: host, Limit: c.s.timeout, RequestID: reqID, Err: err}
	}
	reason := certificateReason(err)
	if reason == "" && hs.refused() {
		// The handshake failed without a network fault: the server
		// does not speak the TLS we require.
		reason = ReasonProtocol
	}
	if reason != "" {
		return &CertificateError{Host: host, Reason: reason, RequestID: reqID, Err: err}
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		// The whole-call deadline was handled above, so this is the
		// dialer's or the TLS handshake's limit.
		return &TimeoutError{Host: host, Connect: true, Limit: c.s.connectTimeout, RequestID: reqID, Err: err}
	}
	return &NetworkError{Host: host, RequestID: reqID, Err: err}
}

// lateAnswer says why an answer the round trip handed back does not count:
// the caller gave up, or the answer was complete only after the call's
// deadline. net/http returns an answer that races with giving up rather
// than the cancellation, and giving up is what makes a server answer:
// closing the connection cancels the handler's request, and a handler that
// then returns sends an empty 200. That answer is not the service's, so a
// call that ran out of time is a timeout whatever arrived after.
func lateAnswer(parent, ctx context.Context, resp *resty.Response) error {
	if err := parent.Err(); err != nil {
		return err
	}
	if deadline, ok := ctx.Deadline(); ok && !resp.ReceivedAt().Before(deadline) {
		return context.DeadlineExceeded
	}
	return nil
}

// certificateReason classifies a failed TLS handshake; "" means the error
// is not one.
func certificateReason(err error) CertificateReason {
	var (
		unknownAuthority x509.UnknownAuthorityError
		systemRoots      x509.SystemRootsError
		hostname         x509.HostnameError
		invalid          x509.CertificateInvalidError
		verification     *tls.CertificateVerificationError
		recordHeader     tls.RecordHeaderError
		op               *net.OpError
	)
	switch {
	case errors.Is(err, errPinMismatch):
		return ReasonPin
	case errors.As(err, &unknownAuthority), errors.As(err, &systemRoots):
		return ReasonUntrusted
	case errors.As(err, &hostname):
		return ReasonHostname
	case errors.As(err, &invalid):
		if invalid.Reason == x509.Expired {
			return ReasonExpired
		}
		return ReasonInvalid
	case errors.As(err, &verification):
		return ReasonInvalid
	case errors.As(err, &recordHeader):
		// Something other than TLS answered on the port.
		return ReasonProtocol
	case errors.As(err, &op) && op.Op == "remote error":
		// The server sent a TLS alert: it refused our handshake.
		return ReasonProtocol
	}
	return ""
}

// handshakeTrace remembers whether a TLS handshake of the call failed for
// a reason other than the network, which crypto/tls reports with untyped
// errors (an unsupported protocol version, for one).
type handshakeTrace struct {
	mu  sync.Mutex
	err error
}

func (h *handshakeTrace) attach(ctx context.Context) context.Context {
	return httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{
		TLSHandshakeDone: func(_ tls.ConnectionState, err error) {
			h.mu.Lock()
			h.err = err
			h.mu.Unlock()
		},
	})
}

func (h *handshakeTrace) refused() bool {
	h.mu.Lock()
	err := h.err
	h.mu.Unlock()
	if err == nil {
		return false
	}
	var ne net.Error
	var op *net.OpError
	switch {
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF),
		errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded),
		errors.As(err, &ne) && ne.Timeout(),
		errors.As(err, &op) && op.Op != "remote error":
		return false
	}
	return true
}

func tooLarge(resp *resty.Response, err error) bool {
	return errors.Is(err, resty.ErrResponseBodyTooLarge) && resp != nil && resp.RawResponse != nil
}
