package wizard

import (
	"context"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"casreset/api"
	"casreset/assets"
	"casreset/ui"
	"casreset/ui/validate"
)

// pollEvery is how often step 3 asks whether a queued code went out: at
// every tick, so that "Sending to…" turns to "Sent to" within a second
// of the delivery. It stops asking once the code is sent or failed.
const pollEvery = time.Second

// step3 takes the validation code, counts down to its expiry, and sends a
// new one ("reload") once the cool-down has passed.
type step3 struct {
	c *controller

	// The latest code, as the service described it.
	channel     api.Channel
	destination string
	expiresAt   time.Time
	resendAfter time.Time
	sendsLeft   int
	minutes     int // how long the code is valid, for the instructions
	delivery    api.Delivery
	expired     bool
	verified    bool // the code was accepted; only the policy is missing
	lastPoll    time.Time
	polling     bool

	title      *ui.WrapLabel
	sent       *ui.WrapLabel
	reloadHint *ui.WrapLabel
	deliveryLb *ui.WrapLabel
	codeLabel  *widget.Label
	code       *ui.SecretEntry
	codeErr    *message
	countdown  *ui.WrapLabel
	switchBtn  *ui.ActionButton
	reload     *ui.ActionButton
	restart    *ui.ActionButton
	verify     *ui.ActionButton
	box        *fyne.Container
	bar        fyne.CanvasObject

	codeErrText text
	// reloaded: a new code replaced the first, so a wrong code may be an
	// older one, which no longer works.
	reloaded bool
}

func newStep3(c *controller, r api.SendCodeResponse) *step3 {
	s := &step3{
		c:          c,
		title:      ui.NewHeading(),
		sent:       ui.NewWrapLabel(),
		reloadHint: ui.NewWrapLabel(),
		deliveryLb: ui.NewWrapLabel(),
		codeLabel:  widget.NewLabel(""),
		code:       ui.NewSecretEntry(false),
		codeErr:    newMessage(c),
		countdown:  ui.NewWrapLabel(),
	}
	s.codeLabel.TextStyle.Bold = true
	s.code.Validator = ui.QuietWhenEmpty(validate.Code)
	s.code.OnChanged = func(string) {
		c.touch()
		if !s.codeErrText.empty() {
			s.codeErrText = text{}
			s.refresh()
		}
	}
	s.code.OnSubmitted = func(string) { s.onSubmit() }
	s.switchBtn = ui.NewActionButton(s.onSwitch)
	s.reload = ui.NewActionButton(s.onReload)
	// Once no more codes may be sent and this one has expired, the only
	// way on is a new flow.
	s.restart = ui.NewActionButton(func() { c.newFlow(text{}) })
	s.verify = ui.NewPrimaryButton(s.onSubmit)
	s.sent.TextStyle.Bold = false
	s.box = container.NewVBox(
		s.title, s.sent, s.deliveryLb, s.reloadHint,
		s.codeLabel, s.code, s.codeErr.box, s.countdown,
	)
	s.bar = actionBar(nil, s.switchBtn, s.reload, s.restart, s.verify)
	s.codeSent(r)
	return s
}

// codeSent takes in a (new) code's description.
func (s *step3) codeSent(r api.SendCodeResponse) {
	now := s.c.clock.Now()
	s.channel, s.destination = r.Channel, r.Destination
	s.expiresAt, s.resendAfter, s.sendsLeft = r.CodeExpiresAt, r.ResendAfter, r.SendsLeft
	s.minutes = max(1, int(r.CodeExpiresAt.Sub(now).Round(time.Minute)/time.Minute))
	s.delivery = api.DeliveryQueued
	s.expired = false
	s.lastPoll = now
}

func (s *step3) step() int                  { return 3 }
func (s *step3) content() fyne.CanvasObject { return s.box }
func (s *step3) actions() fyne.CanvasObject { return s.bar }
func (s *step3) focus() fyne.Focusable      { return s.code }
func (s *step3) wipe()                      { s.code.Wipe() }

func (s *step3) setBusy(bool) { s.render(s.c.clock.Now()) }

func (s *step3) refresh() { s.render(s.c.clock.Now()) }

// tick moves the countdown and the cool-down, and polls the delivery.
func (s *step3) tick(now time.Time) {
	if !s.expired && !now.Before(s.expiresAt) {
		s.expired = true
	}
	if s.delivery == api.DeliveryQueued && !s.polling && now.Sub(s.lastPoll) >= pollEvery {
		s.poll(now)
	}
	s.render(now)
}

// poll asks the service how the delivery went.
func (s *step3) poll(now time.Time) {
	c := s.c
	s.polling, s.lastPoll = true, now
	token := c.token
	var f api.Flow
	c.background(func(ctx context.Context) error {
		var err error
		f, err = c.backend.Flow(ctx, token)
		return err
	}, func(err error) {
		s.polling = false
		if err != nil {
			return // the next action will say what is wrong
		}
		if f.Channel == s.channel && f.Delivery != "" {
			s.delivery = f.Delivery
		}
		s.sendsLeft = f.SendsLeft
		if f.ResendAfter != nil {
			s.resendAfter = *f.ResendAfter
		}
		s.refresh()
	})
}

// otherChannel is the account's other channel, if it has one.
func (s *step3) otherChannel() (api.Channel, bool) {
	for _, ch := range offered(s.c.channels) {
		if ch.Channel != s.channel {
			return ch.Channel, true
		}
	}
	return "", false
}

