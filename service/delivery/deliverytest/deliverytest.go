// Package deliverytest helps tests that run a delivery worker on its own
// goroutine read what it wrote to an outbox.
package deliverytest

import (
	"testing"
	"time"

	"casreset/service/delivery"
)

// WaitForOutbox waits up to within for the worker to have written at least
// n messages to dir, and returns what is there. The worker runs on its own
// schedule, so the test polls the directory rather than sleeping a fixed time.
func WaitForOutbox(tb testing.TB, dir string, n int, within time.Duration) []delivery.OutboxMessage {
	tb.Helper()
	deadline := time.Now().Add(within)
	for {
		msgs, err := delivery.ReadOutbox(dir)
		if err != nil {
			tb.Fatal(err)
		}
		if len(msgs) >= n {
			return msgs
		}
		if time.Now().After(deadline) {
			tb.Fatalf("%d message(s) in the outbox after %s, want %d", len(msgs), within, n)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
