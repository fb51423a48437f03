package wizard

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"casreset/api"
	"casreset/service"
	"casreset/ui"
	"casreset/ui/shell"
)

func TestHappyPathChangesThePassword(t *testing.T) {
	e := newEnv(t)

	s1 := screenAs[*step1](e)
	if e.win.Canvas().Focused() != s1.staff {
		t.Errorf("step 1 focus = %T, want the staff number field", e.win.Canvas().Focused())
	}
	if s1.captcha.id == "" || s1.captcha.image.Resource == nil {
		t.Fatal("step 1 shows no CAPTCHA image")
	}

	s2 := e.toStep2(acctBoth.StaffNumber)
	if len(s2.options) != 2 {
		t.Fatalf("step 2 offers %d channels, want 2", len(s2.options))
	}
	wantOptions := []string{
		"A validation code will be sent to your mobile phone number, 9*** **34.",
		"A validation code will be sent to your email address, c****@example.edu.hk.",
	}
	for i, want := range wantOptions {
		if got := s2.options[i].Text(); got != want {
			t.Errorf("option %d = %q, want %q", i, got, want)
		}
	}
	if !s2.simRow.Visible() {
		t.Error("the SIM real-name notice is hidden for an account with a mobile")
	}
	if !strings.Contains(s2.contact.Lines(), "ithelp@example.edu.hk") {
		t.Errorf("step 2 IT Help contact = %q", s2.contact.Lines())
	}
	e.tap(s2.send)
	if _, still := e.c.current.(*step2); !still || s2.errLbl.Text != "Please select which way you want to receive the code." {
		t.Fatalf("Send with no choice: screen %T, message %q", e.c.current, s2.errLbl.Text)
	}
	e.tap(s2.options[0])
	e.tap(s2.send)

	s3 := screenAs[*step3](e)
	if want := "The validation code has been sent to you by SMS. Please enter the code into the system within 10 minutes."; s3.sent.Text != want {
		t.Errorf("step 3 says %q, want %q", s3.sent.Text, want)
	}
	if s3.countdown.Text != "The code expires in 10:00." {
		t.Errorf("countdown = %q", s3.countdown.Text)
	}
	if e.win.Canvas().Focused() != s3.code {
		t.Error("step 3 does not focus the code field")
	}
	e.typeIn(s3.code, e.code())
	e.enter()

	s4 := screenAs[*step4](e)
	if e.win.Canvas().Focused() != s4.pw {
		t.Error("step 4 does not focus the new password field")
	}
	e.typeIn(s4.pw, goodPassword)
	if !s4.update.Disabled() {
		t.Error("Update is enabled before the password is re-typed")
	}
	e.typeIn(s4.retype, goodPassword)
	if s4.update.Disabled() {
		t.Fatal("Update stays disabled with every rule met")
	}
	e.tap(s4.update)

	done := screenAs[*success](e)
	if done.done.Text != "Your password has been updated successfully." {
		t.Errorf("success says %q", done.done.Text)
	}
	if !strings.Contains(done.casNote.Text, "HKU SPACE Central Authentication Service (CAS)") {
		t.Errorf("success note %q does not say the password is for CAS", done.casNote.Text)
	}
	if e.c.token != "" {
		t.Error("the spent token is still held")
	}
	if s4.pw.Text != "" || s4.retype.Text != "" {
		t.Error("the password fields still hold the password after success")
	}
	var a service.Account
	e.store.View(context.Background(), func(tx service.Tx) error {
		var err error
		a, err = tx.Account(acctBoth.StaffNumber)
		return err
	})
	if !a.PasswordChangedAt.Equal(e.clock.Now()) {
		t.Errorf("the service's password change time is %v, want %v", a.PasswordChangedAt, e.clock.Now())
	}

	e.tap(done.finish)
	next := screenAs[*step1](e)
	if next == s1 || next.staff.Text != "" {
		t.Error("Finish does not start a fresh step 1")
	}
}

func TestWrongCaptchaAsksAgainWithANewImage(t *testing.T) {
	e := newEnv(t)
	s1 := screenAs[*step1](e)
	first := s1.captcha.id
	e.step1(acctBoth.StaffNumber, e.wrongCaptcha(s1.captcha))

	if screenAs[*step1](e) != s1 {
		t.Fatal("a wrong CAPTCHA left step 1")
	}
	if want := "The Captcha value is wrong or has expired. Please enter the digits of the new image."; s1.captcha.errLbl.Text != want || !s1.captcha.errLbl.Visible() {
		t.Errorf("CAPTCHA message = %q (visible %v), want %q", s1.captcha.errLbl.Text, s1.captcha.errLbl.Visible(), want)
	}
	if s1.captcha.id == first || s1.captcha.id == "" {
		t.Error("no new CAPTCHA after a wrong answer")
	}
	if s1.captcha.answer.Text != "" {
		t.Error("the wrong answer is still in the field")
	}
	if s1.staff.Text != acctBoth.StaffNumber {
		t.Error("the staff number was cleared")
	}
	if e.win.Canvas().Focused() != s1.captcha.answer {
		t.Error("focus is not on the CAPTCHA answer")
	}
	// The real digits of the new image work too, not only the test answer.
	e.step1(acctBoth.StaffNumber, e.captchaDigits(s1.captcha))
	screenAs[*step2](e)
}

func TestStepOneRefusals(t *testing.T) {
	tests := []struct {
		name, staff, answer string
		field               func(*step1) string
		want                []string
	}{
		{"unknown staff number", "99999999", testCaptcha,
			func(s *step1) string { return s.staffErr.Text },
			[]string{"We cannot find this staff / teacher number."}},
		{"contract ended over 18 months ago", acctEnded.StaffNumber, testCaptcha,
			func(s *step1) string { return s.staffErr.Text },
			[]string{"can no longer be reset", "end date of the employment contract plus 18 months", "IT Help"}},
		{"empty staff number", "", testCaptcha,
			func(s *step1) string { return s.staffErr.Text },
			[]string{"Please enter your staff / teacher number."}},
		{"a character outside the set", "12/34", testCaptcha,
			func(s *step1) string { return s.staffErr.Text },
			[]string{"only letters, digits"}},
		{"no CAPTCHA answer", acctBoth.StaffNumber, "",
			func(s *step1) string { return s.captcha.errLbl.Text },
			[]string{"Please enter the digits shown in the image."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			s1 := screenAs[*step1](e)
			e.step1(tt.staff, tt.answer)
			if screenAs[*step1](e) != s1 {
				t.Fatal("left step 1")
			}
			got := tt.field(s1)
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("message %q does not contain %q", got, w)
				}
			}
		})
	}
}

