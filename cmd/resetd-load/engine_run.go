package main

import (
	"context"
	"fmt"
	"os"
	"time"
)

// engineResult is everything measured on one database.
type engineResult struct {
	engine string
	policy stageRun
	timing startTiming
	flows  flowRun
	stages []stageRun
	staged *recorder
	// hashRuns is the Argon2id computations per change in the lock-step
	// run: the history verified, and the new hash.
	hashRuns float64
	integ    integrity
	logged   []string // resetd's warnings and errors, by message
	elapsed  time.Duration
}

// runEngine starts resetd on engine, runs every phase against it, stops
// it and checks what it stored.
func runEngine(ctx context.Context, engine string, o options, stderr *os.File) (engineResult, error) {
	res := engineResult{engine: engine}
	began := time.Now()
	progress(stderr, "%s: starting resetd, importing %d accounts", engine, o.accounts)
	t, err := startTarget(ctx, engine, o, stderr)
	if err != nil {
		return res, err
	}
	defer t.close()

	book := newLedger()
	newUsers := func(rec *recorder) ([]*user, error) {
		users := make([]*user, o.users)
		for i := range users {
			c, err := t.client()
			if err != nil {
				return nil, err
			}
			users[i] = &user{c: c, t: t, rec: rec, book: book}
		}
		return users, nil
	}
	users, err := newUsers(newRecorder())
	if err != nil {
		return res, err
	}

	progress(stderr, "%s: GET /v1/policy, %d users × %d requests", engine, o.users, o.requests)
	res.policy = runRepeated(ctx, "GET /v1/policy", users, o.requests, func(u *user) error {
		_, err := u.c.Policy(ctx)
		return err
	})

	progress(stderr, "%s: %d starts each for known and unknown staff numbers, one at a time", engine, o.starts)
	res.timing = measureStarts(ctx, users[0], o.accounts, o.starts)

	progress(stderr, "%s: %d complete flows, %d users at once", engine, o.flows, o.users)
	flowRec := newRecorder()
	if users, err = newUsers(flowRec); err != nil {
		return res, err
	}
	res.flows = runFlows(ctx, t, users, o)
	res.flows.rec = flowRec

	progress(stderr, "%s: one flow per account in lock step (%d), each endpoint alone", engine, o.accounts)
	res.hashRuns = book.hashRuns(o.accounts, t.cfg.Service.Policy.History)
	res.staged = newRecorder()
	if users, err = newUsers(res.staged); err != nil {
		return res, err
	}
	res.stages = runStaged(ctx, users, o)

	if err := ctx.Err(); err != nil {
		return res, fmt.Errorf("%s: %w", engine, err)
	}
	progress(stderr, "%s: stopping resetd, checking every account's stored password", engine)
	stopCtx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	if err := t.stopService(stopCtx); err != nil {
		return res, fmt.Errorf("%s: shutdown: %w", engine, err)
	}
	if res.integ, err = checkPasswords(ctx, t, book, o.accounts); err != nil {
		return res, fmt.Errorf("%s: checking the stored passwords: %w", engine, err)
	}
	res.integ.codesSent = flowRec.latency(stepCode).n + res.staged.latency(stepCode).n
	res.logged = t.logs.list()
	res.elapsed = time.Since(began)
	return res, nil
}
