package delivery

import (
	"context"
	"math"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"casreset/api"
	"casreset/service"
)

// Reasons a message failed, the "reason" label of the failed counter.
const (
	reasonExpired = "expired" // its code expired before it could be sent
	reasonRefused = "refused" // the transport refused it for good
	reasonInvalid = "invalid" // no sender for its channel, or it cannot be rendered
)

// metrics of the delivery queue, by channel. Staff-number reminders are
// not counted: a reminder is queued only when the contact matched an
// account, and the reminder's answer is the same either way, so counting
// it would tell whoever reads the metrics what the answer hides. The log
// and the message's row still say how each reminder went.
type metrics struct {
	queued  *prometheus.CounterVec
	sent    *prometheus.CounterVec
	retried *prometheus.CounterVec
	failed  *prometheus.CounterVec
	oldest  prometheus.GaugeFunc
}

func newMetrics(store service.Store, clock service.Clock) *metrics {
	m := &metrics{
		queued: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "resetd_delivery_messages_queued_total",
			Help: "Messages taken from the queue for their first attempt, by channel.",
		}, []string{"channel"}),
		sent: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "resetd_delivery_messages_sent_total",
			Help: "Messages accepted by the mail server, the SMS gateway or the outbox, by channel.",
		}, []string{"channel"}),
		retried: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "resetd_delivery_messages_retried_total",
			Help: "Failed attempts that were scheduled for another try, by channel.",
		}, []string{"channel"}),
		failed: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "resetd_delivery_messages_failed_total",
			Help: "Messages given up, by channel and reason (expired, refused, invalid).",
		}, []string{"channel", "reason"}),
	}
	m.oldest = prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "resetd_delivery_oldest_queued_age_seconds",
		Help: "Age of the oldest message still queued in the shared database (0 when none).",
	}, func() float64 { return oldestQueuedAge(store, clock) })

	// Start every series at zero so that rates and alerts work from the
	// first scrape.
	for _, ch := range api.Channels() {
		m.queued.WithLabelValues(string(ch))
		m.sent.WithLabelValues(string(ch))
		m.retried.WithLabelValues(string(ch))
		for _, r := range []string{reasonExpired, reasonRefused, reasonInvalid} {
			m.failed.WithLabelValues(string(ch), r)
		}
	}
	return m
}

// count adds one to vec's series of msg's channel and the other labels,
// unless msg is a staff-number reminder (see metrics).
func (m *metrics) count(vec *prometheus.CounterVec, msg service.Message, labels ...string) {
	if msg.Kind == service.MessageReminder {
		return
	}
	vec.WithLabelValues(append([]string{string(msg.Channel)}, labels...)...).Inc()
}

func (m *metrics) collectors() []prometheus.Collector {
	return []prometheus.Collector{m.queued, m.sent, m.retried, m.failed, m.oldest}
}

// oldestQueuedAge reads the queue at scrape time; NaN tells the scraper
// that the database could not be read.
func oldestQueuedAge(store service.Store, clock service.Clock) float64 {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	var oldest time.Time
	err := store.View(ctx, func(tx service.Tx) error {
		var err error
		oldest, err = tx.OldestQueued()
		return err
	})
	if err != nil {
		return math.NaN()
	}
	if oldest.IsZero() {
		return 0
	}
	return max(clock.Now().Sub(oldest).Seconds(), 0)
}
