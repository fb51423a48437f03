package delivery

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	mathrand "math/rand/v2"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"casreset/api"
	"casreset/service"
)

// Defaults of the Worker's settings.
const (
	DefaultPollInterval = time.Second
	DefaultLease        = 2 * time.Minute
	DefaultBatchSize    = 10
	DefaultConcurrency  = 4
	DefaultRetryBase    = 2 * time.Second
	DefaultRetryMax     = time.Minute
	DefaultMaxAge       = 24 * time.Hour
)

// Worker sends queued messages. Every instance of the service runs one;
// they share the queue in the database, and a lease keeps two of them from
// sending the same message.
//
// Every decision (is the message due, has its code expired, when to try
// again) uses the injected clock; only the pause between two polls is real
// time.
type Worker struct {
	// Settings, read by Run and RunOnce; change them before Run starts.
	PollInterval time.Duration // between two looks at the queue; Poke cuts it short
	Lease        time.Duration // a claimed message is this worker's for this long
	BatchSize    int           // messages claimed at once
	RetryBase    time.Duration // the first retry waits up to this
	RetryMax     time.Duration // no retry waits longer than this
	MaxAge       time.Duration // a message without NotAfter is given up this long after it was queued
	// Concurrency bounds the sends of a claimed batch in progress at
	// once (at least 1): a slow mail server or gateway then delays a
	// batch by about one send, not by one per message. Messages to one
	// recipient still go one after another, in the order they were queued.
	Concurrency int
	// Jitter returns a duration in [0, d]: the full jitter of the
	// backoff. Tests replace it to make retries predictable.
	Jitter func(d time.Duration) time.Duration

	store   service.Store
	senders map[api.Channel]Sender
	org     Org
	clock   service.Clock
	log     *slog.Logger
	owner   string
	poke    chan struct{}
	metrics *metrics
}

// NewWorker returns a worker that sends each channel's messages with its
// sender in senders. A message for a channel without a sender fails.
func NewWorker(store service.Store, senders map[api.Channel]Sender, org Org, clock service.Clock, log *slog.Logger) *Worker {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	var id [8]byte
	_, _ = rand.Read(id[:]) // never fails on supported platforms
	return &Worker{
		PollInterval: DefaultPollInterval,
		Lease:        DefaultLease,
		BatchSize:    DefaultBatchSize,
		Concurrency:  DefaultConcurrency,
		RetryBase:    DefaultRetryBase,
		RetryMax:     DefaultRetryMax,
		MaxAge:       DefaultMaxAge,
		Jitter:       func(d time.Duration) time.Duration { return time.Duration(mathrand.Int64N(int64(d) + 1)) },

		store:   store,
		senders: senders,
		org:     org.withDefaults(),
		clock:   clock,
		log:     log.With("component", "delivery"),
		owner:   "worker-" + hex.EncodeToString(id[:]),
		poke:    make(chan struct{}, 1),
		metrics: newMetrics(store, clock),
	}
}

// Collectors are the worker's Prometheus metrics, for the caller to
// register (the worker registers nothing itself):
// resetd_delivery_messages_{queued,sent,retried}_total{channel},
// resetd_delivery_messages_failed_total{channel,reason} and
// resetd_delivery_oldest_queued_age_seconds.
func (w *Worker) Collectors() []prometheus.Collector { return w.metrics.collectors() }

// Poke wakes the worker now: a message was queued. It never blocks.
func (w *Worker) Poke() {
	select {
	case w.poke <- struct{}{}:
	default:
	}
}

// Run sends messages until ctx is done, then returns nil. A database that
// cannot be reached is logged and tried again at the next poll.
func (w *Worker) Run(ctx context.Context) error {
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		n, err := w.RunOnce(ctx)
		if ctx.Err() != nil {
			return nil
		}
		if err != nil {
			w.log.Error("delivery queue unavailable", "err", err)
		} else if n >= w.BatchSize {
			continue // more may be due right now
		}
		timer.Reset(w.PollInterval)
		select {
		case <-ctx.Done():
			return nil
		case <-w.poke:
		case <-timer.C:
		}
	}
}

