package helpdesk

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"casreset/api"
	"casreset/ui"
	"casreset/ui/shell"
)

func layoutSpacer() fyne.CanvasObject { return layout.NewSpacer() }

// notePage asks, before an unlock or a pass for a caller who was not
// verified, what the operator checked in person (the staff card); the
// note goes to the audit with the action.
type notePage struct {
	c    *controller
	acct api.HelpdeskAccount
	a    action
	from *accountPage

	title   *ui.WrapLabel
	intro   *ui.WrapLabel
	label   *widget.Label
	note    *widget.Entry
	errLbl  *ui.WrapLabel
	back    *ui.ActionButton
	confirm *ui.ActionButton
	box     *fyne.Container
	bar     fyne.CanvasObject

	errText shell.Text
}

func newNotePage(c *controller, acct api.HelpdeskAccount, a action, from *accountPage) *notePage {
	p := &notePage{
		c: c, acct: acct, a: a, from: from,
		title: ui.NewHeading(), intro: ui.NewWrapLabel(), label: boldLabel(),
		note: widget.NewMultiLineEntry(), errLbl: ui.NewErrorLabel(),
	}
	p.note.Wrapping = fyne.TextWrapWord
	p.note.SetMinRowsVisible(3)
	p.note.OnChanged = func(string) {
		c.shell.Touch()
		if !p.errText.Empty() {
			p.errText = noText
			p.refresh()
		}
	}
	p.back = ui.NewActionButton(func() { c.show(from) })
	p.confirm = ui.NewPrimaryButton(p.onConfirm)
	p.box = container.NewVBox(p.title, p.intro, p.label, p.note, p.errLbl)
	p.bar = container.NewHBox(p.back, layout.NewSpacer(), p.confirm)
	return p
}

func (p *notePage) content() fyne.CanvasObject { return p.box }
func (p *notePage) actions() fyne.CanvasObject { return p.bar }
func (p *notePage) focus() fyne.Focusable      { return p.note }

func (p *notePage) setBusy(busy bool) {
	for _, b := range []*ui.ActionButton{p.back, p.confirm} {
		if busy {
			b.Disable()
		} else {
			b.Enable()
		}
	}
}

func (p *notePage) refresh() {
	c := p.c
	t := c.t
	p.title.SetText(t(actionKeys[p.a].title, "Name", p.acct.Name))
	p.intro.SetText(t("hd.note.intro"))
	p.label.SetText(t("hd.note.label"))
	p.note.SetPlaceHolder(t("hd.note.placeholder"))
	ui.SetText(p.errLbl, p.errText.In(c.tr))
	p.back.SetText(t("button.back"))
	p.confirm.SetText(t(actionKeys[p.a].confirm))
}

func (p *notePage) onConfirm() {
	c := p.c
	if c.calls.Busy() {
		return
	}
	note := strings.TrimSpace(p.note.Text)
	switch {
	case note == "":
		p.errText = shell.Msg("hd.note.empty")
	case len([]rune(note)) > api.MaxInPersonNote:
		p.errText = shell.Plural("hd.note.too_long", api.MaxInPersonNote)
	}
	if !p.errText.Empty() {
		p.refresh()
		return
	}
	runAction(c, p.acct, p.a, note, func(err error) {
		p.errText = errorText(err)
		p.refresh()
	})
}
