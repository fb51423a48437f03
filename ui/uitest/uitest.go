// Package uitest is what the tests of the ui packages share: a queue that
// runs the results of calls on the test goroutine, as the app runs them on
// its one UI goroutine, and a ticker that fires when the test says.
package uitest

import (
	"sync"
	"time"
)

// Queue holds the functions posted for the UI goroutine until the test
// goroutine runs them. Its Post is what the modes take as their Post.
type Queue struct {
	mu   sync.Mutex
	cond *sync.Cond
	fns  []func()
}

// NewQueue returns an empty queue.
func NewQueue() *Queue {
	q := &Queue{}
	q.cond = sync.NewCond(&q.mu)
	return q
}

// Post queues fn; it may be called from any goroutine.
func (q *Queue) Post(fn func()) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.fns = append(q.fns, fn)
	q.cond.Broadcast()
}

// RunWhile runs the queued functions in order, waiting for the next one,
// as long as pending reports that results are still to come.
func (q *Queue) RunWhile(pending func() bool) {
	for pending() {
		q.mu.Lock()
		for len(q.fns) == 0 {
			q.cond.Wait()
		}
		fn := q.fns[0]
		q.fns = q.fns[1:]
		q.mu.Unlock()
		fn()
	}
}

// Ticker is a shell.Ticker that fires when told: every function it was
// given and not stopped, in the order given.
type Ticker struct {
	mu   sync.Mutex
	next int
	fns  map[int]func()
}

// Every keeps fn until the returned stop is called; the interval is the
// test's to choose by calling Fire.
func (m *Ticker) Every(_ time.Duration, fn func()) (stop func()) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fns == nil {
		m.fns = map[int]func(){}
	}
	id := m.next
	m.next++
	m.fns[id] = fn
	return func() {
		m.mu.Lock()
		defer m.mu.Unlock()
		delete(m.fns, id)
	}
}

// Fire calls every function the ticker holds, once.
func (m *Ticker) Fire() {
	m.mu.Lock()
	var fns []func()
	for id := range m.next {
		if fn, ok := m.fns[id]; ok {
			fns = append(fns, fn)
		}
	}
	m.mu.Unlock()
	for _, fn := range fns {
		fn()
	}
}

// Held is how many functions the ticker holds: given and not stopped.
func (m *Ticker) Held() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.fns)
}
