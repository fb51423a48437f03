package delivery

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"casreset/api"
	"casreset/assets"
	"casreset/internal/testkit/storetest"
	"casreset/service"
)

func newTestWorker(t *testing.T, store service.Store, clock service.Clock, senders map[api.Channel]Sender) *Worker {
	t.Helper()
	w := NewWorker(store, senders, testOrg(), clock, nil)
	w.Jitter = ceilingJitter
	return w
}

func TestWorkerSendsAndForgetsTheCode(t *testing.T) {
	store := storetest.SQLite(t)
	clock := service.NewManualClock(t0)
	outbox, err := NewOutbox(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	w := newTestWorker(t, store, clock, map[api.Channel]Sender{api.ChannelEmail: outbox, api.ChannelSMS: outbox})
	email := queue(t, store, testMessage(service.MessageCode, api.ChannelEmail))
	sms := queue(t, store, testMessage(service.MessageCode, api.ChannelSMS))

	if n := runOnce(t, w); n != 2 {
		t.Fatalf("RunOnce claimed %d, want 2", n)
	}
	msgs, err := ReadOutbox(outbox.Dir())
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) != 2 {
		t.Fatalf("outbox holds %d messages, want 2", len(msgs))
	}
	for _, m := range msgs {
		if m.Code != "493027" || !strings.Contains(m.Body, "493027") {
			t.Errorf("outbox message %+v lacks the code", m)
		}
	}
	for _, id := range []int64{email, sms} {
		m := readMessage(t, store, id)
		if m.Status != api.DeliverySent || !m.SentAt.Equal(t0) || m.Attempts != 1 {
			t.Errorf("message %d: status %q, sent at %v, attempts %d", id, m.Status, m.SentAt, m.Attempts)
		}
		if len(m.Params) != 0 {
			t.Errorf("message %d keeps its parameters after sending: %v", id, m.Params)
		}
		if m.LeaseOwner != "" || !m.LeaseUntil.IsZero() || m.LastError != "" {
			t.Errorf("message %d: lease %q until %v, last error %q", id, m.LeaseOwner, m.LeaseUntil, m.LastError)
		}
	}
	if n := runOnce(t, w); n != 0 {
		t.Errorf("a second RunOnce claimed %d", n)
	}
}

// TestWorkerSendsEachMessageInItsLanguage queues a code for a reader of
// each language through the store and finds each SMS in the outbox in
// that language, as testdata/messages records it.
func TestWorkerSendsEachMessageInItsLanguage(t *testing.T) {
	store := storetest.SQLite(t)
	clock := service.NewManualClock(t0)
	outbox, err := NewOutbox(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	w := newTestWorker(t, store, clock, map[api.Channel]Sender{api.ChannelSMS: outbox})
	want := map[string]string{} // recipient → body
	for i, l := range assets.Languages() {
		m := testMessage(service.MessageCode, api.ChannelSMS)
		m.To = fmt.Sprintf("+8529123450%d", i)
		m.Language = l.Tag
		queue(t, store, m)
		want[m.To] = strings.TrimSuffix(readGolden(t, filepath.Join("testdata", "messages", l.Tag, "code.sms.txt")), "\n")
	}
	runOnce(t, w)
	msgs, err := ReadOutbox(outbox.Dir())
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) != len(want) {
		t.Fatalf("outbox holds %d messages, want %d", len(msgs), len(want))
	}
	for _, m := range msgs {
		if m.Body != want[m.To] {
			t.Errorf("SMS to %s: %q, want %q", m.To, m.Body, want[m.To])
		}
	}
}

