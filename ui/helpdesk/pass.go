package helpdesk

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"

	"casreset/api"
	"casreset/ui"
	"casreset/ui/shell"
)

// passSize is the pass's text size: large enough to read out from a
// step away, or for the person at the desk to copy.
const passSize = 56

// passPage shows a one-time pass, large and grouped ABCD-EFGH, with what
// to tell the person. It is wiped when the operator leaves it.
type passPage struct {
	c    *controller
	acct api.HelpdeskAccount
	resp api.PassResponse

	title  *ui.WrapLabel
	pass   *canvas.Text
	expiry *ui.WrapLabel
	tell   *ui.WrapLabel
	notice *ui.WrapLabel
	done   *ui.ActionButton
	box    *fyne.Container
	bar    fyne.CanvasObject
}

func newPassPage(c *controller, acct api.HelpdeskAccount, r api.PassResponse) *passPage {
	p := &passPage{
		c: c, acct: acct, resp: r,
		title: ui.NewHeading(), expiry: ui.NewWrapLabel(), tell: ui.NewWrapLabel(), notice: ui.NewWrapLabel(),
	}
	formatted := r.Pass
	if n, ok := api.NormalizePass(r.Pass); ok {
		formatted = api.FormatPass(n)
	}
	p.pass = canvas.NewText(formatted, theme.Color(theme.ColorNameForeground))
	p.pass.TextSize = passSize
	p.pass.TextStyle = fyne.TextStyle{Monospace: true}
	p.pass.Alignment = fyne.TextAlignCenter
	frame := canvas.NewRectangle(color.Transparent)
	frame.StrokeColor = theme.Color(theme.ColorNamePrimary)
	frame.StrokeWidth = 2
	frame.CornerRadius = theme.InputRadiusSize()
	p.expiry.TextStyle.Bold = true
	p.done = ui.NewPrimaryButton(func() {
		c.openAccount(acct.StaffNumber, nil, notice{}, func(error) { c.show(newSearchPage(c, noText)) })
	})
	p.box = container.NewVBox(
		p.title,
		container.NewStack(frame, container.NewPadded(p.pass)),
		p.expiry, p.tell, p.notice,
	)
	p.bar = shell.ButtonRow(p.done)
	return p
}

func (p *passPage) content() fyne.CanvasObject { return p.box }
func (p *passPage) actions() fyne.CanvasObject { return p.bar }
func (p *passPage) focus() fyne.Focusable      { return p.done }

func (p *passPage) setBusy(busy bool) {
	if busy {
		p.done.Disable()
	} else {
		p.done.Enable()
	}
}

// wipe takes the pass off the screen: it is shown once.
func (p *passPage) wipe() {
	p.pass.Text = ""
	p.pass.Refresh()
	p.resp.Pass = ""
}

func (p *passPage) refresh() {
	c := p.c
	t := c.t
	p.title.SetText(t("hd.pass.title", "Name", p.acct.Name))
	p.expiry.SetText(t("hd.pass.expiry", "Time", c.clockTime(p.resp.ExpiresAt)))
	p.tell.SetText(t("hd.pass.tell", "Name", p.acct.Name, "Org", c.shell.OrgName()))
	p.notice.SetText(t("hd.pass.notified"))
	p.done.SetText(t("hd.pass.done"))
}
