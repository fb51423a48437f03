package shell

import (
	"image/color"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"casreset/assets"
	"casreset/ui"
)

// contentWidth is the widest the pages grow.
const contentWidth = 760

// demoBanner is the demo banner's amber, a third of it over the
// background, so that the text on it reads in either variant.
var demoBanner = color.NRGBA{R: 0xff, G: 0xc1, B: 0x07, A: 0x55}

// chrome is what every screen shares: the organisation's name, the
// language switch, the demo banner, the mode's own header (the wizard's
// step indicator), the busy indicator and the copyright line.
type chrome struct {
	c        *Shell
	org      *widget.Label
	title    *widget.Label
	langs    *languageSwitch
	demo     fyne.CanvasObject
	demoText *ui.WrapLabel
	inboxBtn *ui.ActionButton // opens Deps.DemoInbox; nil without one
	// inboxWidest is never shown: the button with its widest text, which
	// the button's slot is as wide as.
	inboxWidest *ui.ActionButton
	body        *fyne.Container
	scroll      *container.Scroll
	bar         *fyne.Container   // the screen's action bar, fixed below its content
	center      *fyne.Container   // the content and the action bar
	revealed    fyne.CanvasObject // the last message scrolled into sight
	focused     fyne.Focusable    // what had the keyboard focus at the last look (followFocus)
	activity    *widget.Activity
	busyText    *widget.Label
	copyright   *ui.WrapLabel
	root        fyne.CanvasObject
}

func newChrome(c *Shell) *chrome {
	h := &chrome{
		c:         c,
		org:       widget.NewLabel(""),
		title:     widget.NewLabel(""),
		demoText:  ui.NewWrapLabel(),
		body:      container.NewStack(),
		bar:       container.NewStack(),
		activity:  widget.NewActivity(),
		busyText:  widget.NewLabel(""),
		copyright: ui.NewWrapLabel(),
	}
	h.org.TextStyle.Bold = true
	h.org.SizeName = theme.SizeNameHeadingText
	h.copyright.Alignment = fyne.TextAlignTrailing
	h.copyright.SizeName = theme.SizeNameCaptionText
	h.langs = newLanguageSwitch(assets.Languages(), c.win.Canvas, c.SetLanguage)

	banner := canvas.NewRectangle(demoBanner)
	banner.CornerRadius = theme.InputRadiusSize()
	h.demoText.TextStyle.Bold = true
	h.demo = container.NewStack(banner, h.demoText)
	if inbox := c.deps.DemoInbox; inbox != nil {
		h.inboxBtn = ui.NewActionButton(inbox.Show)
		h.inboxBtn.Icon = theme.MailComposeIcon()
		inbox.onUnread = h.refreshInboxButton
		// The button's text grows with a count of new messages and
		// shrinks when the inbox opens; in a slot as wide as its widest
		// text, the banner's text keeps its width and so its lines, and
		// nothing below the banner moves.
		h.inboxWidest = ui.NewActionButton(nil)
		h.inboxWidest.Icon = h.inboxBtn.Icon
		slot := container.New(&widestLayout{widest: h.inboxWidest}, h.inboxBtn)
		h.demo = container.NewStack(banner, container.NewBorder(nil, nil, nil, slot, h.demoText))
	}
	h.demo.Hide()

	header := container.NewVBox(
		container.NewBorder(nil, nil, nil, container.NewVBox(h.langs.button), container.NewVBox(h.org, h.title)),
		h.demo,
	)
	if extra := c.mode.Header(); extra != nil {
		header.Add(extra)
	}
	h.activity.Hide()
	footer := container.NewBorder(nil, nil, container.NewHBox(h.activity, h.busyText), nil, h.copyright)

	h.scroll = container.NewVScroll(container.NewPadded(h.body))
	// The action bar is outside the scrolling content, so that Next never
	// goes out of sight, and in the same centre as it, so that Tab reaches
	// it after the last field and before the header.
	h.center = container.NewBorder(nil, container.NewVBox(widget.NewSeparator(), container.NewPadded(h.bar)), nil, nil, h.scroll)
	page := container.NewBorder(
		container.NewVBox(header, widget.NewSeparator()),
		container.NewVBox(widget.NewSeparator(), footer),
		nil, nil, h.center)
	h.root = container.New(&chromeLayout{h: h, width: contentWidth}, container.NewPadded(page))
	return h
}

// compactHeight is the window height below which the header is compact:
// the organisation's name in the size of text and no title under it, so
// that a 640x480 window keeps most of its height for the page.
const compactHeight = 700

// chromeLayout is ui.MaxWidth, and makes the header compact in a low
// window.
type chromeLayout struct {
	h       *chrome
	width   float32
	compact bool
}

func (l *chromeLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	if compact := size.Height < compactHeight; compact != l.compact {
		l.compact = compact
		l.h.setCompact(compact)
	}
	ui.MaxWidth(l.width).Layout(objs, size)
}

func (l *chromeLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	return ui.MaxWidth(l.width).MinSize(objs)
}

// setCompact makes the header compact or not; the layout then lays it
// out at its new size.
func (h *chrome) setCompact(compact bool) {
	if compact {
		h.org.SizeName = theme.SizeNameText
		h.title.Hide()
	} else {
		h.org.SizeName = theme.SizeNameHeadingText
		h.title.Show()
	}
	h.org.Refresh()
}

// setBody shows page below the header, scrolled to its top, and its
// action bar (nil for none) below it.
func (h *chrome) setBody(page, bar fyne.CanvasObject) {
	h.body.Objects = []fyne.CanvasObject{page}
	h.body.Refresh()
	h.revealed = nil
	h.bar.Objects = nil
	if bar != nil {
		h.bar.Objects = []fyne.CanvasObject{bar}
	}
	h.center.Refresh() // lays the bar out at its new height
	h.scroll.ScrollToTop()
}