func TestEmailOnlyAccountOffersEmail(t *testing.T) {
	e := newEnv(t)
	s2 := e.toStep2(acctMail.StaffNumber)
	if len(s2.options) != 1 || s2.channels[0].Channel != api.ChannelEmail {
		t.Fatalf("channels = %+v, want e-mail only", s2.channels)
	}
	if !s2.options[0].Selected() {
		t.Error("the only channel is not chosen already")
	}
	if s2.options[0].Text() != "A validation code will be sent to your email address, l****@example.edu.hk." {
		t.Errorf("option = %q", s2.options[0].Text())
	}
	if s2.simRow.Visible() {
		t.Error("the SIM notice shows for an account without a mobile")
	}
	if e.win.Canvas().Focused() != s2.options[0] {
		t.Error("focus is not on the channel")
	}
	e.enter() // Enter on the chosen channel sends
	s3 := screenAs[*step3](e)
	if !strings.Contains(s3.sent.Text, "by email") {
		t.Errorf("step 3 says %q", s3.sent.Text)
	}
	if s3.switchBtn.Visible() {
		t.Error("an e-mail-only account is offered SMS")
	}
}

func TestWrongCodeSaysHowManyAttemptsAreLeft(t *testing.T) {
	e := newEnv(t)
	s3 := e.toStep3(acctBoth.StaffNumber, api.ChannelSMS)
	right := e.code()
	e.typeIn(s3.code, wrongCode(right))
	e.enter()

	if screenAs[*step3](e) != s3 {
		t.Fatal("a wrong code left step 3")
	}
	if want := "The validation code is wrong. You can try 4 more times."; s3.codeErr.Text != want {
		t.Errorf("message = %q, want %q", s3.codeErr.Text, want)
	}
	if s3.code.Text != "" {
		t.Error("the wrong code is still in the field")
	}
	// Pasted with a space, as it appears in some SMS apps.
	e.typeIn(s3.code, right[:3]+" "+right[3:])
	e.enter()
	screenAs[*step4](e)
}

func TestFiveWrongCodesEndTheFlow(t *testing.T) {
	e := newEnv(t)
	s3 := e.toStep3(acctBoth.StaffNumber, api.ChannelSMS)
	wrong := wrongCode(e.code())
	for i := 4; i >= 1; i-- {
		e.typeIn(s3.code, wrong)
		e.enter()
		if !strings.Contains(s3.codeErr.Text, "more time") {
			t.Fatalf("attempt %d: message %q", 5-i, s3.codeErr.Text)
		}
	}
	e.typeIn(s3.code, wrong)
	e.enter()

	f := screenAs[*failure](e)
	if !strings.Contains(f.reasonLbl.Text, "entered wrongly too many times") {
		t.Errorf("reason = %q", f.reasonLbl.Text)
	}
	if f.ref == "" || f.refValue.Text != f.ref || !f.refRow.Visible() {
		t.Errorf("no reference for IT Help: %q", f.refValue.Text)
	}
	if s3.code.Text != "" {
		t.Error("the code field was not wiped when the flow ended")
	}
	e.tap(f.reload)
	screenAs[*step1](e)
	if e.c.token != "" {
		t.Error("reload kept the ended flow's token")
	}
}

func TestCodeExpiryCountsDownAndOffersReload(t *testing.T) {
	e := newEnv(t)
	s3 := e.toStep3(acctBoth.StaffNumber, api.ChannelSMS)
	old := e.code()

	e.tick(time.Second)
	if s3.countdown.Text != "The code expires in 9:59." {
		t.Errorf("after 1 s: %q", s3.countdown.Text)
	}
	e.tick(9*time.Minute + 58*time.Second)
	if s3.countdown.Text != "The code expires in 0:01." {
		t.Errorf("after 9:59: %q", s3.countdown.Text)
	}
	e.tick(time.Second)
	if want := `The validation code has expired. Please click "reload" for a new one.`; s3.countdown.Text != want {
		t.Errorf("at expiry: %q, want %q", s3.countdown.Text, want)
	}
	if !s3.verify.Disabled() {
		t.Error("Next stays enabled for an expired code")
	}
	if s3.reload.Disabled() {
		t.Fatal("reload is disabled after the code expired")
	}
	e.tap(s3.reload)
	if s3.expired || s3.countdown.Text != "The code expires in 10:00." {
		t.Errorf("after reload: expired %v, countdown %q", s3.expired, s3.countdown.Text)
	}
	fresh := e.code()
	if fresh == old {
		t.Skip("the new code happens to equal the old one") // one chance in a million
	}
	e.typeIn(s3.code, fresh)
	e.enter()
	screenAs[*step4](e)
}

func TestExpiredCodeRefusedByTheServiceSaysSo(t *testing.T) {
	e := newEnv(t)
	s3 := e.toStep3(acctBoth.StaffNumber, api.ChannelSMS)
	// The service's clock passes the expiry before the wizard ticks.
	e.clock.Advance(10*time.Minute + time.Second)
	e.typeIn(s3.code, e.code())
	e.enter()
	if !s3.expired || !strings.Contains(s3.codeErr.Text, "has expired") {
		t.Errorf("expired %v, message %q", s3.expired, s3.codeErr.Text)
	}
}

