package service

import (
	"math"
	"time"

	"casreset/api"
)

// Keys of the rate-limit counters in the store.
func startKey(addr string) string        { return "start:addr:" + addr }
func sendKey(staffNumber string) string  { return "send:account:" + staffNumber }
func reminderAddrKey(addr string) string { return "remind:addr:" + addr }
func reminderContactKey(c string) string { return "remind:contact:" + c }

// takeHit counts one hit of key unless limit hits already happened within
// window before now; then it returns a rate_limited refusal whose retry
// time is when the oldest of them has left the window. Refused attempts are
// not counted, so the retry time stays true.
func takeHit(tx Tx, key string, limit int, window time.Duration, now time.Time, detail string) (*api.Error, error) {
	n, oldest, err := tx.CountHits(key, now.Add(-window))
	if err != nil {
		return nil, err
	}
	if n >= limit {
		return refuse(api.CodeRateLimited, detail).WithRetryAfter(secondsUntilLeft(oldest, window, now)), nil
	}
	return nil, tx.AddHit(key, now)
}

// retrySeconds rounds d up to whole seconds (at least 1).
func retrySeconds(d time.Duration) int {
	return max(int(math.Ceil(d.Seconds())), 1)
}

// secondsUntilLeft is the first whole second after now at which a hit at
// oldest no longer counts. The window includes its start (the store counts
// hits "at or after"), so a hit leaves strictly after oldest+window.
func secondsUntilLeft(oldest time.Time, window time.Duration, now time.Time) int {
	return max(int(oldest.Add(window).Sub(now)/time.Second)+1, 1)
}
