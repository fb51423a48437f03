package shell

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"casreset/assets"
)

// switchIn shows a language switch of langs in a window, on current.
func switchIn(t *testing.T, langs []assets.Language, current string) (*languageSwitch, *[]string, fyne.Window) {
	t.Helper()
	test.NewTempApp(t)
	var chosen []string
	w := test.NewTempWindow(t, widget.NewLabel(""))
	s := newLanguageSwitch(langs, w.Canvas, func(tag string) { chosen = append(chosen, tag) })
	w.SetContent(s.hold)
	w.Resize(fyne.NewSize(300, 300))
	s.show(current)
	return s, &chosen, w
}

func TestTwoLanguagesToggle(t *testing.T) {
	en := assets.Language{Tag: "en", Name: "English"}
	zh := assets.Language{Tag: "zh-HK", Name: "繁體中文"}
	s, chosen, _ := switchIn(t, []assets.Language{en, zh}, "en")
	if s.button.Text != "繁體中文" || s.button.Icon != nil {
		t.Errorf("the toggle in English reads %q (icon %v), want the other language's own name", s.button.Text, s.button.Icon)
	}
	test.Tap(s.button)
	if len(*chosen) != 1 || (*chosen)[0] != "zh-HK" || s.menu != nil {
		t.Fatalf("tapping the toggle chose %v (menu %v)", *chosen, s.menu)
	}
	s.show("zh-HK")
	if s.button.Text != "English" {
		t.Errorf("the toggle in Chinese reads %q", s.button.Text)
	}
}

func TestMoreLanguagesOpenAMenu(t *testing.T) {
	langs := []assets.Language{
		{Tag: "en", Name: "English"}, {Tag: "zh-HK", Name: "繁體中文"}, {Tag: "zh-Hans", Name: "简体中文"},
	}
	s, chosen, w := switchIn(t, langs, "zh-HK")
	if s.button.Text != "繁體中文" || s.button.Icon == nil {
		t.Errorf("the menu button reads %q (icon %v), want the current language's name and a drop-down mark", s.button.Text, s.button.Icon)
	}
	test.Tap(s.button)
	if s.menu == nil || !s.menu.Visible() || len(s.items) != 3 {
		t.Fatalf("no menu of the 3 languages: %v", s.items)
	}
	if overlay := w.Canvas().Overlays().Top(); overlay != s.menu {
		t.Error("the menu is not shown over the window")
	}
	for _, l := range langs {
		item := s.items[l.Tag]
		if item.Text != l.Name {
			t.Errorf("the menu names %s %q", l.Tag, item.Text)
		}
		ticked := item.Icon != nil && item.Icon.Name() == theme.ConfirmIcon().Name()
		if ticked != (l.Tag == "zh-HK") {
			t.Errorf("%s ticked: %v", l.Tag, ticked)
		}
	}
	test.Tap(s.items["zh-HK"])
	if len(*chosen) != 0 || s.menu != nil {
		t.Errorf("choosing the current language switched (%v) or left the menu open", *chosen)
	}
	test.Tap(s.button)
	test.Tap(s.items["zh-Hans"])
	if len(*chosen) != 1 || (*chosen)[0] != "zh-Hans" || s.menu != nil {
		t.Errorf("choosing zh-Hans chose %v (menu %v)", *chosen, s.menu)
	}
	if w.Canvas().Overlays().Top() != nil {
		t.Error("the menu stays over the window")
	}
}
