package wizard

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"casreset/api"
	"casreset/ui"
	"casreset/ui/shell"
)

// step2 offers the channels the account has, masked, and sends the code.
type step2 struct {
	c        *controller
	title    *ui.WrapLabel
	intro    *ui.WrapLabel
	options  []*ui.Choice
	channels []api.ChannelInfo
	selected int // index into channels; -1 for none
	sim      *ui.WrapLabel
	simRow   *fyne.Container
	notYours *ui.WrapLabel
	contact  *shell.ContactCard
	errLbl   *message
	send     *ui.ActionButton
	havePass *widget.Hyperlink
	box      *fyne.Container
	bar      fyne.CanvasObject

	errText text
}

func newStep2(c *controller) *step2 {
	s := &step2{
		c:        c,
		title:    ui.NewHeading(),
		intro:    ui.NewWrapLabel(),
		channels: offered(c.channels),
		selected: -1,
		notYours: ui.NewWrapLabel(),
		contact:  shell.NewContactCard(c.shell),
		errLbl:   newMessage(c),
	}
	s.sim, s.simRow = ui.NewNotice()
	s.send = ui.NewPrimaryButton(s.onSubmit)
	s.havePass = ui.NewLink(func() { c.show(newPassPage(c, s)) })
	opts := container.NewVBox()
	for i := range s.channels {
		o := ui.NewChoice(func() { s.pick(i) }, s.onSubmit)
		s.options = append(s.options, o)
		opts.Add(o)
	}
	if len(s.channels) == 1 {
		s.pick(0)
	}
	s.box = container.NewVBox(
		s.title, s.intro, opts, s.errLbl.box, s.simRow, s.notYours, s.contact.Box(), s.havePass,
	)
	s.bar = actionBar(nil, s.send)
	return s
}

func (s *step2) step() int                  { return 2 }
func (s *step2) content() fyne.CanvasObject { return s.box }
func (s *step2) actions() fyne.CanvasObject { return s.bar }

func (s *step2) focus() fyne.Focusable {
	if len(s.options) == 0 {
		return nil
	}
	if s.selected >= 0 {
		return s.options[s.selected]
	}
	return s.options[0]
}

func (s *step2) pick(i int) {
	s.c.touch()
	s.selected = i
	for j, o := range s.options {
		o.SetSelected(j == i)
	}
	if !s.errText.empty() {
		s.errText = text{}
		s.refresh()
	}
}

func (s *step2) setBusy(busy bool) {
	for _, o := range s.options {
		if busy {
			o.Disable()
		} else {
			o.Enable()
		}
	}
	if busy {
		s.send.Disable()
	} else {
		s.send.Enable()
	}
}

func (s *step2) refresh() {
	c := s.c
	t := c.t
	s.title.SetText(t("step2.title"))
	s.intro.SetText(t("step2.intro"))
	for i, ch := range s.channels {
		s.options[i].SetText(t(channelKey(ch.Channel, "step2.option"), "Destination", ch.Destination))
	}
	s.errLbl.set(s.errText)
	s.sim.SetText(t("step2.sim"))
	if hasChannel(s.channels, api.ChannelSMS) {
		s.simRow.Show()
	} else {
		s.simRow.Hide()
	}
	s.notYours.SetText(t(s.notYoursKey()))
	s.contact.Refresh()
	s.send.SetText(t("step2.send"))
	s.havePass.SetText(t("step2.have_pass"))
}

func (s *step2) onSubmit() {
	c := s.c
	if c.busy() {
		return
	}
	if s.selected < 0 {
		s.errText = msg("step2.choose")
		s.refresh()
		return
	}
	ch := s.channels[s.selected].Channel
	sendCode(c, ch, func(resp api.SendCodeResponse) {
		c.show(newStep3(c, resp))
	}, func(err error) {
		s.errText = c.errorText(err)
		s.refresh()
	})
}

// notYoursKey is what to do if the destinations are not the person's,
// naming only the kinds of contact the account has.
func (s *step2) notYoursKey() string {
	if len(s.channels) == 1 {
		return channelKey(s.channels[0].Channel, "step2.not_yours")
	}
	return "step2.not_yours"
}

// sendCode asks the service to send a (new) code by ch, in the current
// language (which becomes the flow's: the person may have switched since
// step 1). Errors that end the flow show the error screen; others go to
// onError.
func sendCode(c *controller, ch api.Channel, onSent func(api.SendCodeResponse), onError func(error)) {
	token, req := c.token, api.SendCodeRequest{Channel: ch, Language: c.shell.Lang()}
	var resp api.SendCodeResponse
	c.call(func(ctx context.Context) error {
		var err error
		resp, err = c.backend.SendCode(ctx, token, req)
		return err
	}, func(err error) {
		switch {
		case err == nil:
			onSent(resp)
		case isFatal(err):
			c.fail(err)
		default:
			onError(err)
		}
	})
}

// channelKey is the text of ch under prefix: prefix.sms, prefix.email.
func channelKey(ch api.Channel, prefix string) string {
	return prefix + "." + string(ch)
}

// offered are the channels of chs that the wizard can name, in the
// service's order. A channel of a newer service is left out: the wizard
// has no words for it.
func offered(chs []api.ChannelInfo) []api.ChannelInfo {
	var out []api.ChannelInfo
	for _, ch := range chs {
		if ch.Channel.Valid() {
			out = append(out, ch)
		}
	}
	return out
}

func hasChannel(chs []api.ChannelInfo, ch api.Channel) bool {
	for _, c := range chs {
		if c.Channel == ch {
			return true
		}
	}
	return false
}
