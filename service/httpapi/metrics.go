package httpapi

import (
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"casreset/api"
	"casreset/service"
)

// NewRegistry returns a private registry with the Go runtime and process
// collectors, the usual base of a service's /metrics.
func NewRegistry() *prometheus.Registry {
	reg := prometheus.NewRegistry()
	reg.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
	)
	return reg
}

// MetricsHandler serves reg in the Prometheus text format. It belongs on a
// listener of its own that only monitoring can reach: the counters describe
// everyone's traffic.
func MetricsHandler(reg *prometheus.Registry, log *slog.Logger) http.Handler {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return promhttp.HandlerFor(reg, promhttp.HandlerOpts{
		ErrorLog:      slogPrinter{log},
		ErrorHandling: promhttp.ContinueOnError,
	})
}

// metrics of the adapter. The domain counters are derived from the
// service's audit events, so they count outcomes exactly as the audit does,
// with one exception: the outcomes of a staff-number reminder (sent, or no
// single eligible account) are counted together, as resetd_reminders_total,
// because the reminder answers 202 either way and no number may tell an
// outsider's two requests apart.
type metrics struct {
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
	inFlight prometheus.Gauge

	events         *prometheus.CounterVec
	flowsStarted   prometheus.Counter
	flowsCompleted prometheus.Counter
	codesSent      *prometheus.CounterVec
	limitsHit      *prometheus.CounterVec
	reminders      prometheus.Counter
}

// Limits named in the "limit" label; the service's audit detail says which
// one was hit.
var limitNames = map[string]string{
	"starts per address":         "starts_per_address",
	"resend cool-down":           "resend_cooldown",
	"sends per flow":             "sends_per_flow",
	"sends per account":          "sends_per_account",
	"reminders per address":      "reminders_per_address",
	"reminders per contact":      "reminders_per_contact",
	"captchas per address":       "captchas_per_address",
	"wrong captchas per address": "wrong_captchas_per_address",
	"wrong codes per account":    "wrong_codes_per_account",
	// The help desk's; the operator's name follows after ": ".
	"operator sign-ins per username": "operator_signins_per_username",
	"operator sign-ins per address":  "operator_signins_per_address",
}

func newMetrics(reg *prometheus.Registry, extra []prometheus.Collector) *metrics {
	m := &metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "resetd_http_requests_total",
			Help: "HTTP requests answered, by route pattern and status.",
		}, []string{"route", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "resetd_http_request_duration_seconds",
			Help: "Time to answer HTTP requests, by route pattern.",
			// Password changes hash with Argon2id, so the buckets reach
			// into seconds.
			Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"route"}),
		inFlight: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "resetd_http_requests_in_flight",
			Help: "HTTP requests being answered now.",
		}),
		events: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "resetd_audit_events_total",
			Help: "Audit events recorded, by event name (OWASP logging vocabulary).",
		}, []string{"event"}),
		flowsStarted: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "resetd_flows_started_total",
			Help: "Reset flows started (staff number and CAPTCHA accepted).",
		}),
		flowsCompleted: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "resetd_flows_completed_total",
			Help: "Reset flows completed with a password change.",
		}),
		codesSent: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "resetd_codes_sent_total",
			Help: "Validation codes created and queued for delivery, by channel.",
		}, []string{"channel"}),
		limitsHit: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "resetd_limits_hit_total",
			Help: "Requests refused by a rate limit, by limit.",
		}, []string{"limit"}),
		reminders: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "resetd_reminders_total",
			Help: "Staff-number reminders past the CAPTCHA and the limits, whether or not the contact matched an account (which no metric tells).",
		}),
	}
	reg.MustRegister(m.requests, m.duration, m.inFlight, m.events, m.flowsStarted, m.flowsCompleted, m.codesSent, m.limitsHit, m.reminders)
	reg.MustRegister(extra...)

	// Start the series people alert on at zero.
	for _, ch := range api.Channels() {
		m.codesSent.WithLabelValues(string(ch))
	}
	for _, l := range limitNames {
		m.limitsHit.WithLabelValues(l)
	}
	return m
}

func (m *metrics) observeRequest(route string, status int, d time.Duration) {
	m.requests.WithLabelValues(route, strconv.Itoa(status)).Inc()
	m.duration.WithLabelValues(route).Observe(d.Seconds())
}

// observeEvent counts an audit event. Labels come only from fixed sets, so
// that no request can grow the number of series.
func (m *metrics) observeEvent(ev service.AuditEvent) {
	if service.IsReminderOutcome(ev) {
		m.reminders.Inc()
		return
	}
	m.events.WithLabelValues(ev.Event).Inc()
	switch ev.Event {
	case service.EventResetStarted:
		m.flowsStarted.Inc()
	case service.EventPasswordChanged:
		m.flowsCompleted.Inc()
	case service.EventCodeSent:
		ch := "other"
		for _, c := range api.Channels() {
			if strings.HasSuffix(ev.Detail, " "+string(c)) {
				ch = string(c)
			}
		}
		m.codesSent.WithLabelValues(ch).Inc()
	case service.EventRateLimited:
		limit := "other"
		why := strings.TrimPrefix(ev.Detail, string(api.CodeRateLimited)+": ")
		why, _, _ = strings.Cut(why, ": ")
		if name, ok := limitNames[why]; ok {
			limit = name
		}
		m.limitsHit.WithLabelValues(limit).Inc()
	}
}

// slogPrinter lets promhttp report scrape errors to the service's log.
type slogPrinter struct{ log *slog.Logger }

func (p slogPrinter) Println(v ...any) {
	p.log.Warn("metrics", "error", strings.TrimSuffix(fmt.Sprintln(v...), "\n"))
}
