// Command fontsubsets tells scripts/cjkfont.sh what to cut out of the
// Noto Sans CJK collections in a directory: for each embedded family
// (casreset/assets/fonts), its monospaced sibling, and each weight, a
// line of the collection's path, the index of the family's face in it,
// the output file's name and the characters to keep (pyftsubset
// --unicodes), separated by tabs. The characters are those of the texts
// of every language drawn with the family (fonts.Needed) and of the
// wizard's default settings (the seed college's names), so that a wizard
// IT has not configured otherwise never needs a system font.
package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/go-text/typesetting/font"

	"casreset/assets"
	"casreset/assets/fonts"
	"casreset/ui/shell"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: fontsubsets DIR (of NotoSansCJK-Regular.ttc and NotoSansCJK-Bold.ttc)")
		os.Exit(2)
	}
	if err := run(os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, "fontsubsets:", err)
		os.Exit(1)
	}
}

func run(dir string) error {
	for _, s := range fonts.Subsets() {
		// Every language drawn with the family: each one's characters.
		var needed []rune
		for _, l := range assets.Languages() {
			if f, ok := fonts.For(l); !ok || f.Family != s.Family {
				continue
			}
			runes, err := fonts.Needed(l)
			if err != nil {
				return err
			}
			needed = append(needed, runes...)
			for _, r := range shell.ConfiguredTexts(shell.DefaultSettings(), l.Tag) {
				if r >= ' ' {
					needed = append(needed, r)
				}
			}
		}
		slices.Sort(needed)
		needed = slices.Compact(needed)
		if len(needed) == 0 {
			return fmt.Errorf("no language of the table is drawn with %s", s.Family)
		}
		codes := make([]string, len(needed))
		for i, r := range needed {
			codes[i] = fmt.Sprintf("U+%04X", r)
		}
		for _, face := range []struct{ family, file string }{{s.Family, s.File}, {s.MonoFamily, s.MonoFile}} {
			for _, weight := range []string{"Regular", "Bold"} {
				ttc := filepath.Join(dir, "NotoSansCJK-"+weight+".ttc")
				index, err := faceIndex(ttc, face.family)
				if err != nil {
					return err
				}
				fmt.Printf("%s\t%d\t%s-%s.subset.otf\t%s\n", ttc, index, face.file, weight, strings.Join(codes, ","))
			}
		}
	}
	return nil
}

// faceIndex is the index of family's face in the collection ttc.
func faceIndex(ttc, family string) (int, error) {
	data, err := os.ReadFile(ttc)
	if err != nil {
		return 0, err
	}
	faces, err := font.ParseTTC(bytes.NewReader(data))
	if err != nil {
		return 0, fmt.Errorf("%s: %w", ttc, err)
	}
	for i, f := range faces {
		if font.NormalizeFamily(f.Describe().Family) == font.NormalizeFamily(family) {
			return i, nil
		}
	}
	return 0, fmt.Errorf("%s has no face of %s", ttc, family)
}
