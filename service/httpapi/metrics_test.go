package httpapi_test

import (
	"bytes"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"casreset/api"
	"casreset/internal/testkit/promtest"
	"casreset/service"
	"casreset/service/httpapi"
)

func TestMetricsCountRequestsFlowsCodesAndLimits(t *testing.T) {
	extra := prometheus.NewCounter(prometheus.CounterOpts{Name: "resetd_test_extra_total", Help: "A collector handed in."})
	var (
		mu     sync.Mutex
		hooked []string
	)
	reg := httpapi.NewRegistry()
	h := newHarness(t, func(c *service.Config, o *httpapi.Options) {
		o.Registry = reg
		o.Collectors = []prometheus.Collector{extra}
		o.OnEvent = func(ev service.AuditEvent) {
			mu.Lock()
			defer mu.Unlock()
			hooked = append(hooked, ev.Event)
		}
	})

	tok := h.verified(acctBoth.StaffNumber)
	if resp := h.setPassword(tok, goodPassword); resp.StatusCode != http.StatusOK {
		t.Fatalf("password: %d %s", resp.StatusCode, resp.body)
	}
	tok = h.start(acctBoth.StaffNumber).ResetToken
	h.sendCode(tok, api.ChannelSMS)
	problem(t, h.do(req{method: "POST", path: "/v1/resets/current/code", token: tok, body: api.SendCodeRequest{Channel: api.ChannelSMS}}), api.CodeRateLimited)
	h.clock.Advance(time.Minute)
	h.do(req{method: "GET", path: "/v1/nothing"})

	text := scrape(t, reg)
	for _, line := range []string{
		`resetd_flows_started_total 2`,
		`resetd_flows_completed_total 1`,
		`resetd_codes_sent_total{channel="email"} 1`,
		`resetd_codes_sent_total{channel="sms"} 1`,
		`resetd_limits_hit_total{limit="resend_cooldown"} 1`,
		`resetd_limits_hit_total{limit="starts_per_address"} 0`,
		`resetd_http_requests_total{route="POST /v1/resets",status="201"} 2`,
		`resetd_http_requests_total{route="POST /v1/resets/current/code",status="429"} 1`,
		`resetd_http_requests_total{route="unmatched",status="404"} 1`,
		`resetd_http_request_duration_seconds_count{route="PUT /v1/resets/current/password"} 1`,
		`resetd_audit_events_total{event="authn_password_change"} 1`,
		`resetd_test_extra_total 0`,
		`go_goroutines `,
	} {
		if !strings.Contains(text, line) {
			t.Errorf("metrics lack %q", line)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if len(hooked) == 0 || hooked[0] != service.EventResetStarted {
		t.Errorf("OnEvent saw %v", hooked)
	}
}

// scrape reads reg through MetricsHandler, as Prometheus would.
func scrape(t *testing.T, reg *prometheus.Registry) string {
	t.Helper()
	w := httptest.NewRecorder()
	httpapi.MetricsHandler(reg, nil).ServeHTTP(w, httptest.NewRequest("GET", "/metrics", nil))
	if w.Code != http.StatusOK {
		t.Fatalf("GET /metrics: %d %s", w.Code, w.Body)
	}
	return w.Body.String()
}

func TestMetricsAreNotOnThePublicListener(t *testing.T) {
	h := newHarness(t)
	problem(t, h.do(req{method: "GET", path: "/metrics"}), api.CodeNotFound)
}

// A reminder answers 202 whether or not the contact is registered; the
// metrics must not tell the two apart either. Only the time each request
// took may differ (its histogram is left out): that the answer's own
// timing shows as much.
func TestRemindersForKnownAndUnknownContactsMoveTheMetricsAlike(t *testing.T) {
	reg := httpapi.NewRegistry()
	h := newHarness(t, func(_ *service.Config, o *httpapi.Options) { o.Registry = reg })
	samples := func() map[string]float64 {
		s, err := promtest.Samples(scrape(t, reg))
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	remind := func(contact string) (response, map[string]float64) {
		before := samples()
		id, answer := h.captcha()
		resp := h.do(req{method: "POST", path: "/v1/staff-number-reminders", body: api.ReminderRequest{Contact: contact, CaptchaID: id, CaptchaAnswer: answer}})
		return resp, promtest.Moved(before, samples())
	}
	knownResp, known := remind(acctBoth.Email)
	unknownResp, unknown := remind("nobody@example.edu.hk")
	if knownResp.StatusCode != http.StatusAccepted || unknownResp.StatusCode != http.StatusAccepted || !bytes.Equal(knownResp.body, unknownResp.body) {
		t.Errorf("answers differ: %d %s vs %d %s", knownResp.StatusCode, knownResp.body, unknownResp.StatusCode, unknownResp.body)
	}
	if len(known) == 0 {
		t.Fatal("a reminder moved no metric at all; the comparison would prove nothing")
	}
	if !maps.Equal(known, unknown) {
		t.Errorf("the metrics moved differently:\nknown contact   %v\nunknown contact %v", known, unknown)
	}
	// The store's first message is the known contact's reminder, and
	// there is no second.
	err := h.store.View(t.Context(), func(tx service.Tx) error {
		m, err := tx.Message(1)
		if err != nil || m.Kind != service.MessageReminder {
			return fmt.Errorf("message 1 is %+v (%v), want the known contact's reminder", m, err)
		}
		if _, err := tx.Message(2); !errors.Is(err, service.ErrNotFound) {
			return fmt.Errorf("a second message (%v): the unknown contact got one", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestClientAddressComesFromTheConnectionUnlessAProxyIsTrusted(t *testing.T) {
	tests := []struct {
		name    string
		proxies []netip.Prefix
		xff     string
		want    string
	}{
		{"no proxy trusted: header ignored", nil, "203.0.113.7", "127.0.0.1"},
		{"trusted proxy", []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}, "203.0.113.7", "203.0.113.7"},
		{"right-most untrusted hop wins", []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}, "198.51.100.1, 203.0.113.7", "203.0.113.7"},
		{"chain of trusted proxies", []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("10.0.0.0/8")}, "203.0.113.7, 10.1.2.3", "203.0.113.7"},
		{"damaged header stops at the proxy", []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}, "not-an-address", "127.0.0.1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, func(_ *service.Config, o *httpapi.Options) { o.TrustedProxies = tt.proxies })
			id, answer := h.captcha()
			resp := h.do(req{method: "POST", path: "/v1/resets",
				body:   api.StartRequest{StaffNumber: "99999999", CaptchaID: id, CaptchaAnswer: answer},
				header: map[string]string{"X-Forwarded-For": tt.xff}})
			p := problem(t, resp, api.CodeAccountNotFound)
			events := h.audit(p.Reference)
			if len(events) != 1 || events[0].ClientAddr != tt.want {
				t.Errorf("audit = %+v, want client %s", events, tt.want)
			}
		})
	}
}

func TestInternalErrorsAreLoggedWithTheReferenceAndAnsweredGenerically(t *testing.T) {
	h := &harness{t: t, store: newStore(t, true), clock: service.NewManualClock(t0), logBuf: &syncBuffer{}}
	h.serve()
	h.store.(*brokenStore).broken.Store(true)
	p := problem(t, h.do(req{method: "POST", path: "/v1/captchas"}), api.CodeInternal)
	if strings.Contains(p.Detail, "malformed") {
		t.Errorf("detail leaks the cause: %q", p.Detail)
	}
	var found bool
	for _, line := range strings.Split(h.logBuf.String(), "\n") {
		if strings.Contains(line, p.Reference) && strings.Contains(line, "malformed") {
			found = true
		}
	}
	if !found {
		t.Errorf("no log line holds both the reference %s and the cause:\n%s", p.Reference, h.logBuf.String())
	}
}
