package service_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"casreset/api"
	"casreset/service"
)

// pausingStore holds its next Update, once armed, until released: the
// caller has done all it does before its transaction and waits, as a
// request that queues for the flow's lock behind others does.
type pausingStore struct {
	service.Store

	mu      sync.Mutex
	armed   bool
	waiting chan struct{} // closed when the held Update has arrived
	release chan struct{}
	once    sync.Once
}

func newPausingStore(store service.Store) *pausingStore {
	return &pausingStore{Store: store, waiting: make(chan struct{}), release: make(chan struct{})}
}

func (s *pausingStore) arm() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.armed = true
}

func (s *pausingStore) letGo() { s.once.Do(func() { close(s.release) }) }

func (s *pausingStore) Update(ctx context.Context, fn func(service.Tx) error) error {
	s.mu.Lock()
	hold := s.armed
	s.armed = false
	s.mu.Unlock()
	if hold {
		close(s.waiting)
		<-s.release
	}
	return s.Store.Update(ctx, fn)
}

// TestRequestsQueuedBehindTheLastWrongCodeFindTheFlowEnded: a request that
// arrived before the flow ended but gets the flow's lock only after the
// fifth wrong code has ended it is answered token_invalid, like every
// request after it, and changes nothing: a wrong code is not counted
// (nor answered wrong_step) and no new code is sent to the ended flow.
func TestRequestsQueuedBehindTheLastWrongCodeFindTheFlowEnded(t *testing.T) {
	for _, tc := range []struct {
		name string
		// before is how long after the code was sent the held request
		// arrives; send code waits out the cool-down.
		before time.Duration
		call   func(svc *service.Service, c service.Client, token, wrong string) error
	}{
		{"verify", 0, func(svc *service.Service, c service.Client, token, wrong string) error {
			return svc.Verify(context.Background(), c, token, wrong)
		}},
		{"send code", 2 * time.Minute, func(svc *service.Service, c service.Client, token, _ string) error {
			_, err := svc.SendCode(context.Background(), c, token, api.SendCodeRequest{Channel: api.ChannelSMS})
			return err
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			store := newPausingStore(h.store)
			t.Cleanup(store.letGo)
			held, err := service.New(testConfig(), store, nil, h.clock, nil)
			if err != nil {
				t.Fatal(err)
			}
			token := h.start(acctBoth.StaffNumber)
			if _, err := held.SendCode(context.Background(), h.client, token, api.SendCodeRequest{Channel: api.ChannelSMS}); err != nil {
				t.Fatal(err)
			}
			wrong := wrongCode(h.code(token))

			h.clock.Advance(tc.before)
			store.arm()
			done := make(chan error, 1)
			go func() { done <- tc.call(held, h.client, token, wrong) }()
			<-store.waiting

			h.clock.Advance(time.Second)
			for range 4 {
				wantCode(t, h.svc.Verify(context.Background(), h.client, token, wrong), api.CodeCodeInvalid)
			}
			wantCode(t, h.svc.Verify(context.Background(), h.client, token, wrong), api.CodeAttemptsExhausted)

			store.letGo()
			wantCode(t, <-done, api.CodeTokenInvalid)
			if f := h.flow(token); f.WrongCodes != 5 || f.Sends != 1 || f.CodeHMAC != nil {
				t.Errorf("flow after the held request: %d wrong codes, %d sends, code set %v; want 5, 1, false",
					f.WrongCodes, f.Sends, f.CodeHMAC != nil)
			}
		})
	}
}

// TestAFlowEndedByWrongCodesStaysEndedWhateverTheClock: the count of wrong
// codes ends the flow by itself, so an instance whose clock is behind the
// one that ended it (several instances share a PostgreSQL database) does
// not take the flow for live.
func TestAFlowEndedByWrongCodesStaysEndedWhateverTheClock(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	token := h.start(acctBoth.StaffNumber)
	h.send(token, api.ChannelSMS)
	wrong := wrongCode(h.code(token))
	h.clock.Advance(time.Minute)
	for range 4 {
		wantCode(t, h.svc.Verify(ctx, h.client, token, wrong), api.CodeCodeInvalid)
	}
	wantCode(t, h.svc.Verify(ctx, h.client, token, wrong), api.CodeAttemptsExhausted)

	h.clock.Advance(-30 * time.Second) // the next request is served by a clock behind
	wantCode(t, h.svc.Verify(ctx, h.client, token, wrong), api.CodeTokenInvalid)
	_, err := h.svc.SendCode(ctx, h.client, token, api.SendCodeRequest{Channel: api.ChannelSMS})
	wantCode(t, err, api.CodeTokenInvalid)
	_, err = h.svc.Flow(ctx, h.client, token)
	wantCode(t, err, api.CodeTokenInvalid)
	if f := h.flow(token); f.WrongCodes != 5 || f.Sends != 1 {
		t.Errorf("flow: %d wrong codes, %d sends; want 5 and 1", f.WrongCodes, f.Sends)
	}
}
