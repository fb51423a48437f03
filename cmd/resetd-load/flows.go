package main

import (
	"context"
	"crypto/rand"
	"errors"
	"sync"
	"time"

	"casreset/api"
	"casreset/client"
)

// ledger remembers, per account, the password of its last successful
// change, and the changes whose outcome the client could not learn (a
// timeout or a broken connection after the request was sent): for those
// the stored password may be the old or the new one.
type ledger struct {
	mu        sync.Mutex
	last      map[string]string   // staff number → password of the last 200
	uncertain map[string][]string // staff number → passwords sent without an answer since
	changes   map[string]int      // staff number → successful changes
}

func newLedger() *ledger {
	return &ledger{last: map[string]string{}, uncertain: map[string][]string{}, changes: map[string]int{}}
}

// hashRuns is how many Argon2id computations the next change of each of
// n accounts costs, on average: its history (up to history earlier
// passwords) is verified, then the new password hashed.
func (l *ledger) hashRuns(n, history int) float64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	total := 0
	for i := range n {
		total += 1 + min(l.changes[staffNumber(i)], history)
	}
	return float64(total) / float64(n)
}

func (l *ledger) record(staff, password string, err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	var ae *api.Error
	switch {
	case err == nil:
		l.last[staff] = password
		delete(l.uncertain, staff)
		l.changes[staff]++
	case errors.As(err, &ae):
		// A refusal of the contract: nothing was changed.
	default:
		l.uncertain[staff] = append(l.uncertain[staff], password)
	}
}

// newPassword returns a fresh password that passes the default policy:
// 16 letters and digits, at least one of each, unrelated to the account.
func newPassword() string {
	const alnum = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	b := make([]byte, 14)
	rand.Read(b)
	for i := range b {
		b[i] = alnum[int(b[i])%len(alnum)]
	}
	return "Pw" + string(b[:13]) + "7"
}

// user is one simulated PC: a client of its own and the recorder.
type user struct {
	c    *client.Client
	t    *target
	rec  *recorder
	book *ledger
}

// timed runs fn as step and records it.
func (u *user) timed(step string, fn func() error) error {
	start := time.Now()
	err := fn()
	u.rec.observe(step, time.Since(start), err)
	return err
}

// flow walks one complete reset of account i: CAPTCHA (and its image),
// start with the test answer, a code by ch, the code from the outbox,
// verify, and a new password. It stops at the first failure.
func (u *user) flow(ctx context.Context, i int, ch api.Channel) error {
	var (
		capt  api.Captcha
		start api.StartResponse
	)
	steps := []struct {
		name string
		fn   func() error
	}{
		{stepCaptcha, func() (err error) { capt, err = u.c.NewCaptcha(ctx); return }},
		{stepImage, func() (err error) { _, err = u.c.CaptchaImage(ctx, capt.CaptchaID); return }},
		{stepStart, func() (err error) {
			start, err = u.c.Start(ctx, api.StartRequest{StaffNumber: staffNumber(i), CaptchaID: capt.CaptchaID, CaptchaAnswer: captchaAnswer})
			return
		}},
	}
	for _, s := range steps {
		if err := u.timed(s.name, s.fn); err != nil {
			return err
		}
	}
	return u.finish(ctx, i, start.ResetToken, ch)
}

// finish takes a started flow from the code to the new password.
func (u *user) finish(ctx context.Context, i int, token string, ch api.Channel) error {
	if err := u.sendCode(ctx, token, ch); err != nil {
		return err
	}
	code, err := u.readCode(ctx, i, ch)
	if err != nil {
		return err
	}
	if err := u.verify(ctx, token, code); err != nil {
		return err
	}
	return u.setPassword(ctx, i, token)
}

func (u *user) sendCode(ctx context.Context, token string, ch api.Channel) error {
	return u.timed(stepCode, func() error { _, err := u.c.SendCode(ctx, token, api.SendCodeRequest{Channel: ch}); return err })
}

// readCode waits for the code in the outbox; the wait is the delivery step.
func (u *user) readCode(ctx context.Context, i int, ch api.Channel) (string, error) {
	to := email(i)
	if ch == api.ChannelSMS {
		to = mobile(i)
	}
	var code string
	err := u.timed(stepDelivery, func() error {
		wctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		var err error
		code, err = u.t.mail.code(wctx, to)
		return err
	})
	return code, err
}

func (u *user) verify(ctx context.Context, token, code string) error {
	return u.timed(stepVerify, func() error { _, err := u.c.Verify(ctx, token, code); return err })
}

func (u *user) setPassword(ctx context.Context, i int, token string) error {
	pw := newPassword()
	return u.timed(stepPassword, func() error {
		_, err := u.c.SetPassword(ctx, token, api.PasswordRequest{NewPassword: pw})
		u.book.record(staffNumber(i), pw, err)
		return err
	})
}

func channelOf(k int) api.Channel {
	if k%2 == 0 {
		return api.ChannelEmail
	}
	return api.ChannelSMS
}

// flowRun is the result of the end-to-end run.
type flowRun struct {
	flows, ok int
	elapsed   time.Duration
	rec       *recorder
}

// runFlows runs o.flows complete flows with o.workers users at once. User
// w resets the accounts i ≡ w (mod workers) in turn, so that no account
// has two flows at a time and "its last change" is well defined.
func runFlows(ctx context.Context, t *target, users []*user, o options) flowRun {
	run := flowRun{flows: o.flows, rec: users[0].rec}
	var mu sync.Mutex
	var wg sync.WaitGroup
	start := time.Now()
	for w, u := range users {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []int
			for i := w; i < o.accounts; i += len(users) {
				mine = append(mine, i)
			}
			for k := w; k < o.flows; k += len(users) {
				if ctx.Err() != nil {
					return
				}
				n := k / len(users)
				if err := u.flow(ctx, mine[n%len(mine)], channelOf(k)); err == nil {
					mu.Lock()
					run.ok++
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	run.elapsed = time.Since(start)
	return run
}
