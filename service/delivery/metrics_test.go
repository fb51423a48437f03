package delivery

import (
	"bytes"
	"errors"
	"log/slog"
	"maps"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"casreset/api"
	"casreset/internal/testkit/storetest"
	"casreset/service"
)

// gather reads every sample of the registry as "name{label=value,…}" →
// value.
func gather(t *testing.T, reg *prometheus.Registry) map[string]float64 {
	t.Helper()
	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]float64{}
	for _, f := range families {
		for _, m := range f.GetMetric() {
			var labels []string
			for _, l := range m.GetLabel() {
				labels = append(labels, l.GetName()+"="+l.GetValue())
			}
			key := f.GetName() + "{" + strings.Join(labels, ",") + "}"
			switch {
			case m.GetCounter() != nil:
				out[key] = m.GetCounter().GetValue()
			case m.GetGauge() != nil:
				out[key] = m.GetGauge().GetValue()
			}
		}
	}
	return out
}

func TestWorkerMetrics(t *testing.T) {
	store := storetest.SQLite(t)
	clock := service.NewManualClock(t0)
	email := &recordingSender{}
	sms := &recordingSender{err: errors.New("gateway unreachable")}
	w := newTestWorker(t, store, clock, map[api.Channel]Sender{api.ChannelEmail: email, api.ChannelSMS: sms})
	reg := prometheus.NewRegistry()
	for _, c := range w.Collectors() {
		if err := reg.Register(c); err != nil {
			t.Fatalf("register: %v", err)
		}
	}

	before := gather(t, reg)
	if v, ok := before["resetd_delivery_messages_failed_total{channel=sms,reason=refused}"]; !ok || v != 0 {
		t.Errorf("series should exist at zero before any message, got %v %v", v, ok)
	}

	queue(t, store, testMessage(service.MessageCode, api.ChannelEmail))
	queue(t, store, testMessage(service.MessageCode, api.ChannelSMS))
	clock.Advance(30 * time.Second)
	if age := gather(t, reg)["resetd_delivery_oldest_queued_age_seconds{}"]; age != 30 {
		t.Errorf("oldest queued age = %v, want 30", age)
	}

	runOnce(t, w) // e-mail sent, SMS retried
	sms.mu.Lock()
	sms.err = Permanent(errors.New("refused"))
	sms.mu.Unlock()
	clock.Advance(time.Minute)
	runOnce(t, w) // SMS refused

	got := gather(t, reg)
	want := map[string]float64{
		"resetd_delivery_messages_queued_total{channel=email}":                1,
		"resetd_delivery_messages_queued_total{channel=sms}":                  1,
		"resetd_delivery_messages_sent_total{channel=email}":                  1,
		"resetd_delivery_messages_sent_total{channel=sms}":                    0,
		"resetd_delivery_messages_retried_total{channel=sms}":                 1,
		"resetd_delivery_messages_failed_total{channel=sms,reason=refused}":   1,
		"resetd_delivery_messages_failed_total{channel=sms,reason=expired}":   0,
		"resetd_delivery_messages_failed_total{channel=email,reason=refused}": 0,
		"resetd_delivery_oldest_queued_age_seconds{}":                         0,
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %v, want %v", k, got[k], v)
		}
	}
}

// A reminder is queued only when its contact matched an account; the
// metrics must stay as they would have been without it.
func TestWorkerMetricsDoNotCountReminders(t *testing.T) {
	store := storetest.SQLite(t)
	clock := service.NewManualClock(t0)
	w := newTestWorker(t, store, clock, map[api.Channel]Sender{api.ChannelEmail: &recordingSender{}, api.ChannelSMS: &recordingSender{}})
	reg := prometheus.NewRegistry()
	for _, c := range w.Collectors() {
		if err := reg.Register(c); err != nil {
			t.Fatalf("register: %v", err)
		}
	}
	before := gather(t, reg)

	id := queue(t, store, testMessage(service.MessageReminder, api.ChannelEmail))
	clock.Advance(30 * time.Second)
	if got := gather(t, reg); !maps.Equal(got, before) {
		t.Errorf("a queued reminder moved the metrics:\nbefore %v\nafter  %v", before, got)
	}
	runOnce(t, w)
	if got := gather(t, reg); !maps.Equal(got, before) {
		t.Errorf("a sent reminder moved the metrics:\nbefore %v\nafter  %v", before, got)
	}
	if m := readMessage(t, store, id); m.Status != api.DeliverySent {
		t.Fatalf("the reminder was not sent: %+v", m)
	}
}

func TestWorkerLogsNoSecrets(t *testing.T) {
	store := storetest.SQLite(t)
	clock := service.NewManualClock(t0)
	var logs bytes.Buffer
	w := NewWorker(store, map[api.Channel]Sender{
		api.ChannelEmail: &recordingSender{},
		api.ChannelSMS:   &recordingSender{err: errors.New("gateway unreachable")},
	}, testOrg(), clock, slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})))
	w.Jitter = ceilingJitter
	email := testMessage(service.MessageCode, api.ChannelEmail)
	sms := testMessage(service.MessageReminder, api.ChannelSMS)
	queue(t, store, email)
	queue(t, store, sms)
	runOnce(t, w)

	out := logs.String()
	for _, want := range []string{`"message_id":1`, `"kind":"code"`, `"channel":"email"`, `"outcome":"sent"`, `"outcome":"retry"`, "gateway unreachable"} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %s:\n%s", want, out)
		}
	}
	for _, secret := range []string{"493027", email.To, sms.To, "91234534", "12345678", "Chan Tai Man", "validation code is"} {
		if strings.Contains(out, secret) {
			t.Errorf("log contains %q:\n%s", secret, out)
		}
	}
}
