package delivery

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"casreset/api"
	"casreset/assets"
	"casreset/service"
)

func TestEmailCarriesEverythingInBothLanguages(t *testing.T) {
	// What each kind must say, in English and in Chinese, besides what
	// every message says.
	want := map[string][]string{
		service.MessageCode: {
			"493027",
			"Your validation code is", "你的驗證碼是",
			"before 15:42 on Friday 14 March 2025 (Hong Kong time)", "2025年3月14日（星期五）15:42（香港時間）",
			"If you did not ask for this code", "如你沒有要求此驗證碼",
		},
		service.MessageReminder: {
			"12345678",
			"staff / teacher number", "職員／教師編號",
			"If you did not ask for this reminder", "如你沒有要求此提示",
		},
		service.MessageNotice: {
			"changed at 15:32 on Friday 14 March 2025 (Hong Kong time)", "2025年3月14日（星期五）15:32（香港時間）更改",
			"from the computer at address 203.0.113.7", "位址為 203.0.113.7",
			"If this was not you, contact IT Help at once at ithelp@example.edu.hk or 2975 5600",
			"請立即聯絡資訊科技支援組（ithelp@example.edu.hk 或 2975 5600）",
			"R7QK2M9XW4",
		},
	}
	every := []string{
		"HKU SPACE", "Dear Chan Tai Man,", "Chan Tai Man，你好：",
		"IT Help: ithelp@example.edu.hk | 2975 5600 | Mon-Fri 09:00-18:00",
		"資訊科技支援組：ithelp@example.edu.hk | 2975 5600 | Mon-Fri 09:00-18:00",
		"Copyright © 2025 HKU SPACE. All rights reserved.",
		"please do not reply", "請勿回覆",
	}
	for _, kind := range kinds {
		t.Run(kind, func(t *testing.T) {
			r, err := Render(testMessage(kind, api.ChannelEmail), testOrg())
			if err != nil {
				t.Fatalf("Render: %v", err)
			}
			if r.Channel != api.ChannelEmail || r.To != "chan.tai.man@example.edu.hk" {
				t.Errorf("channel %q to %q", r.Channel, r.To)
			}
			if !strings.HasPrefix(r.Subject, "HKU SPACE: ") || !strings.Contains(r.Subject, " / ") {
				t.Errorf("subject %q lacks the organisation or one language", r.Subject)
			}
			if strings.Contains(r.Subject, "493027") {
				t.Errorf("subject %q shows the code on lock screens", r.Subject)
			}
			for _, s := range append(want[kind], every...) {
				if !strings.Contains(r.Body, s) {
					t.Errorf("text lacks %q", s)
				}
				if !strings.Contains(r.HTML, htmlEscape(s)) {
					t.Errorf("HTML lacks %q", s)
				}
			}
			for _, part := range []string{r.Body, r.HTML} {
				for _, link := range []string{"http:", "https:", "www.", "<a ", "href"} {
					if strings.Contains(part, link) {
						t.Errorf("message contains a link (%q)", link)
					}
				}
			}
		})
	}
}

// htmlEscape is what html/template does to the few special characters the
// expected strings hold.
func htmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "'", "&#39;").Replace(s)
}

func TestEmailCodeOnlyForCodeMessages(t *testing.T) {
	for _, kind := range kinds {
		r, err := Render(testMessage(kind, api.ChannelEmail), testOrg())
		if err != nil {
			t.Fatal(err)
		}
		if wantCode := kind == service.MessageCode || kind == service.MessageCallerCode; (r.Code != "") != wantCode {
			t.Errorf("%s: Code = %q", kind, r.Code)
		}
	}
}

