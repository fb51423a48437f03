package evidence

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"casreset/api"
)

// TestFinding2GuessesPerAccountStopAtTenAcrossFlows: a guesser opens four
// flows of one account, has a code sent in each, then sends 60 wrong codes
// at once, 15 to each flow, from 8 PCs. Each flow allows 5, but the account
// allows 10 in all: the audit shows exactly 10 codes compared (it showed
// 20), and no fifth code is sent for the rest of the day.
func TestFinding2GuessesPerAccountStopAtTenAcrossFlows(t *testing.T) {
	onEachEngine(t, 1, func(t *testing.T, s *setup) {
		in := s.start(t)
		ctx := testContext(t)
		box := newInbox(in.outbox)
		pcs := clients(in, 8)
		var tokens, wrong [4]string
		for i := range tokens {
			token, err := startFlow(ctx, pcs[0], staff(0))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := pcs[0].SendCode(ctx, token, api.SendCodeRequest{Channel: api.ChannelEmail}); err != nil {
				t.Fatal(err)
			}
			tokens[i], wrong[i] = token, wrongOf(box.mustNext(t, emailOf(0)))
		}

		const guesses = 60
		var wg sync.WaitGroup
		gate := make(chan struct{})
		for k := range guesses {
			wg.Go(func() {
				<-gate
				pcs[k%len(pcs)].Verify(ctx, tokens[k%4], wrong[k%4])
			})
		}
		close(gate)
		wg.Wait()

		var compared int
		for _, ev := range s.auditEvents(t, "--staff", staff(0)) {
			switch {
			case ev.Event == "authn_login_fail" && strings.HasPrefix(ev.Detail, "code_invalid"),
				ev.Event == "authn_login_fail_max" && !strings.Contains(ev.Detail, "code not checked"):
				compared++
			}
		}
		if compared != 10 {
			t.Errorf("%d wrong codes were compared with a code, want 10 (the account's allowance)", compared)
		}

		token, err := startFlow(ctx, pcs[0], staff(0))
		if err != nil {
			t.Fatal(err)
		}
		_, err = pcs[0].SendCode(ctx, token, api.SendCodeRequest{Channel: api.ChannelEmail})
		ae := wantProblem(t, "a fifth code", err, api.CodeRateLimited)
		if ae.RetryAfter < int((23 * time.Hour).Seconds()) {
			t.Errorf("retry after %d s, want the rest of the 24 hours", ae.RetryAfter)
		}
	})
}

// TestFinding2IPv6AddressesOfASubnetShareTheLimit: behind a trusted proxy,
// 40 starts come from 40 addresses of one IPv6 /64 (an attacker has 2^64
// of them). They share one allowance of 30; the next /64 has its own.
func TestFinding2IPv6AddressesOfASubnetShareTheLimit(t *testing.T) {
	onEachEngine(t, 1, func(t *testing.T, s *setup) {
		in := s.start(t, "--trusted-proxy", "127.0.0.1")
		c := in.httpClient()
		startFrom := func(addr string) int {
			hdr := map[string]string{"X-Forwarded-For": addr}
			resp, body := do(t, c, "POST", in.url+"/v1/captchas", "", hdr)
			var cp api.Captcha
			if resp.StatusCode != http.StatusCreated || json.Unmarshal(body, &cp) != nil {
				t.Fatalf("CAPTCHA for %s: %d %s", addr, resp.StatusCode, body)
			}
			req := fmt.Sprintf(`{"staff_number":%q,"captcha_id":%q,"captcha_answer":%q}`, staff(0), cp.CaptchaID, captchaAnswer)
			resp, _ = do(t, c, "POST", in.url+"/v1/resets", req, hdr)
			return resp.StatusCode
		}
		count := map[int]int{}
		for i := range 40 {
			count[startFrom(fmt.Sprintf("2001:db8:5:6:%x:%x::%x", i*7919%0x10000, i, i+1))]++
		}
		if count[http.StatusCreated] != 30 || count[http.StatusTooManyRequests] != 10 {
			t.Errorf("answers %v, want 30 created and 10 rate-limited", count)
		}
		if got := startFrom("2001:db8:5:7::1"); got != http.StatusCreated {
			t.Errorf("a start from the next /64: %d, want 201", got)
		}
	})
}

