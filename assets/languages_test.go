package assets

import (
	"io/fs"
	"slices"
	"strings"
	"testing"
	"time"

	"casreset/api"
)

func TestEveryLanguageIsComplete(t *testing.T) {
	seen := map[string]bool{}
	for _, l := range Languages() {
		if seen[strings.ToLower(l.Tag)] {
			t.Errorf("%s is in the table twice", l.Tag)
		}
		seen[strings.ToLower(l.Tag)] = true
		if l.Name == "" || l.EnglishName == "" || len(l.Script) != 4 || len(l.Audio) == 0 {
			t.Errorf("%s lacks its name, English name, script or audio language: %+v", l.Tag, l)
		}
		for _, audio := range l.Audio {
			if !slices.Contains(api.AudioLanguages, audio) {
				t.Errorf("%s: the audio CAPTCHA does not speak %q (it speaks %v)", l.Tag, audio, api.AudioLanguages)
			}
		}
		if l.Script != "Latn" && len(l.Fonts) == 0 {
			t.Errorf("%s is written in %s but names no font for it", l.Tag, l.Script)
		}
		if _, err := l.Translations(); err != nil {
			t.Errorf("%s: %v", l.Tag, err)
		}
		if _, err := l.Help(); err != nil {
			t.Errorf("%s: %v", l.Tag, err)
		}
		if dir, err := l.Messages(); err != nil {
			t.Errorf("%s: %v", l.Tag, err)
		} else if files, err := fs.ReadDir(dir, "."); err != nil || len(files) == 0 {
			t.Errorf("%s has no messages: %v", l.Tag, err)
		}
		for _, f := range []Formats{l.Formats} {
			if f.DateTime == "" || f.SMSTime == "" || f.SMSDateTime == "" {
				t.Errorf("%s lacks a time format", l.Tag)
			}
			if f.Colon == "" {
				t.Errorf("%s lacks the colon after a name", l.Tag)
			}
		}
	}
	// Every file belongs to a language of the table.
	for _, dir := range []struct {
		fsys fs.FS
		name string
		ext  string
	}{{Translations, TranslationsDir, ".json"}, {Help, HelpDir, ".md"}, {Messages, MessagesDir, ""}} {
		entries, err := fs.ReadDir(dir.fsys, dir.name)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			if _, ok := Lookup(strings.TrimSuffix(e.Name(), dir.ext)); !ok {
				t.Errorf("%s/%s is of no language of the table", dir.name, e.Name())
			}
		}
	}
}

func TestMatchFindsTheBestLanguage(t *testing.T) {
	def := Default().Tag
	tests := map[string]string{
		"": def, "C": def, "POSIX": def, "fr-FR": def, "en": "en", "en-GB": "en", "en_US.UTF-8": "en",
		"zh-HK": "zh-HK", "zh_HK": "zh-HK", "ZH-hk": "zh-HK", "zh-Hant-HK": "zh-HK", "zh-TW": "zh-HK",
		"zh_HK.UTF-8": "zh-HK", "zh_TW.Big5@stroke": "zh-HK", "zhx": def,
	}
	for in, want := range tests {
		if got := Match(in).Tag; got != want {
			t.Errorf("Match(%q) = %q, want %q", in, got, want)
		}
	}
	for _, l := range Languages() {
		for _, tag := range append([]string{l.Tag, strings.ToLower(l.Tag), strings.ReplaceAll(l.Tag, "-", "_")}, l.Also...) {
			if got := Match(tag).Tag; got != l.Tag {
				t.Errorf("Match(%q) = %q, want %q", tag, got, l.Tag)
			}
		}
		if got, ok := Lookup(strings.ToUpper(l.Tag)); !ok || got.Tag != l.Tag {
			t.Errorf("Lookup(%q) = %q, %v", strings.ToUpper(l.Tag), got.Tag, ok)
		}
	}
	if _, ok := Lookup("zh"); ok {
		t.Error("Lookup takes a prefix for a tag")
	}
}

func TestFitSaysWhetherALanguageFits(t *testing.T) {
	for in, want := range map[string]string{"zh-TW": "zh-HK", "zh-CN": "zh-Hans", "en-GB": "en", "zh": "zh-HK"} {
		if got, ok := Fit(in); !ok || got.Tag != want {
			t.Errorf("Fit(%q) = %q, %v; want %q, true", in, got.Tag, ok, want)
		}
	}
	for _, in := range []string{"fr", "de-CH", "", "zhx"} {
		if got, ok := Fit(in); ok || got.Tag != Default().Tag {
			t.Errorf("Fit(%q) = %q, %v; want the default and false", in, got.Tag, ok)
		}
	}
}

