package wizard

import (
	"encoding/json"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"casreset/api"
	"casreset/assets"
	"casreset/ui/shell"
)

// loadMessages reads a translation file as key → text, or key → plural
// forms.
func loadMessages(t *testing.T, lang string) map[string]any {
	t.Helper()
	data, err := fs.ReadFile(assets.Translations, assets.TranslationsDir+"/"+lang+".json")
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatalf("%s.json: %v", lang, err)
	}
	return m
}

// fyneKey reports whether key is one of Fyne's own texts (its entries'
// menu), which the files translate for lang.AddTranslationsFS.
func fyneKey(key string) bool { return unicode.IsUpper([]rune(key)[0]) }

// TestEveryLanguageHasEveryKey: each language of the table has the keys
// of the default language and no other, plural where it is plural.
func TestEveryLanguageHasEveryKey(t *testing.T) {
	def := loadMessages(t, langEnglish)
	for k, v := range def {
		if forms, ok := v.(map[string]any); ok && (forms["one"] == nil || forms["other"] == nil) {
			t.Errorf("%s.json %q needs the forms one and other", langEnglish, k)
		}
	}
	for _, l := range assets.Languages() {
		m := loadMessages(t, l.Tag)
		for k, v := range def {
			got, ok := m[k]
			if !ok {
				t.Errorf("%s.json lacks %q", l.Tag, k)
				continue
			}
			if _, plural := v.(map[string]any); plural {
				if forms, ok := got.(map[string]any); !ok || forms["other"] == nil {
					t.Errorf("%s.json %q is not plural with the form other, as %s.json's is", l.Tag, k, langEnglish)
				}
			}
		}
		for k := range m {
			if _, ok := def[k]; !ok {
				t.Errorf("%s.json has %q, which %s.json lacks", l.Tag, k, langEnglish)
			}
		}
	}
}

// Characters of the wizard's Chinese texts that only one script uses,
// each at the same place in both lists: a Traditional text must not hold
// the Simplified forms, nor a Simplified text the Traditional ones.
const (
	traditionalOnly = "與兩個為書從們會傭關內則刪務動協單參發號聽啟員響圖處復實尋將嘗屬師帳並應開強擇換據數斷無時顯暫術機來構欄檢橫沒現電畫碼種簡約線組細經結給絡絕統繼續編網職聯腦範裝見規視認議訊記許設證訴詞試話該詳語誤說請讀貼資載較輸達過還這連適選郵鐘鈕錯長門閉問間閱隨隱難僱項須題額驗驟黃"
	simplifiedOnly  = "与两个为书从们会佣关内则删务动协单参发号听启员响图处复实寻将尝属师帐并应开强择换据数断无时显暂术机来构栏检横没现电画码种简约线组细经结给络绝统继续编网职联脑范装见规视认议讯记许设证诉词试话该详语误说请读贴资载较输达过还这连适选邮钟钮错长门闭问间阅随隐难雇项须题额验骤黄"
)

// TestEveryLanguageIsTranslated: the texts of a language written in Han
// characters are in them, in their own script, with full-width
// punctuation.
func TestEveryLanguageIsTranslated(t *testing.T) {
	if len([]rune(traditionalOnly)) != len([]rune(simplifiedOnly)) {
		t.Fatal("the lists of characters of one script differ in length")
	}
	for _, l := range assets.Languages() {
		var wrongScript string
		switch l.Script {
		case "Hant":
			wrongScript = simplifiedOnly
		case "Hans":
			wrongScript = traditionalOnly
		default:
			continue
		}
		help, err := l.Help()
		if err != nil {
			t.Fatal(err)
		}
		texts := map[string]string{"help": string(help)}
		for k, v := range loadMessages(t, l.Tag) {
			texts[k] = flatten(v)
		}
		for k, s := range texts {
			if !strings.ContainsFunc(s, func(r rune) bool { return unicode.Is(unicode.Han, r) }) {
				t.Errorf("%s %q has no Chinese: %q", l.Tag, k, s)
			}
			if k != "help" && strings.ContainsAny(s, ",;?!") && !strings.Contains(s, "@") {
				t.Errorf("%s %q uses ASCII punctuation where Chinese takes full-width: %q", l.Tag, k, s)
			}
			if i := strings.IndexAny(s, wrongScript); i >= 0 {
				r, _ := utf8.DecodeRuneInString(s[i:])
				t.Errorf("%s %q is written in %s but holds %c of the other script: %q", l.Tag, k, l.Script, r, s)
			}
		}
	}
}

