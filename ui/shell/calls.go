package shell

import (
	"context"
	"time"
)

// CallTimeout bounds any one call to the service, on top of the client's
// own timeouts, so that a page never stays busy for good.
const CallTimeout = 2 * time.Minute

// Calls runs a mode's calls to the service off the UI goroutine and
// applies their results on it. While a Call runs the shell shows it is
// busy and no other Call may start, so that a double click cannot submit
// twice. Reset drops the results of every call made before it (a session
// or a flow ended meanwhile).
type Calls struct {
	shell  *Shell
	onBusy func(bool)

	gen    int
	ctx    context.Context
	cancel context.CancelFunc
	busy   bool
	closed bool
	// Post runs a call's result on the UI goroutine: fyne.Do, or in tests
	// a queue the test goroutine drains, so that tests run on one UI
	// goroutine as the app does.
	Post func(func())
	// Inflight counts the calls whose results have not been applied.
	Inflight int
}

// NewCalls returns the calls of a mode of s; onBusy (may be nil) is told
// when a Call starts and ends, for the page to disable its buttons.
func NewCalls(s *Shell, post func(func()), onBusy func(bool)) *Calls {
	k := &Calls{shell: s, onBusy: onBusy, Post: post}
	k.ctx, k.cancel = context.WithCancel(context.Background())
	return k
}

// Busy reports whether a Call is running.
func (k *Calls) Busy() bool { return k.busy }

// Closed reports whether Close was called.
func (k *Calls) Closed() bool { return k.closed }

// Reset cancels the calls in flight and drops their results.
func (k *Calls) Reset() {
	k.gen++
	k.cancel()
	k.ctx, k.cancel = context.WithCancel(context.Background())
	k.setBusy(false)
}

// Close resets and refuses every later call: the window is going away.
func (k *Calls) Close() {
	k.Reset()
	k.closed = true
}

func (k *Calls) setBusy(b bool) {
	k.busy = b
	k.shell.SetBusy(b)
	if k.onBusy != nil {
		k.onBusy(b)
	}
}

// Call runs work off the UI goroutine and then done on it, busy
// meanwhile. It reports whether the call started.
func (k *Calls) Call(work func(ctx context.Context) error, done func(err error)) bool {
	if k.busy || k.closed {
		return false
	}
	k.shell.Touch()
	k.setBusy(true)
	k.spawn(work, func(err error) {
		k.setBusy(false)
		done(err)
	})
	return true
}

// Background is Call without the busy state, for what may overlap with
// the person's work.
func (k *Calls) Background(work func(ctx context.Context) error, done func(err error)) {
	if k.closed {
		return
	}
	k.spawn(work, done)
}

// spawn runs work on its own goroutine; work must not touch widgets.
func (k *Calls) spawn(work func(ctx context.Context) error, done func(err error)) {
	gen, ctx := k.gen, k.ctx
	k.Inflight++
	go func() {
		ctx, cancel := context.WithTimeout(ctx, CallTimeout)
		err := work(ctx)
		cancel()
		k.Post(func() {
			k.Inflight--
			if gen != k.gen || k.closed {
				return // reset meanwhile
			}
			done(err)
		})
	}()
}
