package wizard

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"

	"casreset/api"
	"casreset/assets"
	"casreset/service"
	"casreset/ui/shell"
)

// windowSizes are the wizard's default window and the smallest it is
// used at.
var windowSizes = []fyne.Size{fyne.NewSize(820, 860), fyne.NewSize(640, 480)}

// inSight reports whether o lies wholly inside the window, where the
// person sees it without scrolling.
func inSight(e *env, o fyne.CanvasObject) bool {
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(o)
	size, win := o.Size(), e.win.Canvas().Size()
	return o.Visible() && size.Height > 0 && size.Width > 0 &&
		pos.X >= 0 && pos.Y >= 0 && pos.X+size.Width <= win.Width && pos.Y+size.Height <= win.Height
}

// top is the distance of o from the window's top.
func top(o fyne.CanvasObject) float32 {
	return fyne.CurrentApp().Driver().AbsolutePositionForObject(o).Y
}

// TestNextStaysInSightWithEveryMessage shows each message step 1 can show,
// at the default window and at 640×480, and finds Next in sight with
// each, the message beside its field.
func TestNextStaysInSightWithEveryMessage(t *testing.T) {
	cases := []struct {
		name string
		// show brings the message up and returns its text.
		show func(e *env, s1 *step1) string
	}{
		{"wrong CAPTCHA", func(e *env, s1 *step1) string {
			e.step1(acctBoth.StaffNumber, e.wrongCaptcha(s1.captcha))
			return s1.captcha.errLbl.Text
		}},
		{"empty staff number", func(e *env, s1 *step1) string {
			e.step1("", testCaptcha)
			return s1.staffErr.Text
		}},
		{"expired account", func(e *env, s1 *step1) string {
			e.step1(acctEnded.StaffNumber, testCaptcha)
			return s1.staffErr.Text
		}},
		{"idle notice", func(e *env, s1 *step1) string {
			e.typeIn(s1.staff, "1234")
			e.tick(2 * time.Minute)
			return screenAs[*step1](e).noticeLbl.Text
		}},
		{"no sound device", func(e *env, s1 *step1) string {
			e.audio.err = ErrNoSoundDevice
			e.tap(s1.captcha.play)
			return s1.captcha.status.Text
		}},
	}
	for _, size := range windowSizes {
		for _, tc := range cases {
			t.Run(tc.name+"/"+sizeName(size), func(t *testing.T) {
				s := shell.DefaultSettings()
				s.Language = langEnglish
				s.IdleTimeout = time.Minute
				e := newEnv(t, withSettings(s))
				e.win.Resize(size)
				if text := tc.show(e, screenAs[*step1](e)); text == "" {
					t.Fatal("no message shown")
				}
				s1 := screenAs[*step1](e)
				if !inSight(e, s1.next) {
					t.Errorf("Next is out of sight: at %v, %v, in a window of %v",
						fyne.CurrentApp().Driver().AbsolutePositionForObject(s1.next), s1.next.Size(), e.win.Canvas().Size())
				}
			})
		}
	}
}

func sizeName(s fyne.Size) string {
	return fmt.Sprintf("%gx%g", s.Width, s.Height)
}

// TestMessagesDoNotMoveTheControls: a message that comes and goes leaves
// the fields below it and Next where they were.
func TestMessagesDoNotMoveTheControls(t *testing.T) {
	e := newEnv(t)
	e.win.Resize(windowSizes[0])
	s1 := screenAs[*step1](e)
	answerAt, nextAt := top(s1.captcha.answer), top(s1.next)

	e.step1("99999999", testCaptcha) // unknown staff number: a message beside it
	if s1.staffErr.Text == "" {
		t.Fatal("no message for an unknown staff number")
	}
	if top(s1.captcha.answer) != answerAt || top(s1.next) != nextAt {
		t.Errorf("the message moved the CAPTCHA's field from %v to %v, Next from %v to %v",
			answerAt, top(s1.captcha.answer), nextAt, top(s1.next))
	}
	e.typeIn(s1.staff, acctBoth.StaffNumber) // clears it
	if s1.staffErr.Text != "" || top(s1.captcha.answer) != answerAt {
		t.Errorf("after the message went (%q), the CAPTCHA's field is at %v, not %v", s1.staffErr.Text, top(s1.captcha.answer), answerAt)
	}

	s3 := e.toStep3(acctBoth.StaffNumber, api.ChannelSMS)
	countdownAt := top(s3.countdown)
	e.typeIn(s3.code, wrongCode(e.code()))
	e.enter()
	if s3.codeErr.Text == "" || top(s3.countdown) != countdownAt {
		t.Errorf("a wrong code (%q) moved the countdown from %v to %v", s3.codeErr.Text, countdownAt, top(s3.countdown))
	}
}

