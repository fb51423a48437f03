package shell

import (
	"image/color"
	"sync"
	"sync/atomic"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"casreset/assets"
	"casreset/assets/fonts"
	"casreset/ui"
)

// appTheme is Fyne's default theme in the college's blue, with a font of
// the glyph forms each language's readers expect.
//
// Fyne draws with Noto Sans, which has no Chinese characters; for those it
// falls back to whichever system font covers them first: on Linux with
// fonts-noto-cjk the Japanese face (Japanese forms for a Hong Kong
// audience), on a Windows PC without East Asian fonts none (a box for each
// character). So a language whose row in the language table names fonts
// is drawn with the subset of one of them embedded in the program
// (assets/fonts: Hong Kong forms for zh-HK, mainland ones for zh-Hans),
// which draws every character of the wizard's texts and weighs a few
// hundred kilobytes. Only when what IT configured (the organisation's
// name, IT Help's hours) has a character the subset lacks is the first of
// the language's fonts that the system has used instead, found by family
// name and cut out of its font collection (see cjkfont.go): tens of
// megabytes, which Fyne parses again for each language and weight.
type appTheme struct {
	fyne.Theme
	lang  string
	fonts *fontCache
}

// newAppTheme is the theme for lang; configured(tag) are the texts IT
// configured that the language tag shows (nil: none).
func newAppTheme(lang string, configured func(tag string) string) *appTheme {
	return &appTheme{Theme: theme.DefaultTheme(), lang: SupportedLang(lang), fonts: &fontCache{configured: configured, system: findFaces}}
}

// forLang is the theme for lang, sharing the loaded fonts.
func (t *appTheme) forLang(lang string) *appTheme {
	c := *t
	c.lang = SupportedLang(lang)
	return &c
}

// loadFonts finds the faces of lang's fonts, the bold one too when
// withBold, and calls loaded when it loaded some that the theme did not
// have. The embedded faces are there at once; a system face is slow (it
// may scan the system's fonts and reads files of tens of megabytes): run
// it off the UI goroutine.
func (t *appTheme) loadFonts(lang string, withBold bool, loaded func()) {
	if t.fonts.load(assets.Match(lang), withBold) {
		loaded()
	}
}

// fontsLoaded counts the faces loaded in the background so far: when it
// changes, the theme draws differently.
func (t *appTheme) fontsLoaded() int64 { return t.fonts.loads.Load() }

// The colours the theme changes from Fyne's, each pair it draws checked
// by theme_test.go: text at least 4.5:1 on what it is drawn on (WCAG 2.2
// 1.4.3), the edges of fields and the focus ring at least 3:1 on their
// surroundings (1.4.11, 2.4.13).
var (
	// The college's blue: primary buttons, links, the focus ring and the
	// edge of the focused field. In the dark variant a light blue, with
	// dark text on the buttons: white on it is only 2.8:1.
	brandLight   = color.NRGBA{R: 0x1f, G: 0x4e, B: 0x8c, A: 0xff}
	brandDark    = color.NRGBA{R: 0x6c, G: 0x9c, B: 0xe0, A: 0xff}
	onBrandLight = color.NRGBA{R: 0xff, G: 0xff, B: 0xff, A: 0xff}
	onBrandDark  = color.NRGBA{R: 0x10, G: 0x14, B: 0x1c, A: 0xff}
	// Text: darker than Fyne's grey on white, so that disabled text can
	// be both readable and plainly greyer.
	foregroundLight = color.NRGBA{R: 0x3d, G: 0x3d, B: 0x3d, A: 0xff}
	// Disabled text still carries information (the reload cool-down's
	// seconds), so it keeps a readable contrast on the background and on
	// a disabled button, yet is plainly greyer than normal text.
	disabledLight = color.NRGBA{R: 0x70, G: 0x70, B: 0x70, A: 0xff}
	disabledDark  = color.NRGBA{R: 0x94, G: 0x94, B: 0x94, A: 0xff}
	// What a field holds before anything is typed ("6 digits") is read
	// too.
	placeholderLight = color.NRGBA{R: 0x6b, G: 0x6b, B: 0x6b, A: 0xff}
	// The edge of a field and of an unticked box.
	inputBorderLight = color.NRGBA{R: 0x8a, G: 0x8a, B: 0x8a, A: 0xff}
	inputBorderDark  = color.NRGBA{R: 0x7a, G: 0x7a, B: 0x7a, A: 0xff}
	// Messages in red, the ticks in green and the warning icon: Fyne's
	// are too light on white.
	errorLight   = color.NRGBA{R: 0xc6, G: 0x28, B: 0x28, A: 0xff}
	successLight = color.NRGBA{R: 0x2e, G: 0x7d, B: 0x32, A: 0xff}
	warningLight = color.NRGBA{R: 0xb4, G: 0x53, B: 0x09, A: 0xff}
)

// themeColors are the colours the theme sets, by name, for the light
// and the dark variant; the others are Fyne's.
var themeColors = map[fyne.ThemeColorName][2]color.Color{
	theme.ColorNamePrimary:             {brandLight, brandDark},
	theme.ColorNameHyperlink:           {brandLight, brandDark},
	theme.ColorNameFocus:               {brandLight, brandDark},
	theme.ColorNameForegroundOnPrimary: {onBrandLight, onBrandDark},
	theme.ColorNameDisabled:            {disabledLight, disabledDark},
	theme.ColorNameInputBorder:         {inputBorderLight, inputBorderDark},
	theme.ColorNameForeground:          {foregroundLight, nil},
	theme.ColorNamePlaceHolder:         {placeholderLight, nil},
	theme.ColorNameError:               {errorLight, nil},
	theme.ColorNameSuccess:             {successLight, nil},
	theme.ColorNameWarning:             {warningLight, nil},
}

