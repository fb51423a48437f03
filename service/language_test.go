package service_test

import (
	"context"
	"testing"

	"casreset/api"
	"casreset/assets"
	"casreset/service"
)

// startIn starts a flow of staff in the language lang.
func (h *harness) startIn(staff, lang string) (string, error) {
	id, answer := h.captcha()
	res, err := h.svc.Start(context.Background(), h.client, api.StartRequest{StaffNumber: staff, CaptchaID: id, CaptchaAnswer: answer, Language: lang})
	return res.ResetToken, err
}

// sendIn sends a code of the flow of token by SMS, naming the language
// lang ("" names none).
func (h *harness) sendIn(token, lang string) service.Message {
	h.tb.Helper()
	if _, err := h.svc.SendCode(context.Background(), h.client, token, api.SendCodeRequest{Channel: api.ChannelSMS, Language: lang}); err != nil {
		h.tb.Fatalf("SendCode in %q: %v", lang, err)
	}
	return h.message(h.flow(token).MessageID)
}

// finish verifies the flow of token and changes the password to one not
// used before, and returns the notices of the change.
func (h *harness) finish(token string) []service.Message {
	h.tb.Helper()
	return h.finishIn(token, "")
}

// finishIn is finish with a password request that names the language
// lang ("" names none).
func (h *harness) finishIn(token, lang string) []service.Message {
	h.tb.Helper()
	ctx := context.Background()
	if err := h.svc.Verify(ctx, h.client, token, h.code(token)); err != nil {
		h.tb.Fatalf("Verify: %v", err)
	}
	req := api.PasswordRequest{NewPassword: "Kx7pQ2mZr9vT" + token[:6], Language: lang}
	if _, err := h.svc.SetPassword(ctx, h.client, token, req); err != nil {
		h.tb.Fatalf("SetPassword in %q: %v", lang, err)
	}
	return h.queued(service.MessageNotice)
}

func TestEveryMessageOfAFlowGoesOutInItsLanguage(t *testing.T) {
	onEachEngine(t, func(t *testing.T, h *harness) {
		for _, l := range assets.Languages() {
			token, err := h.startIn(acctBoth.StaffNumber, l.Tag)
			if err != nil {
				t.Fatalf("Start in %s: %v", l.Tag, err)
			}
			if got := h.flow(token).Language; got != l.Tag {
				t.Errorf("flow started in %s has the language %q", l.Tag, got)
			}
			if m := h.sendIn(token, ""); m.Language != l.Tag {
				t.Errorf("code of a flow in %s is in %q", l.Tag, m.Language)
			}
			notices := h.finish(token)
			if len(notices) != 2 {
				t.Fatalf("%d notices, want one by SMS and one by e-mail", len(notices))
			}
			for _, m := range notices {
				if m.Language != l.Tag {
					t.Errorf("%s notice of a flow in %s is in %q", m.Channel, l.Tag, m.Language)
				}
			}
		}
	})
}

// TestARequestsLanguageIsTheTablesNearest: a tag the table has no row
// for is read as the nearest that fits, and one that none fits as none,
// so that the service's default language (--sms-lang) applies.
func TestARequestsLanguageIsTheTablesNearest(t *testing.T) {
	h := newHarness(t)
	for in, want := range map[string]string{
		"": "", "en": "en", "en-GB": "en", "zh-TW": "zh-HK", "zh-hk": "zh-HK", "zh-Hant-HK": "zh-HK",
		"zh-CN": "zh-Hans", "zh-Hans-SG": "zh-Hans", "fr": "", "ja-JP": "",
	} {
		token, err := h.startIn(acctBoth.StaffNumber, in)
		if err != nil {
			t.Fatalf("Start in %q: %v", in, err)
		}
		if got := h.flow(token).Language; got != want {
			t.Errorf("flow started in %q has the language %q, want %q", in, got, want)
		}
	}
}

// TestSwitchingLanguageMidFlow: a send that names a language makes it the
// flow's, for its code and the notice; one that names none keeps it.
func TestSwitchingLanguageMidFlow(t *testing.T) {
	onEachEngine(t, func(t *testing.T, h *harness) {
		token, err := h.startIn(acctBoth.StaffNumber, "en")
		if err != nil {
			t.Fatal(err)
		}
		if m := h.sendIn(token, "zh-HK"); m.Language != "zh-HK" {
			t.Errorf("code after switching to zh-HK is in %q", m.Language)
		}
		h.clock.Advance(service.DefaultConfig().ResendCooldown)
		if m := h.sendIn(token, ""); m.Language != "zh-HK" {
			t.Errorf("code sent again without a language is in %q, want the flow's zh-HK", m.Language)
		}
		h.clock.Advance(service.DefaultConfig().ResendCooldown)
		if m := h.sendIn(token, "fr"); m.Language != "" {
			t.Errorf("code after switching to a language the service lacks is in %q, want the default", m.Language)
		}
		h.clock.Advance(service.DefaultConfig().ResendCooldown)
		if m := h.sendIn(token, "zh-Hans"); m.Language != "zh-Hans" {
			t.Errorf("code after switching to zh-Hans is in %q", m.Language)
		}
		for _, m := range h.finish(token) {
			if m.Language != "zh-Hans" {
				t.Errorf("%s notice after switching to zh-Hans is in %q", m.Channel, m.Language)
			}
		}
	})
}