// TestContactITHelpShowsTheContact: a message that says to contact IT Help
// shows how, and every message that says so is known to need it.
func TestContactITHelpShowsTheContact(t *testing.T) {
	s := shell.DefaultSettings()
	s.Language = langEnglish
	s.HelpPhone = "2345 6789"
	e := newEnv(t, withSettings(s))
	s1 := screenAs[*step1](e)
	e.step1(acctEnded.StaffNumber, testCaptcha)
	if !strings.Contains(s1.staffErr.Text, "contact IT Help") {
		t.Fatalf("the expired account's message is %q", s1.staffErr.Text)
	}
	if !s1.staffErr.card.Box().Visible() || !strings.Contains(s1.staffErr.card.Lines(), s.HelpEmail) ||
		!strings.Contains(s1.staffErr.card.Lines(), "2345 6789") {
		t.Errorf("no IT Help contact under it (shown %v: %q)", s1.staffErr.card.Box().Visible(), s1.staffErr.card.Lines())
	}
	e.typeIn(s1.staff, acctBoth.StaffNumber)
	if s1.staffErr.card.Box().Visible() {
		t.Error("the contact stays after the message went")
	}

	// Every message of a failure that says to contact IT Help shows how.
	en := loadMessages(t, langEnglish)
	for key, v := range en {
		if text, ok := v.(string); ok && strings.HasPrefix(key, "err.") &&
			strings.Contains(text, "IT Help") && !contactKeys[key] {
			t.Errorf("%s says to contact IT Help but shows no contact", key)
		}
	}
}

// TestHelpPageBackAtTheTopAndEsc: the help page starts with Back, and Esc
// goes back as it does, with the focus on a button or on nothing.
func TestHelpPageBackAtTheTopAndEsc(t *testing.T) {
	e := newEnv(t)
	e.win.Resize(windowSizes[1])
	s1 := screenAs[*step1](e)
	tapLink(s1.helpLink)
	h := screenAs[*helpPage](e)
	if top(h.backTop) > top(h.text) || !inSight(e, h.backTop) || h.backTop.Text != "Back" {
		t.Errorf("Back (%q) is not at the top: at %v, the help at %v", h.backTop.Text, top(h.backTop), top(h.text))
	}
	if !inSight(e, h.back) {
		t.Error("the action bar's Back is out of sight")
	}
	if e.win.Canvas().Focused() != h.backTop {
		t.Errorf("focus on %T, want the top Back", e.win.Canvas().Focused())
	}
	e.win.Canvas().Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if screenAs[*step1](e) != s1 {
		t.Fatal("Esc did not return to step 1")
	}

	tapLink(s1.helpLink)
	screenAs[*helpPage](e)
	e.win.Canvas().Unfocus()
	e.win.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if screenAs[*step1](e) != s1 {
		t.Fatal("Esc with nothing focused did not return to step 1")
	}
	// Esc means nothing on step 1.
	e.win.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyEscape})
	screenAs[*step1](e)
}

// TestHelpTellsOfRememberOnlyWhereItIsShown: without a keyring (demo mode
// has none) step 1 hides "Remember my staff number", and so does the help.
func TestHelpTellsOfRememberOnlyWhereItIsShown(t *testing.T) {
	for _, tc := range []struct {
		name   string
		memory *fakeMemory
		demo   bool
		want   bool
	}{
		{"keyring", &fakeMemory{available: true}, false, true},
		{"no keyring", &fakeMemory{available: false}, false, false},
		{"demo mode", nil, true, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := shell.DefaultSettings()
			s.Language = langEnglish
			s.DemoMode = tc.demo
			opts := []envOption{withSettings(s)}
			if tc.memory != nil {
				opts = append(opts, withMemory(tc.memory))
			}
			e := newEnv(t, opts...)
			s1 := screenAs[*step1](e)
			tapLink(s1.helpLink)
			h := screenAs[*helpPage](e)
			md := helpTextFor(e.c.tr, e.c.deps.Settings, h.policy, e.c.memoryOK)
			if got := strings.Contains(md, "Remember my staff number"); got != tc.want || s1.remember.Visible() != tc.want {
				t.Errorf("help tells of the box: %v, step 1 shows it: %v; want %v", got, s1.remember.Visible(), tc.want)
			}
			for _, lang := range []string{langChinese, "zh-Hans"} {
				e.chooseLanguage(lang)
				if got := strings.Contains(helpTextFor(e.c.tr, e.c.deps.Settings, h.policy, e.c.memoryOK), e.c.t("step1.remember")); got != tc.want {
					t.Errorf("%s: help tells of the box: %v, want %v", lang, got, tc.want)
				}
			}
		})
	}
}

