package delivery

import (
	"context"
	"encoding/json"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"casreset/api"
	"casreset/service"
)

// gatewayRequest is one request the test gateway received.
type gatewayRequest struct {
	Header http.Header
	Body   []byte
}

// testGateway is an SMS gateway that answers each request with the next
// status of its script (the last one repeating) and records the request.
type testGateway struct {
	*httptest.Server
	mu       sync.Mutex
	statuses []int
	requests []gatewayRequest
}

func startGateway(t *testing.T, statuses ...int) *testGateway {
	t.Helper()
	g := &testGateway{statuses: statuses}
	g.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		g.mu.Lock()
		defer g.mu.Unlock()
		status := g.statuses[min(len(g.requests), len(g.statuses)-1)]
		g.requests = append(g.requests, gatewayRequest{Header: r.Header.Clone(), Body: body})
		if r.Method != http.MethodPost {
			status = http.StatusMethodNotAllowed
		}
		w.WriteHeader(status)
		_, _ = io.WriteString(w, `{"status":"echo of `+string(body)+`"}`)
	}))
	t.Cleanup(g.Close)
	return g
}

func (g *testGateway) Requests() []gatewayRequest {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]gatewayRequest(nil), g.requests...)
}

func TestSMSWebhookPostsJSONWithHeaders(t *testing.T) {
	gw := startGateway(t, http.StatusAccepted)
	sender, err := NewSMSWebhook(SMSConfig{
		URL:     gw.URL + "/send",
		Headers: []string{"Authorization: Bearer s3cret-token", "X-Api-Key:k-123"},
		Timeout: 5 * time.Second,
	})
	if err != nil {
		t.Fatalf("NewSMSWebhook: %v", err)
	}
	r := renderTest(t, service.MessageCode, api.ChannelSMS)
	if err := sender.Send(context.Background(), r); err != nil {
		t.Fatalf("Send: %v", err)
	}
	reqs := gw.Requests()
	if len(reqs) != 1 {
		t.Fatalf("gateway got %d requests, want 1", len(reqs))
	}
	req := reqs[0]
	for name, want := range map[string]string{
		"Authorization": "Bearer s3cret-token",
		"X-Api-Key":     "k-123",
		"Content-Type":  "application/json",
	} {
		if got := req.Header.Get(name); got != want {
			t.Errorf("header %s = %q, want %q", name, got, want)
		}
	}
	var body map[string]string
	if err := json.Unmarshal(req.Body, &body); err != nil {
		t.Fatalf("body is not JSON: %v: %s", err, req.Body)
	}
	want := map[string]string{"to": "+85291234534", "message": r.Body}
	if len(body) != 2 || body["to"] != want["to"] || body["message"] != want["message"] {
		t.Errorf("body = %v, want %v", body, want)
	}
	if !strings.Contains(body["message"], "493027") {
		t.Errorf("message lacks the code: %q", body["message"])
	}
}

func TestSMSWebhookBodyTemplate(t *testing.T) {
	gw := startGateway(t, http.StatusOK)
	sender, err := NewSMSWebhook(SMSConfig{
		URL:          gw.URL,
		Headers:      []string{"Content-Type: application/vnd.gateway+json"},
		BodyTemplate: `{"msisdn": {{json .ToDigits}}, "e164": "{{jsonEscape .To}}", "text": {{json .Message}}, "from": "ITHELP"}`,
	})
	if err != nil {
		t.Fatalf("NewSMSWebhook: %v", err)
	}
	message := "【HKU SPACE】\"quoted\" \\ back-slash\nnew line 重設密碼驗證碼：493027"
	if err := sender.Send(context.Background(), Rendered{Channel: api.ChannelSMS, To: "+85291234534", Body: message}); err != nil {
		t.Fatalf("Send: %v", err)
	}
	reqs := gw.Requests()
	if len(reqs) != 1 {
		t.Fatalf("gateway got %d requests, want 1", len(reqs))
	}
	if ct := reqs[0].Header.Get("Content-Type"); ct != "application/vnd.gateway+json" {
		t.Errorf("Content-Type = %q", ct)
	}
	var body map[string]string
	if err := json.Unmarshal(reqs[0].Body, &body); err != nil {
		t.Fatalf("templated body is not JSON: %v: %s", err, reqs[0].Body)
	}
	want := map[string]string{"msisdn": "85291234534", "e164": "+85291234534", "text": message, "from": "ITHELP"}
	for k, v := range want {
		if body[k] != v {
			t.Errorf("%s = %q, want %q", k, body[k], v)
		}
	}
}

