package ui

import (
	"image/color"
	"math"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// luminance is the WCAG 2 relative luminance of c.
func luminance(c color.Color) float64 {
	r, g, b, _ := c.RGBA()
	lin := func(v uint32) float64 {
		s := float64(v) / 0xffff
		if s <= 0.03928 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(r) + 0.7152*lin(g) + 0.0722*lin(b)
}

func contrast(a, b color.Color) float64 {
	la, lb := luminance(a), luminance(b)
	return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)
}

func TestDisabledTextStaysReadable(t *testing.T) {
	th := newAppTheme("en")
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
