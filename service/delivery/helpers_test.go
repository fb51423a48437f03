package delivery

import (
	"context"
	"net"
	"sync"
	"testing"
	"time"

	"casreset/api"
	"casreset/service"
)

// t0 is 15:32 on Friday 14 March 2025 in Hong Kong.
var t0 = time.Date(2025, 3, 14, 7, 32, 0, 0, time.UTC)

func testOrg() Org {
	return Org{
		Name:      "HKU SPACE",
		HelpEmail: "ithelp@example.edu.hk",
		HelpPhone: "2975 5600",
		HelpHours: "Mon-Fri 09:00-18:00",
		Copyright: "Copyright © 2025 HKU SPACE. All rights reserved.",
		Copyrights: map[string]string{
			"zh-HK":   "版權所有 © 2025 香港大學專業進修學院",
			"zh-Hans": "版权所有 © 2025 HKU SPACE",
		},
	}
}

// testMessage is a queued message of kind for channel, due at t0, as the
// service queues it.
func testMessage(kind string, ch api.Channel) service.Message {
	to := "chan.tai.man@example.edu.hk"
	if ch == api.ChannelSMS {
		to = "+85291234534"
	}
	m := service.Message{
		Kind: kind, Channel: ch, To: to,
		Status: api.DeliveryQueued, NextAttemptAt: t0, CreatedAt: t0,
		Params: map[string]string{
			paramName:        "Chan Tai Man",
			paramStaffNumber: "12345678",
			paramReference:   "R7QK2M9XW4",
		},
	}
	switch kind {
	case service.MessageCode:
		m.NotAfter = t0.Add(10 * time.Minute)
		m.Params[paramCode] = "493027"
		m.Params[paramExpiresAt] = m.NotAfter.Format(time.RFC3339)
	case service.MessageNotice:
		m.Params[paramChangedAt] = t0.Format(time.RFC3339)
		m.Params[paramClientAddr] = "203.0.113.7"
	case service.MessageCallerCode:
		m.NotAfter = t0.Add(10 * time.Minute)
		m.Params[paramCode] = "493027"
		m.Params[paramExpiresAt] = m.NotAfter.Format(time.RFC3339)
	case service.MessageUnlockNotice:
		m.Params[paramChangedAt] = t0.Format(time.RFC3339)
	case service.MessagePassNotice:
		m.Params[paramChangedAt] = t0.Format(time.RFC3339)
		m.Params[paramExpiresAt] = t0.Add(15 * time.Minute).Format(time.RFC3339)
	}
	return m
}

func queue(t *testing.T, store service.Store, m service.Message) int64 {
	t.Helper()
	var id int64
	err := store.Update(context.Background(), func(tx service.Tx) error {
		var err error
		id, err = tx.InsertMessage(m)
		return err
	})
	if err != nil {
		t.Fatalf("queue message: %v", err)
	}
	return id
}

func readMessage(t *testing.T, store service.Store, id int64) service.Message {
	t.Helper()
	var m service.Message
	err := store.View(context.Background(), func(tx service.Tx) error {
		var err error
		m, err = tx.Message(id)
		return err
	})
	if err != nil {
		t.Fatalf("read message %d: %v", id, err)
	}
	return m
}

func runOnce(t *testing.T, w *Worker) int {
	t.Helper()
	n, err := w.RunOnce(context.Background())
	if err != nil {
		t.Fatalf("RunOnce: %v", err)
	}
	return n
}

// ceilingJitter makes the backoff predictable: always the longest wait.
func ceilingJitter(d time.Duration) time.Duration { return d }

// freeAddr is a loopback address where nothing listens (until a test
// starts a server there).
func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	return addr
}

// recordingSender remembers what it was given; err, when set, is what
// it answers instead.
type recordingSender struct {
	mu   sync.Mutex
	sent []Rendered
	err  error
}

func (s *recordingSender) Send(_ context.Context, r Rendered) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return s.err
	}
	s.sent = append(s.sent, r)
	return nil
}

func (s *recordingSender) Sent() []Rendered {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Rendered(nil), s.sent...)
}