func TestEmailHTMLEscapesValues(t *testing.T) {
	m := testMessage(service.MessageNotice, api.ChannelEmail)
	m.Params[paramName] = `<img src=x onerror=alert(1)> & "Co"`
	m.Params[paramClientAddr] = `<script>alert(1)</script>`
	org := testOrg()
	org.Name = `Tom & Jerry's <College>`
	r, err := Render(m, org)
	if err != nil {
		t.Fatal(err)
	}
	for _, raw := range []string{"<img", "<script>", "<College>"} {
		if strings.Contains(r.HTML, raw) {
			t.Errorf("HTML holds %q unescaped", raw)
		}
	}
	for _, escaped := range []string{"&lt;img src=x onerror=alert(1)&gt; &amp; &#34;Co&#34;", "&lt;script&gt;", "Tom &amp; Jerry&#39;s &lt;College&gt;"} {
		if !strings.Contains(r.HTML, escaped) {
			t.Errorf("HTML lacks %q", escaped)
		}
	}
	if !strings.Contains(r.Body, `<script>alert(1)</script>`) {
		t.Error("the text part should carry values as they are")
	}
}

func TestEmailShowsTimesInTheOrganisationsZone(t *testing.T) {
	org := testOrg()
	org.Location = time.UTC
	r, err := Render(testMessage(service.MessageCode, api.ChannelEmail), org)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"before 07:42 on Friday 14 March 2025 (UTC)", "2025年3月14日（星期五）07:42（UTC）"} {
		if !strings.Contains(r.Body, s) {
			t.Errorf("text lacks %q", s)
		}
	}
}

func TestEmailWithoutOptionalValues(t *testing.T) {
	m := testMessage(service.MessageNotice, api.ChannelEmail)
	delete(m.Params, paramName)
	delete(m.Params, paramClientAddr)
	delete(m.Params, paramReference)
	delete(m.Params, paramChangedAt) // the time the message was queued stands in
	org := Org{Name: "HKU SPACE", HelpPhone: "2975 5600"}
	r, err := Render(m, org)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"Hello,", "你好：", "changed at 15:32 on Friday 14 March 2025", "contact IT Help at once at 2975 5600:", "IT Help: 2975 5600\n"} {
		if !strings.Contains(r.Body, s) {
			t.Errorf("text lacks %q", s)
		}
	}
	for _, s := range []string{"address", "reference", "| |", "Copyright"} {
		if strings.Contains(r.Body, s) {
			t.Errorf("text holds %q though the value is missing", s)
		}
	}
}

// Longest values the SMS must still fit one segment with. Names are kept
// whole or left out; the code, staff number and reference are always in.
var (
	longestOrgNames = []string{
		"HKU SPACE",
		"The Hong Kong Polytechnic University School of Professional Education and Executive Development",
		"香港大學專業進修學院",
		"香港理工大學專業及持續教育學院",
	}
	longestPhone     = "+852 2975 5600" // the longest IT Help number written the usual way
	longestStaff     = "T2019001234"    // 11 characters
	longestReference = "R7QK2M9XW4ZZ"   // 12 characters
)

func TestSMSFitsOneSegment(t *testing.T) {
	for _, l := range assets.Languages() {
		lang := l.Tag
		for _, kind := range kinds {
			for _, name := range longestOrgNames {
				t.Run(lang+"/"+kind+"/"+name, func(t *testing.T) {
					org := testOrg()
					org.Name, org.HelpPhone, org.SMSLang = name, longestPhone, lang
					m := testMessage(kind, api.ChannelSMS)
					m.Params[paramStaffNumber] = longestStaff
					m.Params[paramReference] = longestReference
					r, err := Render(m, org)
					if err != nil {
						t.Fatal(err)
					}
					if r.Subject != "" || r.HTML != "" {
						t.Errorf("an SMS has a subject or HTML: %q %q", r.Subject, r.HTML)
					}
					assertOneSegment(t, lang, r.Body)
					must := []string{longestPhone}
					switch kind {
					case service.MessageCode:
						must = append(must, "493027")
					case service.MessageReminder:
						must = append(must, longestStaff)
					case service.MessageNotice:
						must = append(must, longestReference)
					case service.MessageCallerCode:
						must = append(must, "493027")
					}
					if !strings.Contains(r.Body, name) && strings.Contains(r.Body, strings.Fields(name)[0]+" ") {
						t.Errorf("SMS holds a cut name: %s", r.Body)
					}
					for _, s := range must {
						if !strings.Contains(r.Body, s) {
							t.Errorf("SMS lacks %q: %s", s, r.Body)
						}
					}
				})
			}
		}
	}
}