func TestReloadWaitsForTheCoolDown(t *testing.T) {
	e := newEnv(t)
	s3 := e.toStep3(acctBoth.StaffNumber, api.ChannelSMS)
	if !s3.reload.Disabled() || s3.reload.Text != "Reload (60 s)" {
		t.Errorf("right after sending: %q disabled %v", s3.reload.Text, s3.reload.Disabled())
	}
	e.tick(45 * time.Second)
	if !s3.reload.Disabled() || s3.reload.Text != "Reload (15 s)" {
		t.Errorf("after 45 s: %q disabled %v", s3.reload.Text, s3.reload.Disabled())
	}
	e.tick(15 * time.Second)
	if s3.reload.Disabled() || s3.reload.Text != "Reload" {
		t.Errorf("after 60 s: %q disabled %v", s3.reload.Text, s3.reload.Disabled())
	}
	old := e.code()
	e.tap(s3.reload)
	if e.flow().Sends != 2 {
		t.Errorf("sends = %d, want 2", e.flow().Sends)
	}
	if e.code() == old {
		t.Log("the new code equals the old one by chance")
	}
	if !s3.reload.Disabled() {
		t.Error("reload is enabled again right after a reload")
	}
}

func TestFailedSMSOffersEmail(t *testing.T) {
	e := newEnv(t)
	s3 := e.toStep3(acctBoth.StaffNumber, api.ChannelSMS)
	if s3.deliveryLb.Text != "Sending to 9*** **34…" {
		t.Errorf("delivery = %q", s3.deliveryLb.Text)
	}
	e.setDelivery(api.DeliveryFailed)
	e.tick(pollEvery)
	if s3.deliveryLb.Text != "The code could not be delivered to 9*** **34." {
		t.Errorf("delivery after the worker failed = %q", s3.deliveryLb.Text)
	}
	if !s3.switchBtn.Visible() || !s3.switchBtn.Disabled() || !strings.HasPrefix(s3.switchBtn.Text, "Send by e-mail instead (") {
		t.Errorf("switch button %q visible %v disabled %v", s3.switchBtn.Text, s3.switchBtn.Visible(), s3.switchBtn.Disabled())
	}
	e.tick(60 * time.Second)
	e.tap(s3.switchBtn)
	if s3.channel != api.ChannelEmail || !strings.Contains(s3.sent.Text, "by email") {
		t.Errorf("after switching: channel %s, text %q", s3.channel, s3.sent.Text)
	}
	if f := e.flow(); f.Channel != api.ChannelEmail {
		t.Errorf("the service sent by %s", f.Channel)
	}

	e.setDelivery(api.DeliverySent)
	e.tick(pollEvery)
	if s3.deliveryLb.Text != "Sent to c****@example.edu.hk." {
		t.Errorf("delivery = %q", s3.deliveryLb.Text)
	}
}

