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

// step1 asks for the staff / teacher number and the CAPTCHA.
type step1 struct {
	c          *controller
	notice     text // why the flow started again (idle timeout)
	intro      *ui.WrapLabel
	helpLink   *widget.Hyperlink
	noticeLbl  *ui.WrapLabel
	noticeRow  *fyne.Container
	title      *ui.WrapLabel
	staffLabel *widget.Label
	staff      *widget.Entry
	staffErr   *message
	staffHint  *ui.WrapLabel
	remember   *ui.CheckBox
	forget     *ui.ActionButton
	memoryLbl  *ui.WrapLabel
	forgotLink *widget.Hyperlink
	reminder   *ui.WrapLabel
	captcha    *captchaPanel
	formErr    *message
	next       *ui.ActionButton
	box        *fyne.Container
	bar        fyne.CanvasObject

	staffErrText text
	memoryText   text
	formErrText  text
}

func newStep1(c *controller) *step1 {
	s := &step1{
		c:          c,
		intro:      ui.NewWrapLabel(),
		helpLink:   ui.NewLink(c.showHelp),
		title:      ui.NewHeading(),
		staffLabel: widget.NewLabel(""),
		staff:      widget.NewEntry(),
		staffErr:   newMessage(c),
		staffHint:  ui.NewWrapLabel(),
		memoryLbl:  ui.NewWrapLabel(),
		forgotLink: ui.NewLink(c.showForgot),
		reminder:   ui.NewWrapLabel(),
		formErr:    newMessage(c),
	}
	s.noticeLbl, s.noticeRow = ui.NewNotice()
	s.staffLabel.TextStyle.Bold = true
	s.staff.Validator = ui.QuietWhenEmpty(validate.StaffNumber)
	s.staff.OnChanged = func(string) {
		c.touch()
		if !s.staffErrText.empty() || !s.formErrText.empty() {
			s.staffErrText, s.formErrText = text{}, text{}
			s.refresh()
		}
	}
	s.staff.OnSubmitted = func(string) { s.onSubmit() }
	s.remember = ui.NewCheckBox(func(bool) { c.touch() })
	s.forget = ui.NewActionButton(s.onForget)
	s.forget.Importance = widget.LowImportance
	s.captcha = newCaptchaPanel(c, s.onSubmit)
	s.next = ui.NewPrimaryButton(s.onSubmit)

	s.box = container.NewVBox(
		s.noticeRow,
		s.intro, s.helpLink,
		s.title,
		s.staffLabel, s.staff, s.staffErr.box, s.staffHint,
		container.NewHBox(s.remember, s.forget),
		s.memoryLbl,
		s.forgotLink,
		s.reminder,
		widget.NewSeparator(),
		s.captcha.box,
	)
	// What went wrong with the whole form (the service cannot be
	// reached, too many tries) shows beside Next.
	s.bar = actionBar(s.formErr, s.next)
	if c.remembered != "" {
		s.staff.SetText(c.remembered)
		s.remember.Checked = true
	}
	return s
}

func (s *step1) step() int                  { return 1 }
func (s *step1) content() fyne.CanvasObject { return s.box }
func (s *step1) actions() fyne.CanvasObject { return s.bar }
func (s *step1) focus() fyne.Focusable {
	if s.staff.Text != "" {
		return s.captcha.answer
	}
	return s.staff
}

func (s *step1) setBusy(busy bool) {
	if busy {
		s.next.Disable()
	} else {
		s.next.Enable()
	}
}

// typed reports whether the person has typed anything here (beyond the
// remembered staff number), for the idle timeout.
func (s *step1) typed() bool {
	return (s.staff.Text != "" && s.staff.Text != s.c.remembered) || s.captcha.answer.Text != ""
}

func (s *step1) wipe() {
	s.staff.SetText("")
	s.captcha.wipe()
}

// memoryLoaded fills the remembered staff number in, once the keyring
// answered, unless the person has started typing another.
func (s *step1) memoryLoaded() {
	if s.c.remembered != "" && s.staff.Text == "" {
		s.staff.SetText(s.c.remembered)
		s.remember.SetChecked(true)
		if s.c.current == s {
			s.c.win.Canvas().Focus(s.captcha.answer)
		}
	}
	s.refresh()
}

