package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// ActionButton, SecretEntry and Choice name three of the widgets outside
// this package. The types keep their unexported names, which the golden
// files of the screens (ui/wizard/testdata) record: ui.actionButton,
// ui.secretEntry and ui.choice.
type (
	ActionButton = actionButton
	SecretEntry  = secretEntry
	Choice       = choice
	CheckBox     = checkBox
)

// actionButton is a button that Enter also presses, so that a screen whose
// focus is on its button submits with Enter like the others.
type actionButton struct {
	widget.Button
	OnEscape func() // what Esc does while it has the focus; nil: nothing
	focused  bool
}

// FocusGained shows the focus ring rather than Fyne's tint (focusring.go).
func (b *actionButton) FocusGained() { b.focused = true; b.Refresh() }
func (b *actionButton) FocusLost()   { b.focused = false; b.Refresh() }

func (b *actionButton) CreateRenderer() fyne.WidgetRenderer {
	return withFocusRing(b, b.Button.CreateRenderer(), &b.focused)
}

func NewActionButton(onTap func()) *ActionButton {
	b := &actionButton{}
	b.OnTapped = onTap
	b.ExtendBaseWidget(b)
	return b
}

func NewPrimaryButton(onTap func()) *ActionButton {
	b := NewActionButton(onTap)
	b.Importance = widget.HighImportance
	return b
}

// TypedKey presses the button on Enter as well as Space.
func (b *actionButton) TypedKey(ev *fyne.KeyEvent) {
	if ev.Name == fyne.KeyEscape && b.OnEscape != nil {
		b.OnEscape()
		return
	}
	if ev.Name == fyne.KeyReturn || ev.Name == fyne.KeyEnter {
		if !b.Disabled() && b.OnTapped != nil {
			b.OnTapped()
		}
		return
	}
	b.Button.TypedKey(ev)
}

// secretEntry is an entry for a password or a code: it never copies or cuts
// to the clipboard, even while shown in clear, but accepts pasting.
type secretEntry struct {
	widget.Entry
	// OnFocusLost runs after the entry loses the keyboard focus; nil:
	// nothing.
	OnFocusLost func()
}

// FocusLost lets the screen react when the person leaves the field.
func (e *secretEntry) FocusLost() {
	e.Entry.FocusLost()
	if e.OnFocusLost != nil {
		e.OnFocusLost()
	}
}

func NewSecretEntry(concealed bool) *SecretEntry {
	e := &secretEntry{}
	e.Password = concealed
	// Monospace tells 1, l and I apart when shown, and its bullet is
	// narrow in every language's font.
	e.TextStyle.Monospace = true
	e.Wrapping = fyne.TextWrap(fyne.TextTruncateClip)
	e.ExtendBaseWidget(e)
	return e
}

// TypedShortcut drops copy and cut; everything else (paste, select all,
// undo) works as usual.
func (e *secretEntry) TypedShortcut(s fyne.Shortcut) {
	switch s.(type) {
	case *fyne.ShortcutCopy, *fyne.ShortcutCut:
		return
	}
	e.Entry.TypedShortcut(s)
}

// wipe empties the entry so that the secret leaves the screen.
func (e *secretEntry) Wipe() {
	e.SetText("")
}

func NewHeading() *WrapLabel {
	l := NewWrapLabel()
	l.TextStyle.Bold = true
	l.SizeName = theme.SizeNameSubHeadingText
	return l
}

func NewErrorLabel() *WrapLabel {
	l := NewWrapLabel()
	l.Importance = widget.DangerImportance
	return l
}

// SetText sets a label's text and hides it when there is none, so that an
// empty message takes no room.
func SetText(l interface {
	SetText(string)
	Show()
	Hide()
}, s string) {
	l.SetText(s)
	if s == "" {
		l.Hide()
	} else {
		l.Show()
	}
}

// choice is one option of a single choice, like a radio button but with a
// label that wraps (the channel sentences are long) and Enter to submit.
type choice struct {
	widget.BaseWidget
	label    *WrapLabel
	selected bool
	focused  bool
	hovered  bool
	disabled bool
	onSelect func()
	onSubmit func()
}

var (
	_ fyne.Focusable      = (*choice)(nil)
	_ fyne.Tappable       = (*choice)(nil)
	_ desktop.Hoverable   = (*choice)(nil)
	_ fyne.Disableable    = (*choice)(nil)
	_ fyne.WidgetRenderer = (*choiceRenderer)(nil)
)

func NewChoice(onSelect, onSubmit func()) *Choice {
	c := &choice{label: NewWrapLabel(), onSelect: onSelect, onSubmit: onSubmit}
	c.ExtendBaseWidget(c)
	return c
}

func (c *choice) SetText(s string) { c.label.SetText(s) }