// TestOldCodeAfterReloadSaysOnlyTheNewestWorks.
func TestOldCodeAfterReloadSaysOnlyTheNewestWorks(t *testing.T) {
	e := newEnv(t)
	s3 := e.toStep3(acctBoth.StaffNumber, api.ChannelSMS)
	old := e.code()
	e.typeIn(s3.code, wrongCode(old))
	e.enter()
	if strings.Contains(s3.codeErr.Text, "newest") {
		t.Errorf("before any reload, a wrong code says %q", s3.codeErr.Text)
	}
	// A new code equals the old one once in a million: reload again then.
	for range 3 {
		e.tick(60 * time.Second)
		e.tap(s3.reload)
		if e.code() != old {
			break
		}
	}
	if e.code() == old {
		t.Fatal("three reloads sent the old code again")
	}
	e.typeIn(s3.code, old)
	e.enter()
	if !strings.HasPrefix(s3.codeErr.Text, "The validation code is wrong.") ||
		!strings.Contains(s3.codeErr.Text, "Only the newest code works") {
		t.Errorf("the old code after a reload says %q", s3.codeErr.Text)
	}
	e.chooseLanguage(langChinese)
	if !strings.Contains(s3.codeErr.Text, "只有最新的驗證碼有效") || strings.Contains(s3.codeErr.Text, " ") {
		t.Errorf("in Chinese: %q", s3.codeErr.Text)
	}
}

// TestSentShowsWithinASecondOfDelivery: "Sending to…" turns to "Sent to"
// at the first tick after the code went out.
func TestSentShowsWithinASecondOfDelivery(t *testing.T) {
	e := newEnv(t)
	s3 := e.toStep3(acctBoth.StaffNumber, api.ChannelSMS)
	if !strings.HasPrefix(s3.deliveryLb.Text, "Sending to") {
		t.Fatalf("delivery = %q", s3.deliveryLb.Text)
	}
	e.setDelivery(api.DeliverySent)
	e.tick(time.Second)
	if s3.deliveryLb.Text != "Sent to 9*** **34." {
		t.Errorf("a second after delivery: %q", s3.deliveryLb.Text)
	}
}

// TestNotYoursNamesOnlyTheAccountsContacts: an e-mail-only account is not
// told about a mobile phone number.
func TestNotYoursNamesOnlyTheAccountsContacts(t *testing.T) {
	e := newEnv(t)
	s2 := e.toStep2(acctMail.StaffNumber)
	if strings.Contains(s2.notYours.Text, "mobile") || !strings.Contains(s2.notYours.Text, "email address") {
		t.Errorf("e-mail only: %q", s2.notYours.Text)
	}
	e.chooseLanguage(langChinese)
	if strings.Contains(s2.notYours.Text, "手提電話") {
		t.Errorf("e-mail only, in Chinese: %q", s2.notYours.Text)
	}

	e2 := newEnv(t)
	if s := e2.toStep2(acctBoth.StaffNumber); !strings.Contains(s.notYours.Text, "mobile phone number or email address") {
		t.Errorf("both: %q", s.notYours.Text)
	}
}

// TestCaptchaAnswerKeepsTheFocusWhileTheAudioPlays: the person types the
// digits while hearing them.
func TestCaptchaAnswerKeepsTheFocusWhileTheAudioPlays(t *testing.T) {
	e := newEnv(t)
	s1 := screenAs[*step1](e)
	e.win.Canvas().Focus(s1.captcha.play)
	p := s1.captcha
	p.play.Tapped(&fyne.PointEvent{})
	if e.win.Canvas().Focused() != p.answer {
		t.Errorf("while the audio plays the focus is on %T, not the answer", e.win.Canvas().Focused())
	}
	e.settle()
	if e.win.Canvas().Focused() != p.answer {
		t.Errorf("after the audio the focus is on %T, not the answer", e.win.Canvas().Focused())
	}
}

