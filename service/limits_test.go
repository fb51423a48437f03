package service_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"casreset/api"
	"casreset/service"
)

// from is h's client at another address.
func (h *harness) from(addr string) service.Client {
	c := h.client
	c.Addr = addr
	return c
}

// startFrom starts a flow of acctBoth from c with a CAPTCHA of c's own,
// answered right or wrong.
func (h *harness) startFrom(c service.Client, right bool) error {
	h.tb.Helper()
	id, answer := h.captchaFrom(c)
	if !right {
		answer = wrongCode(answer)
	}
	_, err := h.svc.Start(context.Background(), c, api.StartRequest{StaffNumber: acctBoth.StaffNumber, CaptchaID: id, CaptchaAnswer: answer})
	return err
}

// TestStartsCountOnlyOnceTheCaptchaIsRight: answers to CAPTCHAs that do
// not exist, have expired or were used count against nothing, and wrong
// answers count against the wrong-CAPTCHA limit only; 30 starts with a
// right CAPTCHA are still allowed after them.
func TestStartsCountOnlyOnceTheCaptchaIsRight(t *testing.T) {
	onEachEngine(t, func(t *testing.T, h *harness) {
		ctx := context.Background()
		used, usedAnswer := h.captcha()
		if _, err := h.svc.Start(ctx, h.client, api.StartRequest{StaffNumber: acctBoth.StaffNumber, CaptchaID: used, CaptchaAnswer: usedAnswer}); err != nil {
			t.Fatal(err)
		}
		expired, expiredAnswer := h.captcha()
		h.clock.Advance(10 * time.Minute)
		for i := range 100 {
			req := []api.StartRequest{
				{StaffNumber: acctBoth.StaffNumber, CaptchaID: "", CaptchaAnswer: ""},
				{StaffNumber: acctBoth.StaffNumber, CaptchaID: "ABCDEFGHIJKLMNOPQRSTUVWXYZ", CaptchaAnswer: "123456"},
				{StaffNumber: acctBoth.StaffNumber, CaptchaID: used, CaptchaAnswer: usedAnswer},
				{StaffNumber: acctBoth.StaffNumber, CaptchaID: expired, CaptchaAnswer: expiredAnswer},
			}[i%4]
			_, err := h.svc.Start(ctx, h.client, req)
			wantCode(t, err, api.CodeCaptchaInvalid)
		}
		for i := range 29 {
			wantCode(t, h.startFrom(h.client, false), api.CodeCaptchaInvalid)
			if i == 0 {
				h.clock.Advance(time.Second)
			}
		}
		for i := range 30 {
			if err := h.startFrom(h.client, true); err != nil {
				t.Fatalf("start %d with a right CAPTCHA after 100 unusable and 29 wrong ones: %v", i+1, err)
			}
		}
		e := wantCode(t, h.startFrom(h.client, true), api.CodeRateLimited)
		if e.RetryAfter != 10*60+1 { // the 30 starts all happened now
			t.Errorf("retry after %d s, want 601", e.RetryAfter)
		}
	})
}

