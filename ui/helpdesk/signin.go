package helpdesk

import (
	"context"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"casreset/api"
	"casreset/ui"
	"casreset/ui/shell"
	"casreset/ui/validate"
)

// signInPage takes the operator's username, password and, for a local
// operator, the code of their authenticator app. In demo mode it shows
// the demonstration operator's, code included.
type signInPage struct {
	c         *controller
	title     *ui.WrapLabel
	intro     *ui.WrapLabel
	notice    *ui.WrapLabel
	noticeRow *fyne.Container
	userLbl   *widget.Label
	user      *widget.Entry
	passLbl   *widget.Label
	password  *ui.SecretEntry
	totpLbl   *widget.Label
	totp      *ui.SecretEntry
	errLbl    *ui.WrapLabel
	demo      *ui.WrapLabel
	demoFill  *ui.ActionButton
	demoBox   *fyne.Container
	submit    *ui.ActionButton
	box       *fyne.Container
	bar       fyne.CanvasObject

	noticeText shell.Text
	errText    shell.Text
}

func newSignInPage(c *controller, notice shell.Text) *signInPage {
	p := &signInPage{
		c:          c,
		title:      ui.NewHeading(),
		intro:      ui.NewWrapLabel(),
		userLbl:    boldLabel(),
		user:       widget.NewEntry(),
		passLbl:    boldLabel(),
		password:   ui.NewSecretEntry(true),
		totpLbl:    boldLabel(),
		totp:       ui.NewSecretEntry(false),
		errLbl:     ui.NewErrorLabel(),
		demo:       ui.NewWrapLabel(),
		noticeText: notice,
	}
	p.notice, p.noticeRow = ui.NewNotice()
	p.submit = ui.NewPrimaryButton(p.onSubmit)
	p.demoFill = ui.NewActionButton(p.fillDemo)
	for _, e := range []*widget.Entry{p.user, &p.password.Entry, &p.totp.Entry} {
		e.OnChanged = func(string) { c.shell.Touch(); p.clearError() }
		e.OnSubmitted = func(string) { p.onSubmit() }
	}
	p.demoBox = container.NewBorder(nil, nil, nil, container.NewVBox(p.demoFill), p.demo)
	if c.deps.Demo == nil {
		p.demoBox.Hide()
	}
	p.box = container.NewVBox(
		p.title, p.intro, p.noticeRow,
		p.userLbl, p.user, p.passLbl, p.password, p.totpLbl, p.totp,
		p.errLbl, p.demoBox,
	)
	p.bar = shell.ButtonRow(p.submit)
	return p
}

func boldLabel() *widget.Label {
	l := widget.NewLabel("")
	l.TextStyle.Bold = true
	return l
}

func (p *signInPage) content() fyne.CanvasObject { return p.box }
func (p *signInPage) actions() fyne.CanvasObject { return p.bar }
func (p *signInPage) focus() fyne.Focusable      { return p.user }

func (p *signInPage) setBusy(busy bool) {
	if busy {
		p.submit.Disable()
	} else {
		p.submit.Enable()
	}
}

func (p *signInPage) typed() bool {
	return p.user.Text != "" || p.password.Text != "" || p.totp.Text != ""
}

func (p *signInPage) wipe() {
	p.password.Wipe()
	p.totp.Wipe()
}

func (p *signInPage) clearError() {
	if !p.errText.Empty() {
		p.errText = noText
		p.refresh()
	}
}

func (p *signInPage) refresh() {
	c := p.c
	t := c.t
	p.title.SetText(t("hd.signin.title"))
	p.intro.SetText(t("hd.signin.intro"))
	ui.SetText(p.notice, p.noticeText.In(c.tr))
	if p.noticeText.Empty() {
		p.noticeRow.Hide()
	} else {
		p.noticeRow.Show()
	}
	p.userLbl.SetText(t("hd.signin.username"))
	p.passLbl.SetText(t("hd.signin.password"))
	p.totpLbl.SetText(t("hd.signin.totp"))
	p.totp.SetPlaceHolder(t("hd.signin.totp.placeholder"))
	ui.SetText(p.errLbl, p.errText.In(c.tr))
	p.demoFill.SetText(t("hd.signin.demo.fill"))
	p.renderDemo(c.clock.Now())
	p.submit.SetText(t("hd.signin.submit"))
}

// tick keeps the demonstration's code current: it changes every 30 s.
func (p *signInPage) tick(now time.Time) { p.renderDemo(now) }

func (p *signInPage) renderDemo(now time.Time) {
	d := p.c.deps.Demo
	if d == nil {
		return
	}
	name, password, code := d.DemoSignIn(now)
	p.demo.SetText(p.c.t("hd.signin.demo", "Name", name, "Password", password, "Code", code))
}

// fillDemo types the demonstration operator's sign-in, current code
// included, as the operator would.
func (p *signInPage) fillDemo() {
	d := p.c.deps.Demo
	if d == nil {
		return
	}
	name, password, code := d.DemoSignIn(p.c.clock.Now())
	p.user.SetText(name)
	p.password.SetText(password)
	p.totp.SetText(code)
	p.c.win.Canvas().Focus(p.submit)
}

func (p *signInPage) onSubmit() {
	c := p.c
	if c.calls.Busy() {
		return
	}
	user := strings.TrimSpace(validate.Normalize(p.user.Text))
	password := p.password.Text
	code := validate.NormalizeCode(p.totp.Text)
	switch {
	case user == "" || password == "":
		p.errText = shell.Msg("hd.signin.missing")
	case code != "" && validate.Code(code) != nil:
		p.errText = shell.Plural("hd.signin.totp.digits", api.TOTPDigits)
	default:
		p.errText = noText
	}
	if !p.errText.Empty() {
		p.refresh()
		return
	}
	var s api.HelpdeskSession
	c.calls.Call(func(ctx context.Context) error {
		var err error
		s, err = c.desk.HelpdeskSignIn(ctx, user, password, code)
		return err
	}, func(err error) {
		if err != nil {
			p.totp.Wipe()
			p.errText = errorText(err)
			p.refresh()
			c.win.Canvas().Focus(p.totp)
			return
		}
		p.wipe()
		c.signedIn(s)
	})
}