// assertOneSegment checks that an SMS in the language tag fits one
// segment: 160 GSM-7 characters in a Latin script (never UCS-2, which
// would halve the room), 70 characters in another.
func assertOneSegment(t *testing.T, tag, body string) {
	t.Helper()
	l, _ := assets.Lookup(tag)
	septets, gsm := gsm7Septets(body)
	switch {
	case l.Script == "Latn" && !gsm:
		t.Errorf("%s SMS is not GSM-7: %s", tag, body)
	case l.Script == "Latn" && septets > 160:
		t.Errorf("%s SMS is %d septets: %s", tag, septets, body)
	case l.Script != "Latn" && len([]rune(body)) > 70:
		t.Errorf("%s SMS is %d characters: %s", tag, len([]rune(body)), body)
	}
	if SMSSegments(body) != 1 {
		t.Errorf("SMS takes %d segments: %s", SMSSegments(body), body)
	}
}

func TestSMSKeepsWhatFits(t *testing.T) {
	tests := []struct {
		name, lang, kind, org string
		want                  string
	}{
		{"English code keeps a short name", "en", service.MessageCode, "HKU SPACE",
			"HKU SPACE: Your password reset code is 493027. Valid until 15:42 HKT. Didn't ask for it? Ignore this and never share the code. IT Help: 2975 5600"},
		{"Chinese code keeps a short name", "zh-HK", service.MessageCode, "HKU SPACE",
			"【HKU SPACE】重設密碼驗證碼：493027，15:42前有效。如非本人要求請忽略，勿告知他人。資訊科技支援組：2975 5600"},
		{"English code leaves out a name too long, never cutting it", "en", service.MessageCode, "The Open University of Hong Kong",
			"Your password reset code is 493027. Valid until 15:42 HKT. Didn't ask for it? Ignore this and never share the code. IT Help: 2975 5600"},
		{"English notice keeps the address", "en", service.MessageNotice, "HKU SPACE",
			"HKU SPACE: Your password was changed on 14 Mar 15:32 HKT from 203.0.113.7. Not you? Contact IT Help now: 2975 5600, ref R7QK2M9XW4."},
		{"Chinese notice keeps the address before the name", "zh-HK", service.MessageNotice, "HKU SPACE",
			"密碼已於3月14日15:32更改（來自203.0.113.7）。如非本人請聯絡資訊科技支援組 2975 5600，編號R7QK2M9XW4"},
		{"Chinese reminder", "zh-HK", service.MessageReminder, "HKU SPACE",
			"【HKU SPACE】你的職員／教師編號是：12345678。如非本人要求請忽略。資訊科技支援組：2975 5600"},
		{"English reminder", "en", service.MessageReminder, "HKU SPACE",
			"HKU SPACE: Your staff / teacher number is 12345678. Didn't ask for it? Ignore this message. IT Help: 2975 5600"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			org := testOrg()
			org.Name, org.SMSLang = tt.org, tt.lang
			r, err := Render(testMessage(tt.kind, api.ChannelSMS), org)
			if err != nil {
				t.Fatal(err)
			}
			if r.Body != tt.want {
				t.Errorf("SMS\n got %s\nwant %s", r.Body, tt.want)
			}
			assertOneSegment(t, tt.lang, r.Body)
		})
	}
}

