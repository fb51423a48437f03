package shell

import (
	"image/color"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"casreset/assets"
)

// appTheme is Fyne's default theme in the college's blue, with a font of
// the glyph forms each language's readers expect.
//
// Fyne draws with Noto Sans, which has no Chinese characters; for those it
// falls back to whichever system font covers them first, which on Linux
// with fonts-noto-cjk is the Japanese face: Japanese glyph shapes for a
// Hong Kong audience. So for a language whose row in the language table
// names fonts, the theme's text font is the first of those the system has
// (Hong Kong forms for zh-HK, mainland ones for zh-Hans), found by family
// name and cut out of its font collection (see cjkfont.go). Nothing is
// bundled: the faces are tens of megabytes and every desktop that needs
// them has one.
type appTheme struct {
	fyne.Theme
	lang  string
	fonts *fontCache
}

func newAppTheme(lang string) *appTheme {
	return &appTheme{Theme: theme.DefaultTheme(), lang: SupportedLang(lang), fonts: &fontCache{}}
}

// forLang is the theme for lang, sharing the loaded fonts.
func (t *appTheme) forLang(lang string) *appTheme {
	c := *t
	c.lang = SupportedLang(lang)
	return &c
}

// loadFonts finds the faces of lang's fonts, the bold one too when
// withBold, (slow: it may scan the system's fonts and reads files of
// tens of megabytes) and calls loaded when there are some. Run it off the
// UI goroutine.
func (t *appTheme) loadFonts(lang string, withBold bool, loaded func()) {
	if t.fonts.load(assets.Match(lang), withBold) {
		loaded()
	}
}

// loadAllFonts loads the faces of the language first, then the regular
// face of every other language, in which the language switch names it
// (the bold one too when othersBold: the menu of languages is in bold),
// calling loaded after each language that has some.
func (t *appTheme) loadAllFonts(first string, othersBold bool, loaded func()) {
	t.loadFonts(first, true, loaded)
	for _, l := range assets.Languages() {
		if l.Tag != SupportedLang(first) {
			t.loadFonts(l.Tag, othersBold, loaded)
		}
	}
}

var (
	brandLight = color.NRGBA{R: 0x1f, G: 0x4e, B: 0x8c, A: 0xff}
	brandDark  = color.NRGBA{R: 0x6c, G: 0x9c, B: 0xe0, A: 0xff}
	// Disabled text still carries information (the reload cool-down's
	// seconds), so it keeps a readable contrast: about 4.5:1 on each
	// variant's background, yet plainly greyer than normal text.
	disabledLight = color.NRGBA{R: 0x76, G: 0x76, B: 0x76, A: 0xff}
	disabledDark  = color.NRGBA{R: 0x8c, G: 0x8c, B: 0x8c, A: 0xff}
)

// Color gives the brand colour as primary and hyperlink colour, and a
// readable grey for disabled text.
func (t *appTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	if n == theme.ColorNameDisabled {
		if v == theme.VariantDark {
			return disabledDark
		}
		return disabledLight
	}
	if n == theme.ColorNamePrimary || n == theme.ColorNameHyperlink {
		if v == theme.VariantDark {
			return brandDark
		}
		return brandLight
	}
	return t.Theme.Color(n, v)
}

// Font gives the face of the language's fonts, once loaded.
func (t *appTheme) Font(s fyne.TextStyle) fyne.Resource {
	if !s.Monospace && !s.Symbol {
		if r := t.fonts.face(t.lang, s.Bold); r != nil {
			return r
		}
	}
	return t.Theme.Font(s)
}

// fontCache holds the faces of each language once found.
type fontCache struct {
	mu    sync.Mutex
	langs map[string]*langFaces
}

// langFaces are one language's faces.
type langFaces struct {
	find, loadRegular, loadBold sync.Once
	files                       *faceFiles
	regular, bold               fyne.Resource // guarded by fontCache.mu
}

func (c *fontCache) entry(tag string) *langFaces {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.langs == nil {
		c.langs = map[string]*langFaces{}
	}
	f := c.langs[tag]
	if f == nil {
		f = &langFaces{}
		c.langs[tag] = f
	}
	return f
}

// load finds and reads l's faces once and reports whether a regular one
// exists.
func (c *fontCache) load(l assets.Language, withBold bool) bool {
	f := c.entry(l.Tag)
	f.find.Do(func() { f.files = findFaces(l.Fonts) })
	if f.files == nil {
		return false
	}
	f.loadRegular.Do(func() {
		r := loadFace(f.files.regular)
		c.mu.Lock()
		f.regular = r
		c.mu.Unlock()
	})
	if withBold {
		f.loadBold.Do(func() {
			r := loadFace(f.files.bold)
			c.mu.Lock()
			f.bold = r
			c.mu.Unlock()
		})
	}
	return c.face(l.Tag, false) != nil
}

// face is the language's loaded face, the bold one when asked and
// loaded; nil before any is.
func (c *fontCache) face(tag string, bold bool) fyne.Resource {
	c.mu.Lock()
	defer c.mu.Unlock()
	f := c.langs[tag]
	if f == nil {
		return nil
	}
	if bold && f.bold != nil {
		return f.bold
	}
	return f.regular
}
