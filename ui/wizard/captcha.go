package wizard

import (
	"context"
	"errors"
	"image/color"
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"casreset/api"
	"casreset/assets"
	"casreset/internal/captchaimage"
	"casreset/ui"
	"casreset/ui/validate"
)

// captchaImageSize is the size the CAPTCHA image is shown at: its own.
var captchaImageSize = fyne.NewSize(captchaimage.Width, captchaimage.Height)

// audioLanguageKeys name each audio language on the screen.
var audioLanguageKeys = map[string]string{
	api.AudioEnglish:   "captcha.audio_en",
	api.AudioCantonese: "captcha.audio_yue",
	api.AudioPutonghua: "captcha.audio_zh",
}

// captchaPanel shows a CAPTCHA with its audio and refresh buttons and the
// answer field. Step 1 and the forgotten-number page each have one.
type captchaPanel struct {
	c      *controller
	id     string
	digits int // how many digits the answer has
	label  *widget.Label
	image  *canvas.Image
	play   *ui.ActionButton
	// Which language the audio speaks, when there is a choice: choices
	// rather than a radio group, whose focus tint would hide which one is
	// chosen (focusring.go).
	audioLang    *fyne.Container
	audioChoices []*ui.Choice // one per offered language, in order
	refresh      *ui.ActionButton
	answer       *widget.Entry
	hint         *ui.WrapLabel
	status       *ui.WrapLabel
	errLbl       *message

	spoken string // the audio language chosen

	statusText text // loading, playing, no sound…
	errText    text // what is wrong with the answer
	loading    bool
	playing    bool
	box        *fyne.Container
}

func newCaptchaPanel(c *controller, onSubmit func()) *captchaPanel {
	p := &captchaPanel{
		c:      c,
		digits: api.CaptchaDigits,
		label:  widget.NewLabel(""),
		image:  canvas.NewImageFromResource(nil),
		answer: widget.NewEntry(),
		hint:   ui.NewWrapLabel(),
		status: ui.NewWrapLabel(),
		errLbl: newMessage(c),
	}
	p.label.TextStyle.Bold = true
	p.image.FillMode = canvas.ImageFillContain
	p.image.SetMinSize(captchaImageSize)
	p.play = ui.NewActionButton(p.playAudio)
	p.audioLang = container.NewHBox()
	p.refresh = ui.NewActionButton(p.reload)
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
	frame := container.NewHBox(container.NewStack(paper, p.image), container.NewVBox(p.play, p.audioLang, p.refresh))
	p.box = container.NewVBox(p.label, frame, p.answer, p.errLbl.box, p.hint, p.status)
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
			if cp.Digits > 0 {
				p.digits = cp.Digits
			}
			// The new image ends its own "loading" line only: a line
			// about the audio, set meanwhile, stays.
			if p.statusText.Key() == "captcha.loading" {
				p.statusText = text{}
			}
			p.image.Resource = fyne.NewStaticResource("captcha.png", png)
		}
		p.image.Refresh()
		p.render()
	})
}

// offered are the audio languages for the screen's language, from the
// language table, the default first.
func (p *captchaPanel) offered() []string {
	if langs := assets.Match(p.c.shell.Lang()).Audio; len(langs) > 0 {
		return langs
	}
	return []string{api.AudioEnglish}
}

// audioLanguage is the one the audio speaks: the person's choice while the
// screen's language offers it, else the screen language's default.
func (p *captchaPanel) audioLanguage() string {
	if langs := p.offered(); !slices.Contains(langs, p.spoken) {
		return langs[0]
	}
	return p.spoken
}

// chooseAudioLanguage makes the audio speak the i-th offered language.
func (p *captchaPanel) chooseAudioLanguage(i int) {
	p.c.touch()
	if langs := p.offered(); i < len(langs) {
		p.spoken = langs[i]
	}
	p.renderAudioLanguages()
}

// playAudio speaks the digits in the chosen audio language.
func (p *captchaPanel) playAudio() {
	p.c.touch()
	if p.id == "" || p.playing {
		return
	}
	p.playing = true
	p.statusText = msg("captcha.playing")
	p.render()
	// The person types the digits as they hear them: the answer keeps
	// the focus (or takes it from the Play button, which is now disabled).
	p.c.win.Canvas().Focus(p.answer)
	id, audioLang := p.id, p.audioLanguage()
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
		if !p.statusText.empty() {
			p.c.shell.Reveal(p.status) // why nothing was heard
		}
	})
}

// render sets the texts and the buttons' states.
func (p *captchaPanel) render() {
	t := p.c.t
	p.label.SetText(p.c.tr.N("captcha.label", p.digits))
	p.play.SetText(t("captcha.play"))
	p.renderAudioLanguages()
	p.refresh.SetText(t("captcha.refresh"))
	p.hint.SetText(t("captcha.hint"))
	p.answer.SetPlaceHolder(p.c.tr.N("captcha.placeholder", p.digits))
	// The status keeps its line while empty, so that the answer field
	// and Next stay where they were when "Playing…" comes and goes.
	p.status.SetText(p.statusText.in(p.c.tr))
	p.errLbl.set(p.errText)
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

// renderAudioLanguages names the offered audio languages, and shows the
// choice only when there is one.
func (p *captchaPanel) renderAudioLanguages() {
	langs := p.offered()
	if len(langs) < 2 {
		p.audioLang.Hide()
		return
	}
	for len(p.audioChoices) < len(langs) {
		i := len(p.audioChoices)
		ch := ui.NewChoice(func() { p.chooseAudioLanguage(i) }, nil)
		ch.OneLine()
		p.audioChoices = append(p.audioChoices, ch)
	}
	objs := make([]fyne.CanvasObject, len(langs))
	spoken := p.audioLanguage()
	for i, l := range langs {
		ch := p.audioChoices[i]
		ch.SetText(p.c.t(audioLanguageKeys[l]))
		ch.SetSelected(l == spoken)
		objs[i] = ch
	}
	p.audioLang.Objects = objs
	p.audioLang.Refresh()
	p.audioLang.Show()
}

func (p *captchaPanel) wipe() { p.answer.SetText("") }