func TestPasswordChecklistTicksAsYouType(t *testing.T) {
	e := newEnv(t)
	s4 := e.toStep4(acctBoth.StaffNumber)
	// The lines of the service's policy, in its order.
	want := []string{
		"Has to be at least 10 characters long",
		"Has to be at most 128 characters long",
		"Contains at least a letter (A - Z, a - z)",
		"Contains at least a digit (0 - 9)",
		"Does not contain white space character",
		`Does not contain either of these characters, $ " \ / ` + "`",
		`Password must NOT be repeated for at least 3 cycles of change (checked when you click "Update")`,
		`Is not a commonly used password (checked when you click "Update")`,
		`Does not contain your staff number or name (checked when you click "Update")`,
	}
	if got := checklist(s4); !slices.Equal(got, want) {
		t.Errorf("the checklist reads\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	length, letter, digit := ruleItem(t, s4, api.RuleTooShort), ruleItem(t, s4, api.RuleNeedsLetter), ruleItem(t, s4, api.RuleNeedsDigit)
	space, chars := ruleItem(t, s4, api.RuleHasWhitespace), ruleItem(t, s4, api.RuleForbiddenChar)
	if length.State() != ui.CheckPending || letter.State() != ui.CheckPending || chars.State() != ui.CheckPending {
		t.Error("rules are judged before anything is typed")
	}
	for _, id := range []api.RuleID{api.RuleReused, api.RuleTooCommon, api.RuleContainsIdentity} {
		if st := ruleItem(t, s4, id).State(); st != ui.CheckInfo {
			t.Errorf("%s, which the service checks, is in state %v", id, st)
		}
	}

	tests := []struct {
		pw                                  string
		length, letter, digit, space, chars ui.CheckState
		found                               string // at the end of the line of the broken character rule
		advice                              ui.CheckState
	}{
		{"abc", ui.CheckFailed, ui.CheckMet, ui.CheckFailed, ui.CheckMet, ui.CheckMet, "", ui.CheckInfo},
		{"abcdefghij", ui.CheckMet, ui.CheckMet, ui.CheckFailed, ui.CheckMet, ui.CheckMet, "", ui.CheckInfo},
		{"1234567890", ui.CheckMet, ui.CheckFailed, ui.CheckMet, ui.CheckMet, ui.CheckMet, "", ui.CheckInfo},
		{"abcdefghi1", ui.CheckMet, ui.CheckMet, ui.CheckMet, ui.CheckMet, ui.CheckMet, "", ui.CheckInfo},
		// The line says white space already: not again as what was found.
		{"abcde fgh12", ui.CheckMet, ui.CheckMet, ui.CheckMet, ui.CheckFailed, ui.CheckMet, "", ui.CheckInfo},
		{"abcdefgh1$", ui.CheckMet, ui.CheckMet, ui.CheckMet, ui.CheckMet, ui.CheckFailed, "(found: $)", ui.CheckInfo},
		{"abcd`efgh1", ui.CheckMet, ui.CheckMet, ui.CheckMet, ui.CheckMet, ui.CheckFailed, "(found: `)", ui.CheckInfo},
		{`abcd\efgh1`, ui.CheckMet, ui.CheckMet, ui.CheckMet, ui.CheckMet, ui.CheckFailed, `(found: \)`, ui.CheckInfo},
		{"Abcdefghijk123", ui.CheckMet, ui.CheckMet, ui.CheckMet, ui.CheckMet, ui.CheckMet, "", ui.CheckMet},
	}
	for _, tt := range tests {
		e.typeIn(s4.pw, tt.pw)
		got := []ui.CheckState{length.State(), letter.State(), digit.State(), space.State(), chars.State()}
		if want := []ui.CheckState{tt.length, tt.letter, tt.digit, tt.space, tt.chars}; !slices.Equal(got, want) {
			t.Errorf("%q: length, letter, digit, white space, characters %v, want %v", tt.pw, got, want)
		}
		for _, item := range []*ui.CheckItem{space, chars} {
			found := ""
			if item.State() == ui.CheckFailed {
				found = tt.found
			}
			if hasFound := strings.Contains(item.Text(), "(found"); hasFound != (found != "") ||
				(found != "" && !strings.HasSuffix(item.Text(), found)) {
				t.Errorf("%q: character rule reads %q, want it to end %q", tt.pw, item.Text(), found)
			}
		}
		if s4.advice.State() != tt.advice {
			t.Errorf("%q: advice %v, want %v", tt.pw, s4.advice.State(), tt.advice)
		}
		ok := !slices.Contains(got, ui.CheckFailed)
		e.typeIn(s4.retype, tt.pw)
		if s4.update.Disabled() == ok {
			t.Errorf("%q: Update disabled = %v with every rule met = %v", tt.pw, s4.update.Disabled(), ok)
		}
	}

	e.typeIn(s4.pw, goodPassword)
	e.typeIn(s4.retype, goodPassword[:5])
	if s4.match.State() != ui.CheckPending || !s4.update.Disabled() {
		t.Errorf("half re-typed: match %v, Update disabled %v", s4.match.State(), s4.update.Disabled())
	}
	e.typeIn(s4.retype, goodPassword[:5]+"x")
	if s4.match.State() != ui.CheckFailed || !s4.update.Disabled() {
		t.Errorf("a different re-typed password: match %v, Update disabled %v", s4.match.State(), s4.update.Disabled())
	}
	e.typeIn(s4.retype, goodPassword)
	if s4.match.State() != ui.CheckMet || s4.update.Disabled() {
		t.Errorf("the same re-typed password: match %v, Update disabled %v", s4.match.State(), s4.update.Disabled())
	}
	weak := validateStrength(t, s4, "abcdefghi1")
	strong := validateStrength(t, s4, "Wq7-lantern-Orbit-93")
	if weak >= strong {
		t.Errorf("strength meter: %v for a weak password, %v for a strong one", weak, strong)
	}
}

func validateStrength(t *testing.T, s *step4, pw string) float64 {
	t.Helper()
	s.pw.SetText(pw)
	return s.strength.Value
}

func TestServerRefusalsShowBesideThePassword(t *testing.T) {
	tests := []struct {
		name, pw string
		want     string
		rule     api.RuleID
	}{
		{"too common", "q1w2e3r4t5", "This password is too common", api.RuleTooCommon},
		{"contains the staff number", "Ab" + acctBoth.StaffNumber + "xy", "must not contain your staff number or name", api.RuleContainsIdentity},
		{"contains the name", "Chan2024Winter", "must not contain your staff number or name", api.RuleContainsIdentity},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			s4 := e.toStep4(acctBoth.StaffNumber)
			e.typeIn(s4.pw, tt.pw)
			e.typeIn(s4.retype, tt.pw)
			e.tap(s4.update)
			if screenAs[*step4](e) != s4 {
				t.Fatal("a refused password left step 4")
			}
			if !strings.Contains(s4.serverErr.Text, tt.want) || !s4.serverErr.Visible() {
				t.Errorf("message = %q (visible %v), want %q", s4.serverErr.Text, s4.serverErr.Visible(), tt.want)
			}
			if st := ruleItem(t, s4, tt.rule).State(); st != ui.CheckFailed {
				t.Errorf("the rule is not marked as broken: %v", st)
			}
			// Typing clears the refusal (its line stays, blank, so that the
			// fields below do not move); a good password then goes through.
			e.typeIn(s4.pw, goodPassword)
			if s4.serverErr.Text != "" {
				t.Errorf("the refusal %q stays after the password changed", s4.serverErr.Text)
			}
			e.typeIn(s4.retype, goodPassword)
			e.tap(s4.update)
			screenAs[*success](e)
		})
	}
}

func TestReusedPasswordIsRefused(t *testing.T) {
	e := newEnv(t)
	s4 := e.toStep4(acctBoth.StaffNumber)
	e.typeIn(s4.pw, goodPassword)
	e.typeIn(s4.retype, goodPassword)
	e.tap(s4.update)
	e.tap(screenAs[*success](e).finish)

	e.tick(time.Minute) // past the resend limits of the first flow
	s4 = e.toStep4(acctBoth.StaffNumber)
	e.typeIn(s4.pw, goodPassword)
	e.typeIn(s4.retype, goodPassword)
	e.tap(s4.update)
	if screenAs[*step4](e) != s4 {
		t.Fatal("a reused password left step 4")
	}
	want := "You have used this password recently. Please choose one that is different from your last 3 passwords."
	if s4.serverErr.Text != want {
		t.Errorf("message = %q, want %q", s4.serverErr.Text, want)
	}
	if ruleItem(t, s4, api.RuleReused).State() != ui.CheckFailed {
		t.Error("the history rule is not marked as broken")
	}
}

