package service_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"casreset/api"
	"casreset/service"
)

func TestStartIssuesATokenAndListsTheChannels(t *testing.T) {
	h := newHarness(t)
	res, err := h.startErr(acctBoth.StaffNumber)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.ResetToken) != 43 { // 32 bytes, base64url without padding
		t.Errorf("token %q is not 256 bits in base64url", res.ResetToken)
	}
	if want := t0.Add(30 * time.Minute); !res.ExpiresAt.Equal(want) {
		t.Errorf("expires at %v, want %v", res.ExpiresAt, want)
	}
	want := []api.ChannelInfo{
		{Channel: api.ChannelSMS, Destination: "9*** **34"},
		{Channel: api.ChannelEmail, Destination: "c****@example.edu.hk"},
	}
	if len(res.Channels) != 2 || res.Channels[0] != want[0] || res.Channels[1] != want[1] {
		t.Errorf("channels = %+v, want %+v", res.Channels, want)
	}
	f := h.flow(res.ResetToken)
	if f.Step != api.StepStarted || f.StaffNumber != acctBoth.StaffNumber || f.ClientAddr != h.client.Addr {
		t.Errorf("stored flow = %+v", f)
	}
	if f.ID == res.ResetToken {
		t.Error("the token itself is stored")
	}

	only, err := h.startErr(acctMail.StaffNumber)
	if err != nil {
		t.Fatal(err)
	}
	if len(only.Channels) != 1 || only.Channels[0].Channel != api.ChannelEmail {
		t.Errorf("an e-mail-only account offers %+v", only.Channels)
	}
}

