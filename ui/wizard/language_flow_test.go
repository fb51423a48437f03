package wizard

import (
	"strings"
	"testing"

	"casreset/api"
	"casreset/assets"
	"casreset/desktop/embedded"
	"casreset/ui/shell"
)

// TestTheSMSIsInTheLanguageOfTheWalk walks to step 3 over the embedded
// default, whose messages are in English unless a flow says otherwise,
// and reads the SMS in the outbox: in the language of a walk in Chinese,
// and in the language switched to at step 2 after a start in English.
func TestTheSMSIsInTheLanguageOfTheWalk(t *testing.T) {
	tests := []struct {
		name, start, switchTo string
		want                  string // the SMS's words in the language
	}{
		{"walk in Traditional Chinese", langChinese, "", "重設密碼驗證碼"},
		{"switch to Traditional Chinese", langEnglish, langChinese, "重設密碼驗證碼"},
		{"switch to Simplified Chinese", langEnglish, "zh-Hans", "密码重置验证码"},
		{"walk in English", langEnglish, "", "Your password reset code is"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newDemoEnv(t, func(s *shell.Settings) { s.Language = tt.start })
			s1 := current[*step1](e)
			e.typeIn(s1.staff, embedded.Accounts[0].StaffNumber)
			e.typeIn(s1.captcha.answer, testCaptcha)
			e.enter()
			current[*step2](e)
			if tt.switchTo != "" {
				e.chooseLanguage(tt.switchTo)
			}
			s2 := current[*step2](e)
			e.tap(s2.options[0]) // SMS
			e.tap(s2.send)
			current[*step3](e)
			e.waitForMessages(1)

			msgs, err := e.demo.Messages()
			if err != nil {
				t.Fatal(err)
			}
			if len(msgs) != 1 || msgs[0].Channel != api.ChannelSMS {
				t.Fatalf("the outbox holds %+v, want one SMS", msgs)
			}
			if body := msgs[0].Body; !strings.Contains(body, tt.want) {
				t.Errorf("the SMS reads %q, want it in %s (%q)", body, e.c.shell.Lang(), tt.want)
			}
		})
	}
}

// TestTheChangeNoticeIsInTheLanguageSwitchedToAfterTheCode walks a reset
// over the embedded default and switches language after the code was sent
// (at step 3 or 4), when no code request carries it any more; the notices
// of the change in the outbox are in the language switched to: the SMS
// only in it, the e-mail in it first.
func TestTheChangeNoticeIsInTheLanguageSwitchedToAfterTheCode(t *testing.T) {
	tests := []struct {
		name, start, switchTo string
		atStep                int
		sms, subject          string // the notice's words in the language switched to
	}{
		{"switch to Traditional Chinese at step 4", langEnglish, langChinese, 4, "密碼已於", "你的密碼已更改"},
		{"switch to Simplified Chinese at step 3", langEnglish, "zh-Hans", 3, "密码已于", "您的密码已修改"},
		{"switch to English at step 4", langChinese, langEnglish, 4, "Your password was changed", "your password was changed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newDemoEnv(t, func(s *shell.Settings) { s.Language = tt.start })
			s1 := current[*step1](e)
			e.typeIn(s1.staff, embedded.Accounts[0].StaffNumber)
			e.typeIn(s1.captcha.answer, testCaptcha)
			e.enter()
			s2 := current[*step2](e)
			e.tap(s2.options[0]) // SMS
			e.tap(s2.send)
			current[*step3](e)
			e.waitForMessages(1)
			msgs, err := e.demo.Messages()
			if err != nil || len(msgs) != 1 {
				t.Fatalf("the outbox holds %+v (%v), want the code", msgs, err)
			}
			if tt.atStep == 3 {
				e.chooseLanguage(tt.switchTo)
			}
			e.typeIn(current[*step3](e).code, msgs[0].Code)
			e.enter()
			current[*step4](e)
			if tt.atStep == 4 {
				e.chooseLanguage(tt.switchTo)
			}
			s4 := current[*step4](e)
			e.typeIn(s4.pw, goodPassword)
			e.typeIn(s4.retype, goodPassword)
			e.tap(s4.update)
			current[*success](e)
			e.waitForMessages(3)

			msgs, err = e.demo.Messages()
			if err != nil || len(msgs) != 3 {
				t.Fatalf("the outbox holds %+v (%v), want the code and two notices", msgs, err)
			}
			for _, m := range msgs[1:] {
				switch m.Channel {
				case api.ChannelSMS:
					if !strings.Contains(m.Body, tt.sms) {
						t.Errorf("the notice by SMS reads %q, want it in %s (%q)", m.Body, tt.switchTo, tt.sms)
					}
				case api.ChannelEmail:
					if !strings.HasPrefix(m.Subject, "HKU SPACE"+assets.Match(tt.switchTo).Formats.Colon+tt.subject) {
						t.Errorf("the notice by e-mail is headed %q, want %s first (%q)", m.Subject, tt.switchTo, tt.subject)
					}
				}
			}
		})
	}
}

// chooseLanguage switches the wizard to tag as a person does, through the
// header's language switch.
func (e *demoEnv) chooseLanguage(tag string) {
	e.t.Helper()
	sh := e.c.shell
	e.tap(sh.LanguageButton())
	if sh.LanguageMenu() {
		e.tap(sh.LanguageItem(tag))
	}
	if sh.Lang() != tag {
		e.t.Fatalf("the language switch went to %s, not %s", sh.Lang(), tag)
	}
}