// TestWrongCaptchasPerAddress: after 30 wrong answers, starts and reminders
// from the address are refused until the first of them is 10 minutes old,
// without using up the CAPTCHA; other addresses are not concerned.
func TestWrongCaptchasPerAddress(t *testing.T) {
	onEachEngine(t, func(t *testing.T, h *harness) {
		ctx := context.Background()
		for i := range 30 {
			if i%3 == 0 {
				id, answer := h.captcha()
				err := h.svc.RemindStaffNumber(ctx, h.client, api.ReminderRequest{Contact: acctBoth.Email, CaptchaID: id, CaptchaAnswer: wrongCode(answer)})
				wantCode(t, err, api.CodeCaptchaInvalid)
			} else {
				wantCode(t, h.startFrom(h.client, false), api.CodeCaptchaInvalid)
			}
			h.clock.Advance(time.Second)
		}
		id, answer := h.captcha()
		req := api.StartRequest{StaffNumber: acctBoth.StaffNumber, CaptchaID: id, CaptchaAnswer: answer}
		_, err := h.svc.Start(ctx, h.client, req)
		e := wantCode(t, err, api.CodeRateLimited)
		if want := 10*60 - 30 + 1; e.RetryAfter != want {
			t.Errorf("retry after %d s, want %d", e.RetryAfter, want)
		}
		err = h.svc.RemindStaffNumber(ctx, h.client, api.ReminderRequest{Contact: acctBoth.Email, CaptchaID: id, CaptchaAnswer: answer})
		wantCode(t, err, api.CodeRateLimited)
		// The refused answers did not use the CAPTCHA up.
		if _, err := h.svc.Start(ctx, h.from("198.51.100.7"), req); err != nil {
			t.Errorf("the same CAPTCHA from another address: %v", err)
		}
		if err := h.startFrom(h.from("198.51.100.8"), true); err != nil {
			t.Errorf("another address: %v", err)
		}
		h.clock.Advance(time.Duration(e.RetryAfter-1) * time.Second)
		wantCode(t, h.startFrom(h.client, true), api.CodeRateLimited)
		h.clock.Advance(time.Second)
		if err := h.startFrom(h.client, true); err != nil {
			t.Errorf("once the first wrong answer is 10 minutes old: %v", err)
		}
		events := h.hookEvents()
		if last := events[len(events)-1]; last.Event != service.EventResetStarted {
			t.Errorf("last event %+v", last)
		}
	})
}

// TestCaptchasPerAddress: 120 CAPTCHAs per address per 10 minutes.
func TestCaptchasPerAddress(t *testing.T) {
	onEachEngine(t, func(t *testing.T, h *harness) {
		ctx := context.Background()
		for i := range 120 {
			if _, err := h.svc.NewCaptcha(ctx, h.client); err != nil {
				t.Fatalf("CAPTCHA %d: %v", i+1, err)
			}
			if i == 0 {
				h.clock.Advance(time.Minute)
			}
		}
		_, err := h.svc.NewCaptcha(ctx, h.client)
		e := wantCode(t, err, api.CodeRateLimited)
		if want := 9*60 + 1; e.RetryAfter != want {
			t.Errorf("retry after %d s, want %d", e.RetryAfter, want)
		}
		if _, err := h.svc.NewCaptcha(ctx, h.from("198.51.100.7")); err != nil {
			t.Errorf("another address: %v", err)
		}
		h.clock.Advance(time.Duration(e.RetryAfter) * time.Second)
		if _, err := h.svc.NewCaptcha(ctx, h.client); err != nil {
			t.Errorf("once the first is 10 minutes old: %v", err)
		}
		events := h.hookEvents()
		var limited int
		for _, ev := range events {
			if ev.Event == service.EventRateLimited && ev.Detail == "rate_limited: captchas per address" {
				limited++
			}
		}
		if limited != 1 {
			t.Errorf("%d audit events of the refusal, want 1: %+v", limited, events)
		}
	})
}

// TestIPv6AddressesCountBySubnet: the limits count an IPv6 client by its
// /64, so that the 2^64 addresses of one subnet share one allowance; IPv4
// (also written as IPv4-mapped IPv6) counts by address.
func TestIPv6AddressesCountBySubnet(t *testing.T) {
	onEachEngine(t, func(t *testing.T, h *harness) {
		for i := range 30 {
			addr := fmt.Sprintf("2001:db8:0:1:%x::%x", i*977, i+1)
			if err := h.startFrom(h.from(addr), true); err != nil {
				t.Fatalf("start from %s: %v", addr, err)
			}
		}
		wantCode(t, h.startFrom(h.from("2001:db8:0:1:ffff:ffff:ffff:ffff"), true), api.CodeRateLimited)
		if err := h.startFrom(h.from("2001:db8:0:2::1"), true); err != nil {
			t.Errorf("the next /64: %v", err)
		}

		for range 30 {
			if err := h.startFrom(h.from("::ffff:192.0.2.77"), true); err != nil {
				t.Fatal(err)
			}
		}
		wantCode(t, h.startFrom(h.from("192.0.2.77"), true), api.CodeRateLimited)
		if err := h.startFrom(h.from("192.0.2.78"), true); err != nil {
			t.Errorf("the next IPv4 address: %v", err)
		}
	})
}