func TestSMSUsesTheShortNameForSMS(t *testing.T) {
	org := testOrg()
	org.Name = "The Hong Kong Polytechnic University School of Professional Education and Executive Development"
	org.SMSName = "PolyU SPEED"
	r, err := Render(testMessage(service.MessageCode, api.ChannelSMS), org)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(r.Body, "PolyU SPEED: Your password reset code is 493027.") {
		t.Errorf("SMS %q does not start with the SMS name", r.Body)
	}
	r, err = Render(testMessage(service.MessageCode, api.ChannelEmail), org)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(r.Subject, org.Name+": ") {
		t.Errorf("e-mail subject %q does not carry the full name", r.Subject)
	}
}

func TestSMSNeverCutsTheCode(t *testing.T) {
	org := testOrg()
	org.SMSLang = "zh-HK"
	org.HelpPhone = strings.Repeat("2975 5600 ", 8) // absurd, to leave no room
	r, err := Render(testMessage(service.MessageCode, api.ChannelSMS), org)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(r.Body, "493027") {
		t.Errorf("SMS lacks the code: %s", r.Body)
	}
	if SMSSegments(r.Body) < 2 {
		t.Errorf("expected a long SMS, got %s", r.Body)
	}
}

func TestSMSLanguageDefaultsToEnglish(t *testing.T) {
	org := testOrg()
	org.SMSLang = ""
	r, err := Render(testMessage(service.MessageCode, api.ChannelSMS), org)
	if err != nil {
		t.Fatal(err)
	}
	if _, gsm := gsm7Septets(r.Body); !gsm || !strings.Contains(r.Body, "Your password reset code is 493027") {
		t.Errorf("default SMS is not English: %s", r.Body)
	}
}

func TestRenderRefusesIncompleteMessages(t *testing.T) {
	tests := []struct {
		name   string
		change func(*service.Message)
	}{
		{"code without its code", func(m *service.Message) { delete(m.Params, paramCode) }},
		{"code without its expiry", func(m *service.Message) { delete(m.Params, paramExpiresAt); m.NotAfter = time.Time{} }},
		{"malformed expiry", func(m *service.Message) { m.Params[paramExpiresAt] = "15:42 tomorrow" }},
		{"reminder without the staff number", func(m *service.Message) {
			m.Kind = service.MessageReminder
			delete(m.Params, paramStaffNumber)
		}},
		{"unknown kind", func(m *service.Message) { m.Kind = "advert" }},
		{"unknown channel", func(m *service.Message) { m.Channel = "fax" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := testMessage(service.MessageCode, api.ChannelEmail)
			tt.change(&m)
			_, err := Render(m, testOrg())
			if !errors.Is(err, errUnrenderable) {
				t.Errorf("Render error = %v, want errUnrenderable", err)
			}
		})
	}
}

func TestOrgValidate(t *testing.T) {
	tests := []struct {
		name    string
		change  func(*Org)
		wantErr bool
	}{
		{"complete", func(*Org) {}, false},
		{"phone only", func(o *Org) { o.HelpEmail = "" }, false},
		{"Chinese SMS", func(o *Org) { o.SMSLang = "zh-HK" }, false},
		{"no name", func(o *Org) { o.Name = "" }, true},
		{"no way to reach IT Help", func(o *Org) { o.HelpEmail, o.HelpPhone = "", "" }, true},
		{"unknown SMS language", func(o *Org) { o.SMSLang = "zh-CN" }, true},
		{"a name in a known language", func(o *Org) { o.Names = map[string]string{"zh-HK": "香港大學專業進修學院"} }, false},
		{"a name in an unknown language", func(o *Org) { o.Names = map[string]string{"fr": "Collège"} }, true},
		{"an SMS name in an unknown language", func(o *Org) { o.SMSNames = map[string]string{"xx": "X"} }, true},
		{"a copyright line in an unknown language", func(o *Org) { o.Copyrights = map[string]string{"fr": "© Collège"} }, true},
	}
	for _, tt := range tests {
		org := testOrg()
		tt.change(&org)
		if err := org.Validate(); (err != nil) != tt.wantErr {
			t.Errorf("%s: Validate() = %v, want error %v", tt.name, err, tt.wantErr)
		}
	}
}

