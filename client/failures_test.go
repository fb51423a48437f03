package client

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-resty/resty/v2"

	"casreset/api"
)

// hanging answers only after 10 s, unless the client goes away first: a
// client without a working timeout gets a valid answer and fails the test
// on the error type.
func hanging(started chan<- struct{}) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		if started != nil {
			started <- struct{}{}
		}
		select {
		case <-r.Context().Done():
			return
		case <-time.After(10 * time.Second):
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"verified":true}`))
	}
}

// wantCallTimeout fails t unless err is the timeout of the whole call,
// whose limit is limit.
func wantCallTimeout(t *testing.T, err error, limit time.Duration) {
	t.Helper()
	var te *TimeoutError
	if !errors.As(err, &te) {
		t.Fatalf("error = %T %v, want *TimeoutError", err, err)
	}
	if te.Connect || te.Limit != limit {
		t.Errorf("Connect = %v, Limit = %s; want the whole-call limit %s", te.Connect, te.Limit, limit)
	}
}

func TestAServerThatHangsGivesTimeoutError(t *testing.T) {
	calls := map[string]func(c *Client) error{
		"GET Policy":  func(c *Client) error { _, err := c.Policy(context.Background()); return err },
		"POST Verify": func(c *Client) error { _, err := c.Verify(context.Background(), "tok", "123456"); return err },
	}
	for name, do := range calls {
		t.Run(name, func(t *testing.T) {
			srv, ca := startTrusted(t, hanging(nil))
			const limit = 300 * time.Millisecond
			c := newTestClient(t, Config{BaseURL: srv.URL, CAPEM: ca.pem, Timeout: limit})

			err := do(c)
			wantCallTimeout(t, err, limit)
		})
	}
}

// answersAfterGivingUp is a transport that answers only once the call has
// given up, as net/http's may: it hands back an answer that raced with the
// cancellation, and the cancellation is what made the server answer (it
// closes the connection, which cancels the handler's request; hanging
// then returns an empty 200). giveUp, when set, is the caller cancelling.
type answersAfterGivingUp struct {
	contentType, body string
	giveUp            context.CancelFunc
}

func (a answersAfterGivingUp) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		_, _ = io.Copy(io.Discard, req.Body)
		_ = req.Body.Close()
	}
	if a.giveUp != nil {
		a.giveUp()
	}
	<-req.Context().Done()
	h := http.Header{}
	if a.contentType != "" {
		h.Set("Content-Type", a.contentType)
	}
	return &http.Response{
		Status: "200 OK", StatusCode: 200, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: h, Body: io.NopCloser(strings.NewReader(a.body)), ContentLength: int64(len(a.body)),
		Request: req,
	}, nil
}

// callsThatMayTimeOut are a GET and a POST of JSON and a GET of media.
var callsThatMayTimeOut = map[string]func(ctx context.Context, c *Client) error{
	"GET Policy":  func(ctx context.Context, c *Client) error { _, err := c.Policy(ctx); return err },
	"POST Verify": func(ctx context.Context, c *Client) error { _, err := c.Verify(ctx, "tok", "123456"); return err },
	"GET CaptchaImage": func(ctx context.Context, c *Client) error {
		_, err := c.CaptchaImage(ctx, "id")
		return err
	},
}

func TestAnAnswerThatArrivesOnlyAfterTheDeadlineIsATimeout(t *testing.T) {
	answers := map[string]answersAfterGivingUp{
		"empty, from a handler that returned": {},
		"well-formed JSON":                    {contentType: "application/json", body: `{"verified":true}`},
		"a PNG":                               {contentType: "image/png", body: string(pngSignature)},
	}
	for answerName, late := range answers {
		for callName, do := range callsThatMayTimeOut {
			t.Run(answerName+"/"+callName, func(t *testing.T) {
				const limit = 200 * time.Millisecond
				c := newTestClient(t, Config{BaseURL: "https://127.0.0.1:1", Timeout: limit, CAPEM: newTestCA(t).pem})
				c.rc.SetTransport(late)

				err := do(context.Background(), c)
				wantCallTimeout(t, err, limit)
			})
		}
	}
}

func TestAnAnswerThatArrivesOnlyAfterTheCallerCancelledIsACancellation(t *testing.T) {
	for callName, do := range callsThatMayTimeOut {
		t.Run(callName, func(t *testing.T) {
			c := newTestClient(t, Config{BaseURL: "https://127.0.0.1:1", CAPEM: newTestCA(t).pem})
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			c.rc.SetTransport(answersAfterGivingUp{giveUp: cancel})

			if err := do(ctx, c); !errors.Is(err, context.Canceled) {
				t.Fatalf("error = %T %v, want context.Canceled", err, err)
			}
		})
	}
}

// stallingBody sends the headers and the start of a JSON answer, then
// nothing more until the client goes away.
func stallingBody(w http.ResponseWriter, r *http.Request) {
	_, _ = io.Copy(io.Discard, r.Body)
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", "100")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write([]byte(`{"verif`))
	_ = http.NewResponseController(w).Flush()
	<-r.Context().Done()
}

