package shell

import (
	"bytes"
	"strings"
	"testing"
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"github.com/go-text/typesetting/font"

	"casreset/assets"
	"casreset/assets/fonts"
)

// noSystemFonts is a computer without the languages' fonts, as a Windows
// PC without its East Asian fonts is.
func noSystemFonts([]string) *faceFiles { return nil }

// TestEveryTextHasItsGlyphsWithoutSystemFonts draws, with the system's
// fonts hidden, every text of every language (each translation, the help
// page, the language's name) with the faces Fyne would draw it with (the
// theme's face for the language, then Fyne's own of the style) and finds
// a glyph for each character in one of them. A character that none has
// would show as a box; scripts/cjkfont.sh cuts the embedded faces again.
func TestEveryTextHasItsGlyphsWithoutSystemFonts(t *testing.T) {
	th := newAppTheme("en", nil)
	th.fonts.system = noSystemFonts
	for _, l := range assets.Languages() {
		th.loadFonts(l.Tag, true, func() {})
		lt := th.forLang(l.Tag)
		texts := languageTexts(t, l)
		for _, style := range []fyne.TextStyle{{}, {Bold: true}, {Monospace: true}} {
			fyneOwn := theme.DefaultTextFont()
			if style.Bold {
				fyneOwn = theme.DefaultTextBoldFont()
			}
			if style.Monospace {
				fyneOwn = theme.DefaultTextMonospaceFont()
			}
			var faces []*font.Face
			for _, res := range []fyne.Resource{lt.Font(style), fyneOwn} {
				face, err := font.ParseTTF(bytes.NewReader(res.Content()))
				if err != nil {
					t.Fatalf("%s: %s does not parse: %v", l.Tag, res.Name(), err)
				}
				faces = append(faces, face)
			}
			missing := map[rune]string{}
			for _, text := range texts {
				for _, r := range text {
					if unicode.IsControl(r) || unicode.IsSpace(r) || missing[r] != "" {
						continue
					}
					if !anyHasGlyph(faces, r) {
						missing[r] = text
					}
				}
			}
			for r, text := range missing {
				t.Errorf("%s (%+v): no glyph for %c (U+%04X) of %q; run scripts/cjkfont.sh", l.Tag, style, r, r, text)
			}
		}
	}
}

// TestChineseIsDrawnInTheEmbeddedFaces: with the wizard's default
// settings the Chinese languages are drawn in the embedded faces, never a
// system font's (tens of megabytes each), even where the system has one;
// a configured name with a character they lack brings the system font
// back, for its forms, where the system has one.
func TestChineseIsDrawnInTheEmbeddedFaces(t *testing.T) {
	for _, l := range assets.Languages() {
		sub, ok := fonts.For(l)
		if !ok {
			continue
		}
		th := newAppTheme(l.Tag, func(tag string) string { return ConfiguredTexts(DefaultSettings(), tag) })
		if th.fonts.load(l, true) {
			t.Errorf("%s: a system font was loaded", l.Tag)
		}
		for style, want := range map[fyne.TextStyle][]byte{
			{}: sub.Regular, {Bold: true}: sub.Bold,
			{Monospace: true}: sub.MonoRegular, {Monospace: true, Bold: true}: sub.MonoBold,
		} {
			if res := th.Font(style); !bytes.Equal(res.Content(), want) {
				t.Errorf("%s (%+v) is drawn in %s, not the embedded %s", l.Tag, style, res.Name(), sub.Family)
			}
		}
		if lacking := sub.Lacks(ConfiguredTexts(DefaultSettings(), l.Tag)); len(lacking) > 0 {
			t.Errorf("%s: the embedded %s lacks %q of the default settings; run scripts/cjkfont.sh", l.Tag, sub.Family, string(lacking))
		}

		odd := DefaultSettings()
		odd.OrganisationNames = map[string]string{l.Tag: "龘鬱學院"}
		th = newAppTheme(l.Tag, func(tag string) string { return ConfiguredTexts(odd, tag) })
		th.loadFonts(l.Tag, false, func() {})
		if files := findFaces(l.Fonts); files != nil {
			if res := th.Font(fyne.TextStyle{}); bytes.Equal(res.Content(), sub.Regular) {
				t.Errorf("%s: a name the embedded %s lacks is drawn in it, though the system has %s", l.Tag, sub.Family, files.family)
			}
		}

		// Without a system font, the embedded faces still: Fyne falls
		// back for the characters they lack.
		th = newAppTheme(l.Tag, func(tag string) string { return ConfiguredTexts(odd, tag) })
		th.fonts.system = noSystemFonts
		th.loadFonts(l.Tag, true, func() {})
		if res := th.Font(fyne.TextStyle{Bold: true}); res == nil || !bytes.Equal(res.Content(), sub.Bold) {
			t.Errorf("%s: without a system font, a name the embedded %s lacks leaves it unused", l.Tag, sub.Family)
		}
	}
}

// languageTexts are the texts l shows: its translations, help page and
// name (the language switch draws it in the language's font).
func languageTexts(t *testing.T, l assets.Language) []string {
	t.Helper()
	file, err := l.Translations()
	if err != nil {
		t.Fatal(err)
	}
	texts, err := fonts.TranslationStrings(file)
	if err != nil {
		t.Fatal(err)
	}
	help, err := l.Help()
	if err != nil {
		t.Fatal(err)
	}
	return append(append(texts, l.Name), strings.Split(string(help), "\n")...)
}

func anyHasGlyph(faces []*font.Face, r rune) bool {
	for _, f := range faces {
		if _, ok := f.NominalGlyph(r); ok {
			return true
		}
	}
	return false
}