func TestMessagesNameTheOrganisationInTheirLanguage(t *testing.T) {
	org := testOrg()
	org.Names = map[string]string{"zh-HK": "香港大學專業進修學院"}
	org.SMSLang = "zh-HK"
	sms, err := Render(testMessage(service.MessageReminder, api.ChannelSMS), org)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(sms.Body, "【香港大學專業進修學院】") {
		t.Errorf("Chinese SMS does not carry the Chinese name: %s", sms.Body)
	}
	org.SMSLang = "en"
	sms, err = Render(testMessage(service.MessageReminder, api.ChannelSMS), org)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(sms.Body, "HKU SPACE: ") {
		t.Errorf("English SMS does not carry the default name: %s", sms.Body)
	}

	email, err := Render(testMessage(service.MessageNotice, api.ChannelEmail), org)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(email.Body, "HKU SPACE\n香港大學專業進修學院\n") {
		t.Errorf("e-mail does not start with both names:\n%s", email.Body)
	}
	if !strings.HasPrefix(email.Subject, "HKU SPACE: ") {
		t.Errorf("subject %q is not in the first language's name", email.Subject)
	}
	zh, err := renderIn(testMessage(service.MessageNotice, api.ChannelEmail), org, "zh-HK")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(zh.Subject, "香港大學專業進修學院：你的密碼已更改 / ") {
		t.Errorf("subject for a Chinese reader: %q", zh.Subject)
	}
	if strings.Index(zh.Body, "你好") > strings.Index(zh.Body, "Dear") {
		t.Errorf("Chinese is not first for a Chinese reader:\n%s", zh.Body)
	}
	// A person whose language is not known reads the organisation's.
	org.SMSLang = "zh-HK"
	byDefault, err := Render(testMessage(service.MessageNotice, api.ChannelEmail), org)
	if err != nil {
		t.Fatal(err)
	}
	if byDefault.Subject != zh.Subject || byDefault.Body != zh.Body {
		t.Errorf("an e-mail of an organisation speaking zh-HK is not as for a zh-HK reader:\n%s", byDefault.Body)
	}
}

// TestEmailCarriesTheCopyrightInItsLanguages: an e-mail ends with the
// copyright line of each of its languages, in their order, each once; a
// language without a line of its own has the line of every language.
func TestEmailCarriesTheCopyrightInItsLanguages(t *testing.T) {
	const (
		en     = "Copyright © 2025 HKU SPACE. All rights reserved."
		zhHK   = "版權所有 © 2025 香港大學專業進修學院"
		zhHans = "版权所有 © 2025 HKU SPACE"
	)
	tests := []struct {
		name       string
		copyright  string
		copyrights map[string]string
		reader     string
		want       []string
		wantLangs  []string // of the HTML's lines
	}{
		{"English reader", en, map[string]string{"zh-HK": zhHK, "zh-Hans": zhHans}, "en", []string{en, zhHK}, []string{"en", "zh-HK"}},
		{"Traditional Chinese reader", en, map[string]string{"zh-HK": zhHK, "zh-Hans": zhHans}, "zh-HK", []string{zhHK, en}, []string{"zh-HK", "en"}},
		{"Simplified Chinese reader", en, map[string]string{"zh-HK": zhHK, "zh-Hans": zhHans}, "zh-Hans", []string{zhHans, en}, []string{"zh-Hans", "en"}},
		{"no line of its own", en, map[string]string{"zh-Hans": zhHans}, "zh-HK", []string{en}, []string{"zh-HK"}},
		{"the default language's line for every language", "", map[string]string{"en": en}, "zh-HK", []string{en}, []string{"zh-HK"}},
		{"one line for every language", en, nil, "zh-Hans", []string{en}, []string{"zh-Hans"}},
		{"none", "", nil, "zh-HK", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			org := testOrg()
			org.Copyright, org.Copyrights = tt.copyright, tt.copyrights
			r, err := renderIn(testMessage(service.MessageNotice, api.ChannelEmail), org, tt.reader)
			if err != nil {
				t.Fatal(err)
			}
			var footer string
			for _, line := range tt.want {
				footer += line + "\n"
			}
			if !strings.HasSuffix(r.Body, "\n"+footer) || (footer == "" && strings.Contains(r.Body, "©")) {
				t.Errorf("text ends\n%s\nwant the copyright lines %q", r.Body[max(0, len(r.Body)-300):], tt.want)
			}
			var html string
			for i, line := range tt.want {
				html += `<br><span lang="` + tt.wantLangs[i] + `">` + htmlEscape(line) + "</span>"
			}
			if !strings.Contains(r.HTML, "</span>"+html+"</p>") {
				t.Errorf("HTML footer lacks the copyright lines %q:\n%s", tt.want, r.HTML)
			}
		})
	}
}