// drive runs the worker and moves the clock to each next attempt until the
// message is no longer queued; before each run, beforeRun may change the
// world (start a server).
func drive(t *testing.T, w *Worker, store service.Store, clock *service.ManualClock, id int64, beforeRun func(now time.Time)) service.Message {
	t.Helper()
	for range 100 {
		if beforeRun != nil {
			beforeRun(clock.Now())
		}
		runOnce(t, w)
		m := readMessage(t, store, id)
		if m.Status != api.DeliveryQueued {
			return m
		}
		if !m.NextAttemptAt.After(clock.Now()) {
			t.Fatalf("message %d is still queued but not scheduled later (next %v, now %v)", id, m.NextAttemptAt, clock.Now())
		}
		clock.Set(m.NextAttemptAt)
	}
	t.Fatalf("message %d still queued after 100 runs", id)
	return service.Message{}
}

func TestWorkerDeliversOnceWhenTheMailServerComesBack(t *testing.T) {
	store := storetest.SQLite(t)
	clock := service.NewManualClock(t0)
	addr := freeAddr(t) // the mail server is down when the code is queued
	sender, err := NewSMTP(SMTPConfig{Addr: addr, From: "no-reply@example.edu.hk", TLS: SMTPTLSNone, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	w := newTestWorker(t, store, clock, map[api.Channel]Sender{api.ChannelEmail: sender})
	id := queue(t, store, testMessage(service.MessageCode, api.ChannelEmail))

	var srv *testMailServer
	m := drive(t, w, store, clock, id, func(now time.Time) {
		if srv == nil && !now.Before(t0.Add(5*time.Second)) {
			srv = startMailServer(t, mailServerOptions{TLS: SMTPTLSNone, Addr: addr})
		}
	})

	if srv == nil {
		t.Fatalf("the message settled (%q) before the mail server came back", m.Status)
	}
	// Attempts at +0 s and +2 s fail; the retry at +6 s (backoff 2 s, 4 s)
	// finds the server up.
	if m.Status != api.DeliverySent || m.Attempts != 3 || !m.SentAt.Equal(t0.Add(6*time.Second)) {
		t.Errorf("status %q after %d attempts, sent at %v", m.Status, m.Attempts, m.SentAt)
	}
	clock.Advance(time.Hour)
	runOnce(t, w)
	mails := srv.Mails()
	if len(mails) != 1 {
		t.Fatalf("mail server received %d mails, want exactly 1", len(mails))
	}
	if text := parseMail(t, mails[0].Raw).Text; !strings.Contains(text, "493027") {
		t.Errorf("the mail lacks the code:\n%s", text)
	}
}

func TestWorkerNeverSendsAnExpiredCode(t *testing.T) {
	t.Run("mail server down for longer than the code's life", func(t *testing.T) {
		store := storetest.SQLite(t)
		clock := service.NewManualClock(t0)
		addr := freeAddr(t)
		sender, err := NewSMTP(SMTPConfig{Addr: addr, From: "no-reply@example.edu.hk", TLS: SMTPTLSNone, Timeout: 5 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		w := newTestWorker(t, store, clock, map[api.Channel]Sender{api.ChannelEmail: sender})
		queued := testMessage(service.MessageCode, api.ChannelEmail)
		id := queue(t, store, queued)

		m := drive(t, w, store, clock, id, nil)
		if m.Status != api.DeliveryFailed {
			t.Fatalf("status %q, want failed", m.Status)
		}
		if m.Attempts < 5 {
			t.Errorf("only %d attempts in the code's life", m.Attempts)
		}
		if clock.Now().After(queued.NotAfter) {
			t.Errorf("last attempt at %v, after the code expired at %v", clock.Now(), queued.NotAfter)
		}
		if len(m.Params) != 0 || m.LastError == "" {
			t.Errorf("failed message: params %v, last error %q", m.Params, m.LastError)
		}

		// The server comes back after the code expired: nothing goes out.
		srv := startMailServer(t, mailServerOptions{TLS: SMTPTLSNone, Addr: addr})
		clock.Set(queued.NotAfter.Add(time.Minute))
		if n := runOnce(t, w); n != 0 {
			t.Errorf("RunOnce claimed %d failed messages", n)
		}
		if got := len(srv.Mails()); got != 0 {
			t.Errorf("mail server received %d mails, want none", got)
		}
	})

	t.Run("code expired while queued", func(t *testing.T) {
		store := storetest.SQLite(t)
		clock := service.NewManualClock(t0.Add(10 * time.Minute)) // the moment the code expires
		sender := &recordingSender{}
		w := newTestWorker(t, store, clock, map[api.Channel]Sender{api.ChannelEmail: sender})
		id := queue(t, store, testMessage(service.MessageCode, api.ChannelEmail))

		runOnce(t, w)
		m := readMessage(t, store, id)
		if m.Status != api.DeliveryFailed || m.Attempts != 0 || len(m.Params) != 0 {
			t.Errorf("status %q, attempts %d, params %v", m.Status, m.Attempts, m.Params)
		}
		if n := len(sender.Sent()); n != 0 {
			t.Errorf("sent %d messages", n)
		}
	})
}

func TestWorkerGivesUpNoticesAfterMaxAge(t *testing.T) {
	store := storetest.SQLite(t)
	clock := service.NewManualClock(t0)
	sender := &recordingSender{err: errors.New("gateway unreachable")}
	w := newTestWorker(t, store, clock, map[api.Channel]Sender{api.ChannelSMS: sender})
	w.MaxAge = time.Hour
	id := queue(t, store, testMessage(service.MessageNotice, api.ChannelSMS)) // no NotAfter

	m := drive(t, w, store, clock, id, nil)
	if m.Status != api.DeliveryFailed || clock.Now().After(t0.Add(time.Hour)) {
		t.Errorf("status %q at %v", m.Status, clock.Now())
	}
}

func TestWorkerSMSRetriesAServerErrorAndDeliversOnce(t *testing.T) {
	store := storetest.SQLite(t)
	clock := service.NewManualClock(t0)
	gw := startGateway(t, http.StatusInternalServerError, http.StatusOK)
	sender, err := NewSMSWebhook(SMSConfig{URL: gw.URL})
	if err != nil {
		t.Fatal(err)
	}
	w := newTestWorker(t, store, clock, map[api.Channel]Sender{api.ChannelSMS: sender})
	id := queue(t, store, testMessage(service.MessageCode, api.ChannelSMS))

	m := drive(t, w, store, clock, id, nil)
	if m.Status != api.DeliverySent || m.Attempts != 2 {
		t.Errorf("status %q after %d attempts", m.Status, m.Attempts)
	}
	clock.Advance(time.Hour)
	runOnce(t, w)
	if reqs := gw.Requests(); len(reqs) != 2 {
		t.Errorf("gateway got %d requests, want 2 (one refused, one delivered)", len(reqs))
	}
}

func TestWorkerSMSClientErrorFailsWithoutRetry(t *testing.T) {
	store := storetest.SQLite(t)
	clock := service.NewManualClock(t0)
	gw := startGateway(t, http.StatusBadRequest)
	sender, err := NewSMSWebhook(SMSConfig{URL: gw.URL})
	if err != nil {
		t.Fatal(err)
	}
	w := newTestWorker(t, store, clock, map[api.Channel]Sender{api.ChannelSMS: sender})
	id := queue(t, store, testMessage(service.MessageCode, api.ChannelSMS))

	runOnce(t, w)
	m := readMessage(t, store, id)
	if m.Status != api.DeliveryFailed || m.Attempts != 1 || len(m.Params) != 0 {
		t.Errorf("status %q, attempts %d, params %v", m.Status, m.Attempts, m.Params)
	}
	for range 5 {
		clock.Advance(time.Minute)
		runOnce(t, w)
	}
	if reqs := gw.Requests(); len(reqs) != 1 {
		t.Errorf("gateway got %d requests, want 1", len(reqs))
	}
}

func TestWorkerFailsWhatItCannotSend(t *testing.T) {
	tests := []struct {
		name   string
		change func(*service.Message)
	}{
		{"no sender for the channel", func(m *service.Message) { m.Channel = api.ChannelSMS; m.To = "+85291234534" }},
		{"cannot be rendered", func(m *service.Message) { delete(m.Params, paramCode) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			store := storetest.SQLite(t)
			sender := &recordingSender{}
			w := newTestWorker(t, store, service.NewManualClock(t0), map[api.Channel]Sender{api.ChannelEmail: sender})
			m := testMessage(service.MessageCode, api.ChannelEmail)
			tt.change(&m)
			id := queue(t, store, m)
			runOnce(t, w)
			got := readMessage(t, store, id)
			if got.Status != api.DeliveryFailed || got.LastError == "" || len(got.Params) != 0 {
				t.Errorf("status %q, last error %q, params %v", got.Status, got.LastError, got.Params)
			}
			if len(sender.Sent()) != 0 {
				t.Error("something was sent")
			}
		})
	}
}

func TestTwoWorkersNeverSendTheSameMessageTwice(t *testing.T) {
	store := storetest.SQLite(t)
	clock := service.NewManualClock(t0)
	sender := &recordingSender{}
	const n = 60
	for i := range n {
		m := testMessage(service.MessageCode, api.ChannelEmail)
		m.Params[paramCode] = fmt.Sprintf("%06d", i)
		queue(t, store, m)
	}
	var wg sync.WaitGroup
	for range 2 {
		w := newTestWorker(t, store, clock, map[api.Channel]Sender{api.ChannelEmail: sender})
		w.BatchSize = 3
		wg.Go(func() {
			for {
				if _, err := w.RunOnce(context.Background()); err != nil {
					t.Errorf("RunOnce: %v", err)
					return
				}
				if oldestQueued(t, store).IsZero() {
					return
				}
			}
		})
	}
	wg.Wait()

	count := map[string]int{}
	for _, r := range sender.Sent() {
		count[r.Code]++
	}
	if len(count) != n {
		t.Errorf("%d distinct messages sent, want %d", len(count), n)
	}
	for code, c := range count {
		if c != 1 {
			t.Errorf("message %s sent %d times", code, c)
		}
	}
}

func oldestQueued(t *testing.T, store service.Store) time.Time {
	t.Helper()
	var oldest time.Time
	err := store.View(context.Background(), func(tx service.Tx) error {
		var err error
		oldest, err = tx.OldestQueued()
		return err
	})
	if err != nil {
		t.Errorf("OldestQueued: %v", err)
	}
	return oldest
}

func TestWorkerWaitsForAnotherInstancesLease(t *testing.T) {
	store := storetest.SQLite(t)
	clock := service.NewManualClock(t0)
	sender := &recordingSender{}
	w := newTestWorker(t, store, clock, map[api.Channel]Sender{api.ChannelEmail: sender})
	id := queue(t, store, testMessage(service.MessageCode, api.ChannelEmail))

	// Another instance claims the message and stops before recording
	// anything.
	err := store.Update(context.Background(), func(tx service.Tx) error {
		_, err := tx.ClaimMessages("crashed-instance", t0, t0.Add(w.Lease), 10)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if n := runOnce(t, w); n != 0 || len(sender.Sent()) != 0 {
		t.Fatalf("claimed %d and sent %d while another instance held the lease", n, len(sender.Sent()))
	}
	clock.Set(t0.Add(w.Lease + time.Second))
	runOnce(t, w)
	if m := readMessage(t, store, id); m.Status != api.DeliverySent || len(sender.Sent()) != 1 {
		t.Errorf("after the lease: status %q, %d sent", m.Status, len(sender.Sent()))
	}
}

// slowSender lets another worker take its message over while it sends.
type slowSender struct {
	during func()
	recordingSender
}

func (s *slowSender) Send(ctx context.Context, r Rendered) error {
	s.during()
	return s.recordingSender.Send(ctx, r)
}

func TestWorkerDoesNotOverwriteAnOutcomeAfterLosingItsLease(t *testing.T) {
	store := storetest.SQLite(t)
	clock := service.NewManualClock(t0)
	other := &recordingSender{err: Permanent(errors.New("mailbox unavailable"))}
	otherWorker := newTestWorker(t, store, clock, map[api.Channel]Sender{api.ChannelEmail: other})
	slow := &slowSender{during: func() {
		clock.Advance(DefaultLease + time.Second)
		if _, err := otherWorker.RunOnce(context.Background()); err != nil {
			t.Errorf("other worker: %v", err)
		}
	}}
	w := newTestWorker(t, store, clock, map[api.Channel]Sender{api.ChannelEmail: slow})
	id := queue(t, store, testMessage(service.MessageCode, api.ChannelEmail))

	runOnce(t, w)
	m := readMessage(t, store, id)
	if m.Status != api.DeliveryFailed || !strings.Contains(m.LastError, "mailbox unavailable") {
		t.Errorf("status %q, last error %q: the outcome of the worker holding the lease was overwritten", m.Status, m.LastError)
	}
}

func TestBackoffDoublesUpToTheCeiling(t *testing.T) {
	w := NewWorker(nil, nil, Org{}, service.NewManualClock(t0), nil)
	w.RetryBase, w.RetryMax = 2*time.Second, time.Minute
	w.Jitter = ceilingJitter
	want := []time.Duration{2 * time.Second, 4 * time.Second, 8 * time.Second, 16 * time.Second, 32 * time.Second, time.Minute, time.Minute}
	for i, d := range want {
		if got := w.backoff(i + 1); got != d {
			t.Errorf("backoff(%d) = %v, want %v", i+1, got, d)
		}
	}
	if got := w.backoff(1000); got != time.Minute {
		t.Errorf("backoff(1000) = %v, want the ceiling", got)
	}
}

func TestDefaultJitterIsFull(t *testing.T) {
	w := NewWorker(nil, nil, Org{}, service.NewManualClock(t0), nil)
	const ceiling = 10 * time.Second
	var low, high bool
	for range 2000 {
		d := w.Jitter(ceiling)
		if d < 0 || d > ceiling {
			t.Fatalf("Jitter(%v) = %v", ceiling, d)
		}
		low = low || d < ceiling/10
		high = high || d > ceiling*9/10
	}
	if !low || !high {
		t.Errorf("2000 draws never came near one end of [0, %v] (low %v, high %v)", ceiling, low, high)
	}
}

func TestRunSendsWhenPokedAndStopsWithItsContext(t *testing.T) {
	store := storetest.SQLite(t)
	clock := service.NewManualClock(t0)
	sent := make(chan Rendered, 1)
	w := newTestWorker(t, store, clock, map[api.Channel]Sender{api.ChannelEmail: senderFunc(func(_ context.Context, r Rendered) error {
		sent <- r
		return nil
	})})
	w.PollInterval = time.Hour // only a poke can wake it in time

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx) }()

	// The first message may go in Run's first pass; once it is sent, that
	// pass has claimed all it will, so only a poke sends the second in
	// less than an hour.
	for _, code := range []string{"111111", "222222"} {
		m := testMessage(service.MessageCode, api.ChannelEmail)
		m.Params[paramCode] = code
		queue(t, store, m)
		w.Poke()
		select {
		case r := <-sent:
			if r.Code != code {
				t.Errorf("sent code %q, want %q", r.Code, code)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("the poked worker did not send %s", code)
		}
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Run returned %v, want nil", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return after its context was cancelled")
	}
}

type senderFunc func(context.Context, Rendered) error

func (f senderFunc) Send(ctx context.Context, r Rendered) error { return f(ctx, r) }