// TestFinding4GarbageDoesNotLockAnAddressOut: forty starts with made-up,
// malformed or no CAPTCHAs from one address (a staff room behind one NAT)
// used to count as starts and lock everyone there out for ten minutes;
// now a start with a right CAPTCHA still goes through.
func TestFinding4GarbageDoesNotLockAnAddressOut(t *testing.T) {
	onEachEngine(t, 1, func(t *testing.T, s *setup) {
		in := s.start(t)
		c := in.httpClient()
		for i := range 40 {
			body := []string{
				fmt.Sprintf(`{"staff_number":%q,"captcha_id":%q,"captcha_answer":"123456"}`, staff(0), strings.Repeat("A", 26)),
				fmt.Sprintf(`{"staff_number":%q,"captcha_id":"","captcha_answer":""}`, staff(0)),
				`{"staff_number":"x","captcha_id":"../etc","captcha_answer":"1"}`,
				`{"staff_number":`,
			}[i%4]
			resp, b := do(t, c, "POST", in.url+"/v1/resets", body, nil)
			if resp.StatusCode == http.StatusCreated || resp.StatusCode == http.StatusTooManyRequests {
				t.Fatalf("garbage start %d: %d %s", i, resp.StatusCode, b)
			}
		}
		ctx := testContext(t)
		if _, err := startFlow(ctx, in.client(), staff(0)); err != nil {
			t.Errorf("a start with a right CAPTCHA after 40 garbage ones: %v", err)
		}
	})
}

// TestFinding5CaptchaCreationIsLimited: one address asking for 130
// CAPTCHAs gets 120 (it got all of them, each a row in the database).
func TestFinding5CaptchaCreationIsLimited(t *testing.T) {
	onEachEngine(t, 0, func(t *testing.T, s *setup) {
		in := s.start(t)
		c := in.httpClient()
		count := map[int]int{}
		var retry string
		for range 130 {
			resp, _ := do(t, c, "POST", in.url+"/v1/captchas", "", nil)
			count[resp.StatusCode]++
			if resp.StatusCode == http.StatusTooManyRequests {
				retry = resp.Header.Get("Retry-After")
			}
		}
		if count[http.StatusCreated] != 120 || count[http.StatusTooManyRequests] != 10 {
			t.Errorf("answers %v, want 120 created and 10 rate-limited", count)
		}
		if retry == "" || retry == "0" {
			t.Errorf("Retry-After %q", retry)
		}
	})
}

// TestFinding7PasswordSubmissionsPerFlowAreLimited: a verified flow used to
// take new passwords without end, and password_reused answered, for each,
// whether it was one of the account's last three. Now the eleventh ends
// the flow.
func TestFinding7PasswordSubmissionsPerFlowAreLimited(t *testing.T) {
	onEachEngine(t, 1, func(t *testing.T, s *setup) {
		in := s.start(t)
		ctx := testContext(t)
		c := in.client()
		box := newInbox(in.outbox)
		const recent = "Harbour7pQ2mZr"
		mustChangePassword(t, ctx, c, box, 0, recent)
		token := mustVerifiedFlow(t, ctx, c, box, 0)
		for i := range 10 {
			if i%2 == 0 {
				_, err := c.SetPassword(ctx, token, api.PasswordRequest{NewPassword: recent})
				wantProblem(t, "a recent password", err, api.CodePasswordReused)
			} else {
				_, err := c.SetPassword(ctx, token, api.PasswordRequest{NewPassword: "short1"})
				wantProblem(t, "a short password", err, api.CodePasswordPolicy)
			}
		}
		_, err := c.SetPassword(ctx, token, api.PasswordRequest{NewPassword: recent})
		wantProblem(t, "the eleventh password", err, api.CodeAttemptsExhausted)
		_, err = c.SetPassword(ctx, token, api.PasswordRequest{NewPassword: "Kowloon7pQ2mZr"})
		wantProblem(t, "a password after the flow ended", err, api.CodeTokenInvalid)
	})
}
