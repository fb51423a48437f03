package ui

import (
	"image/color"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// appTheme is Fyne's default theme in the college's blue, with a font of
// Hong Kong glyph forms for Chinese text.
//
// Fyne draws with Noto Sans, which has no Chinese characters; for those it
// falls back to whichever system font covers them first, which on Linux
// with fonts-noto-cjk is the Japanese face: Japanese glyph shapes for a
// Hong Kong audience. So in Chinese the theme's text font is the system's
// Hong Kong (else Traditional Chinese) face, found by family name and cut
// out of its font collection (see cjkfont.go). Nothing is bundled: the
// faces are tens of megabytes and every desktop that needs them has one.
type appTheme struct {
	fyne.Theme
	lang  string
	fonts *cjkFonts
}

func newAppTheme(lang string) *appTheme {
	return &appTheme{Theme: theme.DefaultTheme(), lang: supportedLang(lang), fonts: &cjkFonts{}}
}

// forLang is the theme for lang, sharing the loaded fonts.
func (t *appTheme) forLang(lang string) *appTheme {
	c := *t
	c.lang = supportedLang(lang)
	return &c
}

// loadCJK finds the Chinese faces (slow: it may scan the system's fonts)
// and calls loaded when they are ready. Run it off the UI goroutine.
func (t *appTheme) loadCJK(loaded func()) {
	if t.fonts.load() {
		loaded()
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

// Font gives the Chinese face in Chinese, when one was found.
func (t *appTheme) Font(s fyne.TextStyle) fyne.Resource {
	if t.lang == langChinese && !s.Monospace && !s.Symbol {
		if r := t.fonts.face(s.Bold); r != nil {
			return r
		}
	}
	return t.Theme.Font(s)
}

// cjkFonts holds the Chinese faces once found.
type cjkFonts struct {
	once          sync.Once
	mu            sync.Mutex
	regular, bold fyne.Resource
}

// load finds the faces once and reports whether a regular one exists.
func (f *cjkFonts) load() bool {
	f.once.Do(func() {
		regular, bold := findCJKFaces()
		f.mu.Lock()
		f.regular, f.bold = regular, bold
		f.mu.Unlock()
	})
	return f.face(false) != nil
}

func (f *cjkFonts) face(bold bool) fyne.Resource {
	f.mu.Lock()
	defer f.mu.Unlock()
	if bold && f.bold != nil {
		return f.bold
	}
	return f.regular
}