func (s *step3) render(now time.Time) {
	c := s.c
	t := c.t
	s.title.SetText(t("step3.title"))
	s.sent.SetText(c.tr.N(channelKey(s.channel, "step3.sent"), s.minutes))
	s.deliveryLb.SetText(t("step3.delivery."+string(s.delivery), "Destination", s.destination))
	if s.delivery == api.DeliveryFailed {
		s.deliveryLb.Importance = widget.DangerImportance
	} else {
		s.deliveryLb.Importance = widget.MediumImportance
	}
	s.deliveryLb.Refresh()
	s.reloadHint.SetText(t("step3.reload_hint"))
	s.codeLabel.SetText(t("step3.code.label"))
	s.code.SetPlaceHolder(t("step3.code.placeholder"))
	s.codeErr.set(s.codeErrText)

	switch {
	case s.expired && s.sendsLeft <= 0:
		s.countdown.SetText(t("step3.expired_no_sends"))
		s.countdown.Importance = widget.DangerImportance
	case s.expired:
		s.countdown.SetText(t("step3.expired"))
		s.countdown.Importance = widget.DangerImportance
	case s.sendsLeft <= 0:
		s.countdown.SetText(t("step3.countdown", "Time", assets.Match(c.shell.Lang()).Countdown(s.expiresAt.Sub(now))) + " " + t("step3.no_sends"))
		s.countdown.Importance = widget.MediumImportance
	default:
		s.countdown.SetText(t("step3.countdown", "Time", assets.Match(c.shell.Lang()).Countdown(s.expiresAt.Sub(now))))
		s.countdown.Importance = widget.MediumImportance
	}
	s.countdown.Refresh()
	s.restart.SetText(t("step3.restart"))
	if s.expired && s.sendsLeft <= 0 {
		s.restart.Importance = widget.HighImportance
		s.restart.Show()
		s.reload.Hide()
	} else {
		s.restart.Hide()
		s.reload.Show()
	}

	wait := int(s.resendAfter.Sub(now).Seconds() + 0.999)
	canSend := !c.busy() && wait <= 0 && s.sendsLeft > 0
	label := func(key string) string {
		if wait > 0 && s.sendsLeft > 0 {
			return t("button.wait", "Label", t(key), "Seconds", wait)
		}
		return t(key)
	}
	s.reload.SetText(label("step3.reload"))
	enable(s.reload, canSend)
	if s.expired {
		s.reload.Importance = widget.HighImportance
	} else {
		s.reload.Importance = widget.MediumImportance
	}
	s.reload.Refresh()

	other, ok := s.otherChannel()
	if ok && s.delivery == api.DeliveryFailed {
		s.switchBtn.SetText(label(channelKey(other, "step3.switch")))
		enable(s.switchBtn, canSend)
		s.switchBtn.Show()
	} else {
		s.switchBtn.Hide()
	}
	s.verify.SetText(t("button.next"))
	enable(s.verify, !c.busy() && !s.expired)
}

func enable(w fyne.Disableable, on bool) {
	if on {
		w.Enable()
	} else {
		w.Disable()
	}
}

// onReload sends a new code by the same channel.
func (s *step3) onReload() { s.resend(s.channel) }

// onSwitch sends a new code by the other channel, after a failed delivery.
func (s *step3) onSwitch() {
	if other, ok := s.otherChannel(); ok {
		s.resend(other)
	}
}

func (s *step3) resend(ch api.Channel) {
	c := s.c
	sendCode(c, ch, func(r api.SendCodeResponse) {
		s.codeSent(r)
		s.reloaded = true
		s.code.Wipe()
		s.codeErrText = text{}
		s.refresh()
		c.win.Canvas().Focus(s.code)
	}, func(err error) {
		s.codeErrText = c.errorText(err)
		s.refresh()
	})
}

// onSubmit verifies the code and, once it is accepted, fetches the
// flow's password policy for step 4.
func (s *step3) onSubmit() {
	c := s.c
	if c.busy() {
		return
	}
	if !s.verified {
		if s.expired {
			s.codeErrText = msg("err.code_expired")
			s.refresh()
			return
		}
		if err := validate.Code(s.code.Text); err != nil {
			s.codeErrText = fieldText("code", err)
			s.refresh()
			c.win.Canvas().Focus(s.code)
			return
		}
	}
	token, code := c.token, validate.NormalizeCode(s.code.Text)
	verified := s.verified
	var policy api.Policy
	c.call(func(ctx context.Context) error {
		if !verified {
			if _, err := c.backend.Verify(ctx, token, code); err != nil {
				return err
			}
			verified = true
		}
		var err error
		policy, err = flowPolicy(ctx, c.backend, token)
		return err
	}, func(err error) {
		s.verified = verified
		if err == nil {
			s.code.Wipe()
			c.policy = policy
			c.show(newStep4(c))
			return
		}
		switch errorCode(err) {
		case api.CodeCodeExpired:
			s.expired = true
		case api.CodeCodeInvalid:
			s.code.Wipe()
		}
		if isFatal(err) {
			c.fail(err)
			return
		}
		s.codeErrText = c.errorText(err)
		if errorCode(err) == api.CodeCodeInvalid && s.reloaded {
			s.codeErrText.then = []text{msg("step3.newest_only")}
		}
		s.refresh()
		c.win.Canvas().Focus(s.code)
	})
}