func flatten(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case map[string]any:
		var parts []string
		for _, f := range v {
			parts = append(parts, f.(string))
		}
		return strings.Join(parts, "\n")
	}
	return ""
}

// sampleData fills every template field the wizard uses.
var sampleData = []any{
	"N", 1, "Total", 4, "Label", "Reload", "Seconds", 30, "Value", "x", "Destination", "9*** **34",
	"Time", "9:59", "Min", 10, "Max", 128, "Chars", "$", "Char", "$", "Org", "HKU SPACE",
	"Reference", "R1", "Months", 18, "Level", "good", "To", "+85291234534", "Subject", "x",
	"Count", 3, "Rule", "x",
	// The help desk's.
	"Name", "CHAN Tai Man", "Password", "x", "Code", "123456", "Kind", "local operator", "Staff", "12345678",
	"Used", 2, "Hours", 24, "Limits", 3, "Flows", 1, "End", "2027-08-31", "Last", "2029-02-28",
	"Detail", "code_invalid: wrong code",
}

func TestEveryTextRendersInEveryLanguage(t *testing.T) {
	en := loadMessages(t, langEnglish)
	tr := shell.NewTranslator(langEnglish, slog.New(slog.DiscardHandler))
	for _, l := range assets.Languages() {
		lang := l.Tag
		tr.SetLang(lang)
		for k, v := range en {
			if fyneKey(k) {
				continue // Fyne renders these itself
			}
			var got string
			if _, isPlural := v.(map[string]any); isPlural {
				for _, n := range []int{0, 1, 2, 5} {
					got = tr.N(k, n, sampleData...)
					if strings.Contains(got, "<no value>") || got == k {
						t.Errorf("%s %q with count %d renders %q", lang, k, n, got)
					}
				}
				continue
			}
			got = tr.T(k, sampleData...)
			if strings.Contains(got, "<no value>") || strings.Contains(got, "{{") || got == k {
				t.Errorf("%s %q renders %q", lang, k, got)
			}
		}
	}
	tr.SetLang(langEnglish)
	if got := tr.N("err.code_invalid_attempts", 1); got != "The validation code is wrong. You can try 1 more time." {
		t.Errorf("singular: %q", got)
	}
	if got := tr.N("err.code_invalid_attempts", 3); got != "The validation code is wrong. You can try 3 more times." {
		t.Errorf("plural: %q", got)
	}
}

// keyPattern finds the whole keys the code passes to the translator (not
// the prefixes it completes, such as "refused."+rule).
var keyPattern = regexp.MustCompile(`(?:\bt|\.T|\.N|\bmsg|\bplural)\("([a-z0-9_.]*[a-z0-9_])"\s*[,)]`)

func TestEveryKeyInTheCodeIsTranslated(t *testing.T) {
	en := loadMessages(t, langEnglish)
	code := sourceCode(t)
	used := map[string]bool{}
	for _, m := range keyPattern.FindAllStringSubmatch(code, -1) {
		used[m[1]] = true
	}
	// Keys the code builds from parts.
	for _, key := range errorKeys {
		used[key] = true
	}
	for _, d := range []api.Delivery{api.DeliveryQueued, api.DeliverySent, api.DeliveryFailed} {
		used["step3.delivery."+string(d)] = true
	}
	for _, ch := range api.Channels() {
		for _, prefix := range []string{"step2.option", "step2.not_yours", "step3.sent", "step3.switch"} {
			used[channelKey(ch, prefix)] = true
		}
	}
	for score := range 5 {
		used[strengthKey(score)] = true
	}
	for n := 1; n <= 4; n++ {
		used["chrome.step"+string(rune('0'+n))] = true
	}
	// Every rule of the contract has its line and its problem; every rule
	// a refusal names has its words (the history's refusal is
	// err.password_reused).
	for _, rule := range api.RuleIDs() {
		used[ruleKey(rule)] = true
		used[failKey(rule)] = true
		if rule != api.RuleReused {
			used[refusedKey(rule)] = true
		}
	}
	used[failKey(api.RuleMismatch)], used[failKey("other")] = true, true
	for _, f := range []string{"staff", "captcha", "code", "contact"} {
		for _, kind := range []string{"empty", "digits", "length"} {
			if _, ok := en["field."+f+"."+kind]; ok {
				used["field."+f+"."+kind] = true
			}
		}
	}
	used["field.staff.empty"], used["field.captcha.digits"], used["field.code.digits"] = true, true, true

	for k := range used {
		if _, ok := en[k]; !ok {
			t.Errorf("the code uses %q, which en.json lacks", k)
		}
	}
	for k := range en {
		// Keys held in variables before use ("inbox.sms").
		if strings.Contains(code, `"`+k+`"`) {
			used[k] = true
		}
		if !used[k] && !fyneKey(k) {
			t.Errorf("en.json has %q, which nothing uses", k)
		}
	}
}

