// Package fonts holds subsets of Noto Sans CJK that draw every character
// the wizard shows in the languages of the table, in the glyph forms their
// readers expect: for computers that have no such font (a Windows PC
// without its East Asian fonts draws every Chinese character as a box).
//
// The fonts are under the SIL Open Font License 1.1 (OFL.txt beside them);
// scripts/cjkfont.sh makes them from Debian's fonts-noto-cjk with
// pyftsubset. A language is drawn with the first of its fonts
// (assets.Language.Fonts) that is embedded here.
package fonts

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"maps"
	"slices"
	"strings"
	"sync"
	"unicode"

	"github.com/go-text/typesetting/font"

	"casreset/assets"
)

var (
	//go:embed NotoSansCJKhk-Regular.subset.otf
	hkRegular []byte
	//go:embed NotoSansCJKhk-Bold.subset.otf
	hkBold []byte
	//go:embed NotoSansCJKsc-Regular.subset.otf
	scRegular []byte
	//go:embed NotoSansCJKsc-Bold.subset.otf
	scBold []byte
	//go:embed NotoSansMonoCJKhk-Regular.subset.otf
	hkMonoRegular []byte
	//go:embed NotoSansMonoCJKhk-Bold.subset.otf
	hkMonoBold []byte
	//go:embed NotoSansMonoCJKsc-Regular.subset.otf
	scMonoRegular []byte
	//go:embed NotoSansMonoCJKsc-Bold.subset.otf
	scMonoBold []byte
)

// Subset is one embedded family: its regular and bold faces, and those of
// its monospaced sibling, each a standalone OpenType (CFF) file.
type Subset struct {
	// Family is the name of the font it was cut from ("Noto Sans CJK HK"),
	// as assets.Language.Fonts names it; MonoFamily its monospaced
	// sibling's, whose Latin letters and digits all have one width (the
	// wizard's code and password fields, whose hints are in the language).
	Family, MonoFamily string
	// File and MonoFile are the start of the faces' file names, for
	// scripts/cjkfont.sh.
	File, MonoFile        string
	Regular, Bold         []byte
	MonoRegular, MonoBold []byte

	cmap *coverage // shared by the copies of the subset
}

// coverage is the set of characters a subset draws, read once.
type coverage struct {
	once  sync.Once
	runes map[rune]bool
}

// subsets are the embedded families. Hong Kong and mainland forms differ
// in about a third of the characters the wizard shows (and in where the
// full stop and comma sit), so each script has its own.
var subsets = []Subset{
	{
		Family: "Noto Sans CJK HK", File: "NotoSansCJKhk", Regular: hkRegular, Bold: hkBold,
		MonoFamily: "Noto Sans Mono CJK HK", MonoFile: "NotoSansMonoCJKhk", MonoRegular: hkMonoRegular, MonoBold: hkMonoBold,
		cmap: &coverage{},
	},
	{
		Family: "Noto Sans CJK SC", File: "NotoSansCJKsc", Regular: scRegular, Bold: scBold,
		MonoFamily: "Noto Sans Mono CJK SC", MonoFile: "NotoSansMonoCJKsc", MonoRegular: scMonoRegular, MonoBold: scMonoBold,
		cmap: &coverage{},
	},
}

// Subsets returns the embedded families.
func Subsets() []Subset { return slices.Clone(subsets) }

// For returns the embedded family that draws l: the first of l's fonts
// that is embedded; false when none is (a language of the wizard's own
// Latin font names no fonts).
func For(l assets.Language) (Subset, bool) {
	for _, family := range l.Fonts {
		for _, s := range subsets {
			if strings.EqualFold(s.Family, family) {
				return s, true
			}
		}
	}
	return Subset{}, false
}

// Faces are the subset's faces by name ("regular", "bold", "mono
// regular", "mono bold"), for tests.
func (s Subset) Faces() map[string][]byte {
	return map[string][]byte{"regular": s.Regular, "bold": s.Bold, "mono regular": s.MonoRegular, "mono bold": s.MonoBold}
}

// Lacks returns the characters of text, other than controls and spaces,
// that one of s's faces does not draw, in the order they come.
func (s Subset) Lacks(text string) []rune {
	s.cmap.once.Do(func() {
		s.cmap.runes = map[rune]bool{}
		var faces []*font.Face
		for _, data := range s.Faces() {
			f, err := font.ParseTTF(bytes.NewReader(data))
			if err != nil {
				return // draws nothing: every character is lacking
			}
			faces = append(faces, f)
		}
		iter := faces[0].Cmap.Iter()
	chars:
		for iter.Next() {
			r, _ := iter.Char()
			for _, f := range faces[1:] {
				if _, ok := f.NominalGlyph(r); !ok {
					continue chars
				}
			}
			s.cmap.runes[r] = true
		}
	})
	var lacking []rune
	for _, r := range text {
		if !s.cmap.runes[r] && !unicode.IsControl(r) && !unicode.IsSpace(r) && !slices.Contains(lacking, r) {
			lacking = append(lacking, r)
		}
	}
	return lacking
}

// Needed returns the characters, sorted, that l's font must draw: those
// of its wizard texts, help page and messages (the Demo inbox shows
// them), its own name (the language switch draws it in its font), how it
// writes dates, and printable ASCII (staff numbers, codes, addresses and
// Latin words in its sentences).
func Needed(l assets.Language) ([]rune, error) {
	seen := map[rune]bool{}
	add := func(s string) {
		for _, r := range s {
			if r >= ' ' {
				seen[r] = true
			}
		}
	}
	for r := rune(' '); r <= '~'; r++ {
		seen[r] = true
	}
	texts, err := l.Translations()
	if err != nil {
		return nil, err
	}
	strs, err := TranslationStrings(texts)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", l.Tag, err)
	}
	for _, s := range strs {
		add(s)
	}
	help, err := l.Help()
	if err != nil {
		return nil, err
	}
	add(string(help))
	messages, err := l.Messages()
	if err != nil {
		return nil, err
	}
	err = fs.WalkDir(messages, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(messages, name)
		add(string(b))
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("%s messages: %w", l.Tag, err)
	}
	add(l.Name)
	f := l.Formats
	add(f.DateTime + f.SMSTime + f.SMSDateTime + f.Group)
	if f.Weekdays != nil {
		add(strings.Join(f.Weekdays[:], ""))
	}
	for _, z := range f.Zones {
		add(z)
	}
	out := make([]rune, 0, len(seen))
	for r := range seen {
		out = append(out, r)
	}
	slices.Sort(out)
	return out, nil
}

// TranslationStrings returns every text of a translation file (go-i18n
// JSON: key → text, or key → plural forms → text), sorted by key and form.
func TranslationStrings(file []byte) ([]string, error) {
	var entries map[string]json.RawMessage
	if err := json.Unmarshal(file, &entries); err != nil {
		return nil, err
	}
	var out []string
	for _, k := range slices.Sorted(maps.Keys(entries)) {
		var s string
		if json.Unmarshal(entries[k], &s) == nil {
			out = append(out, s)
			continue
		}
		var forms map[string]string
		if err := json.Unmarshal(entries[k], &forms); err != nil {
			return nil, fmt.Errorf("%s is neither a text nor plural forms", k)
		}
		for _, form := range slices.Sorted(maps.Keys(forms)) {
			out = append(out, forms[form])
		}
	}
	return out, nil
}
