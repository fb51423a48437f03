package shell

import (
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"casreset/assets"
	"casreset/ui"
)

// switchIn shows a language switch of langs in a window, on current.
func switchIn(t *testing.T, langs []assets.Language, current string) (*languageSwitch, *[]string, fyne.Window) {
	t.Helper()
	test.NewTempApp(t)
	var chosen []string
	w := test.NewTempWindow(t, widget.NewLabel(""))
	s := newLanguageSwitch(langs, w.Canvas, func(tag string) { chosen = append(chosen, tag) })
	w.SetContent(s.button)
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

// TestTheSwitchWorksFromTheKeyboard: Tab reaches the switch, which shows
// the focus ring; Enter opens the menu, Tab moves through it and Space
// chooses.
func TestTheSwitchWorksFromTheKeyboard(t *testing.T) {
	langs := []assets.Language{
		{Tag: "en", Name: "English"}, {Tag: "zh-HK", Name: "繁體中文"}, {Tag: "zh-Hans", Name: "简体中文"},
	}
	s, chosen, w := switchIn(t, langs, "en")
	c := w.Canvas()
	c.FocusNext()
	if c.Focused() != s.button {
		t.Fatalf("Tab focuses %T, not the switch", c.Focused())
	}
	if !ringShown(s.button) {
		t.Error("the focused switch shows no focus ring")
	}
	c.Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if s.menu == nil || c.Overlays().Top() != s.menu {
		t.Fatal("Enter on the switch opened no menu")
	}
	c.FocusNext()
	c.FocusNext()
	if c.Focused() != s.items["zh-HK"] || !ringShown(s.items["zh-HK"]) {
		t.Fatalf("two Tabs in the menu focus %T, not 繁體中文 with its ring", c.Focused())
	}
	c.Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeySpace})
	if len(*chosen) != 1 || (*chosen)[0] != "zh-HK" || s.menu != nil {
		t.Errorf("Space on 繁體中文 chose %v (menu %v)", *chosen, s.menu)
	}
}

// ringShown reports whether w draws its focus ring: the last object its
// renderer draws, stroked in a colour that shows.
func ringShown(w fyne.Widget) bool {
	objs := test.WidgetRenderer(w).Objects()
	ring, ok := objs[len(objs)-1].(*canvas.Rectangle)
	if !ok {
		return false
	}
	_, _, _, a := ring.StrokeColor.RGBA()
	return ring.StrokeWidth >= ui.FocusRingWidth && a > 0
}

// TestLanguageNamesAreMeasuredInTheirOwnFaces: on a computer without the
// languages' fonts (a Windows PC without its East Asian fonts), every
// language's name in the switch and in its menu is measured in the face
// it is drawn in, whatever the screen's language: its button is wide
// enough for the whole name. Fyne measures a text with the app's theme,
// and in English that has no Chinese: 繁體中文 showed as 繁體中.
func TestLanguageNamesAreMeasuredInTheirOwnFaces(t *testing.T) {
	if !withoutSystemFonts(t) {
		return
	}
	if findFaces(assets.Match("zh-HK").Fonts) != nil {
		t.Fatal("the system's fonts are not hidden")
	}
	all := assets.Languages()
	for _, langs := range [][]assets.Language{all, all[:2]} {
		for _, current := range langs {
			test.NewTempApp(t)
			th := newAppTheme(current.Tag, nil)
			th.fonts.system = noSystemFonts
			fyne.CurrentApp().Settings().SetTheme(th)
			w := test.NewTempWindow(t, widget.NewLabel(""))
			s := newLanguageSwitch(langs, w.Canvas, func(string) {})
			s.themeFor = func(tag string) fyne.Theme { return th.forLang(tag) }
			w.SetContent(s.button)
			s.show(current.Tag)
			named := map[string]nameFit{"the switch": {s.button.Text, s.button.Icon, s.button.MinSize()}}
			if s.isMenu() {
				s.openMenu()
				for tag, item := range s.items {
					named["the menu's "+tag] = nameFit{item.Text, item.Icon, item.MinSize()}
				}
			}
			for where, n := range named {
				l := languageNamed(t, n.text)
				face := th.forLang(l.Tag).Font(fyne.TextStyle{Bold: true})
				size := th.Size(theme.SizeNameText)
				drawn, _ := fyne.CurrentApp().Driver().RenderedTextSize(n.text, size, fyne.TextStyle{Bold: true}, face)
				want := drawn.Width + 2*th.Size(theme.SizeNameInnerPadding)
				if n.icon != nil {
					want += th.Size(theme.SizeNamePadding) + th.Size(theme.SizeNameInlineIcon)
				}
				if n.min.Width < want {
					t.Errorf("%d languages, in %s: %s (%q) is %.0f wide, too narrow for the name drawn in %s (%.0f)",
						len(langs), current.Tag, where, n.text, n.min.Width, face.Name(), want)
				}
			}
		}
	}
}

// nameFit is a language's name as a button shows it and the button's
// least size.
type nameFit struct {
	text string
	icon fyne.Resource
	min  fyne.Size
}

func languageNamed(t *testing.T, name string) assets.Language {
	t.Helper()
	for _, l := range assets.Languages() {
		if l.Name == name {
			return l
		}
	}
	t.Fatalf("no language is named %q", name)
	return assets.Language{}
}

// noFontsEnv names the test a child test binary runs without the
// system's fonts.
const noFontsEnv = "CASRESET_NO_SYSTEM_FONTS"

// withoutSystemFonts reports whether the calling test runs in a child
// test binary that finds no system font, neither Fyne's fallback nor the
// theme (as on a Windows PC without its East Asian fonts): without a
// cache directory for their index, go-text finds none. When it does not,
// it starts that child and fails the test if the child fails; the caller
// then returns. (The fonts Fyne finds are found once a process.)
func withoutSystemFonts(t *testing.T) bool {
	t.Helper()
	if os.Getenv(noFontsEnv) == t.Name() {
		return true
	}
	cmd := exec.Command(os.Args[0], "-test.run=^"+regexp.QuoteMeta(t.Name())+"$", "-test.v", "-test.count=1")
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "HOME=") && !strings.HasPrefix(kv, "XDG_CACHE_HOME=") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, noFontsEnv+"="+t.Name())
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("without the system's fonts: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "--- PASS: "+t.Name()) {
		t.Fatalf("the child test binary did not run %s:\n%s", t.Name(), out)
	}
	return false
}
