package main

import (
	"context"
	"time"

	"casreset/api"
)

// startTiming is how long a start takes for a staff number that exists and
// for one that does not, the CAPTCHA being right in both cases.
type startTiming struct {
	known, unknown latency
}

// measureStarts times n starts of each kind, alternating, by one user on
// an otherwise idle service, so that the difference is the service's and
// not the load's. The CAPTCHAs are made outside the timing.
func measureStarts(ctx context.Context, u *user, accounts, n int) startTiming {
	rec := newRecorder()
	for k := range 2 * n {
		if ctx.Err() != nil {
			break
		}
		c, err := u.c.NewCaptcha(ctx)
		if err != nil {
			rec.observe("captcha", 0, err)
			continue
		}
		req := api.StartRequest{CaptchaID: c.CaptchaID, CaptchaAnswer: captchaAnswer}
		kind := "known"
		if k%2 == 0 {
			req.StaffNumber = staffNumber(k / 2 % accounts)
		} else {
			kind = "unknown"
			req.StaffNumber = unknownStaff(k / 2)
		}
		start := time.Now()
		_, err = u.c.Start(ctx, req)
		d := time.Since(start)
		if kind == "unknown" && api.ErrorCode(err) == api.CodeAccountNotFound {
			err = nil // the expected answer
		}
		rec.observe(kind, d, err)
	}
	return startTiming{known: rec.latency("known"), unknown: rec.latency("unknown")}
}
