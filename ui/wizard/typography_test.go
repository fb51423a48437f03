package wizard

import (
	"log/slog"
	"sort"
	"strings"
	"testing"
	"time"
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"casreset/api"
	"casreset/assets"
	"casreset/ui"
	"casreset/ui/shell"
)

// TestChineseCountsAndTimesInTheChineseStyle: step 3's countdown reads
// "9分59秒" in Chinese, not "9:59", and the header counts the steps in
// words as the step titles do (第三步（共四步）beside 第三步：…).
func TestChineseCountsAndTimesInTheChineseStyle(t *testing.T) {
	e := newEnv(t)
	s3 := e.toStep3(acctBoth.StaffNumber, api.ChannelSMS)
	e.tick(time.Second)
	tests := []struct{ lang, stepOf, countdown, late string }{
		{langEnglish, "Step 3 of 4", "The code expires in 9:59.", "The code expires in 0:01."},
		{langChinese, "第三步（共四步）", "驗證碼將於9分59秒後過期。", "驗證碼將於1秒後過期。"},
		{"zh-Hans", "第三步（共四步）", "", ""},
	}
	for _, tt := range tests {
		e.chooseLanguage(tt.lang)
		if got := e.c.steps.stepOf.Text; got != tt.stepOf {
			t.Errorf("%s: the header counts %q, want %q", tt.lang, got, tt.stepOf)
		}
		if tt.countdown != "" && s3.countdown.Text != tt.countdown {
			t.Errorf("%s: countdown %q, want %q", tt.lang, s3.countdown.Text, tt.countdown)
		}
	}
	e.chooseLanguage(langChinese)
	e.tick(9*time.Minute + 58*time.Second)
	if want := tests[1].late; s3.countdown.Text != want {
		t.Errorf("a second left: %q, want %q", s3.countdown.Text, want)
	}
}

// TestTheCopyrightLineIsInTheScreensLanguage: the footer shows the line
// of the language on screen, and the line of every language where one
// has none of its own.
func TestTheCopyrightLineIsInTheScreensLanguage(t *testing.T) {
	e := newEnv(t, withSettings(func() shell.Settings {
		s := shell.DefaultSettings()
		s.Copyright = "Copyright © 2026 X College."
		s.Copyrights = map[string]string{"zh-HK": "版權所有 © 2026 X 學院"}
		return s
	}()))
	for _, tt := range []struct{ lang, want string }{
		{langEnglish, "Copyright © 2026 X College."},
		{langChinese, "版權所有 © 2026 X 學院"},
		{"zh-Hans", "Copyright © 2026 X College."},
	} {
		e.chooseLanguage(tt.lang)
		if got := e.c.shell.Copyright(); got != tt.want {
			t.Errorf("%s: the footer reads %q, want %q", tt.lang, got, tt.want)
		}
	}
	for _, l := range assets.Languages() {
		if l.Tag != assets.Default().Tag && shell.DefaultSettings().Copyrights[l.Tag] == "" {
			t.Errorf("the built-in settings have no copyright line in %s", l.Tag)
		}
	}
}

// chineseTexts are every text of the translations written in Han
// characters, filled with sample data, by language.
func chineseTexts(t *testing.T) map[string][]string {
	t.Helper()
	tr := shell.NewTranslator(langEnglish, slog.New(slog.DiscardHandler))
	out := map[string][]string{}
	for _, l := range assets.Languages() {
		if l.Script != "Hant" && l.Script != "Hans" {
			continue
		}
		tr.SetLang(l.Tag)
		for k, v := range loadMessages(t, l.Tag) {
			if fyneKey(k) {
				continue
			}
			if _, plural := v.(map[string]any); plural {
				out[l.Tag] = append(out[l.Tag], tr.N(k, 5, sampleData...))
			} else {
				out[l.Tag] = append(out[l.Tag], tr.T(k, sampleData...))
			}
		}
		sort.Strings(out[l.Tag])
	}
	return out
}

// drawnLines lays obj out at width and returns the lines of text it
// draws, as Fyne draws them.
func drawnLines(obj fyne.CanvasObject, width float32) []string {
	obj.Resize(fyne.NewSize(width, obj.MinSize().Height))
	obj.Resize(fyne.NewSize(width, obj.MinSize().Height)) // with the height its lines need
	var lines []string
	for _, o := range test.LaidOutObjects(obj) {
		if txt, ok := o.(*canvas.Text); ok && o.Visible() && txt.Text != "" {
			lines = append(lines, txt.Text)
		}
	}
	return lines
}

// The punctuation that may not start a line of Chinese, and that may not
// end one.
const (
	closingPunctuation = "。，、；：？！」』）"
	openingPunctuation = "「『（"
)

// badLineStarts finds the lines that start with closing punctuation or
// end, before another line, with opening punctuation.
func badLineStarts(lines []string) []string {
	var bad []string
	for i, line := range lines {
		r := []rune(line)
		if i > 0 && strings.ContainsRune(closingPunctuation, r[0]) || strings.ContainsRune(openingPunctuation, r[len(r)-1]) && i < len(lines)-1 {
			bad = append(bad, line)
		}
	}
	return bad
}

// TestNoChineseLineStartsWithClosingPunctuation lays out every Chinese
// text of the translations in the wizard's wrapping label at several
// widths, as narrow as a checklist line in a small window, and finds no
// line that starts with closing punctuation (。，、；：？！」』）…) or
// ends with opening punctuation, and no character lost or added. The same
// texts in Fyne's own wrapping Label do break so, or the test would prove
// nothing.
func TestNoChineseLineStartsWithClosingPunctuation(t *testing.T) {
	test.NewTempApp(t)
	widths := []float32{120, 170, 230, 300, 410, 560}
	fyneBad := 0
	for lang, texts := range chineseTexts(t) {
		for _, text := range texts {
			for _, width := range widths {
				l := ui.NewWrapLabel()
				l.SetText(text)
				lines := drawnLines(l, width)
				if bad := badLineStarts(lines); len(bad) > 0 {
					t.Errorf("%s at %v px: %q breaks into\n%s", lang, width, text, strings.Join(lines, "\n"))
				}
				if got := strings.Join(lines, ""); removeSpace(got) != removeSpace(strings.ReplaceAll(text, "\n", "")) {
					t.Errorf("%s at %v px: %q is drawn as %q", lang, width, text, got)
				}
				if l.Text != text {
					t.Errorf("the label's Text became %q", l.Text)
				}

				plain := widget.NewLabel(text)
				plain.Wrapping = fyne.TextWrapWord
				fyneBad += len(badLineStarts(drawnLines(plain, width)))
			}
		}
	}
	if fyneBad == 0 {
		t.Error("Fyne's own Label broke no Chinese line before punctuation: this test cannot tell the wrapping label from it")
	}
}

func removeSpace(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}
