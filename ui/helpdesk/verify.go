package helpdesk

import (
	"context"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"casreset/api"
	"casreset/ui"
	"casreset/ui/shell"
	"casreset/ui/validate"
)

// verifyPage verifies the caller: a code goes to the staff member's own
// phone or mailbox, and the operator types what the caller reads back.
type verifyPage struct {
	c    *controller
	acct api.HelpdeskAccount

	title    *ui.WrapLabel
	intro    *ui.WrapLabel
	options  []*ui.Choice
	selected int
	send     *ui.ActionButton
	sent     *ui.WrapLabel
	codeLbl  *widget.Label
	code     *ui.SecretEntry
	check    *ui.ActionButton
	back     *ui.ActionButton
	errLbl   *ui.WrapLabel
	codeBox  *fyne.Container
	box      *fyne.Container
	bar      fyne.CanvasObject

	// The code sent, once it is.
	sentTo  api.VerificationResponse
	errText shell.Text
}

func newVerifyPage(c *controller, acct api.HelpdeskAccount) *verifyPage {
	p := &verifyPage{
		c: c, acct: acct, selected: -1,
		title: ui.NewHeading(), intro: ui.NewWrapLabel(), sent: ui.NewWrapLabel(),
		codeLbl: boldLabel(), code: ui.NewSecretEntry(false), errLbl: ui.NewErrorLabel(),
	}
	p.send = ui.NewActionButton(p.onSend)
	p.check = ui.NewPrimaryButton(p.onCheck)
	p.back = ui.NewActionButton(p.onBack)
	// Only the channels this app can name; a newer service's others
	// are left out.
	var known []api.ChannelInfo
	for _, ch := range acct.Channels {
		if _, ok := channelKeys[ch.Channel]; ok {
			known = append(known, ch)
		}
	}
	p.acct.Channels = known
	opts := container.NewVBox()
	for i := range known {
		o := ui.NewChoice(func() { p.pick(i) }, p.onSend)
		p.options = append(p.options, o)
		opts.Add(o)
	}
	if len(p.options) == 1 {
		p.pick(0)
	}
	p.code.OnChanged = func(string) {
		c.shell.Touch()
		if !p.errText.Empty() {
			p.errText = noText
			p.refresh()
		}
	}
	p.code.OnSubmitted = func(string) { p.onCheck() }
	p.codeBox = container.NewVBox(p.sent, p.codeLbl, p.code)
	p.codeBox.Hide()
	p.box = container.NewVBox(
		p.title, p.intro, opts, shell.ButtonRow(p.send), p.codeBox, p.errLbl,
	)
	p.bar = container.NewHBox(p.back, layoutSpacer(), p.check)
	return p
}

func (p *verifyPage) content() fyne.CanvasObject { return p.box }
func (p *verifyPage) actions() fyne.CanvasObject { return p.bar }

func (p *verifyPage) focus() fyne.Focusable {
	if p.codeBox.Visible() {
		return p.code
	}
	if len(p.options) > 0 {
		return p.options[max(p.selected, 0)]
	}
	return nil
}

func (p *verifyPage) wipe() { p.code.Wipe() }

func (p *verifyPage) pick(i int) {
	p.c.shell.Touch()
	p.selected = i
	for j, o := range p.options {
		o.SetSelected(j == i)
	}
}

func (p *verifyPage) setBusy(busy bool) {
	for _, b := range []*ui.ActionButton{p.send, p.check, p.back} {
		if busy {
			b.Disable()
		} else {
			b.Enable()
		}
	}
	if !busy && !p.codeBox.Visible() {
		p.check.Disable()
	}
}

func (p *verifyPage) tick(now time.Time) {
	if p.codeBox.Visible() {
		p.refresh()
	}
}

func (p *verifyPage) refresh() {
	c := p.c
	t := c.t
	p.title.SetText(t("hd.verify.title", "Name", p.acct.Name))
	p.intro.SetText(t("hd.verify.intro"))
	for i, ch := range p.acct.Channels {
		p.options[i].SetText(t(channelKeys[ch.Channel], "Destination", ch.Destination))
	}
	now := c.clock.Now()
	wait := int(p.sentTo.ResendAfter.Sub(now).Seconds() + 0.999)
	if p.codeBox.Visible() {
		if wait > 0 {
			p.send.SetText(t("button.wait", "Label", t("hd.verify.resend"), "Seconds", wait))
		} else {
			p.send.SetText(t("hd.verify.resend"))
		}
		if now.Before(p.sentTo.CodeExpiresAt) {
			p.sent.SetText(t(sentKeys[p.sentTo.Channel], "Destination", p.sentTo.Destination, "Time", c.clockTime(p.sentTo.CodeExpiresAt)))
		} else {
			p.sent.SetText(t("hd.verify.expired"))
		}
	} else {
		p.send.SetText(t("hd.verify.send"))
	}
	if !c.calls.Busy() {
		if wait > 0 || len(p.options) == 0 {
			p.send.Disable()
		} else {
			p.send.Enable()
		}
	}
	p.codeLbl.SetText(t("hd.verify.code"))
	p.code.SetPlaceHolder(t("hd.verify.code.placeholder"))
	ui.SetText(p.errLbl, p.errText.In(c.tr))
	p.check.SetText(t("hd.verify.check"))
	p.back.SetText(t("button.back"))
}

func (p *verifyPage) onSend() {
	c := p.c
	if c.calls.Busy() {
		return
	}
	if p.selected < 0 {
		p.errText = shell.Msg("hd.verify.choose")
		p.refresh()
		return
	}
	ch := p.acct.Channels[p.selected].Channel
	staff := p.acct.StaffNumber
	var r api.VerificationResponse
	c.call(func(ctx context.Context, token string) error {
		var err error
		r, err = c.desk.HelpdeskStartVerification(ctx, token, staff, ch)
		return err
	}, func(err error) {
		if err != nil {
			p.errText = errorText(err)
			p.refresh()
			return
		}
		p.sentTo = r
		p.errText = noText
		p.code.Wipe()
		p.codeBox.Show()
		p.setBusy(false)
		p.refresh()
		c.win.Canvas().Focus(p.code)
	})
}

func (p *verifyPage) onCheck() {
	c := p.c
	if c.calls.Busy() || !p.codeBox.Visible() {
		return
	}
	code := validate.NormalizeCode(p.code.Text)
	if err := validate.Code(code); err != nil {
		p.errText = shell.Msg("hd.verify.code.digits")
		p.refresh()
		return
	}
	staff := p.acct.StaffNumber
	var r api.VerificationCheckResponse
	c.call(func(ctx context.Context, token string) error {
		var err error
		r, err = c.desk.HelpdeskCheckVerification(ctx, token, staff, code)
		return err
	}, func(err error) {
		p.code.Wipe()
		if err != nil {
			p.errText = errorText(err)
			p.refresh()
			c.win.Canvas().Focus(p.code)
			return
		}
		c.openAccount(staff, nil, notice{text: shell.Msg("hd.verify.done", "Time", c.clockTime(r.VerifiedUntil))}, func(err error) {
			p.errText = errorText(err)
			p.refresh()
		})
	})
}

// onBack returns to the account, read again.
func (p *verifyPage) onBack() {
	c := p.c
	c.openAccount(p.acct.StaffNumber, nil, notice{}, func(err error) {
		p.errText = errorText(err)
		p.refresh()
	})
}
