package assets

import (
	"fmt"
	"io/fs"
	"path"
	"strconv"
	"strings"
	"time"
)

// languages is the table of the languages casreset and resetd speak, one
// row each, the default first. A language is this row and its files:
// translations/TAG.json (the wizard's texts), help/TAG.md (the "how to
// use" page) and messages/TAG/ (the SMS and e-mail texts). Nothing else
// in the code names a language.
var languages = []Language{
	{
		Tag:         "en",
		Name:        "English",
		EnglishName: "English",
		Script:      "Latn",
		Audio:       []string{"en"},
		Formats: Formats{
			DateTime:    "15:04 on Monday 2 January 2006 ({zone})",
			SMSTime:     "15:04 MST",
			SMSDateTime: "2 Jan 15:04 MST",
			Zones:       map[string]string{"HKT": "Hong Kong time"},
			Group:       ",",
			MinSec:      "%d:%02d",
			Colon:       ": ",
		},
	},
	{
		Tag:         "zh-HK",
		Name:        "繁體中文",
		EnglishName: "Traditional Chinese (Hong Kong)",
		Script:      "Hant",
		// Any other Chinese too: the college is in Hong Kong.
		Also: []string{"zh"},
		Fonts: []string{
			"Noto Sans CJK HK", "Noto Sans HK", "Source Han Sans HK",
			"Microsoft JhengHei UI", "Microsoft JhengHei", "PingFang HK",
			"Noto Sans CJK TC", "Noto Sans TC", "Source Han Sans TC", "PingFang TC",
		},
		// Cantonese, with Putonghua beside it.
		Audio: []string{"yue", "zh"},
		Formats: Formats{
			DateTime:    "2006年1月2日（{weekday}）15:04（{zone}）",
			SMSTime:     "15:04", // no room for the zone, and the readers are in it
			SMSDateTime: "1月2日15:04",
			Weekdays:    chineseWeekdays,
			Zones:       map[string]string{"HKT": "香港時間"},
			Group:       ",",
			MinSec:      "%d分%02d秒",
			Sec:         "%d秒",
			Numerals:    chineseNumerals,
			Colon:       "：",
		},
	},
	{
		Tag:         "zh-Hans",
		Name:        "简体中文",
		EnglishName: "Simplified Chinese",
		Script:      "Hans",
		// The mainland, Singapore and Malaysia write Simplified.
		Also: []string{"zh-CN", "zh-SG", "zh-MY"},
		Fonts: []string{
			"Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Source Han Sans CN",
			"Microsoft YaHei UI", "Microsoft YaHei", "PingFang SC",
		},
		Audio: []string{"zh", "yue"}, // Putonghua, with Cantonese beside it
		Formats: Formats{
			DateTime:    "2006年1月2日（{weekday}）15:04（{zone}）",
			SMSTime:     "15:04",
			SMSDateTime: "1月2日15:04",
			Weekdays:    chineseWeekdays,
			Zones:       map[string]string{"HKT": "香港时间"},
			Group:       ",",
			MinSec:      "%d分%02d秒",
			Sec:         "%d秒",
			Numerals:    chineseNumerals,
			Colon:       "：",
		},
	},
}

