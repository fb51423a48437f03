package main

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"casreset/api"
)

// stageRun is the throughput of one endpoint in the lock-step run.
type stageRun struct {
	name     string
	requests int
	ok       int
	elapsed  time.Duration
}

func (s stageRun) perSecond() float64 {
	if s.elapsed <= 0 {
		return 0
	}
	return float64(s.ok) / s.elapsed.Seconds()
}

// stagedItem is one account's flow as it moves through the stages.
type stagedItem struct {
	i       int
	ch      api.Channel
	captcha string
	token   string
	code    string
	failed  bool
}

// runStaged takes one flow per account through the steps in lock step:
// every flow's CAPTCHA, then every flow's image, every start, and so on,
// each stage with all users at once. The time of a stage is the time of
// that endpoint alone under load, so its requests per second can be set
// against the floor. Waiting for the codes is not a stage of its own.
func runStaged(ctx context.Context, users []*user, o options) []stageRun {
	items := make([]*stagedItem, o.accounts)
	for i := range items {
		items[i] = &stagedItem{i: i, ch: channelOf(i)}
	}
	stage := func(name string, fn func(u *user, it *stagedItem) error) stageRun {
		run := stageRun{name: name}
		var next, tried, ok atomic.Int64
		var wg sync.WaitGroup
		start := time.Now()
		for _, u := range users {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					k := int(next.Add(1) - 1)
					if k >= len(items) || ctx.Err() != nil {
						return
					}
					it := items[k]
					if it.failed {
						continue
					}
					tried.Add(1)
					if err := fn(u, it); err != nil {
						it.failed = true
						continue
					}
					ok.Add(1)
				}
			}()
		}
		wg.Wait()
		run.elapsed = time.Since(start)
		run.ok = int(ok.Load())
		run.requests = int(tried.Load())
		return run
	}
	var out []stageRun
	out = append(out, stage("POST /v1/captchas", func(u *user, it *stagedItem) error {
		return u.timed(stepCaptcha, func() error {
			c, err := u.c.NewCaptcha(ctx)
			it.captcha = c.CaptchaID
			return err
		})
	}))
	out = append(out, stage("GET /v1/captchas/{id}/image.png", func(u *user, it *stagedItem) error {
		return u.timed(stepImage, func() error { _, err := u.c.CaptchaImage(ctx, it.captcha); return err })
	}))
	out = append(out, stage("POST /v1/resets", func(u *user, it *stagedItem) error {
		return u.timed(stepStart, func() error {
			st, err := u.c.Start(ctx, api.StartRequest{StaffNumber: staffNumber(it.i), CaptchaID: it.captcha, CaptchaAnswer: captchaAnswer})
			it.token = st.ResetToken
			return err
		})
	}))
	out = append(out, stage("POST /v1/resets/current/code", func(u *user, it *stagedItem) error {
		return u.sendCode(ctx, it.token, it.ch)
	}))
	// Not timed as a stage: the codes arrive through the delivery worker.
	stage("(codes from the outbox)", func(u *user, it *stagedItem) error {
		var err error
		it.code, err = u.readCode(ctx, it.i, it.ch)
		return err
	})
	out = append(out, stage("POST /v1/resets/current/verify", func(u *user, it *stagedItem) error {
		return u.verify(ctx, it.token, it.code)
	}))
	out = append(out, stage("PUT /v1/resets/current/password", func(u *user, it *stagedItem) error {
		return u.setPassword(ctx, it.i, it.token)
	}))
	return out
}

// runRepeated measures an endpoint without state: every user calls fn n
// times, all at once.
func runRepeated(ctx context.Context, name string, users []*user, n int, fn func(u *user) error) stageRun {
	run := stageRun{name: name, requests: n * len(users)}
	var ok atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for _, u := range users {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range n {
				if ctx.Err() != nil {
					return
				}
				if fn(u) == nil {
					ok.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	run.elapsed = time.Since(start)
	run.ok = int(ok.Load())
	return run
}