func TestErrorScreenShowsTheReferenceOfTheAuditLog(t *testing.T) {
	e := newEnv(t)
	s3 := e.toStep3(acctBoth.StaffNumber, api.ChannelSMS)
	// The whole flow lasts 30 minutes; keep the code fresh by reloading.
	for range 3 {
		e.tick(9 * time.Minute)
		e.tap(s3.reload)
	}
	code := e.code()
	e.tick(4 * time.Minute) // 31 minutes in: the flow has expired
	e.typeIn(s3.code, code)
	e.enter()

	f := screenAs[*failure](e)
	if f.title.Text != "Error" ||
		f.body.Text != `The system is not able to update password for you, please click "reload" to try again.` ||
		f.again.Text != "If this is not the first time you found this message, please contact IT Help for technical assistance." {
		t.Errorf("error screen reads %q / %q / %q", f.title.Text, f.body.Text, f.again.Text)
	}
	if f.reasonLbl.Text != "Your reset session has ended or expired. Please start again." {
		t.Errorf("reason = %q", f.reasonLbl.Text)
	}
	if f.ref == "" || f.refLbl.Text != "Reference for IT Help:" || f.refValue.Text != f.ref || !f.refRow.Visible() {
		t.Fatalf("reference line = %q %q", f.refLbl.Text, f.refValue.Text)
	}
	found := false
	for _, ev := range e.audit(acctBoth.StaffNumber) {
		found = found || ev.Reference == f.ref
	}
	if !found {
		// The refusal may be logged without the staff number: the token
		// no longer leads to an account.
		err := e.store.View(context.Background(), func(tx service.Tx) error {
			evs, err := tx.Audit(service.AuditFilter{Reference: f.ref})
			found = len(evs) > 0
			return err
		})
		if err != nil || !found {
			t.Errorf("no audit event has the reference %q shown to the person", f.ref)
		}
	}
	if !strings.Contains(f.contact.Lines(), "ithelp@example.edu.hk") {
		t.Errorf("no IT Help contact: %q", f.contact.Lines())
	}
	if e.win.Canvas().Focused() != f.reload {
		t.Error("the error screen does not focus reload")
	}
}

func TestLanguageSwitchKeepsWhatWasTyped(t *testing.T) {
	e := newEnv(t)
	s1 := screenAs[*step1](e)
	e.typeIn(s1.staff, acctBoth.StaffNumber)
	e.typeIn(s1.captcha.answer, "24")
	e.chooseLanguage(langChinese)

	if s1.title.Text != "第一步：輸入員工／教師編號" {
		t.Errorf("after switching: title %q", s1.title.Text)
	}
	if s1.staff.Text != acctBoth.StaffNumber || s1.captcha.answer.Text != "24" {
		t.Errorf("typed text lost: %q, %q", s1.staff.Text, s1.captcha.answer.Text)
	}
	if screenAs[*step1](e) != s1 {
		t.Error("switching language replaced the screen")
	}
	e.typeIn(s1.captcha.answer, testCaptcha)
	e.enter()

	s2 := screenAs[*step2](e)
	if s2.options[0].Text() != "驗證碼將發送至你的手提電話號碼：9*** **34。" {
		t.Errorf("step 2 in Chinese: %q", s2.options[0].Text())
	}
	e.tap(s2.options[0])
	e.tap(s2.send)
	s3 := screenAs[*step3](e)
	e.typeIn(s3.code, e.code())
	e.enter()

	s4 := screenAs[*step4](e)
	e.typeIn(s4.pw, "abcdefgh1$")
	e.typeIn(s4.retype, "abcd")
	e.chooseLanguage(langEnglish)
	if s4.pw.Text != "abcdefgh1$" || s4.retype.Text != "abcd" {
		t.Errorf("passwords lost on switching: %q %q", s4.pw.Text, s4.retype.Text)
	}
	chars := ruleItem(t, s4, api.RuleForbiddenChar)
	if s4.title.Text != "Step 4. Update Password" || !strings.HasSuffix(chars.Text(), "(found: $)") {
		t.Errorf("step 4 in English: %q, %q", s4.title.Text, chars.Text())
	}
	e.chooseLanguage(langChinese)
	if !strings.HasSuffix(chars.Text(), "（發現：$）") {
		t.Errorf("step 4 in Chinese: %q", chars.Text())
	}
}

// TestCaptchaSaysHowManyDigits: the label and the empty field say how many
// digits to type, as many as the service's CAPTCHA has.
func TestCaptchaSaysHowManyDigits(t *testing.T) {
	t.Run("six", func(t *testing.T) {
		e := newEnv(t)
		s1 := screenAs[*step1](e)
		if s1.captcha.label.Text != "Captcha (6 digits):" || s1.captcha.answer.PlaceHolder != "The 6 digits in the image" {
			t.Errorf("English: %q, %q", s1.captcha.label.Text, s1.captcha.answer.PlaceHolder)
		}
		e.chooseLanguage(langChinese)
		if s1.captcha.label.Text != "圖形驗證碼（6位數字）：" || s1.captcha.answer.PlaceHolder != "圖片中的6位數字" {
			t.Errorf("Chinese: %q, %q", s1.captcha.label.Text, s1.captcha.answer.PlaceHolder)
		}
	})
	t.Run("as many as the service says", func(t *testing.T) {
		e := newEnv(t, withConfig(func(c *service.Config) { c.CaptchaLength = 5 }))
		if s1 := screenAs[*step1](e); s1.captcha.label.Text != "Captcha (5 digits):" {
			t.Errorf("a service of 5-digit CAPTCHAs: %q", s1.captcha.label.Text)
		}
	})
}