func (s *step1) refresh() {
	c := s.c
	t := c.t
	s.noticeLbl.SetText(s.notice.in(c.tr))
	if s.notice.empty() {
		s.noticeRow.Hide()
	} else {
		s.noticeRow.Show()
	}
	s.intro.SetText(t("step1.intro"))
	s.helpLink.SetText(t("step1.help"))
	s.title.SetText(t("step1.title"))
	s.staffLabel.SetText(t("step1.staff.label"))
	s.staff.SetPlaceHolder(t("step1.staff.placeholder"))
	s.staffErr.set(s.staffErrText)
	s.staffHint.SetText(t("step1.staff.hint"))
	s.remember.Text = t("step1.remember")
	s.remember.Refresh()
	s.forget.SetText(t("step1.forget"))
	if c.memoryOK {
		s.remember.Show()
	} else {
		s.remember.Hide()
	}
	if c.memoryOK && c.remembered != "" {
		s.forget.Show()
	} else {
		s.forget.Hide()
	}
	ui.SetText(s.memoryLbl, s.memoryText.in(c.tr))
	s.forgotLink.SetText(t("step1.forgot"))
	s.reminder.SetText(t("step1.reminder", "Months", 18))
	s.formErr.set(s.formErrText)
	s.next.SetText(t("button.next"))
	s.captcha.render()
}

// onForget removes the remembered staff number from this computer.
func (s *step1) onForget() {
	s.c.touch()
	s.c.forgetStaff(func(err error) {
		if err != nil {
			s.c.log.Warn("keyring forget", "err", err)
			s.memoryText = msg("step1.forget.failed")
		} else {
			s.memoryText = msg("step1.forget.done")
		}
		s.remember.SetChecked(false)
		s.refresh()
	})
	s.refresh()
}

// onSubmit checks the fields and starts the flow.
func (s *step1) onSubmit() {
	c := s.c
	if c.busy() {
		return
	}
	s.staffErrText = fieldText("staff", validate.StaffNumber(s.staff.Text))
	var ok bool
	s.formErrText, ok = s.captcha.checkWith(s.staff, s.staffErrText)
	s.refresh()
	if !ok {
		return
	}
	// Sent normalised but in the case typed: folding case is the
	// service's setting.
	req := api.StartRequest{
		StaffNumber:   api.NormalizeStaffNumber(s.staff.Text, api.StaffNumberCaseSensitive),
		CaptchaID:     s.captcha.id,
		CaptchaAnswer: s.captcha.value(),
		Language:      c.shell.Lang(), // the flow's messages go out in it
	}
	remember := s.remember.Checked && c.memoryOK
	var resp api.StartResponse
	c.call(func(ctx context.Context) error {
		var err error
		resp, err = c.backend.Start(ctx, req)
		return err
	}, func(err error) {
		if err != nil {
			s.onStartError(err)
			return
		}
		// The number as the service knows the account is what is
		// remembered, and so what step 1 shows the next time.
		staff := resp.StaffNumber
		if staff == "" {
			staff = req.StaffNumber
		}
		c.keepStaff(staff, remember)
		c.token, c.staff, c.channels = resp.ResetToken, staff, resp.Channels
		c.show(newStep2(c))
	})
}

func (s *step1) onStartError(err error) {
	c := s.c
	// Every answer uses the CAPTCHA up, right or wrong.
	s.captcha.load()
	switch errorCode(err) {
	case api.CodeCaptchaInvalid:
		s.captcha.errText = c.errorText(err)
		c.win.Canvas().Focus(s.captcha.answer)
	case api.CodeAccountNotFound, api.CodeAccountExpired, api.CodeAccountDisabled, api.CodeNoContact:
		// What is wrong with the account shows beside its number.
		s.staffErrText = c.errorText(err)
		c.win.Canvas().Focus(s.staff)
	case api.CodeInternal:
		c.fail(err)
		return
	default:
		s.formErrText = c.errorText(err)
		c.win.Canvas().Focus(s.captcha.answer)
	}
	s.refresh()
}