func TestLimitPrefixesAreConfigurable(t *testing.T) {
	h := newHarness(t, func(c *service.Config) {
		c.StartsPerAddr = 2
		c.LimitPrefixIPv6 = 128
		c.LimitPrefixIPv4 = 24
	})
	for _, addr := range []string{"2001:db8::1", "2001:db8::2", "2001:db8::3"} {
		if err := h.startFrom(h.from(addr), true); err != nil {
			t.Errorf("start from %s, a /128 of its own: %v", addr, err)
		}
	}
	for _, addr := range []string{"192.0.2.1", "192.0.2.200"} {
		if err := h.startFrom(h.from(addr), true); err != nil {
			t.Fatal(err)
		}
	}
	wantCode(t, h.startFrom(h.from("192.0.2.99"), true), api.CodeRateLimited)
}

// TestWrongCodesPerAccountAcrossFlows: ten wrong codes in 24 hours, in any
// number of flows, end every flow of the account at its next code and stop
// sends until the first of them is 24 hours old.
func TestWrongCodesPerAccountAcrossFlows(t *testing.T) {
	onEachEngine(t, func(t *testing.T, h *harness) {
		ctx := context.Background()
		// Three flows with a code each, before any wrong code.
		var tokens [3]string
		for i := range tokens {
			tokens[i] = h.start(acctBoth.StaffNumber)
			h.send(tokens[i], api.ChannelSMS)
		}
		a, b, c := tokens[0], tokens[1], tokens[2]
		firstWrong := h.clock.Now()
		for range 5 {
			h.svc.Verify(ctx, h.client, a, wrongCode(h.code(a)))
		}
		h.clock.Advance(time.Minute)
		if f, err := h.svc.Flow(ctx, h.client, b); err != nil || f.AttemptsLeft != 5 {
			t.Fatalf("flow b after 5 wrong codes in flow a: %+v, %v; want 5 attempts left", f, err)
		}
		for want := 4; want >= 1; want-- {
			e := wantCode(t, h.svc.Verify(ctx, h.client, b, wrongCode(h.code(b))), api.CodeCodeInvalid)
			if e.AttemptsLeft == nil || *e.AttemptsLeft != want {
				t.Fatalf("attempts left %v, want %d", e.AttemptsLeft, want)
			}
		}
		e := wantCode(t, h.svc.Verify(ctx, h.client, b, wrongCode(h.code(b))), api.CodeAttemptsExhausted)
		if e.Detail != "Too many wrong validation codes were entered for this account. No code can be sent or checked for it for now; please try again later or contact IT Help." {
			t.Errorf("detail of the tenth wrong code: %q", e.Detail)
		}

		// Flow c's right code is no longer compared: the flow ends.
		if f, err := h.svc.Flow(ctx, h.client, c); err != nil || f.AttemptsLeft != 0 || f.SendsLeft != 0 {
			t.Errorf("flow c: %+v, %v; want no attempts and no sends left", f, err)
		}
		wantCode(t, h.svc.Verify(ctx, h.client, c, h.code(c)), api.CodeAttemptsExhausted)
		wantCode(t, h.svc.Verify(ctx, h.client, c, h.code(c)), api.CodeTokenInvalid)

		// A new flow starts but gets no code until the first wrong one is
		// 24 hours old.
		d := h.start(acctBoth.StaffNumber)
		_, err := h.svc.SendCode(ctx, h.client, d, api.SendCodeRequest{Channel: api.ChannelSMS})
		e = wantCode(t, err, api.CodeRateLimited)
		retryAt := h.clock.Now().Add(time.Duration(e.RetryAfter) * time.Second)
		if want := firstWrong.Add(24*time.Hour + time.Second); !retryAt.Equal(want) {
			t.Errorf("retry after %d s (at %v), want at %v", e.RetryAfter, retryAt, want)
		}
		// Other accounts are not concerned.
		other := h.start(acctSMS.StaffNumber)
		h.send(other, api.ChannelSMS)
		if err := h.svc.Verify(ctx, h.client, other, h.code(other)); err != nil {
			t.Errorf("another account: %v", err)
		}

		h.clock.Set(retryAt)
		d = h.start(acctBoth.StaffNumber)
		h.send(d, api.ChannelSMS)
		// Five of the ten wrong codes (flow a's) have left the window.
		if f, err := h.svc.Flow(ctx, h.client, d); err != nil || f.AttemptsLeft != 5 {
			t.Errorf("a new flow a day later: %+v, %v; want 5 attempts left", f, err)
		}
		if err := h.svc.Verify(ctx, h.client, d, h.code(d)); err != nil {
			t.Errorf("the right code a day later: %v", err)
		}

		var limited int
		for _, ev := range h.hookEvents() {
			if ev.Event == service.EventRateLimited && ev.Detail == "rate_limited: wrong codes per account" {
				limited++
			}
		}
		if limited != 1 {
			t.Errorf("%d audit events of the refused send, want 1", limited)
		}
	})
}

