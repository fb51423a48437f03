package shell

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"casreset/internal/wcag"
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