func TestCaptchaAudioSpeaksTheScreensLanguage(t *testing.T) {
	var mu sync.Mutex
	var langs []string
	e := newEnv(t, withBackend(func(b Backend) Backend {
		return &recordingBackend{Backend: b, audio: func(lang string) { mu.Lock(); langs = append(langs, lang); mu.Unlock() }}
	}))
	s1 := screenAs[*step1](e)
	if s1.captcha.audioLang.Visible() {
		t.Error("English offers a choice of audio language")
	}
	e.tap(s1.captcha.play)
	e.chooseLanguage(langChinese)
	if opts, sel := audioChoices(s1.captcha); !s1.captcha.audioLang.Visible() || !slices.Equal(opts, []string{"粵語", "普通話"}) || sel != "粵語" {
		t.Errorf("Traditional Chinese audio choice: visible %v, %v, %q selected; want Cantonese chosen, Putonghua beside it",
			s1.captcha.audioLang.Visible(), opts, sel)
	}
	e.tap(s1.captcha.play)
	e.tap(s1.captcha.audioChoices[1])
	e.tap(s1.captcha.play)
	e.chooseLanguage("zh-Hans")
	if opts, sel := audioChoices(s1.captcha); !slices.Equal(opts, []string{"普通话", "粤语"}) || sel != "普通话" {
		t.Errorf("Simplified Chinese audio choice: %v, %q selected; want Putonghua chosen, Cantonese beside it", opts, sel)
	}
	if strings.Join(langs, ",") != "en,yue,zh" {
		t.Errorf("audio languages = %v, want en, then yue, then zh", langs)
	}
	if len(e.audio.played) != 3 || string(e.audio.played[0][:4]) != "RIFF" {
		t.Fatalf("played %d files", len(e.audio.played))
	}
	if _, err := decodeWAV(e.audio.played[0]); err != nil {
		t.Errorf("the service's audio does not decode: %v", err)
	}

	e.chooseLanguage(langChinese)
	e.audio.err = ErrNoSoundDevice
	e.tap(s1.captcha.play)
	if !strings.Contains(s1.captcha.status.Text, "沒有音效裝置") {
		t.Errorf("no sound device message = %q", s1.captcha.status.Text)
	}
	e.chooseLanguage(langEnglish)
	if !strings.HasPrefix(s1.captcha.status.Text, "This computer has no sound device") {
		t.Errorf("no sound device message = %q", s1.captcha.status.Text)
	}
}

func TestIdleTimeoutClearsEverything(t *testing.T) {
	s := shell.DefaultSettings()
	s.Language = langEnglish
	if s.IdleTimeout != 5*time.Minute {
		t.Fatalf("default idle timeout %v, want 5 minutes", s.IdleTimeout)
	}
	e := newEnv(t, withSettings(s))
	s3 := e.toStep3(acctBoth.StaffNumber, api.ChannelSMS)
	e.typeIn(s3.code, "123")
	e.tick(4*time.Minute + 59*time.Second)
	if screenAs[*step3](e) != s3 {
		t.Fatal("the flow ended before the idle timeout")
	}
	e.typeIn(s3.code, "1234") // activity restarts the wait
	e.tick(4*time.Minute + 59*time.Second)
	screenAs[*step3](e)
	e.tick(time.Second)

	s1 := screenAs[*step1](e)
	if s3.code.Text != "" {
		t.Error("the code field was not wiped")
	}
	if e.c.token != "" || e.c.staff != "" {
		t.Error("the token or staff number is still held")
	}
	if s1.staff.Text != "" || !s1.noticeRow.Visible() || !strings.Contains(s1.noticeLbl.Text, "after 5 minutes without activity") {
		t.Errorf("step 1 after the timeout: staff %q, notice %q", s1.staff.Text, s1.noticeLbl.Text)
	}
	// An untouched step 1 is not "reset" again and again.
	before := s1.captcha.id
	e.tick(10 * time.Minute)
	if screenAs[*step1](e) != s1 || s1.captcha.id != before {
		t.Error("an idle, empty step 1 was reset")
	}
}

func TestIdleTimeoutIsConfigurable(t *testing.T) {
	s := shell.DefaultSettings()
	s.Language = langEnglish
	s.IdleTimeout = 2 * time.Minute
	e := newEnv(t, withSettings(s))
	s1 := screenAs[*step1](e)
	e.typeIn(s1.staff, "1234")
	e.tick(2 * time.Minute)
	if screenAs[*step1](e) == s1 {
		t.Fatal("a 2-minute timeout did not fire after 2 minutes")
	}
	if !strings.Contains(e.c.step1.noticeLbl.Text, "after 2 minutes") {
		t.Errorf("notice = %q", e.c.step1.noticeLbl.Text)
	}
}

func TestClosingTheWindowClearsEverything(t *testing.T) {
	e := newEnv(t)
	s4 := e.toStep4(acctBoth.StaffNumber)
	e.typeIn(s4.pw, goodPassword)
	e.typeIn(s4.retype, goodPassword)
	e.closeWindow()
	if s4.pw.Text != "" || s4.retype.Text != "" {
		t.Error("the passwords are still in their fields")
	}
	if e.c.token != "" || !e.c.calls.Closed() {
		t.Error("the flow did not end")
	}
}

func TestNoDoubleSubmission(t *testing.T) {
	gate := make(chan struct{})
	var mu sync.Mutex
	starts := 0
	e := newEnv(t, withBackend(func(b Backend) Backend {
		return &recordingBackend{Backend: b, start: func() { mu.Lock(); starts++; mu.Unlock(); <-gate }}
	}))
	s1 := screenAs[*step1](e)
	e.typeIn(s1.staff, acctBoth.StaffNumber)
	e.typeIn(s1.captcha.answer, testCaptcha)
	test.Tap(s1.next)
	test.Tap(s1.next)
	s1.onSubmit() // Enter while busy
	if !e.c.busy() || !s1.next.Disabled() || !e.c.shell.BusyShown() {
		t.Errorf("while waiting: busy %v, Next disabled %v, indicator shown %v", e.c.busy(), s1.next.Disabled(), e.c.shell.BusyShown())
	}
	close(gate)
	e.settle()
	if starts != 1 {
		t.Errorf("Start called %d times, want 1", starts)
	}
	screenAs[*step2](e)
	if e.c.busy() || e.c.shell.BusyShown() {
		t.Error("still busy after the answer")
	}
}