// TestAttemptsLeftFollowTheAccount: a flow offers no more attempts than
// its account has left.
func TestAttemptsLeftFollowTheAccount(t *testing.T) {
	h := newHarness(t, func(c *service.Config) { c.WrongCodesAccount = 7 })
	ctx := context.Background()
	first := h.start(acctBoth.StaffNumber)
	h.send(first, api.ChannelSMS)
	for range 5 {
		h.svc.Verify(ctx, h.client, first, wrongCode(h.code(first)))
	}
	second := h.start(acctBoth.StaffNumber)
	h.send(second, api.ChannelSMS)
	if f, err := h.svc.Flow(ctx, h.client, second); err != nil || f.AttemptsLeft != 2 {
		t.Fatalf("Flow = %+v, %v; want 2 attempts left", f, err)
	}
	e := wantCode(t, h.svc.Verify(ctx, h.client, second, wrongCode(h.code(second))), api.CodeCodeInvalid)
	if *e.AttemptsLeft != 1 {
		t.Errorf("attempts left %d, want 1", *e.AttemptsLeft)
	}
	wantCode(t, h.svc.Verify(ctx, h.client, second, wrongCode(h.code(second))), api.CodeAttemptsExhausted)
}

// TestPasswordAttemptsPerFlow: a verified flow takes ten new passwords,
// whatever becomes of them; the eleventh ends it. Without the limit,
// password_reused would answer questions about the account's last three
// passwords for as long as the flow lives.
func TestPasswordAttemptsPerFlow(t *testing.T) {
	onEachEngine(t, func(t *testing.T, h *harness) {
		ctx := context.Background()
		const recent, good = "Harbour7pQ2mZr", "Kowloon7pQ2mZr"
		if err := h.changePassword(acctBoth.StaffNumber, recent); err != nil {
			t.Fatal(err)
		}
		token := h.verified(acctBoth.StaffNumber)
		for i := range 10 {
			if i%2 == 0 {
				_, err := h.svc.SetPassword(ctx, h.client, token, api.PasswordRequest{NewPassword: recent})
				wantCode(t, err, api.CodePasswordReused)
			} else {
				_, err := h.svc.SetPassword(ctx, h.client, token, api.PasswordRequest{NewPassword: "short1"})
				wantCode(t, err, api.CodePasswordPolicy)
			}
		}
		_, err := h.svc.SetPassword(ctx, h.client, token, api.PasswordRequest{NewPassword: good})
		wantCode(t, err, api.CodeAttemptsExhausted)
		_, err = h.svc.SetPassword(ctx, h.client, token, api.PasswordRequest{NewPassword: good})
		wantCode(t, err, api.CodeTokenInvalid)
		// A new flow starts afresh.
		if err := h.changePassword(acctBoth.StaffNumber, good); err != nil {
			t.Errorf("a new flow: %v", err)
		}
	})
}

