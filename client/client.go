// Package client is the desktop app's side of the reset service's HTTP
// contract (v1): one method per call, TLS that trusts only what IT
// configured, bounded waits, and errors typed so that the wizard can say
// something useful. It also remembers the staff number in the OS keyring.
// It has no GUI dependencies.
package client

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"net/http"
	"runtime"
	"time"

	"github.com/go-resty/resty/v2"

	"casreset/api"
)

// Retry and size limits. A call never waits longer than Config.Timeout in
// all, retries included.
const (
	maxRetries    = 2
	retryWaitMin  = 250 * time.Millisecond
	retryWaitMax  = 2 * time.Second
	maxJSONBytes  = 1 << 20 // answers and problems are a few hundred bytes
	maxMediaBytes = 4 << 20 // a spoken 6-digit CAPTCHA is well under 1 MiB
)

// Client calls the reset service. It is safe for concurrent use.
type Client struct {
	rc *resty.Client
	s  settings
}

// New checks cfg and returns a client. It does not contact the service.
func New(cfg Config) (*Client, error) {
	s, err := cfg.check()
	if err != nil {
		return nil, err
	}
	tlsCfg, err := newTLSConfig(s)
	if err != nil {
		return nil, err
	}
	dialer := &net.Dialer{Timeout: s.connectTimeout, KeepAlive: 30 * time.Second}
	transport := &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           dialer.DialContext,
		TLSClientConfig:       tlsCfg,
		TLSHandshakeTimeout:   s.connectTimeout,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          4,
		IdleConnTimeout:       90 * time.Second,
		ExpectContinueTimeout: time.Second,
	}
	hc := &http.Client{
		Transport: transport,
		// A redirect is not part of the contract (captive portals and
		// login pages answer with one): hand it back as an answer so
		// that it becomes an UnexpectedResponseError.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	rc := resty.NewWithClient(hc).
		SetBaseURL(s.base.String()).
		SetLogger(discardLogger{}).
		SetHeader("User-Agent", fmt.Sprintf("casreset/%s (%s)", s.version, runtime.GOOS)).
		SetRetryCount(maxRetries).
		SetRetryWaitTime(retryWaitMin).
		SetRetryMaxWaitTime(retryWaitMax)
	return &Client{rc: rc, s: s}, nil
}

// call describes one request of the contract.
type call struct {
	method     string
	path       string // relative to the base URL, with {name} placeholders
	pathParams map[string]string
	query      map[string]string
	token      string // the reset token, sent as a Bearer credential
	body       any    // marshalled as JSON when not nil
	accept     string // the media type of a successful answer
	limit      int    // the largest body accepted
}

// send performs cl and returns a response with a 2xx status and the
// request id it was sent with, or an error: one of the package's types, an
// *api.Error, or the caller's context.Canceled.
func (c *Client) send(ctx context.Context, cl call) (*resty.Response, string, error) {
	parent := ctx
	ctx, cancel := context.WithTimeout(ctx, c.s.timeout)
	defer cancel()
	reqID := newRequestID()
	hs := &handshakeTrace{}
	ctx = hs.attach(ctx)

	r := c.rc.R().
		SetContext(ctx).
		SetHeader(api.HeaderRequestID, reqID).
		SetHeader("Accept", cl.accept+", "+api.ProblemJSON).
		SetResponseBodyLimit(cl.limit).
		AddRetryCondition(retryCondition(cl.method, hs))
	if cl.pathParams != nil {
		r.SetPathParams(cl.pathParams)
	}
	if cl.query != nil {
		r.SetQueryParams(cl.query)
	}
	if cl.token != "" {
		r.SetAuthToken(cl.token)
	}
	if cl.body != nil {
		r.SetHeader("Content-Type", "application/json").SetBody(cl.body)
	}

	resp, err := r.Execute(cl.method, cl.path)
	if err == nil {
		err = lateAnswer(parent, ctx, resp)
	}
	if err != nil {
		if tooLarge(resp, err) {
			return nil, reqID, c.unexpected(resp, reqID, "answer too large")
		}
		return nil, reqID, c.transportError(parent, err, reqID, hs)
	}
	if !isSuccess(resp.StatusCode()) {
		return nil, reqID, c.failure(resp, reqID)
	}
	return resp, reqID, nil
}

func isSuccess(status int) bool { return status >= 200 && status < 300 }

// newRequestID returns 128 random bits in hex.
func newRequestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails on supported systems
	return hex.EncodeToString(b[:])
}

// discardLogger keeps resty quiet: its messages repeat the errors that the
// caller receives, and the caller decides what to log.
type discardLogger struct{}

func (discardLogger) Errorf(string, ...any) {}
func (discardLogger) Warnf(string, ...any)  {}
func (discardLogger) Debugf(string, ...any) {}