// TestSwitchingLanguageAfterTheCode: the person switched at step 3 or 4,
// after the code was sent, and the notice of the change goes out in the
// language the password request names (the table's nearest, or the
// default for a language the service lacks); one that names none keeps
// the flow's.
func TestSwitchingLanguageAfterTheCode(t *testing.T) {
	onEachEngine(t, func(t *testing.T, h *harness) {
		for _, tt := range []struct{ start, switchTo, want string }{
			{"en", "zh-HK", "zh-HK"},
			{"zh-HK", "en", "en"},
			{"en", "zh-CN", "zh-Hans"},
			{"zh-HK", "fr", ""},
			{"zh-Hans", "", "zh-Hans"},
		} {
			token, err := h.startIn(acctBoth.StaffNumber, tt.start)
			if err != nil {
				t.Fatalf("Start in %s: %v", tt.start, err)
			}
			if m := h.sendIn(token, ""); m.Language != tt.start {
				t.Fatalf("code of a flow in %s is in %q", tt.start, m.Language)
			}
			notices := h.finishIn(token, tt.switchTo)
			if len(notices) != 2 {
				t.Fatalf("%d notices, want one by SMS and one by e-mail", len(notices))
			}
			for _, m := range notices {
				if m.Language != tt.want {
					t.Errorf("%s notice of a flow in %s switched to %q at the password is in %q, want %q",
						m.Channel, tt.start, tt.switchTo, m.Language, tt.want)
				}
			}
			if got := h.flow(token).Language; got != tt.want {
				t.Errorf("flow in %s switched to %q at the password has the language %q, want %q", tt.start, tt.switchTo, got, tt.want)
			}
		}
	})
}

func TestAReminderGoesOutInItsLanguage(t *testing.T) {
	h := newHarness(t)
	for _, l := range assets.Languages() {
		id, answer := h.captcha()
		err := h.svc.RemindStaffNumber(context.Background(), h.client,
			api.ReminderRequest{Contact: acctSMS.Mobile, CaptchaID: id, CaptchaAnswer: answer, Language: l.Tag})
		if err != nil {
			t.Fatalf("reminder in %s: %v", l.Tag, err)
		}
		msgs := h.queued(service.MessageReminder)
		if len(msgs) != 1 || msgs[0].Language != l.Tag {
			t.Fatalf("reminder asked in %s: %+v", l.Tag, msgs)
		}
	}
}

// TestAMalformedLanguageIsRefusedAndUsesNothingUp: a language member that
// is no language tag is invalid_request before the CAPTCHA is used or a
// code is sent.
func TestAMalformedLanguageIsRefusedAndUsesNothingUp(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	for _, bad := range []string{"zh_HK", "繁體中文", "en-", "<script>", "zh-HK\n", "en-abcdefghijk"} {
		id, answer := h.captcha()
		_, err := h.svc.Start(ctx, h.client, api.StartRequest{StaffNumber: acctBoth.StaffNumber, CaptchaID: id, CaptchaAnswer: answer, Language: bad})
		wantCode(t, err, api.CodeInvalidRequest)
		if _, err := h.svc.Start(ctx, h.client, api.StartRequest{StaffNumber: acctBoth.StaffNumber, CaptchaID: id, CaptchaAnswer: answer}); err != nil {
			t.Errorf("the CAPTCHA of a start in %q was used up: %v", bad, err)
		}

		id, answer = h.captcha()
		err = h.svc.RemindStaffNumber(ctx, h.client, api.ReminderRequest{Contact: acctSMS.Mobile, CaptchaID: id, CaptchaAnswer: answer, Language: bad})
		wantCode(t, err, api.CodeInvalidRequest)
		if msgs := h.queued(service.MessageReminder); len(msgs) != 0 {
			t.Errorf("a reminder in %q was queued", bad)
		}

		token := h.start(acctBoth.StaffNumber)
		_, err = h.svc.SendCode(ctx, h.client, token, api.SendCodeRequest{Channel: api.ChannelSMS, Language: bad})
		wantCode(t, err, api.CodeInvalidRequest)
		if f := h.flow(token); f.Sends != 0 || f.Step != api.StepStarted {
			t.Errorf("a send in %q changed the flow: %+v", bad, f)
		}
	}
}

// TestAMalformedLanguageUsesNoPasswordAttempt: a password request whose
// language is no language tag is invalid_request before the attempt is
// counted: with one attempt per flow, the next request still changes the
// password.
func TestAMalformedLanguageUsesNoPasswordAttempt(t *testing.T) {
	h := newHarness(t, func(c *service.Config) { c.MaxPasswordAttempts = 1 })
	ctx := context.Background()
	token := h.verified(acctBoth.StaffNumber)
	for _, bad := range []string{"zh_HK", "繁體中文", "en-"} {
		_, err := h.svc.SetPassword(ctx, h.client, token, api.PasswordRequest{NewPassword: "Kx7pQ2mZr9vT", Language: bad})
		wantCode(t, err, api.CodeInvalidRequest)
	}
	if f := h.flow(token); f.Step != api.StepVerified || f.Language != "" {
		t.Errorf("password requests in malformed languages changed the flow: %+v", f)
	}
	if n := len(h.queued(service.MessageNotice)); n != 0 {
		t.Errorf("%d notices queued after refused requests", n)
	}
	if _, err := h.svc.SetPassword(ctx, h.client, token, api.PasswordRequest{NewPassword: "Kx7pQ2mZr9vT", Language: "zh-HK"}); err != nil {
		t.Fatalf("the password after refused languages: %v", err)
	}
	for _, m := range h.queued(service.MessageNotice) {
		if m.Language != "zh-HK" {
			t.Errorf("%s notice is in %q, want zh-HK", m.Channel, m.Language)
		}
	}
}
