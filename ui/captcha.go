package ui

import (
	"context"
	"errors"
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"casreset/api"
	"casreset/assets"
	"casreset/ui/validate"
)

// captchaImageSize is the size the CAPTCHA image is shown at.
var captchaImageSize = fyne.NewSize(240, 80)

// captchaPanel shows a CAPTCHA with its audio and refresh buttons and the
// answer field. Step 1 and the forgotten-number page each have one.
type captchaPanel struct {
	c       *controller
	id      string
	label   *widget.Label
	image   *canvas.Image
	play    *actionButton
	refresh *actionButton
	answer  *widget.Entry
	hint    *widget.Label
	status  *widget.Label
	errLbl  *widget.Label

	statusText text // loading, playing, no sound…
	errText    text // what is wrong with the answer
	loading    bool
	playing    bool
	box        *fyne.Container
}

func newCaptchaPanel(c *controller, onSubmit func()) *captchaPanel {
	p := &captchaPanel{
		c:      c,
		label:  widget.NewLabel(""),
		image:  canvas.NewImageFromResource(nil),
		answer: widget.NewEntry(),
		hint:   newWrapLabel(),
		status: newWrapLabel(),
		errLbl: newErrorLabel(),
	}
	p.label.TextStyle.Bold = true
	p.image.FillMode = canvas.ImageFillContain
	p.image.SetMinSize(captchaImageSize)
	p.play = newActionButton(p.playAudio)
	p.refresh = newActionButton(p.reload)
	// No Validator: any digit would show as "valid" before the whole
	// answer is typed. check() validates it on submit.
	p.answer.OnChanged = func(string) {
		c.touch()
		if !p.errText.empty() {
			p.errText = text{}
			p.render()
		}
	}
	p.answer.OnSubmitted = func(string) { onSubmit() }
	// The image is dark digits on a transparent background: keep it on
	// white so that it reads in the dark theme too.
	paper := canvas.NewRectangle(color.White)
	paper.CornerRadius = theme.InputRadiusSize()
	frame := container.NewHBox(container.NewStack(paper, p.image), container.NewVBox(p.play, p.refresh))
	p.box = container.NewVBox(p.label, frame, p.answer, p.errLbl, p.hint, p.status)
	return p
}

// value is the answer as the service wants it.
func (p *captchaPanel) value() string { return validate.NormalizeCode(p.answer.Text) }

// check validates the answer and shows why it is not valid.
func (p *captchaPanel) check() bool {
	p.errText = fieldText("captcha", validate.CaptchaAnswer(p.answer.Text))
	p.render()
	return p.errText.empty()
}

// reload asks for a new CAPTCHA: a person who cannot read one, or one the
// service has used up (every answer uses it, right or wrong).
// checkWith checks a page's own field (whose error the caller has just
// worked out) together with the CAPTCHA, and focuses the first one that is
// wrong. The message it returns is for the form, when the CAPTCHA never
// loaded.
func (p *captchaPanel) checkWith(field fyne.Focusable, fieldErr text) (formErr text, ok bool) {
	captchaOK := p.check()
	switch {
	case !fieldErr.empty():
		p.c.win.Canvas().Focus(field)
	case !captchaOK:
		p.c.win.Canvas().Focus(p.answer)
	case p.id == "":
		return msg("captcha.not_loaded"), false
	default:
		return text{}, true
	}
	return text{}, false
}

func (p *captchaPanel) reload() {
	p.c.touch()
	p.load()
}

func (p *captchaPanel) load() {
	if p.loading {
		return
	}
	p.loading = true
	p.id = ""
	p.answer.SetText("")
	p.statusText = msg("captcha.loading")
	p.render()
	var cp api.Captcha
	var png []byte
	b := p.c.backend
	p.c.background(func(ctx context.Context) error {
		var err error
		if cp, err = b.NewCaptcha(ctx); err != nil {
			return err
		}
		png, err = b.CaptchaImage(ctx, cp.CaptchaID)
		return err
	}, func(err error) {
		p.loading = false
		if err != nil {
			p.c.log.Warn("captcha", "err", err)
			p.statusText = msg("captcha.load_failed")
			p.image.Resource = nil
		} else {
			p.id = cp.CaptchaID
			p.statusText = text{}
			p.image.Resource = fyne.NewStaticResource("captcha.png", png)
		}
		p.image.Refresh()
		p.render()
	})
}

// playAudio speaks the digits in the language of the screen.
func (p *captchaPanel) playAudio() {
	p.c.touch()
	if p.id == "" || p.playing {
		return
	}
	p.playing = true
	p.statusText = msg("captcha.playing")
	p.render()
	id, audioLang := p.id, assets.Match(p.c.lang).Audio[0]
	b, player := p.c.backend, p.c.deps.Audio
	p.c.background(func(ctx context.Context) error {
		wav, err := b.CaptchaAudio(ctx, id, audioLang)
		if err != nil {
			return err
		}
		return player.Play(ctx, wav)
	}, func(err error) {
		p.playing = false
		switch {
		case err == nil:
			p.statusText = text{}
		case errors.Is(err, ErrNoSoundDevice):
			p.statusText = msg("captcha.no_sound")
		case errorCode(err) == api.CodeNotFound:
			p.statusText = msg("captcha.expired")
		default:
			p.c.log.Warn("captcha audio", "err", err)
			p.statusText = msg("captcha.audio_failed")
		}
		p.render()
	})
}

// render sets the texts and the buttons' states.
func (p *captchaPanel) render() {
	t := p.c.t
	p.label.SetText(t("captcha.label"))
	p.play.SetText(t("captcha.play"))
	p.refresh.SetText(t("captcha.refresh"))
	p.hint.SetText(t("captcha.hint"))
	p.answer.SetPlaceHolder(t("captcha.placeholder"))
	setText(p.status, p.statusText.in(p.c.tr))
	setText(p.errLbl, p.errText.in(p.c.tr))
	if p.id == "" || p.playing {
		p.play.Disable()
	} else {
		p.play.Enable()
	}
	if p.loading {
		p.refresh.Disable()
	} else {
		p.refresh.Enable()
	}
}

func (p *captchaPanel) wipe() { p.answer.SetText("") }