func TestRememberedStaffNumber(t *testing.T) {
	mem := &fakeMemory{available: true}
	e := newEnv(t, withMemory(mem))
	s1 := screenAs[*step1](e)
	if !s1.remember.Visible() || s1.forget.Visible() {
		t.Fatalf("with an empty keyring: remember shown %v, forget shown %v", s1.remember.Visible(), s1.forget.Visible())
	}
	e.typeIn(s1.staff, acctBoth.StaffNumber)
	test.Tap(s1.remember)
	e.typeIn(s1.captcha.answer, testCaptcha)
	e.enter()
	screenAs[*step2](e)
	if mem.remembered() != acctBoth.StaffNumber {
		t.Fatalf("keyring holds %q", mem.remembered())
	}

	// The next person on this computer finds the number filled in.
	e2 := newEnv(t, withMemory(mem))
	s1 = screenAs[*step1](e2)
	if s1.staff.Text != acctBoth.StaffNumber || !s1.remember.Checked || !s1.forget.Visible() {
		t.Errorf("remembered number not filled in: %q checked %v", s1.staff.Text, s1.remember.Checked)
	}
	if e2.win.Canvas().Focused() != s1.captcha.answer {
		t.Error("with the number filled in, focus is not on the CAPTCHA answer")
	}
	if e2.c.dirty() {
		t.Error("a remembered number counts as typed, so idle would reset it")
	}
	e2.tap(s1.forget)
	if mem.remembered() != "" || s1.forget.Visible() || s1.remember.Checked {
		t.Errorf("after forget: keyring %q, forget shown %v", mem.remembered(), s1.forget.Visible())
	}
	if s1.memoryLbl.Text != "Your staff number is no longer remembered on this computer." {
		t.Errorf("forget message = %q", s1.memoryLbl.Text)
	}
}

func TestNoKeyringHidesRemember(t *testing.T) {
	for name, mem := range map[string]*fakeMemory{"no keyring service": {available: false}, "none given": nil} {
		t.Run(name, func(t *testing.T) {
			var opts []envOption
			if mem != nil {
				opts = append(opts, withMemory(mem))
			}
			e := newEnv(t, opts...)
			s1 := screenAs[*step1](e)
			if s1.remember.Visible() || s1.forget.Visible() {
				t.Error("remember or forget shown without a keyring")
			}
		})
	}
}

func TestForgottenStaffNumberPage(t *testing.T) {
	e := newEnv(t)
	s1 := screenAs[*step1](e)
	e.typeIn(s1.staff, "1234")
	tapLink(s1.forgotLink)
	e.settle()
	p := screenAs[*forgotPage](e)
	if p.captcha.id == "" || p.captcha.id == s1.captcha.id {
		t.Error("the page has no CAPTCHA of its own")
	}
	if e.win.Canvas().Focused() != p.contact {
		t.Error("the contact field is not focused")
	}
	e.typeIn(p.contact, "not a contact")
	e.typeIn(p.captcha.answer, testCaptcha)
	e.enter()
	if p.fieldErr.Text != "This does not look like a mobile phone number or an email address." {
		t.Errorf("field message = %q", p.fieldErr.Text)
	}

	for _, contact := range []string{"9123 4534", "nobody@example.edu.hk"} {
		p := p
		if p.sent {
			test.Tap(p.back)
			tapLink(s1.forgotLink)
			e.settle()
			p = screenAs[*forgotPage](e)
		}
		e.typeIn(p.contact, contact)
		e.typeIn(p.captcha.answer, testCaptcha)
		e.tap(p.send)
		want := "If it matches an account, we have sent the staff / teacher number to it. Please check your SMS or email."
		if p.result.Text != want {
			t.Errorf("%s: result %q", contact, p.result.Text)
		}
		if !p.send.Disabled() {
			t.Errorf("%s: Send stays enabled after sending", contact)
		}
	}
	test.Tap(screenAs[*forgotPage](e).back)
	if screenAs[*step1](e) != s1 || s1.staff.Text != "1234" {
		t.Error("Back does not return to step 1 as it was")
	}
}

func TestHelpPageReturnsWhereItWasOpened(t *testing.T) {
	s := shell.DefaultSettings()
	s.Language = langEnglish
	e := newEnv(t, withSettings(s))
	s1 := screenAs[*step1](e)
	e.typeIn(s1.staff, "1234")
	tapLink(s1.helpLink)
	h := screenAs[*helpPage](e)
	for _, want := range []string{"Step 1. Enter Staff / Teacher Number", "Step 4. Update Password"} {
		if !strings.Contains(h.text.String(), want) {
			t.Errorf("help page lacks %q", want)
		}
	}
	if md := helpText(e.c.tr, e.c.deps.Settings, h.policy); !strings.Contains(md, "cleared after 5 minutes") {
		t.Error("help does not give the configured idle timeout")
	}
	e.chooseLanguage(langChinese)
	if !strings.Contains(h.text.String(), "第一步：輸入員工／教師編號") {
		t.Error("help did not switch language")
	}
	test.Tap(h.back)
	if screenAs[*step1](e) != s1 || s1.staff.Text != "1234" {
		t.Error("Back does not return to step 1 as it was")
	}
}

func TestRateLimitSaysWhenToTryAgain(t *testing.T) {
	e := newEnv(t, withConfig(func(c *service.Config) { c.StartsPerAddr = 1 }))
	e.toStep2(acctBoth.StaffNumber)
	e.c.newFlow(text{})
	e.settle()
	s1 := screenAs[*step1](e)
	e.step1(acctBoth.StaffNumber, testCaptcha)
	if screenAs[*step1](e) != s1 {
		t.Fatal("a rate-limited start left step 1")
	}
	if s1.formErr.Text != "Too many attempts have been made. Please try again in 10 minutes." {
		t.Errorf("message = %q", s1.formErr.Text)
	}
}

func TestEnterSubmitsAndTabFollowsReadingOrder(t *testing.T) {
	e := newEnv(t, withMemory(&fakeMemory{available: true}))
	s1 := screenAs[*step1](e)
	c := e.win.Canvas()
	want := []fyne.Focusable{s1.staff, s1.remember, s1.forgotLink, s1.captcha.play, s1.captcha.refresh, s1.captcha.answer, s1.next}
	c.Focus(s1.staff)
	for i := 1; i < len(want); i++ {
		test.FocusNext(c)
		if c.Focused() != want[i] {
			t.Fatalf("Tab %d: focus on %T, want %T", i, c.Focused(), want[i])
		}
	}

	// In Chinese the audio language's two options come between Play and
	// Refresh Image.
	e.chooseLanguage(langChinese)
	c.Focus(s1.captcha.play)
	for i := range 2 {
		test.FocusNext(c)
		if c.Focused() != s1.captcha.audioChoices[i] {
			t.Fatalf("Tab %d after Play: focus on %T, want audio language %d", i+1, c.Focused(), i+1)
		}
	}
	test.FocusNext(c)
	if c.Focused() != s1.captcha.refresh {
		t.Errorf("after the audio languages: focus on %T, want Refresh Image", c.Focused())
	}
}