func TestABodyThatStallsPastTheDeadlineGivesTimeoutError(t *testing.T) {
	for callName, do := range callsThatMayTimeOut {
		t.Run(callName, func(t *testing.T) {
			srv, ca := startTrusted(t, http.HandlerFunc(stallingBody))
			const limit = 300 * time.Millisecond
			c := newTestClient(t, Config{BaseURL: srv.URL, CAPEM: ca.pem, Timeout: limit})

			err := do(context.Background(), c)
			wantCallTimeout(t, err, limit)
		})
	}
}

func TestAServerThatNeverCompletesTheHandshakeGivesTimeoutError(t *testing.T) {
	// The kernel accepts the TCP connection into the backlog; nobody ever
	// answers the ClientHello.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = l.Close() })
	ca := newTestCA(t)
	const connectLimit = 200 * time.Millisecond
	c := newTestClient(t, Config{BaseURL: "https://" + l.Addr().String(), CAPEM: ca.pem, ConnectTimeout: connectLimit})

	_, err = c.Start(context.Background(), api.StartRequest{StaffNumber: "1"})
	var te *TimeoutError
	if !errors.As(err, &te) {
		t.Fatalf("error = %T %v, want *TimeoutError", err, err)
	}
	if !te.Connect || te.Limit != connectLimit {
		t.Errorf("Connect = %v, Limit = %s; want the connect limit %s", te.Connect, te.Limit, connectLimit)
	}
}

// resetting reads the request and then resets the TCP connection.
func resetting(hits *atomic.Int32) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		_, _ = io.Copy(io.Discard, r.Body)
		conn, _, err := http.NewResponseController(w).Hijack()
		if err != nil {
			panic(err)
		}
		tcp := conn.(*tls.Conn).NetConn().(*net.TCPConn)
		_ = tcp.SetLinger(0) // close with RST
		_ = tcp.Close()
	}
}

func TestAConnectionResetGivesNetworkErrorAndOnlyGETsAreRetried(t *testing.T) {
	tests := []struct {
		name     string
		do       func(c *Client) error
		attempts int32
	}{
		{"GET Flow is retried", func(c *Client) error { _, err := c.Flow(context.Background(), "tok"); return err }, 1 + maxRetries},
		{"POST SendCode is not", func(c *Client) error {
			_, err := c.SendCode(context.Background(), "tok", api.SendCodeRequest{Channel: api.ChannelSMS})
			return err
		}, 1},
		{"PUT SetPassword is not", func(c *Client) error {
			_, err := c.SetPassword(context.Background(), "tok", api.PasswordRequest{NewPassword: "Secret12345"})
			return err
		}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var hits atomic.Int32
			_, c := trustedServer(t, resetting(&hits))
			err := tt.do(c)
			var ne *NetworkError
			if !errors.As(err, &ne) {
				t.Fatalf("error = %T %v, want *NetworkError", err, err)
			}
			if got := hits.Load(); got != tt.attempts {
				t.Errorf("the server saw %d attempts, want %d", got, tt.attempts)
			}
		})
	}
}

func TestNothingListeningGivesNetworkError(t *testing.T) {
	ca := newTestCA(t)
	c := newTestClient(t, Config{BaseURL: "https://" + listenerAddr(t), CAPEM: ca.pem})
	for name, do := range map[string]func() error{
		"GET":  func() error { _, err := c.Policy(context.Background()); return err },
		"POST": func() error { _, err := c.NewCaptcha(context.Background()); return err },
	} {
		var ne *NetworkError
		if err := do(); !errors.As(err, &ne) {
			t.Errorf("%s: error = %T %v, want *NetworkError", name, err, err)
		}
	}
}