func TestPasswordAttemptsAreConfigurable(t *testing.T) {
	h := newHarness(t, func(c *service.Config) { c.MaxPasswordAttempts = 2 })
	ctx := context.Background()
	token := h.verified(acctBoth.StaffNumber)
	for range 2 {
		_, err := h.svc.SetPassword(ctx, h.client, token, api.PasswordRequest{NewPassword: "short1"})
		wantCode(t, err, api.CodePasswordPolicy)
	}
	_, err := h.svc.SetPassword(ctx, h.client, token, api.PasswordRequest{NewPassword: "Kowloon7pQ2mZr"})
	wantCode(t, err, api.CodeAttemptsExhausted)
}

// TestUnlockAccountLiftsItsLimitsAndEndsItsFlows: after IT Help unlocks an
// account, its owner gets codes again at once, the flows opened before
// are over, and the audit says who did it.
func TestUnlockAccountLiftsItsLimitsAndEndsItsFlows(t *testing.T) {
	onEachEngine(t, func(t *testing.T, h *harness) {
		ctx := context.Background()
		for range 2 {
			token := h.start(acctBoth.StaffNumber)
			h.send(token, api.ChannelSMS)
			for range 5 {
				h.svc.Verify(ctx, h.client, token, wrongCode(h.code(token)))
			}
		}
		open := h.start(acctBoth.StaffNumber)
		_, err := h.svc.SendCode(ctx, h.client, open, api.SendCodeRequest{Channel: api.ChannelSMS})
		wantCode(t, err, api.CodeRateLimited)
		otherFlow := h.start(acctSMS.StaffNumber)
		h.send(otherFlow, api.ChannelSMS)

		admin := service.Client{UserAgent: "resetd accounts unlock"}
		got, err := h.svc.UnlockAccount(ctx, admin, " "+acctBoth.StaffNumber+" ", "the command line (root)")
		if err != nil {
			t.Fatal(err)
		}
		if got.Hits != 12 || got.Flows != 1 { // 2 sends and 10 wrong codes; the open flow
			t.Errorf("Unlocked = %+v, want 12 hits and 1 flow", got)
		}
		_, err = h.svc.Flow(ctx, h.client, open)
		wantCode(t, err, api.CodeTokenInvalid)
		if _, err := h.svc.Flow(ctx, h.client, otherFlow); err != nil {
			t.Errorf("another account's flow: %v", err)
		}
		token := h.start(acctBoth.StaffNumber)
		h.send(token, api.ChannelSMS)
		if f, err := h.svc.Flow(ctx, h.client, token); err != nil || f.AttemptsLeft != 5 || f.SendsLeft != 4 {
			t.Errorf("a new flow after the unlock: %+v, %v", f, err)
		}
		if err := h.svc.Verify(ctx, h.client, token, h.code(token)); err != nil {
			t.Errorf("the right code after the unlock: %v", err)
		}

		events := h.audit(acctBoth.StaffNumber)
		var found bool
		for _, ev := range events {
			if ev.Event == service.EventAccountUnlocked {
				found = true
				if want := "limits lifted (12 counted sends and wrong codes), 1 open flows ended, by the command line (root)"; ev.Detail != want {
					t.Errorf("detail %q, want %q", ev.Detail, want)
				}
			}
		}
		if !found {
			t.Errorf("no %s event in %+v", service.EventAccountUnlocked, events)
		}
		_, err = h.svc.UnlockAccount(ctx, admin, "<script>", "the command line (root)")
		wantCode(t, err, api.CodeInvalidRequest)
	})
}
