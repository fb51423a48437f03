package main

import (
	"context"
	"fmt"
	"log/slog"
	"sort"
	"sync"
)

// logCounter is resetd's log handler in the load: it counts the warnings
// and errors by message, for the report, and passes errors on to next.
type logCounter struct {
	next   slog.Handler
	mu     *sync.Mutex
	counts map[string]int
}

func newLogCounter(next slog.Handler) *logCounter {
	return &logCounter{next: next, mu: &sync.Mutex{}, counts: map[string]int{}}
}

func (h *logCounter) Enabled(_ context.Context, l slog.Level) bool { return l >= slog.LevelWarn }

func (h *logCounter) Handle(ctx context.Context, r slog.Record) error {
	h.mu.Lock()
	h.counts[fmt.Sprintf("%s %q", r.Level, r.Message)]++
	h.mu.Unlock()
	if r.Level >= slog.LevelError {
		return h.next.Handle(ctx, r)
	}
	return nil
}

func (h *logCounter) WithAttrs(attrs []slog.Attr) slog.Handler {
	return &logCounter{next: h.next.WithAttrs(attrs), mu: h.mu, counts: h.counts}
}

func (h *logCounter) WithGroup(name string) slog.Handler {
	return &logCounter{next: h.next.WithGroup(name), mu: h.mu, counts: h.counts}
}

// list is the counts, sorted by message.
func (h *logCounter) list() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []string
	for k, n := range h.counts {
		out = append(out, fmt.Sprintf("%s ×%d", k, n))
	}
	sort.Strings(out)
	return out
}
