package deliverytest

import (
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

// SMSRequest is one request an SMSGateway received.
type SMSRequest struct {
	Header http.Header
	Body   string
}

// SMSGateway is an SMS gateway over plain HTTP for tests: it accepts every
// request (202) and remembers it. It stops when the test ends.
type SMSGateway struct {
	URL string

	mu       sync.Mutex
	requests []SMSRequest
}

// NewSMSGateway starts a gateway on a free port of 127.0.0.1.
func NewSMSGateway(tb testing.TB) *SMSGateway {
	tb.Helper()
	g := &SMSGateway{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		g.mu.Lock()
		g.requests = append(g.requests, SMSRequest{Header: r.Header.Clone(), Body: string(body)})
		g.mu.Unlock()
		w.WriteHeader(http.StatusAccepted)
	}))
	tb.Cleanup(srv.Close)
	g.URL = srv.URL
	return g
}

// Wait waits up to within for the gateway to have received at least n
// requests (a delivery worker sends on its own schedule) and returns them.
func (g *SMSGateway) Wait(tb testing.TB, n int, within time.Duration) []SMSRequest {
	tb.Helper()
	deadline := time.Now().Add(within)
	for {
		g.mu.Lock()
		got := append([]SMSRequest(nil), g.requests...)
		g.mu.Unlock()
		if len(got) >= n {
			return got
		}
		if time.Now().After(deadline) {
			tb.Fatalf("the SMS gateway received %d request(s) in %s, want %d", len(got), within, n)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