// RunOnce claims the messages that are due, up to BatchSize, and tries
// each once, up to Concurrency at a time; it returns once every attempt
// has ended, with how many it claimed. Tests drive the worker with it,
// moving the clock in between.
func (w *Worker) RunOnce(ctx context.Context) (int, error) {
	now := w.clock.Now()
	var msgs []service.Message
	err := w.store.Update(ctx, func(tx service.Tx) error {
		var err error
		msgs, err = tx.ClaimMessages(w.owner, now, now.Add(w.Lease), w.BatchSize)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("claim messages: %w", err)
	}
	w.attemptAll(ctx, msgs)
	return len(msgs), nil
}

// recipient is where a message goes.
type recipient struct {
	channel api.Channel
	to      string
}

// attemptAll tries each claimed message once, up to Concurrency at a
// time. The messages of one recipient form one queue, tried in the order
// they were claimed (oldest first), so that nobody receives an older code
// after a newer one; separate queues run side by side.
func (w *Worker) attemptAll(ctx context.Context, msgs []service.Message) {
	var queues [][]service.Message
	index := map[recipient]int{}
	for _, m := range msgs {
		r := recipient{m.Channel, m.To}
		i, ok := index[r]
		if !ok {
			i = len(queues)
			index[r] = i
			queues = append(queues, nil)
		}
		queues[i] = append(queues[i], m)
	}

	slots := make(chan struct{}, max(w.Concurrency, 1))
	var wg sync.WaitGroup
	defer wg.Wait()
	for _, q := range queues {
		slots <- struct{}{}
		if ctx.Err() != nil {
			return // the leases run out and another instance takes over
		}
		wg.Go(func() {
			defer func() { <-slots }()
			for _, m := range q {
				if ctx.Err() != nil {
					return
				}
				w.attempt(ctx, m)
			}
		})
	}
}

// attempt tries to send one claimed message and records the outcome.
func (w *Worker) attempt(ctx context.Context, m service.Message) {
	log := w.log.With("message_id", m.ID, "kind", m.Kind, "channel", string(m.Channel))
	if m.Attempts == 0 {
		w.metrics.count(w.metrics.queued, m)
	}
	now := w.clock.Now()
	if now.After(m.LeaseUntil.Add(-w.Lease / 2)) {
		// Too little of the lease is left to be sure that nobody else
		// sends it meanwhile; it goes back to the queue when the lease
		// runs out.
		log.Warn("message left for a later claim", "outcome", "lease_short")
		return
	}
	deadline := m.NotAfter
	if deadline.IsZero() {
		deadline = m.CreatedAt.Add(w.MaxAge)
	}
	if !now.Before(deadline) {
		w.finish(ctx, log, m, api.DeliveryFailed, reasonExpired, errors.New("expired before it could be sent"))
		return
	}
	sender := w.senders[m.Channel]
	if sender == nil {
		w.finish(ctx, log, m, api.DeliveryFailed, reasonInvalid, fmt.Errorf("no sender for channel %q", m.Channel))
		return
	}
	r, err := Render(m, w.org)
	if err != nil {
		w.finish(ctx, log, m, api.DeliveryFailed, reasonInvalid, err)
		return
	}
	if r.Channel == api.ChannelSMS && SMSSegments(r.Body) > 1 {
		log.Warn("SMS longer than one segment", "segments", SMSSegments(r.Body))
	}

	// The send must end well inside the lease.
	sendCtx, cancel := context.WithTimeout(ctx, w.Lease/2)
	err = sender.Send(sendCtx, r)
	cancel()

	if err != nil && ctx.Err() != nil {
		// Shutting down: give the message back at once, attempt uncounted.
		m.NextAttemptAt = w.clock.Now()
		w.save(ctx, log, m, "interrupted", err)
		return
	}
	m.Attempts++
	switch {
	case err == nil:
		w.finish(ctx, log, m, api.DeliverySent, "", nil)
	case IsPermanent(err):
		w.finish(ctx, log, m, api.DeliveryFailed, reasonRefused, err)
	default:
		w.retry(ctx, log, m, deadline, err)
	}
}

// retry schedules the next attempt with exponential backoff and full
// jitter, or gives up when the code expires before it.
func (w *Worker) retry(ctx context.Context, log *slog.Logger, m service.Message, deadline time.Time, cause error) {
	next := w.clock.Now().Add(w.backoff(m.Attempts))
	if !next.Before(deadline) {
		w.finish(ctx, log, m, api.DeliveryFailed, reasonExpired,
			fmt.Errorf("gave up, the code expires before another attempt: %w", cause))
		return
	}
	m.NextAttemptAt = next
	if w.save(ctx, log.With("attempts", m.Attempts, "next_attempt_at", next), m, "retry", cause) {
		w.metrics.count(w.metrics.retried, m)
	}
}

// backoff is the wait before attempt number attempts+1: up to RetryBase
// after the first failure, doubling each time, never above RetryMax.
func (w *Worker) backoff(attempts int) time.Duration {
	ceiling := w.RetryMax
	if attempts <= 30 {
		ceiling = min(w.RetryBase<<(attempts-1), w.RetryMax)
	}
	if ceiling <= 0 {
		return 0
	}
	return w.Jitter(ceiling)
}

// finish records a final outcome and clears the parameters, so that the
// code does not stay in the database. Attempts counts the sends tried: a
// message that expired in the queue has none.
func (w *Worker) finish(ctx context.Context, log *slog.Logger, m service.Message, status api.Delivery, reason string, cause error) {
	m.Status = status
	m.Params = nil
	if status == api.DeliverySent {
		m.SentAt = w.clock.Now()
	}
	outcome := string(status)
	if !w.save(ctx, log.With("attempts", m.Attempts), m, outcome, cause) {
		return
	}
	if status == api.DeliverySent {
		w.metrics.count(w.metrics.sent, m)
	} else {
		w.metrics.count(w.metrics.failed, m, reason)
	}
}

// errLeaseLost means another worker took the message over meanwhile.
var errLeaseLost = errors.New("the message's lease was taken over")

// save releases the lease and writes m, unless another worker took the
// message over meanwhile. It runs even when ctx is cancelled: a message
// that was sent must be recorded as sent. It reports whether m was saved.
func (w *Worker) save(ctx context.Context, log *slog.Logger, m service.Message, outcome string, cause error) bool {
	m.LeaseOwner, m.LeaseUntil = "", time.Time{}
	m.LastError = ""
	if cause != nil {
		m.LastError = truncate(cause.Error(), 500)
	}
	saveCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	err := w.store.Update(saveCtx, func(tx service.Tx) error {
		cur, err := tx.Message(m.ID)
		if err != nil {
			return err
		}
		if cur.LeaseOwner != w.owner || cur.Status != api.DeliveryQueued {
			return errLeaseLost
		}
		return tx.UpdateMessage(m)
	})
	if err != nil {
		log.Error("could not record the delivery outcome", "outcome", outcome, "err", err)
		return false
	}
	switch {
	case cause == nil:
		log.Info("message delivered", "outcome", outcome)
	case outcome == string(api.DeliveryFailed):
		log.Error("message failed", "outcome", outcome, "err", cause)
	default:
		log.Warn("message not delivered yet", "outcome", outcome, "err", cause)
	}
	return true
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	// Cut on a rune boundary.
	for n > 0 && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n]
}