// OneLine keeps the option's text on one line, for a word or two side by
// side with others.
func (c *choice) OneLine() { c.label.Wrapping = fyne.TextWrapOff }

// Text is the option's sentence.
func (c *choice) Text() string { return c.label.Text }

// Selected reports whether the option is chosen.
func (c *choice) Selected() bool { return c.selected }

func (c *choice) SetSelected(on bool) {
	if c.selected != on {
		c.selected = on
		c.Refresh()
	}
}

func (c *choice) pick() {
	if c.disabled {
		return
	}
	c.SetSelected(true)
	if c.onSelect != nil {
		c.onSelect()
	}
}

// Tapped selects the option and moves the focus to it.
func (c *choice) Tapped(*fyne.PointEvent) {
	if c.disabled {
		return
	}
	if cv := fyne.CurrentApp().Driver().CanvasForObject(c); cv != nil {
		cv.Focus(c)
	}
	c.pick()
}

func (c *choice) FocusGained() { c.focused = true; c.Refresh() }
func (c *choice) FocusLost()   { c.focused = false; c.Refresh() }

// TypedRune selects on Space, as a radio button does.
func (c *choice) TypedRune(r rune) {
	if r == ' ' {
		c.pick()
	}
}

// TypedKey submits on Enter, selecting the option first.
func (c *choice) TypedKey(ev *fyne.KeyEvent) {
	if ev.Name == fyne.KeyReturn || ev.Name == fyne.KeyEnter {
		c.pick()
		if c.onSubmit != nil && !c.disabled {
			c.onSubmit()
		}
	}
}

func (c *choice) MouseIn(*desktop.MouseEvent)    { c.hovered = true; c.Refresh() }
func (c *choice) MouseMoved(*desktop.MouseEvent) {}
func (c *choice) MouseOut()                      { c.hovered = false; c.Refresh() }

func (c *choice) Disable()       { c.disabled = true; c.Refresh() }
func (c *choice) Enable()        { c.disabled = false; c.Refresh() }
func (c *choice) Disabled() bool { return c.disabled }

func (c *choice) CreateRenderer() fyne.WidgetRenderer {
	r := &choiceRenderer{
		c:    c,
		bg:   canvas.NewRectangle(color.Transparent),
		icon: widget.NewIcon(nil),
	}
	r.bg.CornerRadius = theme.InputRadiusSize()
	r.row = container.NewBorder(nil, nil, container.NewCenter(r.icon), nil, c.label)
	r.Refresh()
	return r
}

type choiceRenderer struct {
	c    *choice
	bg   *canvas.Rectangle
	icon *widget.Icon
	row  *fyne.Container
}

func (r *choiceRenderer) Layout(size fyne.Size) {
	r.bg.Resize(size)
	p := theme.Padding()
	r.row.Move(fyne.NewPos(p, 0))
	r.row.Resize(fyne.NewSize(size.Width-2*p, size.Height))
}

func (r *choiceRenderer) MinSize() fyne.Size {
	return r.row.MinSize().Add(fyne.NewSize(2*theme.Padding(), 0))
}

func (r *choiceRenderer) Refresh() {
	th := r.c.Theme()
	v := fyne.CurrentApp().Settings().ThemeVariant()
	// The focus is a ring, as on the buttons (focusring.go): the label
	// must read on whatever is under it.
	r.bg.StrokeWidth = FocusRingWidth
	r.bg.StrokeColor = color.Transparent
	if r.c.focused {
		r.bg.StrokeColor = th.Color(theme.ColorNameFocus, v)
	}
	switch {
	case r.c.hovered && !r.c.disabled:
		r.bg.FillColor = th.Color(theme.ColorNameHover, v)
	default:
		r.bg.FillColor = color.Transparent
	}
	icon := th.Icon(theme.IconNameRadioButton)
	if r.c.selected {
		icon = theme.NewPrimaryThemedResource(th.Icon(theme.IconNameRadioButtonChecked))
	}
	if r.c.disabled {
		icon = theme.NewDisabledResource(icon)
	}
	r.icon.SetResource(icon)
	r.bg.Refresh()
}

func (r *choiceRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{r.bg, r.row} }
func (r *choiceRenderer) Destroy()                     {}

// CheckState is the state of one line of the password checklist.
type CheckState int

const (
	CheckPending CheckState = iota // nothing typed yet
	CheckMet
	CheckFailed
	CheckInfo // a rule only the service can check
)

// CheckItem is a line of the checklist: an icon and a wrapping label.
type CheckItem struct {
	icon  *widget.Icon
	label *WrapLabel
	state CheckState
	row   *fyne.Container
}

