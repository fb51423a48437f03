package wizard

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"casreset/api"
	"casreset/ui"
)

// passPage is step 2's other way on: the person types the one-time pass
// that IT Help gave them in place of a validation code, and goes on to
// step 4.
type passPage struct {
	c      *controller
	from   *step2
	title  *ui.WrapLabel
	intro  *ui.WrapLabel
	label  *widget.Label
	pass   *ui.SecretEntry
	errLbl *message
	back   *ui.ActionButton
	next   *ui.ActionButton
	box    *fyne.Container
	bar    fyne.CanvasObject

	errText text
}

func newPassPage(c *controller, from *step2) *passPage {
	p := &passPage{
		c: c, from: from,
		title: ui.NewHeading(), intro: ui.NewWrapLabel(), label: widget.NewLabel(""),
		pass: ui.NewSecretEntry(false), errLbl: newMessage(c),
	}
	p.label.TextStyle.Bold = true
	p.pass.OnChanged = func(string) {
		c.touch()
		if !p.errText.empty() {
			p.errText = text{}
			p.refresh()
		}
	}
	p.pass.OnSubmitted = func(string) { p.onSubmit() }
	p.back = ui.NewActionButton(func() { c.goBack(from) })
	p.next = ui.NewPrimaryButton(p.onSubmit)
	p.box = container.NewVBox(p.title, p.intro, p.label, p.pass, p.errLbl.box)
	p.bar = actionBar(nil, p.back, p.next)
	return p
}

func (p *passPage) step() int                  { return 2 }
func (p *passPage) content() fyne.CanvasObject { return p.box }
func (p *passPage) actions() fyne.CanvasObject { return p.bar }
func (p *passPage) focus() fyne.Focusable      { return p.pass }
func (p *passPage) wipe()                      { p.pass.Wipe() }

func (p *passPage) setBusy(busy bool) {
	enable(p.next, !busy)
	enable(p.back, !busy)
}

func (p *passPage) refresh() {
	t := p.c.t
	p.title.SetText(t("pass.title"))
	p.intro.SetText(t("pass.intro"))
	p.label.SetText(t("pass.label"))
	p.pass.SetPlaceHolder(t("pass.placeholder"))
	p.errLbl.set(p.errText)
	p.back.SetText(t("pass.use_code"))
	p.next.SetText(t("pass.submit"))
}

// onSubmit sends the pass and, once it is accepted, fetches the flow's
// password policy for step 4.
func (p *passPage) onSubmit() {
	c := p.c
	if c.busy() {
		return
	}
	pass, ok := api.NormalizePass(p.pass.Text)
	if !ok {
		p.errText = msg("pass.invalid")
		p.refresh()
		c.win.Canvas().Focus(p.pass)
		return
	}
	token := c.token
	var policy api.Policy
	c.call(func(ctx context.Context) error {
		if _, err := c.backend.VerifyPass(ctx, token, pass); err != nil {
			return err
		}
		var err error
		policy, err = flowPolicy(ctx, c.backend, token)
		return err
	}, func(err error) {
		if err == nil {
			p.pass.Wipe()
			c.policy = policy
			c.show(newStep4(c))
			return
		}
		switch errorCode(err) {
		case api.CodeCodeInvalid:
			p.pass.Wipe()
			p.errText = msg("pass.wrong")
		case api.CodeCodeExpired:
			p.pass.Wipe()
			p.errText = msg("pass.expired")
		default:
			if isFatal(err) {
				c.fail(err)
				return
			}
			p.errText = c.errorText(err)
		}
		p.refresh()
		c.win.Canvas().Focus(p.pass)
	})
}
