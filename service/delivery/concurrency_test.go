package delivery

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"casreset/api"
	"casreset/internal/testkit/storetest"
	"casreset/service"
)

// barrierWait bounds how long a barrierSender waits for the other sends;
// reaching it means the worker did not send them at the same time.
const barrierWait = 10 * time.Second

// barrierSender holds every send until n sends are in progress at once,
// then lets them all (and every later one) through; a send that waits
// barrierWait in vain fails and lets every other through, so that a
// worker sending one at a time fails the test once, not per message. It records how many
// were in progress at most, and any recipient that had two at once.
type barrierSender struct {
	n       int
	allIn   chan struct{}
	release sync.Once

	mu          sync.Mutex
	inFlight    int
	maxInFlight int
	byTo        map[string]int
	overlapped  []string
	started     []Rendered
	timedOut    bool
}

func newBarrierSender(n int) *barrierSender {
	return &barrierSender{n: n, allIn: make(chan struct{}), byTo: map[string]int{}}
}

func (s *barrierSender) Send(ctx context.Context, r Rendered) error {
	s.mu.Lock()
	s.inFlight++
	s.maxInFlight = max(s.maxInFlight, s.inFlight)
	s.byTo[r.To]++
	if s.byTo[r.To] > 1 {
		s.overlapped = append(s.overlapped, r.To)
	}
	s.started = append(s.started, r)
	if s.inFlight == s.n {
		s.release.Do(func() { close(s.allIn) })
	}
	s.mu.Unlock()

	var err error
	select {
	case <-s.allIn:
	case <-time.After(barrierWait):
		err = errors.New("the other sends did not start")
		s.release.Do(func() { close(s.allIn) })
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	s.inFlight--
	s.byTo[r.To]--
	if err != nil {
		s.timedOut = true
	}
	return err
}

func TestWorkerSendsABatchConcurrently(t *testing.T) {
	tests := []struct {
		name        string
		concurrency int   // 0: the default
		recipients  []int // the recipient of each queued message, in queue order
		together    int   // sends that must be in progress at once
	}{
		{"four recipients at once by default", 0, []int{0, 1, 2, 3}, DefaultConcurrency},
		{"never more than Concurrency at once", 2, []int{0, 1, 2, 3, 4, 5}, 2},
		{"one recipient's messages one at a time, beside another's", 4, []int{0, 0, 0, 1}, 2},
		{"one at a time with Concurrency 1", 1, []int{0, 1, 2}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			store := storetest.SQLite(t)
			sender := newBarrierSender(tt.together)
			w := newTestWorker(t, store, service.NewManualClock(t0), map[api.Channel]Sender{api.ChannelEmail: sender})
			if tt.concurrency != 0 {
				w.Concurrency = tt.concurrency
			}
			limit := w.Concurrency
			var ids []int64
			for i, r := range tt.recipients {
				m := testMessage(service.MessageCode, api.ChannelEmail)
				m.To = fmt.Sprintf("staff%d@example.edu.hk", r)
				m.Params[paramCode] = fmt.Sprintf("%06d", i)
				ids = append(ids, queue(t, store, m))
			}

			if n := runOnce(t, w); n != len(ids) {
				t.Fatalf("claimed %d, want %d", n, len(ids))
			}
			sender.mu.Lock()
			defer sender.mu.Unlock()
			if sender.timedOut {
				t.Fatalf("%d sends were never in progress at once (at most %d were)", tt.together, sender.maxInFlight)
			}
			if sender.maxInFlight > limit {
				t.Errorf("%d sends in progress at once, want at most Concurrency %d", sender.maxInFlight, limit)
			}
			if len(sender.overlapped) > 0 {
				t.Errorf("two messages to one recipient were in progress at once: %v", sender.overlapped)
			}
			for _, id := range ids {
				if m := readMessage(t, store, id); m.Status != api.DeliverySent || m.Attempts != 1 {
					t.Errorf("message %d: status %q after %d attempts, want sent after 1", id, m.Status, m.Attempts)
				}
			}
			// Each recipient gets its messages in the order they were queued.
			codes := map[string][]string{}
			for _, r := range sender.started {
				codes[r.To] = append(codes[r.To], r.Code)
			}
			for to, c := range codes {
				if !slices.IsSorted(c) {
					t.Errorf("%s got codes %v, not in the order they were queued", to, c)
				}
			}
		})
	}
}