// reveal scrolls the page so that o, and the line above it (the field a
// message is about), are in sight.
func (h *chrome) reveal(o fyne.CanvasObject) {
	h.revealed = o
	h.scrollTo(o, false)
}

// focusPoll is how often the shell looks where the keyboard focus is.
const focusPoll = 100 * time.Millisecond

// followFocus scrolls the page so that what has just received the
// keyboard focus is in sight, with the line above it (its label): Tab
// moves the focus to the next field even when it is below the window's
// edge, and Fyne neither scrolls to it nor tells when the focus moves, so
// the shell looks every focusPoll. What is in sight already (a field just
// clicked) does not move.
func (h *chrome) followFocus() {
	f := h.c.win.Canvas().Focused()
	if f == h.focused {
		return
	}
	h.focused = f
	if o, ok := f.(fyne.CanvasObject); ok && holds(h.body, o) {
		h.revealed = o // and again after the window changes size
		h.scrollTo(o, true)
	}
}

// holds reports whether o is c or among the objects of its containers.
func holds(c, o fyne.CanvasObject) bool {
	if c == o {
		return true
	}
	if box, ok := c.(*fyne.Container); ok {
		for _, child := range box.Objects {
			if holds(child, o) {
				return true
			}
		}
	}
	return false
}

// scrollTo scrolls the page so that o and the line above it are in
// sight; when hiddenOnly, only if o itself is not wholly in sight.
func (h *chrome) scrollTo(o fyne.CanvasObject, hiddenOnly bool) {
	d := fyne.CurrentApp().Driver()
	content := h.scroll.Content
	if content == nil || !o.Visible() {
		return
	}
	top := d.AbsolutePositionForObject(o).Y - d.AbsolutePositionForObject(content).Y
	above := theme.TextSize() * 3 // the field above a message, the label above a field
	bottom := top + o.MinSize().Height
	view := h.scroll.Size().Height
	off := h.scroll.Offset.Y
	if hiddenOnly && top >= off && bottom <= off+view {
		return
	}
	switch {
	case bottom > off+view:
		off = min(bottom-view, top-above)
	case top-above < off:
		off = top - above
	default:
		return
	}
	h.scroll.ScrollToOffset(fyne.NewPos(0, max(0, off)))
}

// refresh sets the texts in the current language.
func (h *chrome) refresh() {
	c := h.c
	s := c.deps.Settings
	ui.SetText(h.org, c.OrgName())
	h.title.SetText(c.mode.Title())
	// The taskbar and Alt+Tab show the window's title: in the language
	// of the page, as the Demo inbox's is.
	c.win.SetTitle(c.mode.Title())
	h.langs.show(c.lang)
	if s.DemoMode {
		h.demoText.SetText(c.t("chrome.demo"))
		h.demo.Show()
		if h.inboxBtn != nil {
			h.refreshInboxButton()
			c.deps.DemoInbox.follow(c.lang)
		}
	}
	h.busyText.SetText(c.t("chrome.busy"))
	ui.SetText(h.copyright, assets.NameIn(s.Copyrights, c.lang, s.Copyright))
}

func (h *chrome) setBusy(b bool) {
	if b {
		h.activity.Show()
		h.activity.Start()
		h.busyText.Show()
	} else {
		h.activity.Stop()
		h.activity.Hide()
		h.busyText.Hide()
	}
}

// ContactCard shows how to reach IT Help, from the settings.
type ContactCard struct {
	c     *Shell
	title *widget.Label
	lines *ui.WrapLabel
	bg    *canvas.Rectangle
	box   *fyne.Container
}

// NewContactCard is the card of s's settings; Refresh fills it.
func NewContactCard(c *Shell) *ContactCard {
	k := &ContactCard{c: c, title: widget.NewLabel(""), lines: ui.NewWrapLabel()}
	k.title.TextStyle.Bold = true
	k.bg = canvas.NewRectangle(color.Transparent)
	k.bg.CornerRadius = theme.InputRadiusSize()
	k.box = container.NewStack(k.bg, container.NewVBox(k.title, k.lines))
	return k
}

// Box is the card, to place on a page.
func (k *ContactCard) Box() fyne.CanvasObject { return k.box }

// Lines are the contacts the card shows.
func (k *ContactCard) Lines() string { return k.lines.Text }

// Refresh sets the card's texts in the current language.
func (k *ContactCard) Refresh() {
	c := k.c
	s := c.deps.Settings
	k.bg.FillColor = theme.Color(theme.ColorNameInputBackground)
	k.bg.Refresh()
	k.title.SetText(c.t("contact.title"))
	var lines string
	add := func(key, value string) {
		if value == "" {
			return
		}
		if lines != "" {
			lines += "\n"
		}
		lines += c.t(key, "Value", value)
	}
	add("contact.email", s.HelpEmail)
	add("contact.phone", s.HelpPhone)
	add("contact.hours", s.HelpHours)
	if lines == "" {
		lines = c.t("contact.none")
	}
	k.lines.SetText(lines)
}

// ButtonRow puts buttons at the trailing edge, the primary one last.
func ButtonRow(objs ...fyne.CanvasObject) *fyne.Container {
	return container.NewHBox(append([]fyne.CanvasObject{layout.NewSpacer()}, objs...)...)
}

// widestLayout centres its object in a space at least as wide as widest
// (an object shown nowhere, holding the widest content the object has).
type widestLayout struct{ widest fyne.CanvasObject }

func (l *widestLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	s := layout.NewCenterLayout().MinSize(objs)
	return fyne.NewSize(max(s.Width, l.widest.MinSize().Width), s.Height)
}

func (l *widestLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	layout.NewCenterLayout().Layout(objs, size)
}