func TestRetriesOnlyWhereSafe(t *testing.T) {
	unavailable := `{"status":503,"code":"unavailable","reference":"r"}`
	tests := []struct {
		name     string
		first    http.HandlerFunc // the first answer; later ones are 200
		do       func(c *Client) error
		attempts int32
		wantErr  bool
	}{
		{"GET after a 503 problem", answer(503, api.ProblemJSON, unavailable),
			func(c *Client) error { _, err := c.Policy(context.Background()); return err }, 2, false},
		{"GET after a bare 502", answer(502, "text/html", "<html>"),
			func(c *Client) error { _, err := c.Policy(context.Background()); return err }, 2, false},
		{"GET after a 504", answer(504, "", ""),
			func(c *Client) error { _, err := c.Policy(context.Background()); return err }, 2, false},
		{"no GET retry after a 500", answer(500, api.ProblemJSON, `{"status":500,"code":"internal"}`),
			func(c *Client) error { _, err := c.Policy(context.Background()); return err }, 1, true},
		{"no GET retry after a 429", answer(429, api.ProblemJSON, `{"status":429,"code":"rate_limited"}`),
			func(c *Client) error { _, err := c.Policy(context.Background()); return err }, 1, true},
		{"no POST retry after a 503", answer(503, api.ProblemJSON, unavailable),
			func(c *Client) error { _, err := c.Start(context.Background(), api.StartRequest{}); return err }, 1, true},
		{"no POST retry after a 502", answer(502, "text/html", "<html>"),
			func(c *Client) error { return c.RemindStaffNumber(context.Background(), api.ReminderRequest{}) }, 1, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var hits atomic.Int32
			ok := &recorder{status: 200, contentType: "application/json", body: `{}`}
			_, c := trustedServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if hits.Add(1) == 1 {
					tt.first(w, r)
					return
				}
				ok.ServeHTTP(w, r)
			}))
			err := tt.do(c)
			if (err != nil) != tt.wantErr {
				t.Errorf("error = %v, want an error: %v", err, tt.wantErr)
			}
			if got := hits.Load(); got != tt.attempts {
				t.Errorf("the server saw %d attempts, want %d", got, tt.attempts)
			}
		})
	}
}

func TestARetryKeepsTheRequestID(t *testing.T) {
	var (
		mu   sync.Mutex
		ids  []string
		hits atomic.Int32
	)
	_, c := trustedServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		ids = append(ids, r.Header.Get(api.HeaderRequestID))
		mu.Unlock()
		if hits.Add(1) == 1 {
			answer(503, api.ProblemJSON, `{"code":"unavailable"}`)(w, r)
			return
		}
		answer(200, "application/json", `{}`)(w, r)
	}))
	if _, err := c.Policy(context.Background()); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(ids) != 2 || ids[0] != ids[1] {
		t.Errorf("attempts %d with ids %q; want one id for the call", hits.Load(), ids)
	}
}

func TestRetryCondition(t *testing.T) {
	dial := &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")}
	read := &net.OpError{Op: "read", Net: "tcp", Err: errors.New("connection reset by peer")}
	certErr := &tls.CertificateVerificationError{Err: x509.UnknownAuthorityError{}}
	tests := []struct {
		method string
		err    error
		want   bool
	}{
		{"POST", dial, true}, // nothing was sent
		{"PUT", dial, true},
		{"POST", read, false}, // the service may have acted on it
		{"POST", io.EOF, false},
		{"GET", read, true},
		{"GET", io.EOF, true},
		{"GET", certErr, false}, // fails the same way every time
		{"GET", errPinMismatch, false},
		{"GET", context.DeadlineExceeded, false},
		{"GET", context.Canceled, false},
		{"GET", resty.ErrResponseBodyTooLarge, false},
	}
	for _, tt := range tests {
		cond := retryCondition(tt.method, &handshakeTrace{})
		if got := cond(nil, tt.err); got != tt.want {
			t.Errorf("%s after %v: retry = %v, want %v", tt.method, tt.err, got, tt.want)
		}
	}
}

func TestCancelledByTheCaller(t *testing.T) {
	started := make(chan struct{}, 1)
	_, c := trustedServer(t, hanging(started))
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		<-started
		cancel()
	}()
	_, err := c.Policy(ctx)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error = %T %v, want context.Canceled", err, err)
	}
	var te *TimeoutError
	if errors.As(err, &te) {
		t.Errorf("a cancellation is not a timeout")
	}
}