// Color gives the colours of themeColors, Fyne's for the others.
func (t *appTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	if c, ok := themeColors[n]; ok {
		i := 0
		if v == theme.VariantDark {
			i = 1
		}
		if c[i] != nil {
			return c[i]
		}
	}
	return t.Theme.Color(n, v)
}

// Size makes the edges of fields as wide as the focus ring.
func (t *appTheme) Size(n fyne.ThemeSizeName) float32 {
	if n == theme.SizeNameInputBorder {
		return ui.FocusRingWidth
	}
	return t.Theme.Size(n)
}

// Font gives the face of the language's fonts, once loaded; for
// monospaced text the embedded monospaced face (its Latin letters all of
// one width, as in Fyne's monospaced font), which also draws the
// language's hints in the code and password fields.
func (t *appTheme) Font(s fyne.TextStyle) fyne.Resource {
	if !s.Symbol {
		if r := t.fonts.face(t.lang, s.Bold, s.Monospace); r != nil {
			return r
		}
	}
	return t.Theme.Font(s)
}

// fontCache holds the faces of each language once chosen.
type fontCache struct {
	// configured are the texts IT configured that a language shows; nil:
	// none.
	configured func(tag string) string
	// system finds a system font's faces: findFaces, or nothing in tests
	// of a computer without the languages' fonts.
	system func(families []string) *faceFiles

	// loads counts the faces loaded after their language was first asked
	// for (a system font's, found in the background).
	loads atomic.Int64

	mu    sync.Mutex
	langs map[string]*langFaces
}

// langFaces are one language's faces: the embedded ones, chosen when the
// language is first asked for, or a system font's, loaded later.
type langFaces struct {
	embedded                    *fonts.Subset
	find, loadRegular, loadBold sync.Once
	files                       *faceFiles
	regular, bold               fyne.Resource // guarded by fontCache.mu
	// The embedded monospaced faces; nil with a system font's (the
	// system's Latin monospaced font then, and Fyne's fallback).
	monoRegular, monoBold fyne.Resource // guarded by fontCache.mu
}

// entry is the faces of l, choosing the embedded ones when they draw
// everything the language shows.
func (c *fontCache) entry(l assets.Language) *langFaces {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.langs == nil {
		c.langs = map[string]*langFaces{}
	}
	f := c.langs[l.Tag]
	if f == nil {
		f = &langFaces{}
		if s, ok := fonts.For(l); ok && (c.configured == nil || len(s.Lacks(c.configured(l.Tag))) == 0) {
			f.embedded = &s
			f.useSubset(s)
		}
		c.langs[l.Tag] = f
	}
	return f
}

// load finds and reads l's faces once, when not embedded, and reports
// whether it loaded some.
func (c *fontCache) load(l assets.Language, withBold bool) (loaded bool) {
	defer func() {
		if loaded {
			c.loads.Add(1)
		}
	}()
	f := c.entry(l)
	if f.embedded != nil || len(l.Fonts) == 0 {
		return false
	}
	f.find.Do(func() { f.files = c.system(l.Fonts) })
	if f.files == nil {
		// No system font either: the embedded faces, whatever they lack
		// (Fyne falls back for those characters).
		s, ok := fonts.For(l)
		if !ok {
			return false
		}
		f.loadRegular.Do(func() {
			c.mu.Lock()
			f.useSubset(s)
			c.mu.Unlock()
			loaded = true
		})
		return loaded
	}
	f.loadRegular.Do(func() {
		r := loadFace(f.files.regular)
		c.mu.Lock()
		f.regular = r
		c.mu.Unlock()
		loaded = r != nil
	})
	if withBold {
		f.loadBold.Do(func() {
			r := loadFace(f.files.bold)
			c.mu.Lock()
			f.bold = r
			c.mu.Unlock()
			loaded = loaded || r != nil
		})
	}
	return loaded
}

// face is the language's face, the bold or monospaced one when asked and
// there; nil before any is loaded.
func (c *fontCache) face(tag string, bold, mono bool) fyne.Resource {
	f := c.entry(assets.Match(tag))
	c.mu.Lock()
	defer c.mu.Unlock()
	if mono {
		if bold && f.monoBold != nil {
			return f.monoBold
		}
		return f.monoRegular
	}
	if bold && f.bold != nil {
		return f.bold
	}
	return f.regular
}

// useSubset makes f the embedded faces of s.
func (f *langFaces) useSubset(s fonts.Subset) {
	r := subsetResources(s)
	f.regular, f.bold, f.monoRegular, f.monoBold = r[0], r[1], r[2], r[3]
}

// subsetFaces are the embedded faces as resources, made once, so that
// every theme and window shares them.
var subsetFaces sync.Map // family → [4]fyne.Resource

func subsetResources(s fonts.Subset) [4]fyne.Resource {
	r, ok := subsetFaces.Load(s.Family)
	if !ok {
		r, _ = subsetFaces.LoadOrStore(s.Family, [4]fyne.Resource{
			fyne.NewStaticResource(s.File+"-Regular.otf", s.Regular),
			fyne.NewStaticResource(s.File+"-Bold.otf", s.Bold),
			fyne.NewStaticResource(s.MonoFile+"-Regular.otf", s.MonoRegular),
			fyne.NewStaticResource(s.MonoFile+"-Bold.otf", s.MonoBold),
		})
	}
	return r.([4]fyne.Resource)
}