func TestEmailCarriesEachBaseLanguageOnce(t *testing.T) {
	for _, l := range assets.Languages() {
		langs := emailLanguages(l.Tag)
		if langs[0] != l.Tag {
			t.Errorf("%s: e-mail starts with %s", l.Tag, langs[0])
		}
		bases := map[string]bool{}
		for _, tag := range langs {
			other, _ := assets.Lookup(tag)
			if bases[other.Base()] {
				t.Errorf("%s: e-mail in %v has %s twice", l.Tag, langs, other.Base())
			}
			bases[other.Base()] = true
		}
		for _, other := range assets.Languages() {
			if !bases[other.Base()] {
				t.Errorf("%s: e-mail in %v has no %s", l.Tag, langs, other.Base())
			}
		}
	}
	if got := strings.Join(emailLanguages("en"), ","); got != "en,zh-HK" {
		t.Errorf("e-mail for an English reader in %s, want en then zh-HK", got)
	}
}

// TestEachMessageGoesOutInItsReadersLanguage renders every message of a
// reader of each language, with the organisation's language set to
// another one, and finds what testdata/messages/TAG/ records for that
// language: the SMS in it alone, the e-mail in it first.
func TestEachMessageGoesOutInItsReadersLanguage(t *testing.T) {
	all := assets.Languages()
	for i, l := range all {
		org := testOrg()
		org.SMSLang = all[(i+1)%len(all)].Tag // not the reader's
		for _, kind := range kinds {
			for _, ch := range api.Channels() {
				m := testMessage(kind, ch)
				m.Language = l.Tag
				r, err := Render(m, org)
				if err != nil {
					t.Fatalf("%s %s %s: %v", l.Tag, kind, ch, err)
				}
				got := r.Body + "\n"
				if ch == api.ChannelEmail {
					got = "Subject: " + r.Subject + "\n\n" + r.Body
				}
				want := readGolden(t, filepath.Join("testdata", "messages", l.Tag, kind+"."+string(ch)+".txt"))
				if got != want {
					t.Errorf("%s %s %s with the organisation's language %s:\n%s\nwant\n%s", l.Tag, kind, ch, org.SMSLang, got, want)
				}
			}
		}
	}
}

// TestMessagesOfUnknownLanguageGoOutInTheOrganisations renders messages
// whose reader's language is not known, or fits no language of the
// table, in the organisation's language (--sms-lang).
func TestMessagesOfUnknownLanguageGoOutInTheOrganisations(t *testing.T) {
	org := testOrg()
	org.SMSLang = "zh-HK"
	want := readGolden(t, filepath.Join("testdata", "messages", "zh-HK", "code.sms.txt"))
	for _, lang := range []string{"", "fr", "not a tag"} {
		m := testMessage(service.MessageCode, api.ChannelSMS)
		m.Language = lang
		r, err := Render(m, org)
		if err != nil {
			t.Fatal(err)
		}
		if r.Body+"\n" != want {
			t.Errorf("SMS of a reader in %q: %s, want the organisation's language: %s", lang, r.Body, want)
		}
	}
}

func readGolden(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