func TestSMSWebhookClassifiesAnswers(t *testing.T) {
	tests := []struct {
		status        int
		wantErr       bool
		wantPermanent bool
	}{
		{http.StatusOK, false, false},
		{http.StatusAccepted, false, false},
		{http.StatusFound, true, true},
		{http.StatusBadRequest, true, true},
		{http.StatusUnauthorized, true, true},
		{http.StatusNotFound, true, true},
		{http.StatusRequestTimeout, true, false},
		{http.StatusTooManyRequests, true, false},
		{http.StatusInternalServerError, true, false},
		{http.StatusBadGateway, true, false},
		{http.StatusServiceUnavailable, true, false},
	}
	for _, tt := range tests {
		t.Run(http.StatusText(tt.status), func(t *testing.T) {
			gw := startGateway(t, tt.status)
			sender, err := NewSMSWebhook(SMSConfig{
				URL:     gw.URL + "/send?api_key=query-secret",
				Headers: []string{"Authorization: Bearer header-secret"},
			})
			if err != nil {
				t.Fatal(err)
			}
			r := renderTest(t, service.MessageCode, api.ChannelSMS)
			err = sender.Send(context.Background(), r)
			if (err != nil) != tt.wantErr {
				t.Fatalf("Send error = %v, want error %v", err, tt.wantErr)
			}
			if err == nil {
				return
			}
			if IsPermanent(err) != tt.wantPermanent {
				t.Errorf("IsPermanent(%v) = %v, want %v", err, IsPermanent(err), tt.wantPermanent)
			}
			for _, secret := range []string{"query-secret", "header-secret", r.Code, r.To, "echo"} {
				if strings.Contains(err.Error(), secret) {
					t.Errorf("error %q contains %q", err, secret)
				}
			}
		})
	}
}

func TestSMSWebhookNetworkFailureIsRetryable(t *testing.T) {
	sender, err := NewSMSWebhook(SMSConfig{URL: "http://" + freeAddr(t) + "/send?key=query-secret", Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	err = sender.Send(context.Background(), renderTest(t, service.MessageCode, api.ChannelSMS))
	if err == nil || IsPermanent(err) {
		t.Fatalf("Send error = %v, want a retryable error", err)
	}
	if strings.Contains(err.Error(), "query-secret") {
		t.Errorf("error %q repeats the URL's query", err)
	}
}

func TestSMSWebhookRefusesANonE164Destination(t *testing.T) {
	gw := startGateway(t, http.StatusOK)
	sender, err := NewSMSWebhook(SMSConfig{URL: gw.URL})
	if err != nil {
		t.Fatal(err)
	}
	err = sender.Send(context.Background(), Rendered{Channel: api.ChannelSMS, To: "91234534", Body: "x"})
	if !IsPermanent(err) {
		t.Errorf("Send error = %v, want a permanent error", err)
	}
	if n := len(gw.Requests()); n != 0 {
		t.Errorf("gateway got %d requests", n)
	}
}

func TestNewSMSWebhookRefusesBadConfiguration(t *testing.T) {
	tests := []struct {
		name string
		cfg  SMSConfig
	}{
		{"no URL", SMSConfig{}},
		{"relative URL", SMSConfig{URL: "/send"}},
		{"other scheme", SMSConfig{URL: "ftp://gateway.example/send"}},
		{"header without colon", SMSConfig{URL: "https://gw.example", Headers: []string{"Bearer header-secret"}}},
		{"header name with space", SMSConfig{URL: "https://gw.example", Headers: []string{"Api Key: header-secret"}}},
		{"header value with a line break", SMSConfig{URL: "https://gw.example", Headers: []string{"X-Key: header-secret\r\nX-Other: 1"}}},
		{"Host header", SMSConfig{URL: "https://gw.example", Headers: []string{"Host: header-secret"}}},
		{"Content-Length header", SMSConfig{URL: "https://gw.example", Headers: []string{"Content-Length: 1"}}},
		{"template that does not parse", SMSConfig{URL: "https://gw.example", BodyTemplate: `{"to": {{json .To}`}},
		{"template with an unknown field", SMSConfig{URL: "https://gw.example", BodyTemplate: `{"to": {{json .Phone}}}`}},
		{"missing CA file", SMSConfig{URL: "https://gw.example", CAFile: "/nonexistent/ca.pem"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewSMSWebhook(tt.cfg)
			if err == nil {
				t.Fatal("NewSMSWebhook accepted it")
			}
			if strings.Contains(err.Error(), "header-secret") {
				t.Errorf("error %q repeats a header value", err)
			}
		})
	}
}

func TestSMSWebhookOverTLSWithCAFile(t *testing.T) {
	pki := newTestPKI(t)
	var got atomic.Int32
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { got.Add(1) }))
	srv.TLS = pki.server
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshake below
	srv.StartTLS()
	t.Cleanup(srv.Close)

	trusting, err := NewSMSWebhook(SMSConfig{URL: srv.URL, CAFile: pki.caFile})
	if err != nil {
		t.Fatal(err)
	}
	r := renderTest(t, service.MessageCode, api.ChannelSMS)
	if err := trusting.Send(context.Background(), r); err != nil {
		t.Fatalf("Send with the CA file: %v", err)
	}
	systemRoots, err := NewSMSWebhook(SMSConfig{URL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	if err := systemRoots.Send(context.Background(), r); err == nil || IsPermanent(err) {
		t.Errorf("Send without the CA file: %v, want a retryable TLS error", err)
	}
	if n := got.Load(); n != 1 {
		t.Errorf("gateway got %d requests, want 1", n)
	}
}