// TestSmallWindowKeepsRoomForThePage: under 700 px the header is compact,
// and at 640x480 the page scrolls in at least half the window.
func TestSmallWindowKeepsRoomForThePage(t *testing.T) {
	e := newEnv(t)
	h := e.c.shell
	e.win.Resize(windowSizes[0])
	if h.Compact() {
		t.Error("the header is compact (no title) at 820x860")
	}
	tall := h.Page().Size().Height
	e.win.Resize(windowSizes[1])
	if !h.Compact() {
		t.Error("the header is not compact (the title shows) at 640x480")
	}
	if got, win := h.Page().Size().Height, e.win.Canvas().Size().Height; got < win/2 {
		t.Errorf("the page has %v of the window's %v px (%v at 820x860)", got, win, tall)
	} else {
		t.Logf("the page has %v of the window's %v px", got, win)
	}
}

// TestStepNamesShortenToNumbers: in every language, at both sizes, each
// step is named in full or numbered, never cut.
func TestStepNamesShortenToNumbers(t *testing.T) {
	e := newEnv(t)
	h := e.c.steps
	for _, lang := range assets.Tags() {
		e.chooseLanguage(lang)
		for _, size := range append(windowSizes, fyne.NewSize(480, 480)) {
			e.win.Resize(size)
			named := h.stepNames[0].Visible()
			for i, n := range h.stepNames {
				num := h.stepNums[i]
				switch {
				case n.Visible() == num.Visible():
					t.Errorf("%s %s: step %d named %v and numbered %v", lang, sizeName(size), i+1, n.Visible(), num.Visible())
				case n.Visible() != named:
					t.Errorf("%s %s: some steps named, some numbered", lang, sizeName(size))
				case n.Visible() && n.MinSize().Width > n.Size().Width:
					t.Errorf("%s %s: %q is cut: %v wide in %v", lang, sizeName(size), n.Text, n.MinSize().Width, n.Size().Width)
				}
			}
			t.Logf("%s %s: named %v", lang, sizeName(size), named)
		}
	}
	if e.win.Resize(windowSizes[0]); !h.stepNames[0].Visible() {
		t.Error("at 820x860 the steps are numbered, not named")
	}
}

// TestMessageBelowTheFoldScrollsIntoSight: at 640x480 the CAPTCHA is below
// the fold; its message scrolls the page so that it is seen.
func TestMessageBelowTheFoldScrollsIntoSight(t *testing.T) {
	e := newEnv(t)
	e.win.Resize(windowSizes[1])
	s1 := screenAs[*step1](e)
	e.step1(acctBoth.StaffNumber, e.wrongCaptcha(s1.captcha))
	msg := s1.captcha.errLbl.WrapLabel
	if msg.Text == "" {
		t.Fatal("no message for a wrong CAPTCHA")
	}
	scroll := e.c.shell.Page()
	viewTop := top(scroll)
	if at := top(msg); at < viewTop || at+msg.Size().Height > viewTop+scroll.Size().Height {
		t.Errorf("the message is at %v..%v, the page shows %v..%v", at, at+msg.Size().Height, viewTop, viewTop+scroll.Size().Height)
	}
}

// TestNoSoundMessageScrollsIntoSight: at 640x480, the message that there
// is no sound device is scrolled into sight.
func TestNoSoundMessageScrollsIntoSight(t *testing.T) {
	e := newEnv(t)
	e.win.Resize(windowSizes[1])
	s1 := screenAs[*step1](e)
	e.audio.err = ErrNoSoundDevice
	e.tap(s1.captcha.play)
	status := s1.captcha.status
	scroll := e.c.shell.Page()
	if at := top(status); status.Text == "" || at < top(scroll) || at+status.Size().Height > top(scroll)+scroll.Size().Height {
		t.Errorf("the message %q is at %v, the page shows %v..%v", status.Text, at, top(scroll), top(scroll)+scroll.Size().Height)
	}
}

