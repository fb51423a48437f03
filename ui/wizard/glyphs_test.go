package wizard

import (
	"bytes"
	"testing"
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/go-text/typesetting/font"

	"casreset/assets"
	"casreset/assets/fonts"
	"casreset/ui/shell"
	"casreset/ui/uitest"
)

// TestEveryScreenHasItsGlyphsInTheEmbeddedFonts shows every screen in
// every language with the wizard's theme and finds a glyph for each
// character of each text on it in the faces Fyne draws it with: the
// theme's for the language, which are the embedded ones (ui/shell's
// TestChineseIsDrawnInTheEmbeddedFaces), or for a language's name in the
// switch that language's embedded ones; then Fyne's own. So no screen
// needs a system font.
func TestEveryScreenHasItsGlyphsInTheEmbeddedFonts(t *testing.T) {
	fyneOwn := parseFaces(t, theme.DefaultTextFont(), theme.DefaultTextBoldFont(), theme.DefaultTextMonospaceFont(), theme.DefaultSymbolFont())
	for _, l := range assets.Languages() {
		for _, name := range PreviewScreens {
			t.Run(name+"_"+l.Tag, func(t *testing.T) {
				a := test.NewTempApp(t)
				s := shell.DefaultSettings()
				s.Language = l.Tag
				shell.UseTheme(a, s)
				th := a.Settings().Theme()
				w := test.NewTempWindow(t, widget.NewLabel(""))
				w.Resize(fyne.NewSize(820, 860))
				q := uitest.NewQueue()
				c := newController(w, Deps{
					Backend: newSampleBackend(), Clock: sampleClock{}, Ticker: &uitest.Ticker{},
					Audio: silentPlayer{}, Settings: s,
				})
				c.calls.Post = q.Post
				c.mount()
				settleCalls(q, c)
				showSample(c, name)
				settleCalls(q, c)
				objects := test.LaidOutObjects(w.Canvas().Content())
				for _, o := range w.Canvas().Overlays().List() {
					objects = append(objects, test.LaidOutObjects(o)...)
				}
				for _, o := range objects {
					txt, ok := o.(*canvas.Text)
					if !ok {
						continue
					}
					faces := append(parseFaces(t, th.Font(txt.TextStyle)), fyneOwn...)
					for _, other := range assets.Languages() {
						if sub, ok := fonts.For(other); ok && txt.Text == other.Name {
							faces = append(faces, parseBytes(t, sub.Regular, sub.Bold)...)
						}
					}
					for _, r := range txt.Text {
						if !unicode.IsControl(r) && !anyHasGlyph(faces, r) {
							t.Errorf("no glyph for %c (U+%04X) of %q", r, r, txt.Text)
						}
					}
				}
				c.close()
				settleCalls(q, c)
			})
		}
	}
}

func parseFaces(t *testing.T, resources ...fyne.Resource) []*font.Face {
	t.Helper()
	var data [][]byte
	for _, res := range resources {
		data = append(data, res.Content())
	}
	return parseBytes(t, data...)
}

func parseBytes(t *testing.T, files ...[]byte) []*font.Face {
	t.Helper()
	var faces []*font.Face
	for _, b := range files {
		face, err := font.ParseTTF(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("a font does not parse: %v", err)
		}
		faces = append(faces, face)
	}
	return faces
}

func anyHasGlyph(faces []*font.Face, r rune) bool {
	for _, f := range faces {
		if _, ok := f.NominalGlyph(r); ok {
			return true
		}
	}
	return false
}
