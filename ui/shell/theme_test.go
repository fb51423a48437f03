package shell

import (
	"image/color"
	"slices"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

	"casreset/internal/wcag"
	"casreset/ui"
)

var contrast = wcag.Contrast

func TestDisabledTextStaysReadable(t *testing.T) {
	th := newAppTheme("en", nil)
	for _, v := range []struct {
		name    string
		variant fyne.ThemeVariant
	}{{"light", theme.VariantLight}, {"dark", theme.VariantDark}} {
		bg := th.Color(theme.ColorNameBackground, v.variant)
		fg := th.Color(theme.ColorNameForeground, v.variant)
		disabled := th.Color(theme.ColorNameDisabled, v.variant)
		if c := contrast(disabled, bg); c < 4.5 {
			t.Errorf("%s: disabled text contrast %.2f:1 on the background, want at least 4.5:1", v.name, c)
		}
		if c := contrast(disabled, fg); c < 1.5 {
			t.Errorf("%s: disabled text (%.2f:1 from normal text) does not look disabled", v.name, c)
		}
	}
}

// themedPair is a colour drawn on another, and the contrast it needs.
type themedPair struct {
	fg, bg fyne.ThemeColorName
	min    float64
	what   string
}

// themedPairs are every pair of theme colours the wizard draws one on the
// other: text 4.5:1 (WCAG 2.2 1.4.3), the edges of fields, the ticks and
// icons, and the focus ring 3:1 on what is around them (1.4.11, 2.4.13).
var themedPairs = []themedPair{
	{theme.ColorNameForeground, theme.ColorNameBackground, 4.5, "text"},
	{theme.ColorNameForeground, theme.ColorNameInputBackground, 4.5, "typed text"},
	{theme.ColorNameForeground, theme.ColorNameButton, 4.5, "a button's text"},
	{theme.ColorNameForeground, theme.ColorNameOverlayBackground, 4.5, "the language menu's text"},
	{theme.ColorNameForeground, theme.ColorNameMenuBackground, 4.5, "a menu's text"},
	{theme.ColorNameDisabled, theme.ColorNameBackground, 4.5, "disabled text"},
	{theme.ColorNameDisabled, theme.ColorNameDisabledButton, 4.5, "a disabled button's text (the reload cool-down)"},
	{theme.ColorNamePlaceHolder, theme.ColorNameInputBackground, 4.5, "a field's placeholder (\"The 6 digits in the image\")"},
	{theme.ColorNameHyperlink, theme.ColorNameBackground, 4.5, "a link"},
	{theme.ColorNameError, theme.ColorNameBackground, 4.5, "a message in red"},
	{theme.ColorNameSuccess, theme.ColorNameBackground, 4.5, "a message in green"},
	{theme.ColorNameWarning, theme.ColorNameBackground, 4.5, "a note in orange (the account stays locked)"},
	{theme.ColorNameForegroundOnPrimary, theme.ColorNamePrimary, 4.5, "a primary button's text (Next, Update)"},
	{theme.ColorNameForegroundOnError, theme.ColorNameError, 4.5, "a danger button's text"},
	{theme.ColorNameForegroundOnSuccess, theme.ColorNameSuccess, 4.5, "a success button's text"},
	{theme.ColorNameForegroundOnWarning, theme.ColorNameWarning, 4.5, "a warning button's text"},
	{theme.ColorNameInputBorder, theme.ColorNameBackground, 3, "a field's or an unticked box's edge"},
	{theme.ColorNameInputBorder, theme.ColorNameInputBackground, 3, "a field's edge, inside"},
	{theme.ColorNamePrimary, theme.ColorNameBackground, 3, "a focused field's edge, a ticked box, a primary button"},
	{theme.ColorNamePrimary, theme.ColorNameInputBackground, 3, "a focused field's edge, inside"},
	{theme.ColorNameFocus, theme.ColorNameBackground, 3, "the focus ring"},
	{theme.ColorNameFocus, theme.ColorNameButton, 3, "the focus ring beside a button"},
	{theme.ColorNameSuccess, theme.ColorNameBackground, 3, "a tick"},
	{theme.ColorNameError, theme.ColorNameBackground, 3, "a cross"},
	{theme.ColorNameWarning, theme.ColorNameBackground, 3, "the warning icon"},
}

var variants = []struct {
	name    string
	variant fyne.ThemeVariant
}{{"light", theme.VariantLight}, {"dark", theme.VariantDark}}

