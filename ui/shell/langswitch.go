package shell

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"casreset/assets"
	"casreset/assets/fonts"
	"casreset/ui"
)

// languageSwitch is the header's way to change language, built from the
// language table: with two languages, a button naming the other one that
// switches to it; with more, a button naming the current one that opens a
// menu of them all. Every language's name is drawn in its own font, so
// that a reader finds theirs whatever the screen's language, and measured
// in it (ui.FaceButton), so that none is cut short.
type languageSwitch struct {
	langs    []assets.Language
	choose   func(tag string)
	themeFor func(tag string) fyne.Theme // nil: the app's theme
	canvas   func() fyne.Canvas
	current  string

	button *ui.FaceButton
	menu   *widget.PopUp // the menu of languages, while it is open
	items  map[string]*ui.FaceButton
}

func newLanguageSwitch(langs []assets.Language, canvas func() fyne.Canvas, choose func(tag string)) *languageSwitch {
	s := &languageSwitch{langs: langs, choose: choose, canvas: canvas}
	s.button = ui.NewFaceButton(s.tapped)
	if s.isMenu() {
		s.button.SetIcon(theme.MenuDropDownIcon())
		s.button.IconPlacement = widget.ButtonIconTrailingText
	}
	return s
}

// isMenu reports whether the switch opens a menu rather than toggles.
func (s *languageSwitch) isMenu() bool { return len(s.langs) > 2 }

// other is the language the toggle switches to.
func (s *languageSwitch) other() assets.Language {
	for _, l := range s.langs {
		if l.Tag != s.current {
			return l
		}
	}
	return s.langs[0]
}

// show names the language the button stands for, in its font.
func (s *languageSwitch) show(current string) {
	s.current = current
	named := s.other()
	if s.isMenu() {
		named = assets.Match(current)
	}
	s.button.SetText(named.Name, s.nameFace(named))
}

// nameFace is the face l's name is drawn in, bold as a button's text: the
// embedded face of its script, which has every character of the name
// (assets/fonts cuts it so), whatever font the language's screens are in;
// else the language's theme's (Fyne's own for English).
func (s *languageSwitch) nameFace(l assets.Language) fyne.Resource {
	if sub, ok := fonts.For(l); ok {
		return subsetResources(sub)[1]
	}
	if s.themeFor == nil {
		return nil
	}
	return s.themeFor(l.Tag).Font(fyne.TextStyle{Bold: true})
}

func (s *languageSwitch) tapped() {
	if !s.isMenu() {
		s.choose(s.other().Tag)
		return
	}
	s.openMenu()
}

// openMenu shows every language below the button, the current one ticked.
func (s *languageSwitch) openMenu() {
	s.items = map[string]*ui.FaceButton{}
	var rows []fyne.CanvasObject
	for _, l := range s.langs {
		tag := l.Tag
		b := ui.NewFaceButton(func() { s.pick(tag) })
		b.SetText(l.Name, s.nameFace(l))
		b.Alignment = widget.ButtonAlignLeading
		if tag == s.current {
			b.SetIcon(theme.ConfirmIcon())
		} else {
			b.SetIcon(theme.NewThemedResource(emptyIcon))
		}
		s.items[tag] = b
		rows = append(rows, b)
	}
	s.menu = widget.NewPopUp(container.NewVBox(rows...), s.canvas())
	s.menu.ShowAtRelativePosition(fyne.NewPos(0, s.button.Size().Height), s.button)
}

// pick closes the menu and switches to the language tag.
func (s *languageSwitch) pick(tag string) {
	if s.menu != nil {
		s.menu.Hide()
		s.menu = nil
	}
	if tag != s.current {
		s.choose(tag)
	}
}

// emptyIcon keeps the menu's names lined up beside the current one's tick.
var emptyIcon = fyne.NewStaticResource("empty.svg",
	[]byte(`<svg xmlns="http://www.w3.org/2000/svg" width="24" height="24" viewBox="0 0 24 24"></svg>`))
