package wizard

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"casreset/api"
	"casreset/ui"
	"casreset/ui/validate"
)

// forgotPage sends the staff number to the registered mobile or e-mail.
// The service answers the same whether or not the contact matched, and so
// does this page: it must not tell a stranger who is on staff.
type forgotPage struct {
	c        *controller
	from     screen
	title    *ui.WrapLabel
	intro    *ui.WrapLabel
	label    *widget.Label
	contact  *widget.Entry
	fieldErr *message
	captcha  *captchaPanel
	result   *message
	back     *ui.ActionButton
	send     *ui.ActionButton
	box      *fyne.Container
	bar      fyne.CanvasObject

	fieldErrText text
	resultText   text
	sent         bool
}

func newForgotPage(c *controller, from screen) *forgotPage {
	p := &forgotPage{
		c:        c,
		from:     from,
		title:    ui.NewHeading(),
		intro:    ui.NewWrapLabel(),
		label:    widget.NewLabel(""),
		contact:  widget.NewEntry(),
		fieldErr: newMessage(c),
		result:   newMessage(c),
	}
	p.label.TextStyle.Bold = true
	p.contact.Validator = ui.QuietWhenEmpty(validate.Contact)
	p.contact.OnChanged = func(string) {
		c.touch()
		if !p.fieldErrText.empty() {
			p.fieldErrText = text{}
			p.refresh()
		}
	}
	p.contact.OnSubmitted = func(string) { p.onSubmit() }
	p.captcha = newCaptchaPanel(c, p.onSubmit)
	p.back = ui.NewActionButton(func() { c.goBack(from) })
	p.send = ui.NewPrimaryButton(p.onSubmit)
	p.box = container.NewVBox(
		p.title, p.intro,
		p.label, p.contact, p.fieldErr.box,
		widget.NewSeparator(),
		p.captcha.box,
	)
	// The answer to Send shows beside it.
	p.bar = actionBar(p.result, p.back, p.send)
	return p
}

func (p *forgotPage) step() int                  { return 1 }
func (p *forgotPage) content() fyne.CanvasObject { return p.box }
func (p *forgotPage) actions() fyne.CanvasObject { return p.bar }
func (p *forgotPage) focus() fyne.Focusable      { return p.contact }
func (p *forgotPage) setBusy(busy bool)          { enable(p.send, !busy && !p.sent) }

func (p *forgotPage) wipe() {
	p.contact.SetText("")
	p.captcha.wipe()
}

func (p *forgotPage) refresh() {
	c := p.c
	t := c.t
	p.title.SetText(t("forgot.title"))
	p.intro.SetText(t("forgot.intro"))
	p.label.SetText(t("forgot.contact.label"))
	p.contact.SetPlaceHolder(t("forgot.contact.placeholder"))
	p.fieldErr.set(p.fieldErrText)
	p.result.set(p.resultText)
	if p.sent {
		p.result.Importance = widget.SuccessImportance
	} else {
		p.result.Importance = widget.DangerImportance
	}
	p.result.Refresh()
	p.back.SetText(t("button.back"))
	p.send.SetText(t("forgot.send"))
	p.captcha.render()
	p.setBusy(c.busy())
}

func (p *forgotPage) onSubmit() {
	c := p.c
	if c.busy() || p.sent {
		return
	}
	p.fieldErrText = fieldText("contact", validate.Contact(p.contact.Text))
	var ok bool
	p.resultText, ok = p.captcha.checkWith(p.contact, p.fieldErrText)
	p.refresh()
	if !ok {
		return
	}
	req := api.ReminderRequest{
		Contact:       validate.Normalize(p.contact.Text),
		CaptchaID:     p.captcha.id,
		CaptchaAnswer: p.captcha.value(),
		Language:      c.shell.Lang(), // the reminder's
	}
	c.call(func(ctx context.Context) error {
		return c.backend.RemindStaffNumber(ctx, req)
	}, func(err error) {
		if err == nil {
			p.sent = true
			p.resultText = msg("forgot.sent")
			p.refresh()
			c.win.Canvas().Focus(p.back)
			return
		}
		p.captcha.load()
		if errorCode(err) == api.CodeCaptchaInvalid {
			p.captcha.errText = c.errorText(err)
			c.win.Canvas().Focus(p.captcha.answer)
		} else {
			p.resultText = c.errorText(err)
		}
		p.refresh()
	})
}
