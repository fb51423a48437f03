package service

import (
	"math"
	"net/netip"
	"time"

	"casreset/api"
)

// Keys of the rate-limit counters in the store. Address keys take the
// address as limitAddr gives it.
func startKey(addr string) string            { return "start:addr:" + addr }
func sendKey(staffNumber string) string      { return "send:account:" + staffNumber }
func reminderAddrKey(addr string) string     { return "remind:addr:" + addr }
func reminderContactKey(c string) string     { return "remind:contact:" + c }
func captchaKey(addr string) string          { return "captcha:addr:" + addr }
func wrongCaptchaKey(addr string) string     { return "captcha-wrong:addr:" + addr }
func wrongCodeKey(staffNumber string) string { return "code-wrong:account:" + staffNumber }
func passwordKey(flowID string) string       { return "password:flow:" + flowID }

// wrongCodesLeft is how many more wrong codes the account of staffNumber
// may enter now, all its flows together, and when the oldest of those
// counted leaves the window (zero when none is counted). In an Update it
// leaves the counter locked until commit.
func (s *Service) wrongCodesLeft(tx Tx, staffNumber string, now time.Time) (int, time.Time, error) {
	n, oldest, err := tx.CountHits(wrongCodeKey(staffNumber), now.Add(-s.cfg.WrongCodeWindow))
	return max(s.cfg.WrongCodesAccount-n, 0), oldest, err
}

// limitAddr is c's address as the per-address limits count it: an IPv4
// address as it is, an IPv6 address as its network of
// Config.LimitPrefixIPv6 bits (64). A subnet of /64 is what one home, one
// office or one cloud machine is given; counted per /128, a single attacker
// would have 2^64 addresses, each with an allowance of its own. An address
// that does not parse (not from TCP) is kept as it is.
func (s *Service) limitAddr(c Client) string {
	a, err := netip.ParseAddr(c.Addr)
	if err != nil {
		return c.Addr
	}
	a = a.Unmap().WithZone("")
	bits := s.cfg.LimitPrefixIPv6
	if a.Is4() {
		bits = s.cfg.LimitPrefixIPv4
	}
	if bits >= a.BitLen() {
		return a.String()
	}
	return netip.PrefixFrom(a, bits).Masked().String()
}

// checkLimit counts the hits of key within window before now and returns a
// rate_limited refusal when there are limit of them already; its retry
// time is when the oldest has left the window. In an Update it leaves the
// counter locked until commit (see Tx.CountHits), so that an AddHit later
// in the transaction is one step with the count.
func checkLimit(tx Tx, key string, limit int, window time.Duration, now time.Time, detail string) (*api.Error, error) {
	n, oldest, err := tx.CountHits(key, now.Add(-window))
	if err != nil {
		return nil, err
	}
	if n >= limit {
		return refuse(api.CodeRateLimited, detail).WithRetryAfter(secondsUntilLeft(oldest, window, now)), nil
	}
	return nil, nil
}

// takeHit counts one hit of key unless checkLimit refuses it. Refused
// attempts are not counted, so the retry time stays true.
func takeHit(tx Tx, key string, limit int, window time.Duration, now time.Time, detail string) (*api.Error, error) {
	if no, err := checkLimit(tx, key, limit, window, now, detail); err != nil || no != nil {
		return no, err
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
