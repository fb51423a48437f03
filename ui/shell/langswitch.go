package shell

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"casreset/assets"
	"casreset/ui"
)

// languageSwitch is the header's way to change language, built from the
// language table: with two languages, a button naming the other one that
// switches to it; with more, a button naming the current one that opens a
// menu of them all. Every language's name is drawn in its own font, so
// that a reader finds theirs whatever the screen's language.
type languageSwitch struct {
	langs    []assets.Language
	choose   func(tag string)
	themeFor func(tag string) fyne.Theme // nil: the app's theme
	onOpen   func()                      // the menu opens; may be nil
	canvas   func() fyne.Canvas
	current  string

	button *ui.ActionButton
	hold   *fyne.Container // holds button, themed for the language it names
	menu   *widget.PopUp   // the menu of languages, while it is open
	items  map[string]*ui.ActionButton
}

func newLanguageSwitch(langs []assets.Language, canvas func() fyne.Canvas, choose func(tag string)) *languageSwitch {
	s := &languageSwitch{langs: langs, choose: choose, canvas: canvas}
	s.button = ui.NewActionButton(s.tapped)
	s.button.Importance = widget.LowImportance
	if s.isMenu() {
		s.button.SetIcon(theme.MenuDropDownIcon())
		s.button.IconPlacement = widget.ButtonIconTrailingText
	}
	s.hold = container.NewStack(s.button)
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
	s.button.SetText(named.Name)
	s.hold.Objects = []fyne.CanvasObject{s.themed(s.button, named.Tag)}
	s.hold.Refresh()
}

// themed draws obj in the font of the language tag.
func (s *languageSwitch) themed(obj fyne.CanvasObject, tag string) fyne.CanvasObject {
	if s.themeFor == nil || tag == s.current {
		return obj
	}
	return container.NewThemeOverride(obj, s.themeFor(tag))
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
	s.items = map[string]*ui.ActionButton{}
	var rows []fyne.CanvasObject
	for _, l := range s.langs {
		tag := l.Tag
		b := ui.NewActionButton(func() { s.pick(tag) })
		b.SetText(l.Name)
		b.Alignment = widget.ButtonAlignLeading
		b.Importance = widget.LowImportance
		if tag == s.current {
			b.SetIcon(theme.ConfirmIcon())
		} else {
			b.SetIcon(theme.NewThemedResource(emptyIcon))
		}
		s.items[tag] = b
		rows = append(rows, s.themed(b, tag))
	}
	if s.onOpen != nil {
		s.onOpen()
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