// TestFormMessageShowsBesideNext: what went wrong with the whole form (too
// many attempts) shows beside Next, in sight at 640x480, and does not
// scroll the page away from the fields.
func TestFormMessageShowsBesideNext(t *testing.T) {
	e := newEnv(t, withConfig(func(c *service.Config) { c.StartsPerAddr = 1 }))
	e.toStep2(acctBoth.StaffNumber)
	e.c.newFlow(text{})
	e.settle()
	e.win.Resize(windowSizes[1])
	s1 := screenAs[*step1](e)
	e.typeIn(s1.staff, acctBoth.StaffNumber)
	e.typeIn(s1.captcha.answer, testCaptcha)
	e.tap(s1.next)
	if s1.formErr.Text == "" {
		t.Fatal("no message for a rate-limited start")
	}
	if !inSight(e, s1.formErr.WrapLabel) || !inSight(e, s1.next) {
		t.Errorf("the message (in sight %v) or Next (%v) is out of sight", inSight(e, s1.formErr.WrapLabel), inSight(e, s1.next))
	}
	if mid := top(s1.formErr.WrapLabel) + s1.formErr.Size().Height/2; mid < top(s1.next) || mid > top(s1.next)+s1.next.Size().Height {
		t.Errorf("the message is not beside Next: its middle at %v, Next at %v..%v", mid, top(s1.next), top(s1.next)+s1.next.Size().Height)
	}
	if off := e.c.shell.Page().Offset.Y; off != 0 {
		t.Errorf("the page scrolled to %v for a message in the action bar", off)
	}
}

// TestStrengthWordsBesideTheBar: the strength meter's words are drawn as
// text on the background, not on the bar's colours, where they would be
// below 4.5:1 in either theme.
func TestStrengthWordsBesideTheBar(t *testing.T) {
	e := newEnv(t)
	s4 := e.toStep4(acctBoth.StaffNumber)
	e.typeIn(s4.pw, goodPassword)
	if got := s4.strength.TextFormatter(); got != "" {
		t.Errorf("the bar itself says %q", got)
	}
	if !s4.strengthLbl.Visible() || !strings.HasPrefix(s4.strengthLbl.Text, "Strength: ") {
		t.Errorf("beside the bar: %q, shown %v", s4.strengthLbl.Text, s4.strengthLbl.Visible())
	}
}

// TestStrengthWordsAreNotCut: the words beside the bar get their width as
// the level changes.
func TestStrengthWordsAreNotCut(t *testing.T) {
	e := newEnv(t)
	s4 := e.toStep4(acctBoth.StaffNumber)
	for _, pw := range []string{"a", goodPassword, "Wq7-lantern-Orbit-93-harbour"} {
		e.typeIn(s4.pw, pw)
		if l := s4.strengthLbl; l.Size().Width < l.MinSize().Width {
			t.Errorf("%q: %q is %v wide, needs %v", pw, l.Text, l.Size().Width, l.MinSize().Width)
		}
	}
}

// TestTabScrollsTheFieldIntoSight: at 640x480, Tab from the staff number
// to the CAPTCHA answer, into step 3's code and into step 4's retyped
// password reaches fields below the window's edge; each scrolls into
// sight as it receives the focus.
func TestTabScrollsTheFieldIntoSight(t *testing.T) {
	e := newEnv(t)
	e.win.Resize(windowSizes[1])
	scroll := e.c.shell.Page()
	tabTo := func(field fyne.Focusable) {
		t.Helper()
		c := e.win.Canvas()
		for range 30 {
			if c.Focused() == field {
				break
			}
			c.FocusNext()
			e.tick(0)
		}
		if c.Focused() != field {
			t.Fatal("Tab does not reach the field")
		}
		o := field.(fyne.CanvasObject)
		if at := top(o); at < top(scroll) || at+o.Size().Height > top(scroll)+scroll.Size().Height {
			t.Errorf("the focused field is at %v..%v, the page shows %v..%v", at, at+o.Size().Height, top(scroll), top(scroll)+scroll.Size().Height)
		}
	}

	s1 := screenAs[*step1](e)
	e.win.Canvas().Focus(s1.staff)
	e.tick(0)
	if scroll.Offset.Y != 0 {
		t.Errorf("the first field, in sight, scrolled the page to %v", scroll.Offset.Y)
	}
	tabTo(s1.captcha.answer)

	s3 := e.toStep3(acctBoth.StaffNumber, api.ChannelSMS)
	scroll.ScrollToTop()
	e.win.Canvas().Unfocus()
	tabTo(s3.code)

	e.typeIn(s3.code, e.code())
	e.enter()
	s4 := screenAs[*step4](e)
	scroll.ScrollToTop()
	e.win.Canvas().Focus(s4.pw)
	tabTo(s4.retype)
}