func TestThemedColoursContrast(t *testing.T) {
	test.NewTempApp(t) // Fyne's own colours follow the app's settings
	th := newAppTheme("en", nil)
	for _, v := range variants {
		for _, p := range themedPairs {
			fg, bg := th.Color(p.fg, v.variant), th.Color(p.bg, v.variant)
			if _, _, _, a := fg.RGBA(); a != 0xffff {
				t.Errorf("%s: %s (%s) is not opaque", v.name, p.fg, p.what)
			}
			if c := contrast(fg, bg); c < p.min {
				t.Errorf("%s: %s on %s (%s): %.2f:1, want at least %.1f:1", v.name, p.fg, p.bg, p.what, c, p.min)
			} else {
				t.Logf("%s: %s on %s: %.2f:1", v.name, p.fg, p.bg, c)
			}
		}
	}
}

// TestFocusIsARingTwoPixelsWide: the focus ring and a focused field's
// edge are 2 px wide, and the wizard's buttons, check boxes and choices
// draw the ring rather than tint themselves with its colour, on which
// their text would not read.
func TestFocusIsARingTwoPixelsWide(t *testing.T) {
	test.NewTempApp(t)
	th := newAppTheme("en", nil)
	fyne.CurrentApp().Settings().SetTheme(th)
	if w := th.Size(theme.SizeNameInputBorder); w < 2 {
		t.Errorf("a field's edge is %v px", w)
	}
	for _, v := range variants {
		t.Run(v.name, func(t *testing.T) {
			test.NewTempApp(t)
			if v.variant == theme.VariantDark {
				fyne.CurrentApp().Settings().SetTheme(darkOf{th})
			} else {
				fyne.CurrentApp().Settings().SetTheme(lightOf{th})
			}
			ring := th.Color(theme.ColorNameFocus, v.variant)
			b := ui.NewPrimaryButton(func() {})
			b.SetText("Next")
			c := ui.NewCheckBox(nil)
			c.Text = "Remember"
			ch := ui.NewChoice(nil, nil)
			ch.SetText("By SMS")
			link := ui.NewLink(func() {}) // Fyne's own ring, in the focus colour
			link.SetText("More Info")
			for _, w := range []interface {
				fyne.Focusable
				fyne.Widget
			}{b, c, ch, link} {
				win := test.NewTempWindow(t, w)
				before := fills(w)
				win.Canvas().Focus(w)
				if !hasRing(w, ring) {
					t.Errorf("a focused %T shows no ring of %v, %d px", w, ring, ui.FocusRingWidth)
				}
				if after := fills(w); !slices.Equal(after, before) {
					t.Errorf("a focused %T tints itself: %v, unfocused %v", w, after, before)
				}
				win.Canvas().Unfocus()
				if hasRing(w, ring) {
					t.Errorf("an unfocused %T shows the ring", w)
				}
			}
		})
	}
}

// hasRing reports whether w draws a rectangle edged with ring, as wide as
// the focus ring.
func hasRing(w fyne.Widget, ring color.Color) bool {
	for _, o := range test.WidgetRenderer(w).Objects() {
		if r, ok := o.(*canvas.Rectangle); ok && r.Visible() && r.StrokeColor == ring && r.StrokeWidth >= ui.FocusRingWidth {
			return true
		}
	}
	return false
}

// fills are the colours w's rectangles and circles (a check box's focus
// tint) are filled with.
func fills(w fyne.Widget) []color.Color {
	var out []color.Color
	for _, o := range test.WidgetRenderer(w).Objects() {
		switch s := o.(type) {
		case *canvas.Rectangle:
			out = append(out, s.FillColor)
		case *canvas.Circle:
			out = append(out, s.FillColor)
		}
	}
	return out
}

// lightOf and darkOf fix a theme's variant, as the system's setting would.
type lightOf struct{ fyne.Theme }
type darkOf struct{ fyne.Theme }

func (t lightOf) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	return t.Theme.Color(n, theme.VariantLight)
}
func (t darkOf) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	return t.Theme.Color(n, theme.VariantDark)
}

// The demo banner's text on its amber, laid over the background.
func TestDemoBannerTextContrast(t *testing.T) {
	test.NewTempApp(t)
	th := newAppTheme("en", nil)
	for _, v := range variants {
		bg := color.NRGBAModel.Convert(th.Color(theme.ColorNameBackground, v.variant)).(color.NRGBA)
		a := float64(demoBanner.A) / 255
		over := func(top, under uint8) uint8 { return uint8(float64(top)*a + float64(under)*(1-a) + 0.5) }
		banner := color.NRGBA{R: over(demoBanner.R, bg.R), G: over(demoBanner.G, bg.G), B: over(demoBanner.B, bg.B), A: 0xff}
		if c := contrast(th.Color(theme.ColorNameForeground, v.variant), banner); c < 4.5 {
			t.Errorf("%s: the demo banner's text %.2f:1, want at least 4.5:1", v.name, c)
		}
	}
}
