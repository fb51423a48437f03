package ui

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

	"casreset/api"
	"casreset/assets"
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

func TestTranslationsHaveTheSameKeys(t *testing.T) {
	en, zh := loadMessages(t, langEnglish), loadMessages(t, langChinese)
	for k := range en {
		if _, ok := zh[k]; !ok {
			t.Errorf("zh-HK.json lacks %q", k)
		}
	}
	for k := range zh {
		if _, ok := en[k]; !ok {
			t.Errorf("en.json lacks %q", k)
		}
	}
	for k, v := range en {
		if forms, ok := v.(map[string]any); ok {
			if forms["one"] == nil || forms["other"] == nil {
				t.Errorf("en.json %q needs the forms one and other", k)
			}
			if _, ok := zh[k].(map[string]any); !ok {
				t.Errorf("zh-HK.json %q is not plural as en.json's is", k)
			}
		}
	}
}

func TestChineseIsTranslated(t *testing.T) {
	zh := loadMessages(t, langChinese)
	for k, v := range zh {
		s := flatten(v)
		if k == "lang.switch" {
			continue // "English", the other language in its own words
		}
		if !strings.ContainsFunc(s, func(r rune) bool { return unicode.Is(unicode.Han, r) }) {
			t.Errorf("zh-HK %q has no Chinese: %q", k, s)
		}
		if strings.ContainsAny(s, ",;?!") && !strings.Contains(s, "@") {
			t.Errorf("zh-HK %q uses ASCII punctuation where Chinese takes full-width: %q", k, s)
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
}

func TestEveryTextRendersInBothLanguages(t *testing.T) {
	en := loadMessages(t, langEnglish)
	tr := newTranslator(langEnglish, slog.New(slog.DiscardHandler))
	for _, lang := range languages {
		tr.setLang(lang)
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
	tr.setLang(langEnglish)
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
	for _, ch := range []api.Channel{api.ChannelSMS, api.ChannelEmail} {
		for _, prefix := range []string{"step2.option", "step3.sent", "step3.switch"} {
			used[channelKey(ch, prefix)] = true
		}
	}
	for score := range 5 {
		used[strengthKey(score)] = true
	}
	for n := 1; n <= 4; n++ {
		used["chrome.step"+string(rune('0'+n))] = true
	}
	for _, rule := range []string{api.RuleTooCommon, api.RuleContainsIdentity, api.RuleTooShort, api.RuleTooLong,
		api.RuleNeedsLetter, api.RuleNeedsDigit, api.RuleHasWhitespace, api.RuleForbiddenChar} {
		used["refused."+rule] = true
	}
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
		// Keys held in variables before use ("rule.letter_digit").
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
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
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
	tr := newTranslator(langEnglish, slog.New(slog.DiscardHandler))
	seen := map[string]api.Code{}
	for _, code := range api.Codes() {
		key, ok := errorKeys[code]
		if !ok {
			t.Errorf("no message for %s", code)
			continue
		}
		for _, lang := range languages {
			tr.setLang(lang)
			m := tr.T(key, sampleData...)
			if other, dup := seen[lang+m]; dup {
				t.Errorf("%s and %s say the same in %s: %q", code, other, lang, m)
			}
			seen[lang+m] = code
		}
	}
	c := &controller{tr: newTranslator(langEnglish, slog.New(slog.DiscardHandler))}
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

func TestSupportedLanguage(t *testing.T) {
	tests := map[string]string{
		"": langEnglish, "en": langEnglish, "en-GB": langEnglish, "C": langEnglish,
		"zh": langChinese, "zh-HK": langChinese, "zh_HK": langChinese, "zh-Hant-HK": langChinese, "zh-TW": langChinese,
		"fr-FR": langEnglish,
	}
	for in, want := range tests {
		if got := supportedLang(in); got != want {
			t.Errorf("supportedLang(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestHelpTextInBothLanguages(t *testing.T) {
	s := DefaultSettings()
	for _, lang := range languages {
		md := helpText(lang, s)
		if strings.Contains(md, "{{") || !strings.Contains(md, "5") {
			t.Errorf("%s help is not filled in: %q", lang, md[:80])
		}
	}
	if !strings.Contains(helpText(langChinese, s), "第四步：更新密碼") {
		t.Error("the Chinese help is not in Chinese")
	}
}
