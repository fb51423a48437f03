package fonts

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/go-text/typesetting/font"

	"casreset/assets"
)

// TestEveryLanguageIsDrawnByAnEmbeddedFont fails when a language needs a
// font (it names some) that is not embedded, or when its texts gain a
// character its embedded faces lack: scripts/cjkfont.sh makes the faces
// again from the texts.
func TestEveryLanguageIsDrawnByAnEmbeddedFont(t *testing.T) {
	for _, l := range assets.Languages() {
		if len(l.Fonts) == 0 {
			continue
		}
		s, ok := For(l)
		if !ok {
			t.Errorf("%s: none of its fonts %v is embedded; add a subset of one to fonts.go and run scripts/cjkfont.sh", l.Tag, l.Fonts)
			continue
		}
		needed, err := Needed(l)
		if err != nil {
			t.Fatal(err)
		}
		for weight, data := range s.Faces() {
			face, err := font.ParseTTF(bytes.NewReader(data))
			if err != nil {
				t.Errorf("%s %s does not parse: %v", s.Family, weight, err)
				continue
			}
			family := s.Family
			if strings.HasPrefix(weight, "mono") {
				family = s.MonoFamily
			}
			if got := face.Describe(); font.NormalizeFamily(got.Family) != font.NormalizeFamily(family) {
				t.Errorf("the %s face of %s is of %q", weight, s.Family, got.Family)
			}
			var missing []string
			for _, r := range needed {
				if _, ok := face.NominalGlyph(r); !ok {
					missing = append(missing, fmt.Sprintf("%c (U+%04X)", r, r))
				}
			}
			if len(missing) > 0 {
				t.Errorf("%s: the %s %s face lacks %s; run scripts/cjkfont.sh", l.Tag, weight, s.Family, strings.Join(missing, ", "))
			}
		}
	}
}

// TestTheSubsetsAreSmall keeps the embedded faces to the characters the
// texts need: a subset that took in a whole script would add megabytes
// to the program and to its memory.
func TestTheSubsetsAreSmall(t *testing.T) {
	for _, s := range Subsets() {
		for weight, data := range s.Faces() {
			if len(data) > 400<<10 {
				t.Errorf("the %s %s face is %d KiB, more than 400 KiB", weight, s.Family, len(data)>>10)
			}
		}
	}
}

func TestNeededHasEveryTextsCharacters(t *testing.T) {
	l, ok := assets.Lookup("zh-HK")
	if !ok {
		t.Fatal("no zh-HK in the language table: this test reads its texts")
	}
	needed, err := Needed(l)
	if err != nil {
		t.Fatal(err)
	}
	has := map[rune]bool{}
	for _, r := range needed {
		has[r] = true
	}
	// From its name, a translation, the help, a message template and the
	// date format; and ASCII.
	for _, r := range "繁體密碼使用說明驗證碼年月日星期香港時間Az09@" {
		if !has[r] {
			t.Errorf("%c is not among the characters zh-HK needs", r)
		}
	}
}

func TestTranslationStrings(t *testing.T) {
	got, err := TranslationStrings([]byte(`{"b": "two", "a": {"other": "many", "one": "one"}}`))
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"one", "many", "two"}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("got %q, want %q", got, want)
	}
	if _, err := TranslationStrings([]byte(`{"a": 1}`)); err == nil {
		t.Error("a number was taken for a text")
	}
}

func TestLacksNamesWhatASubsetCannotDraw(t *testing.T) {
	hk, ok := For(assets.Language{Fonts: []string{"Noto Sans CJK HK"}})
	if !ok {
		t.Fatal("no Hong Kong subset")
	}
	if got := hk.Lacks("密碼 Password\n123"); len(got) != 0 {
		t.Errorf("lacks %q of its own texts", string(got))
	}
	if got := string(hk.Lacks("密龘碼龘鬱")); got != "龘鬱" {
		t.Errorf("lacks %q, want 龘鬱", got)
	}
}