// chineseNumerals are the same in both scripts.
var chineseNumerals = []string{"〇", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十"}

// chineseWeekdays are the same in both scripts.
var chineseWeekdays = &[7]string{"星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"}

// Language is one language of the table.
type Language struct {
	// Tag is the BCP 47 tag: the value of --lang, language = and
	// --sms-lang, the key of names given per language, and the name of
	// the language's files.
	Tag string
	// Name is the language's name in itself, as the language switch
	// shows it; EnglishName names it for IT.
	Name, EnglishName string
	// Script is the ISO 15924 code of the script it is written in:
	// "Latn", "Hant" (Traditional Chinese), "Hans" (Simplified).
	Script string
	// Also are other tags (and their subtags) for which this language is
	// the best fit, e.g. "zh-CN" for Simplified Chinese; see Match.
	Also []string
	// Fonts are font families with the glyph forms its readers expect,
	// best first; the wizard draws the language with the first one it
	// carries (assets/fonts), or, when what IT configured needs a
	// character that one lacks, the first one the computer has. Empty:
	// the wizard's own font (Latin).
	Fonts []string
	// Audio are the languages of the audio CAPTCHA that suit its
	// readers, best first (GET /v1/captchas/{id}/audio.wav?lang=).
	Audio []string
	// Formats write its times and numbers.
	Formats Formats
}

// Formats are how a language writes times and numbers.
//
// Layouts are Go time layouts (reference time Mon Jan 2 15:04:05 MST
// 2006) in which {weekday} stands for the day's name in Weekdays and
// {zone} for the time zone's name in Zones.
type Formats struct {
	// DateTime is a moment in full, as e-mails give it.
	DateTime string
	// SMSTime is a time of today, as an SMS gives it; SMSDateTime a
	// moment of these days.
	SMSTime, SMSDateTime string
	// Weekdays name the days, Sunday first; nil: Go's English names.
	Weekdays *[7]string
	// Zones name time zones by their abbreviation ("HKT"); any other
	// zone is named by its abbreviation.
	Zones map[string]string
	// Group separates groups of three digits in numbers ("12,345").
	Group string
	// MinSec writes a time left of a minute or more from its minutes
	// and seconds ("9:58", "9分58秒"); Sec one under a minute from its
	// seconds ("58秒"), or, when empty, MinSec does with 0 minutes.
	// fmt layouts.
	MinSec, Sec string
	// Numerals are the small counts in words, from 0 ("〇", "一", "二"),
	// as a counter writes them ("第四步"); nil: digits.
	Numerals []string
	// Colon follows a name that heads a line, as the organisation's
	// heads an e-mail's subject: ": " in English, the full-width "："
	// (no space) in Chinese.
	Colon string
}

// Languages returns the table, the default language first.
func Languages() []Language {
	out := make([]Language, len(languages))
	copy(out, languages)
	return out
}

// Default is the language of the table's first row: what is spoken when
// nothing else is asked for or fits.
func Default() Language { return languages[0] }

// Tags lists the languages' tags in the table's order.
func Tags() []string {
	tags := make([]string, len(languages))
	for i, l := range languages {
		tags[i] = l.Tag
	}
	return tags
}

// Lookup returns the language whose tag is tag, in any letter case and
// with _ for -; false when the table has none.
func Lookup(tag string) (Language, bool) {
	t := normalTag(tag)
	for _, l := range languages {
		if normalTag(l.Tag) == t {
			return l, true
		}
	}
	return Language{}, false
}

// Match returns the language that best fits any tag or POSIX locale
// ("zh_CN.UTF-8", "en-GB", "zh-Hant-TW"): the one whose Tag or Also is
// the longest prefix of it, in whole subtags, else Default.
func Match(tag string) Language {
	l, _ := Fit(tag)
	return l
}

// Fit is Match that also reports whether a language of the table fits
// tag; when none does it returns Default and false.
func Fit(tag string) (Language, bool) {
	t := normalTag(tag)
	best, bestLen := Default(), 0
	for _, l := range languages {
		for _, p := range append([]string{l.Tag}, l.Also...) {
			p = normalTag(p)
			if (t == p || strings.HasPrefix(t, p+"-")) && len(p) > bestLen {
				best, bestLen = l, len(p)
			}
		}
	}
	return best, bestLen > 0
}

// MaxTagLength is the longest language tag a request may carry: the 35
// characters RFC 5646 (section 4.4.1) asks every implementation to keep.
const MaxTagLength = 35

// WellFormed reports whether tag is written as a BCP 47 language tag is
// on the wire ("en", "zh-HK", "zh-Hant-TW", "yue"): subtags of ASCII
// letters and digits, one to eight each, joined by "-", the first two to
// eight letters, MaxTagLength characters at most. It checks the form
// only: whether a language of the table fits is Fit's question.
func WellFormed(tag string) bool {
	if tag == "" || len(tag) > MaxTagLength {
		return false
	}
	for i, sub := range strings.Split(tag, "-") {
		if len(sub) < 1 || len(sub) > 8 || i == 0 && len(sub) < 2 {
			return false
		}
		for _, r := range sub {
			letter := 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z'
			if !letter && (i == 0 || r < '0' || r > '9') {
				return false
			}
		}
	}
	return true
}

// normalTag is tag in lower case with - between subtags, without a
// POSIX locale's encoding (.UTF-8) or modifier (@euro).
func normalTag(tag string) string {
	if i := strings.IndexAny(tag, ".@"); i >= 0 {
		tag = tag[:i]
	}
	return strings.ToLower(strings.ReplaceAll(strings.TrimSpace(tag), "_", "-"))
}

// Base is the tag's language subtag: "zh" for "zh-HK" and "zh-Hans".
func (l Language) Base() string {
	base, _, _ := strings.Cut(l.Tag, "-")
	return strings.ToLower(base)
}

// Translations returns the wizard's texts in the language: go-i18n JSON,
// key → text or key → plural forms.
func (l Language) Translations() ([]byte, error) {
	return fs.ReadFile(Translations, path.Join(TranslationsDir, l.Tag+".json"))
}

// Help returns the "how to use" page in the language: a Go template of
// Markdown.
func (l Language) Help() ([]byte, error) {
	return fs.ReadFile(Help, path.Join(HelpDir, l.Tag+".md"))
}

// Messages returns the directory of the language's message templates.
func (l Language) Messages() (fs.FS, error) {
	return fs.Sub(Messages, path.Join(MessagesDir, l.Tag))
}

// NameIn returns the name for the language tag from names given per
// language: its own, else def (the name every language shows). Not the
// name in a language of the same base: a Traditional Chinese name in a
// Simplified Chinese sentence reads worse than the English one.
func NameIn(names map[string]string, tag, def string) string {
	if n := names[tag]; n != "" {
		return n
	}
	return def
}

// DateTime writes t in full, as e-mails give it.
func (l Language) DateTime(t time.Time) string { return l.Formats.format(l.Formats.DateTime, t) }

// SMSTime writes the time of day of t, as an SMS gives it.
func (l Language) SMSTime(t time.Time) string { return l.Formats.format(l.Formats.SMSTime, t) }

// SMSDateTime writes the day and time of t, as an SMS gives it.
func (l Language) SMSDateTime(t time.Time) string {
	return l.Formats.format(l.Formats.SMSDateTime, t)
}

// format writes t by layout, filling in {weekday} and {zone}.
func (f Formats) format(layout string, t time.Time) string {
	var b strings.Builder
	for layout != "" {
		open := strings.IndexByte(layout, '{')
		end := strings.IndexByte(layout[max(open, 0):], '}')
		if open < 0 || end < 0 {
			b.WriteString(t.Format(layout))
			break
		}
		end += open
		b.WriteString(t.Format(layout[:open]))
		switch name := layout[open+1 : end]; name {
		case "weekday":
			if f.Weekdays != nil {
				b.WriteString(f.Weekdays[t.Weekday()])
			} else {
				b.WriteString(t.Weekday().String())
			}
		case "zone":
			abbr := t.Format("MST")
			if z := f.Zones[abbr]; z != "" {
				abbr = z
			}
			b.WriteString(abbr)
		default:
			b.WriteString(layout[open : end+1])
		}
		layout = layout[end+1:]
	}
	return b.String()
}

// Countdown writes the time d that is left, rounded up to the second and
// never below zero: "9:58" in English, "9分58秒" and "58秒" in Chinese.
func (l Language) Countdown(d time.Duration) string {
	secs := max(0, int((d+time.Second-1)/time.Second))
	if secs < 60 && l.Formats.Sec != "" {
		return fmt.Sprintf(l.Formats.Sec, secs)
	}
	return fmt.Sprintf(l.Formats.MinSec, secs/60, secs%60)
}

// Count writes a small count as the language counts steps: in words
// where it has them ("四" in 第四步), else in digits.
func (l Language) Count(n int) string {
	if n >= 0 && n < len(l.Formats.Numerals) {
		return l.Formats.Numerals[n]
	}
	return l.Number(int64(n))
}

// Number writes n with its digits grouped in threes.
func (l Language) Number(n int64) string {
	s := strconv.FormatInt(n, 10)
	sign := ""
	if n < 0 {
		sign, s = "-", s[1:]
	}
	if l.Formats.Group == "" || len(s) <= 3 {
		return sign + s
	}
	var b strings.Builder
	b.WriteString(sign)
	head := len(s) % 3
	if head > 0 {
		b.WriteString(s[:head])
	}
	for i := head; i < len(s); i += 3 {
		if i > 0 {
			b.WriteString(l.Formats.Group)
		}
		b.WriteString(s[i : i+3])
	}
	return b.String()
}