func sourceCode(t *testing.T) string {
	t.Helper()
	// Every package of ui/: the texts are one set for the wizard, the
	// shell it is shown in and the widgets.
	files, err := filepath.Glob("../*.go")
	if err != nil {
		t.Fatal(err)
	}
	below, err := filepath.Glob("../*/*.go")
	if err != nil {
		t.Fatal(err)
	}
	files = append(files, below...)
	var b strings.Builder
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		b.Write(data)
	}
	return b.String()
}

func TestEveryErrorCodeHasItsOwnMessage(t *testing.T) {
	tr := shell.NewTranslator(langEnglish, slog.New(slog.DiscardHandler))
	seen := map[string]api.Code{}
	for _, code := range api.Codes() {
		key, ok := errorKeys[code]
		if !ok {
			t.Errorf("no message for %s", code)
			continue
		}
		for _, l := range assets.Languages() {
			lang := l.Tag
			tr.SetLang(lang)
			m := tr.T(key, sampleData...)
			if other, dup := seen[lang+m]; dup {
				t.Errorf("%s and %s say the same in %s: %q", code, other, lang, m)
			}
			seen[lang+m] = code
		}
	}
	c := &controller{tr: shell.NewTranslator(langEnglish, slog.New(slog.DiscardHandler))}
	left := 2
	tests := map[string]*api.Error{
		"You can try 2 more times.":          {Code: api.CodeCodeInvalid, AttemptsLeft: &left},
		"Please try again in 45 seconds.":    {Code: api.CodeRateLimited, RetryAfter: 45},
		"Please try again in 10 minutes.":    {Code: api.CodeRateLimited, RetryAfter: 601},
		"plus 18 months":                     {Code: api.CodeAccountExpired},
		"different from your last password.": {Code: api.CodePasswordReused},
		"Something went wrong":               {Code: "a_code_from_a_newer_service"},
	}
	for want, err := range tests {
		if got := c.errorText(err).in(c.tr); !strings.Contains(got, want) {
			t.Errorf("%s: %q does not contain %q", err.Code, got, want)
		}
	}
}

func TestNumbersAreWrittenInTheLanguage(t *testing.T) {
	tr := shell.NewTranslator(langEnglish, slog.New(slog.DiscardHandler))
	if got := tr.N("err.rate_limited_seconds", 1200); got != "Too many attempts have been made. Please try again in 1,200 seconds." {
		t.Errorf("a count: %q", got)
	}
	if got, _ := ruleLine(tr, api.Rule{ID: api.RuleTooShort, Min: 1000}); got != "Has to be at least 1,000 characters long" {
		t.Errorf("a value: %q", got)
	}
	if got := tr.T("inbox.sms", "To", "+85291234534"); !strings.Contains(got, "+85291234534") {
		t.Errorf("text is not a number: %q", got)
	}
}

func TestHelpTextInEveryLanguage(t *testing.T) {
	s := shell.DefaultSettings()
	for _, l := range assets.Languages() {
		lang := l.Tag
		md := helpText(shell.NewTranslator(lang, slog.New(slog.DiscardHandler)), s, api.Policy{})
		if strings.Contains(md, "{{") || !strings.Contains(md, "5") {
			t.Errorf("%s help is not filled in: %q", lang, md[:80])
		}
	}
	if !strings.Contains(helpText(shell.NewTranslator(langChinese, slog.New(slog.DiscardHandler)), s, api.Policy{}), "第四步：更新密碼") {
		t.Error("the Chinese help is not in Chinese")
	}
}