func NewCheckItem() *CheckItem {
	i := &CheckItem{icon: widget.NewIcon(nil), label: NewWrapLabel()}
	// Line the icon up with the label's first line, not its padding.
	top := max(0, compactInnerPadding+(theme.TextSize()*1.35-theme.IconInlineSize())/2)
	icon := container.New(layout.NewCustomPaddedLayout(top, 0, 0, 0), i.icon)
	i.row = container.NewBorder(nil, nil, container.NewVBox(icon), nil, i.label)
	i.Set(CheckPending, "")
	return i
}

func (i *CheckItem) Set(s CheckState, text string) {
	i.state = s
	var res fyne.Resource
	switch s {
	case CheckMet:
		res = theme.NewSuccessThemedResource(theme.ConfirmIcon())
		i.label.Importance = widget.MediumImportance
	case CheckFailed:
		res = theme.NewErrorThemedResource(theme.CancelIcon())
		i.label.Importance = widget.DangerImportance
	case CheckInfo:
		res = theme.InfoIcon()
		i.label.Importance = widget.MediumImportance
	default:
		res = theme.RadioButtonIcon()
		i.label.Importance = widget.MediumImportance
	}
	i.icon.SetResource(res)
	i.label.SetText(text)
}

// Show and Hide show and hide the line; Visible reports which.
func (i *CheckItem) Show()         { i.row.Show() }
func (i *CheckItem) Hide()         { i.row.Hide() }
func (i *CheckItem) Visible() bool { return i.row.Visible() }

// State is the line's mark, and Text its words.
func (i *CheckItem) State() CheckState { return i.state }
func (i *CheckItem) Text() string      { return i.label.Text }

// MaxWidth centres its content and keeps it no wider than width: long
// lines are hard to read on a wide screen.
func MaxWidth(width float32) fyne.Layout { return maxWidth{width} }

type maxWidth struct{ width float32 }

func (m maxWidth) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	w := min(size.Width, m.width)
	for _, o := range objs {
		o.Move(fyne.NewPos((size.Width-w)/2, 0))
		o.Resize(fyne.NewSize(w, size.Height))
	}
}

func (m maxWidth) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var s fyne.Size
	for _, o := range objs {
		s = s.Max(o.MinSize())
	}
	return s
}

// NewLink is a hyperlink that runs onTap instead of opening a browser, and
// wraps like a label.
func NewLink(onTap func()) *widget.Hyperlink {
	l := widget.NewHyperlink("", nil)
	l.Wrapping = fyne.TextWrapWord
	l.OnTapped = onTap
	return l
}

// compactInnerPadding is the padding around text in a checklist: the
// rules read as one list, and Update stays in sight on a laptop screen.
const compactInnerPadding = 3

// compactTheme is the app's current theme with less padding around text.
// It asks for the current theme on every call, so it follows the
// language's font and the light or dark variant.
type compactTheme struct{}

func (compactTheme) base() fyne.Theme { return fyne.CurrentApp().Settings().Theme() }

func (t compactTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	return t.base().Color(n, v)
}
func (t compactTheme) Font(s fyne.TextStyle) fyne.Resource     { return t.base().Font(s) }
func (t compactTheme) Icon(n fyne.ThemeIconName) fyne.Resource { return t.base().Icon(n) }

func (t compactTheme) Size(n fyne.ThemeSizeName) float32 {
	if n == theme.SizeNameInnerPadding {
		return compactInnerPadding
	}
	return t.base().Size(n)
}

// CompactList stacks checklist lines closely.
func CompactList(items ...*CheckItem) fyne.CanvasObject {
	rows := make([]fyne.CanvasObject, len(items))
	for i, it := range items {
		rows[i] = it.row
	}
	return container.NewThemeOverride(container.New(layout.NewCustomPaddedVBoxLayout(0), rows...), compactTheme{})
}

// NewNotice is a label with a warning icon: orange text on white is too
// faint to read, so the icon carries the colour and the text stays dark.
func NewNotice() (*WrapLabel, *fyne.Container) {
	l := NewWrapLabel()
	icon := widget.NewIcon(theme.NewWarningThemedResource(theme.WarningIcon()))
	top := max(0, theme.InnerPadding()+(theme.TextSize()*1.35-theme.IconInlineSize())/2)
	return l, container.NewBorder(nil, nil, container.NewVBox(container.New(layout.NewCustomPaddedLayout(top, 0, 0, 0), icon)), nil, l)
}

// QuietWhenEmpty keeps a field that nothing was typed into from turning red
// when the focus leaves it (to open the Demo inbox, say); submitting the
// step still checks it in full.
func QuietWhenEmpty(v fyne.StringValidator) fyne.StringValidator {
	return func(s string) error {
		if s == "" {
			return nil
		}
		return v(s)
	}
}