func TestSecretsNeverReachTheClipboard(t *testing.T) {
	e := newEnv(t)
	s4 := e.toStep4(acctBoth.StaffNumber)
	cb := fyne.CurrentApp().Clipboard()
	cb.SetContent("before")
	e.typeIn(s4.pw, goodPassword)
	test.Tap(s4.show) // shown in clear
	if s4.pw.Password {
		t.Fatal("show did not reveal the password")
	}
	s4.pw.TypedShortcut(&fyne.ShortcutSelectAll{})
	s4.pw.TypedShortcut(&fyne.ShortcutCopy{Clipboard: cb})
	s4.pw.TypedShortcut(&fyne.ShortcutCut{Clipboard: cb})
	if got := cb.Content(); got != "before" {
		t.Errorf("the clipboard holds %q after copying the password", got)
	}
	if s4.pw.Text != goodPassword {
		t.Error("cut removed the password")
	}
	// Pasting in is allowed.
	cb.SetContent("pasted1234")
	s4.retype.SetText("")
	e.win.Canvas().Focus(s4.retype)
	s4.retype.TypedShortcut(&fyne.ShortcutPaste{Clipboard: cb})
	if s4.retype.Text != "pasted1234" {
		t.Errorf("paste gave %q", s4.retype.Text)
	}
}

// wrongCode is a 6-digit code other than right.
func wrongCode(right string) string {
	if right == "000000" {
		return "111111"
	}
	return "000000"
}

// recordingBackend passes calls on, reporting some of them first.
type recordingBackend struct {
	Backend
	start func()
	audio func(lang string)
}

func (b *recordingBackend) Start(ctx context.Context, req api.StartRequest) (api.StartResponse, error) {
	if b.start != nil {
		b.start()
	}
	return b.Backend.Start(ctx, req)
}

func (b *recordingBackend) CaptchaAudio(ctx context.Context, id, lang string) ([]byte, error) {
	if b.audio != nil {
		b.audio(lang)
	}
	return b.Backend.CaptchaAudio(ctx, id, lang)
}

// tapLink taps a hyperlink on its text, where a person would.
func tapLink(l *widget.Hyperlink) {
	test.TapAt(l, fyne.NewPos(theme.InnerPadding()+2, theme.InnerPadding()+2))
}

func TestTabGoesFromNewPasswordToRetype(t *testing.T) {
	e := newEnv(t)
	s4 := e.toStep4(acctBoth.StaffNumber)
	c := e.win.Canvas()
	for _, want := range []fyne.Focusable{s4.retype, s4.moreInfo} {
		test.FocusNext(c)
		if c.Focused() != want {
			t.Fatalf("Tab: focus on %T, want %T", c.Focused(), want)
		}
	}
	e.typeIn(s4.pw, goodPassword)
	e.typeIn(s4.retype, goodPassword)
	test.FocusNext(c)
	test.FocusNext(c)
	if c.Focused() != s4.update {
		t.Errorf("after More Info, focus on %T, want Update", c.Focused())
	}
}

func TestDemoModeBannerOnEveryScreen(t *testing.T) {
	for _, demo := range []bool{false, true} {
		s := shell.DefaultSettings()
		s.Language = langEnglish
		s.DemoMode = demo
		e := newEnv(t, withSettings(s))
		check := func(where string) {
			t.Helper()
			if shown, _ := e.c.shell.DemoBanner(); shown != demo {
				t.Errorf("demo %v: banner shown %v on %s", demo, shown, where)
			}
		}
		check("step 1")
		e.toStep2(acctBoth.StaffNumber)
		check("step 2")
		e.c.fail(&api.Error{Code: api.CodeInternal})
		check("the error screen")
		e.chooseLanguage(langChinese)
		check("the error screen in Chinese")
		if _, text := e.c.shell.DemoBanner(); demo && !strings.HasPrefix(text, "示範模式") {
			t.Errorf("banner in Chinese: %q", text)
		}
	}
}

func TestNoMoreSendsOffersToStartAgain(t *testing.T) {
	e := newEnv(t, withConfig(func(c *service.Config) { c.MaxSendsFlow = 2 }))
	s3 := e.toStep3(acctBoth.StaffNumber, api.ChannelSMS)
	e.tick(time.Minute)
	e.tap(s3.reload)
	if s3.sendsLeft != 0 || !strings.HasSuffix(s3.countdown.Text, "No more codes can be sent in this reset.") {
		t.Fatalf("sends left %d, countdown %q", s3.sendsLeft, s3.countdown.Text)
	}
	if !s3.reload.Disabled() {
		t.Error("reload is enabled with no sends left")
	}
	e.tick(10 * time.Minute)
	if s3.reload.Visible() || !s3.restart.Visible() || !strings.Contains(s3.countdown.Text, "start again from step 1") {
		t.Errorf("expired with no sends: reload shown %v, start again shown %v, %q", s3.reload.Visible(), s3.restart.Visible(), s3.countdown.Text)
	}
	e.tap(s3.restart)
	if screenAs[*step1](e); e.c.token != "" {
		t.Error("start again kept the token")
	}
}

// audioChoices are the names of the audio languages the CAPTCHA offers,
// and the chosen one's.
func audioChoices(p *captchaPanel) (names []string, selected string) {
	for _, o := range p.audioLang.Objects {
		ch := o.(*ui.Choice)
		names = append(names, ch.Text())
		if ch.Selected() {
			selected = ch.Text()
		}
	}
	return names, selected
}
