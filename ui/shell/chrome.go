package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"casreset/assets"
)

// contentWidth is the widest the pages grow.
const contentWidth = 760

// chrome is what every screen shares: the organisation's name, the
// language switch, the demo banner, the step indicator, the busy indicator
// and the copyright line.
type chrome struct {
	c         *controller
	org       *widget.Label
	title     *widget.Label
	langs     *languageSwitch
	demo      fyne.CanvasObject
	demoText  *widget.Label
	inboxBtn  *widget.Button // opens Deps.DemoInbox; nil without one
	stepOf    *widget.Label
	stepIcons [4]*widget.Icon
	stepNames [4]*widget.Label
	stepRow   fyne.CanvasObject
	body      *fyne.Container
	scroll    *container.Scroll
	activity  *widget.Activity
	busyText  *widget.Label
	copyright *widget.Label
	root      fyne.CanvasObject
}

func newChrome(c *controller) *chrome {
	h := &chrome{
		c:         c,
		org:       widget.NewLabel(""),
		title:     widget.NewLabel(""),
		demoText:  newWrapLabel(),
		stepOf:    widget.NewLabel(""),
		body:      container.NewStack(),
		activity:  widget.NewActivity(),
		busyText:  widget.NewLabel(""),
		copyright: newWrapLabel(),
	}
	h.org.TextStyle.Bold = true
	h.org.SizeName = theme.SizeNameHeadingText
	h.copyright.Alignment = fyne.TextAlignTrailing
	h.copyright.SizeName = theme.SizeNameCaptionText
	h.langs = newLanguageSwitch(assets.Languages(), c.win.Canvas, c.setLanguage)

	banner := canvas.NewRectangle(color.NRGBA{R: 0xff, G: 0xc1, B: 0x07, A: 0x55})
	banner.CornerRadius = theme.InputRadiusSize()
	h.demoText.TextStyle.Bold = true
	h.demo = container.NewStack(banner, h.demoText)
	if inbox := c.deps.DemoInbox; inbox != nil {
		h.inboxBtn = widget.NewButtonWithIcon("", theme.MailComposeIcon(), inbox.Show)
		inbox.onUnread = h.refreshInboxButton
		h.demo = container.NewStack(banner, container.NewBorder(nil, nil, nil, container.NewCenter(h.inboxBtn), h.demoText))
	}
	h.demo.Hide()

	names := make([]fyne.CanvasObject, 4)
	for i := range h.stepNames {
		h.stepIcons[i] = widget.NewIcon(theme.RadioButtonIcon())
		h.stepNames[i] = widget.NewLabel("")
		h.stepNames[i].Truncation = fyne.TextTruncateEllipsis
		names[i] = container.NewBorder(nil, nil, h.stepIcons[i], nil, h.stepNames[i])
	}
	h.stepRow = container.NewBorder(nil, nil, h.stepOf, nil, container.NewGridWithColumns(4, names...))

	header := container.NewVBox(
		container.NewBorder(nil, nil, nil, container.NewVBox(h.langs.hold), container.NewVBox(h.org, h.title)),
		h.demo,
		h.stepRow,
	)
	h.activity.Hide()
	footer := container.NewBorder(nil, nil, container.NewHBox(h.activity, h.busyText), nil, h.copyright)

	h.scroll = container.NewVScroll(container.NewPadded(h.body))
	page := container.NewBorder(
		container.NewVBox(header, widget.NewSeparator()),
		container.NewVBox(widget.NewSeparator(), footer),
		nil, nil, h.scroll)
	h.root = container.New(maxWidth{contentWidth}, container.NewPadded(page))
	return h
}

// setBody shows s below the header, scrolled to its top.
func (h *chrome) setBody(s screen) {
	h.body.Objects = []fyne.CanvasObject{s.content()}
	h.body.Refresh()
	h.scroll.ScrollToTop()
}

// refresh sets the texts and the step indicator for the current screen.
func (h *chrome) refresh() {
	c := h.c
	s := c.deps.Settings
	setText(h.org, c.orgName())
	h.title.SetText(c.t("app.title"))
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
	setText(h.copyright, s.Copyright)

	step := 0
	if c.current != nil {
		step = c.current.step()
	}
	switch {
	case step >= 1 && step <= 4:
		h.stepOf.SetText(c.t("chrome.step_of", "N", step, "Total", 4))
	case step == stepDone:
		h.stepOf.SetText(c.t("chrome.done"))
	}
	for i := range h.stepNames {
		n := i + 1
		h.stepNames[i].SetText(c.t("chrome.step" + string(rune('0'+n))))
		h.stepNames[i].TextStyle.Bold = n == step
		switch {
		case n < step:
			h.stepIcons[i].SetResource(theme.NewSuccessThemedResource(theme.ConfirmIcon()))
		case n == step:
			h.stepIcons[i].SetResource(theme.NewPrimaryThemedResource(theme.RadioButtonCheckedIcon()))
		default:
			h.stepIcons[i].SetResource(theme.RadioButtonIcon())
		}
		h.stepNames[i].Refresh()
	}
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

// contactCard shows how to reach IT Help, from the settings.
type contactCard struct {
	c     *controller
	title *widget.Label
	lines *widget.Label
	bg    *canvas.Rectangle
	box   *fyne.Container
}

func newContactCard(c *controller) *contactCard {
	k := &contactCard{c: c, title: widget.NewLabel(""), lines: newWrapLabel()}
	k.title.TextStyle.Bold = true
	k.bg = canvas.NewRectangle(color.Transparent)
	k.bg.CornerRadius = theme.InputRadiusSize()
	k.box = container.NewStack(k.bg, container.NewVBox(k.title, k.lines))
	return k
}

func (k *contactCard) refresh() {
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

// buttonRow puts buttons at the trailing edge, the primary one last.
func buttonRow(objs ...fyne.CanvasObject) *fyne.Container {
	return container.NewHBox(append([]fyne.CanvasObject{layout.NewSpacer()}, objs...)...)
}