func TestStartRefusals(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	tests := []struct {
		name  string
		staff string
		want  api.Code
	}{
		{"unknown account", "99999999", api.CodeAccountNotFound},
		{"no contact", acctNone.StaffNumber, api.CodeNoContact},
		{"expired account", acctEnded.StaffNumber, api.CodeAccountExpired},
		{"empty staff number", "  ", api.CodeInvalidRequest},
		{"staff number with markup", "<b>1</b>", api.CodeInvalidRequest},
		{"staff number too long", "123456789012345678901234567890123", api.CodeInvalidRequest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := h.startErr(tt.staff)
			e := wantCode(t, err, tt.want)
			if e.Reference != h.client.Reference {
				t.Errorf("reference = %q, want %q", e.Reference, h.client.Reference)
			}
		})
	}

	t.Run("staff number is trimmed", func(t *testing.T) {
		if _, err := h.startErr("  " + acctBoth.StaffNumber + " "); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("wrong CAPTCHA answer", func(t *testing.T) {
		id, answer := h.captcha()
		wrong := []byte(answer)
		wrong[0] = '0' + (wrong[0]-'0'+1)%10
		_, err := h.svc.Start(ctx, h.client, api.StartRequest{StaffNumber: acctBoth.StaffNumber, CaptchaID: id, CaptchaAnswer: string(wrong)})
		wantCode(t, err, api.CodeCaptchaInvalid)
		// The wrong guess used the CAPTCHA up: the right answer no longer works.
		_, err = h.svc.Start(ctx, h.client, api.StartRequest{StaffNumber: acctBoth.StaffNumber, CaptchaID: id, CaptchaAnswer: answer})
		wantCode(t, err, api.CodeCaptchaInvalid)
	})

	t.Run("CAPTCHA used twice", func(t *testing.T) {
		id, answer := h.captcha()
		req := api.StartRequest{StaffNumber: acctBoth.StaffNumber, CaptchaID: id, CaptchaAnswer: answer}
		if _, err := h.svc.Start(ctx, h.client, req); err != nil {
			t.Fatal(err)
		}
		_, err := h.svc.Start(ctx, h.client, req)
		wantCode(t, err, api.CodeCaptchaInvalid)
	})

	t.Run("CAPTCHA used for an unknown account is spent too", func(t *testing.T) {
		id, answer := h.captcha()
		_, err := h.svc.Start(ctx, h.client, api.StartRequest{StaffNumber: "99999999", CaptchaID: id, CaptchaAnswer: answer})
		wantCode(t, err, api.CodeAccountNotFound)
		_, err = h.svc.Start(ctx, h.client, api.StartRequest{StaffNumber: acctBoth.StaffNumber, CaptchaID: id, CaptchaAnswer: answer})
		wantCode(t, err, api.CodeCaptchaInvalid)
	})

	t.Run("unknown CAPTCHA", func(t *testing.T) {
		_, err := h.svc.Start(ctx, h.client, api.StartRequest{StaffNumber: acctBoth.StaffNumber, CaptchaID: "nope", CaptchaAnswer: "123456"})
		wantCode(t, err, api.CodeCaptchaInvalid)
	})

	t.Run("CAPTCHA expired after 10 minutes", func(t *testing.T) {
		id, answer := h.captcha()
		h.clock.Advance(10 * time.Minute)
		_, err := h.svc.Start(ctx, h.client, api.StartRequest{StaffNumber: acctBoth.StaffNumber, CaptchaID: id, CaptchaAnswer: answer})
		wantCode(t, err, api.CodeCaptchaInvalid)
	})

	t.Run("CAPTCHA still good just before 10 minutes", func(t *testing.T) {
		id, answer := h.captcha()
		h.clock.Advance(10*time.Minute - time.Second)
		_, err := h.svc.Start(ctx, h.client, api.StartRequest{StaffNumber: acctBoth.StaffNumber, CaptchaID: id, CaptchaAnswer: answer})
		if err != nil {
			t.Fatal(err)
		}
	})
}

// TestStartEligibilityAroundTheLastDay runs the end-date rule through Start:
// acctEnded's contract ended 2022-08-31, so it may reset through 2024-02-29
// in Hong Kong and not from 2024-03-01 00:00 there.
func TestStartEligibilityAroundTheLastDay(t *testing.T) {
	hk := hongKong(t)
	midnight := time.Date(2024, 3, 1, 0, 0, 0, 0, hk)
	for _, tc := range []struct {
		at   time.Time
		want api.Code
	}{
		{midnight.Add(-time.Second), ""},
		{midnight, api.CodeAccountExpired},
	} {
		h := newHarness(t)
		h.clock.Set(tc.at)
		_, err := h.startErr(acctEnded.StaffNumber)
		if tc.want == "" {
			if err != nil {
				t.Errorf("at %v: %v, want a flow", tc.at, err)
			}
			continue
		}
		wantCode(t, err, tc.want)
	}
}

func TestStartFindsTheAccountByTheNormalisedNumber(t *testing.T) {
	hyphen := service.Account{StaffNumber: "T-1234", Name: "TAM Ka Ho", Email: "tam.ka.ho@example.edu.hk"}
	letter := service.Account{StaffNumber: "T48213", Name: "YIP Wing", Mobile: "+85291110000"}
	tests := []struct {
		caseRule    api.StaffNumberCase
		typed, want string // want "": no account
	}{
		{api.StaffNumberCaseInsensitive, "T-1234", "T-1234"},
		{api.StaffNumberCaseInsensitive, " t48213 ", "T48213"},
		{api.StaffNumberCaseInsensitive, "Ｔ４８２１３", "T48213"},
		{api.StaffNumberCaseInsensitive, "ｔ－１２３４", "T-1234"},
		{api.StaffNumberCaseInsensitive, "1234 5678", acctBoth.StaffNumber},
		{api.StaffNumberCaseSensitive, "Ｔ４８２１３", "T48213"},
		{api.StaffNumberCaseSensitive, "1234 5678", acctBoth.StaffNumber},
		// The database compares exactly: the default keeps the case.
		{api.StaffNumberCaseSensitive, " t48213 ", ""},
	}
	for _, tt := range tests {
		t.Run(tt.caseRule.String()+"/"+tt.typed, func(t *testing.T) {
			h := newHarness(t, func(c *service.Config) { c.StaffNumberCase = tt.caseRule })
			h.addAccounts(hyphen, letter)
			res, err := h.startErr(tt.typed)
			if tt.want == "" {
				wantCode(t, err, api.CodeAccountNotFound)
				// The audit keeps the number as it was looked up.
				if evs := h.audit(api.NormalizeStaffNumber(tt.typed, tt.caseRule)); len(evs) != 1 {
					t.Errorf("audit of the normalised number: %d events, want 1", len(evs))
				}
				return
			}
			if err != nil {
				t.Fatalf("Start(%q): %v", tt.typed, err)
			}
			if f := h.flow(res.ResetToken); f.StaffNumber != tt.want {
				t.Errorf("Start(%q) began a flow for %q, want %q", tt.typed, f.StaffNumber, tt.want)
			}
			if res.StaffNumber != tt.want {
				t.Errorf("Start(%q) answers staff_number %q, want %q", tt.typed, res.StaffNumber, tt.want)
			}
		})
	}
}

func TestStartRefusesAndDoesNotAuditAnInvalidNumber(t *testing.T) {
	h := newHarness(t)
	for _, typed := range []string{"T/1234", "my password 1!", "<b>1</b>"} {
		_, err := h.startErr(typed)
		e := wantCode(t, err, api.CodeInvalidRequest)
		if !strings.Contains(e.Detail, "letters, digits and - _ .") {
			t.Errorf("Start(%q) says %q, want the characters named", typed, e.Detail)
		}
	}
	for _, e := range h.hookEvents() {
		if e.StaffNumber != "" {
			t.Errorf("a refused number reached the audit as %q", e.StaffNumber)
		}
	}
}

func TestStartLimitPerAddress(t *testing.T) {
	h := newHarness(t)
	other := h.client
	other.Addr = "198.51.100.7"
	// Every attempt counts, failed ones too.
	for i := range 30 {
		staff := acctBoth.StaffNumber
		if i%2 == 1 {
			staff = "99999999"
		}
		h.startErr(staff)
		h.clock.Advance(time.Second)
	}
	_, err := h.startErr(acctBoth.StaffNumber)
	e := wantCode(t, err, api.CodeRateLimited)
	// The first attempt, at t0, counts through t0+10 min; 30 s have passed.
	if want := 10*60 - 30 + 1; e.RetryAfter != want {
		t.Errorf("retry after %d s, want %d", e.RetryAfter, want)
	}
	// A rate-limited attempt does not use up its CAPTCHA; other addresses
	// are not limited.
	id, answer := h.captcha()
	req := api.StartRequest{StaffNumber: acctBoth.StaffNumber, CaptchaID: id, CaptchaAnswer: answer}
	_, err = h.svc.Start(context.Background(), h.client, req)
	wantCode(t, err, api.CodeRateLimited)
	if _, err := h.svc.Start(context.Background(), other, req); err != nil {
		t.Errorf("from another address with the same CAPTCHA: %v", err)
	}
	h.clock.Advance(time.Duration(e.RetryAfter-1) * time.Second)
	_, err = h.startErr(acctBoth.StaffNumber)
	wantCode(t, err, api.CodeRateLimited)
	h.clock.Advance(time.Second)
	if _, err := h.startErr(acctBoth.StaffNumber); err != nil {
		t.Errorf("after Retry-After: %v", err)
	}
}

func TestStartAcceptsTheTestCaptchaAnswer(t *testing.T) {
	h := newHarness(t, func(c *service.Config) { c.TestCaptchaAnswer = "424242" })
	id, _ := h.captcha()
	if _, err := h.svc.Start(context.Background(), h.client, api.StartRequest{StaffNumber: acctBoth.StaffNumber, CaptchaID: id, CaptchaAnswer: "424242"}); err != nil {
		t.Fatal(err)
	}
	// Still single use, and still only for CAPTCHAs that exist.
	_, err := h.svc.Start(context.Background(), h.client, api.StartRequest{StaffNumber: acctBoth.StaffNumber, CaptchaID: id, CaptchaAnswer: "424242"})
	wantCode(t, err, api.CodeCaptchaInvalid)
	_, err = h.svc.Start(context.Background(), h.client, api.StartRequest{StaffNumber: acctBoth.StaffNumber, CaptchaID: "unknown", CaptchaAnswer: "424242"})
	wantCode(t, err, api.CodeCaptchaInvalid)
}