func TestWellFormedTakesLanguageTagsOnly(t *testing.T) {
	for _, tag := range append(Tags(), "yue", "zh-Hant-TW", "en-GB", "EN-gb", "fr", "tlh", "de-CH-1996", "sgn-BE-FR") {
		if !WellFormed(tag) {
			t.Errorf("WellFormed(%q) = false, want true", tag)
		}
	}
	for _, tag := range []string{
		"", "e", "zh_HK", "zh-", "-zh", "zh--HK", "zh HK", "en\n", "1en", "中文",
		"zh-HK.UTF-8", "abcdefghi", "en-abcdefghi", strings.Repeat("en-", 12) + "en", "zh-HK\x00",
	} {
		if WellFormed(tag) {
			t.Errorf("WellFormed(%q) = true, want false", tag)
		}
	}
}

func TestNameInFallsBackToTheDefault(t *testing.T) {
	names := map[string]string{"zh-HK": "香港大學專業進修學院"}
	if got := NameIn(names, "zh-HK", "HKU SPACE"); got != "香港大學專業進修學院" {
		t.Errorf("own name: %q", got)
	}
	if got := NameIn(names, "en", "HKU SPACE"); got != "HKU SPACE" {
		t.Errorf("default: %q", got)
	}
	if got := NameIn(nil, "zh-HK", "HKU SPACE"); got != "HKU SPACE" {
		t.Errorf("no names: %q", got)
	}
	for _, l := range Languages() {
		if got := NameIn(names, l.Tag, "HKU SPACE"); l.Tag != "zh-HK" && got != "HKU SPACE" {
			t.Errorf("%s takes the name of another language: %q", l.Tag, got)
		}
	}
}

func TestTimesAndNumbersInEachLanguage(t *testing.T) {
	hk := time.FixedZone("HKT", 8*3600)
	at := time.Date(2025, 3, 14, 15, 42, 0, 0, hk)
	en, _ := Lookup("en")
	zh, _ := Lookup("zh-HK")
	tests := []struct{ got, want string }{
		{en.DateTime(at), "15:42 on Friday 14 March 2025 (Hong Kong time)"},
		{en.DateTime(at.UTC()), "07:42 on Friday 14 March 2025 (UTC)"},
		{en.SMSTime(at), "15:42 HKT"},
		{en.SMSDateTime(at), "14 Mar 15:42 HKT"},
		{zh.DateTime(at), "2025年3月14日（星期五）15:42（香港時間）"},
		{zh.DateTime(at.UTC()), "2025年3月14日（星期五）07:42（UTC）"},
		{zh.SMSTime(at), "15:42"},
		{zh.SMSDateTime(at), "3月14日15:42"},
		{en.Number(0), "0"}, {en.Number(999), "999"}, {en.Number(1000), "1,000"},
		{en.Number(1234567), "1,234,567"}, {en.Number(-12345), "-12,345"},
		{Language{}.Number(12345), "12345"},
		{en.Countdown(9*time.Minute + 57*time.Second + time.Millisecond), "9:58"},
		{en.Countdown(58 * time.Second), "0:58"}, {en.Countdown(-time.Second), "0:00"},
		{zh.Countdown(9*time.Minute + 58*time.Second), "9分58秒"},
		{zh.Countdown(10*time.Minute + 5*time.Second), "10分05秒"},
		{zh.Countdown(58 * time.Second), "58秒"}, {zh.Countdown(0), "0秒"},
		{en.Count(4), "4"}, {zh.Count(1), "一"}, {zh.Count(4), "四"}, {zh.Count(10), "十"}, {zh.Count(11), "11"},
		{Formats{}.format("{unknown} 15:04 {weekday}", at), "{unknown} 15:42 Friday"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
	for _, l := range Languages() {
		if l.Formats.MinSec == "" || strings.Contains(l.Countdown(time.Minute), "%!") {
			t.Errorf("%s writes a minute left as %q", l.Tag, l.Countdown(time.Minute))
		}
		for _, s := range []string{l.DateTime(at), l.SMSTime(at), l.SMSDateTime(at)} {
			if !strings.Contains(s, "15:42") || strings.ContainsAny(s, "{}") {
				t.Errorf("%s writes %q", l.Tag, s)
			}
		}
	}
}
