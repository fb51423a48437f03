package wizard

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"fyne.io/fyne/v2"
	"github.com/dchest/captcha"

	"casreset/api"
	"casreset/internal/captchaimage"
	"casreset/ui/shell"
)

// PreviewScreens names the screens Preview can show, in the wizard's order,
// then step 1 with each message it can show.
var PreviewScreens = []string{"step1", "step2", "pass", "step3", "step4", "success", "error", "help", "forgot", "language-menu",
	"step1-wrong-captcha", "step1-empty", "step1-expired", "step1-idle", "step1-no-sound"}

// Preview shows one screen of the wizard filled with sample data and no
// service behind it, for screenshots and documentation. Nothing it shows
// is real and nothing typed into it leaves the window.
func Preview(a fyne.App, w fyne.Window, s shell.Settings, name string) (fyne.CanvasObject, error) {
	if !slices.Contains(PreviewScreens, name) {
		return nil, fmt.Errorf("no screen %q; choose one of %v", name, PreviewScreens)
	}
	d := Deps{Backend: newSampleBackend(), Clock: sampleClock{}, Audio: silentPlayer{}, Settings: s}
	if s.DemoMode {
		// From step 3 on, the banner's button counts the code's message
		// as not seen yet.
		unread := 0
		if name == "step3" || name == "step4" {
			unread = 1
		}
		d.DemoInbox = shell.NewQuietInbox(a, unread)
	}
	c := install(a, w, d, true)
	showSample(c, name)
	return c.shell.Root(), nil
}

// SampleTime is the fixed time of the sample screens and messages.
var SampleTime = shell.SampleTime

type sampleClock struct{}

func (sampleClock) Now() time.Time { return SampleTime }

type silentPlayer struct{}

func (silentPlayer) Play(context.Context, []byte) error { return nil }

// showSample brings c to screen name with sample data, the way a person
// would have got there.
func showSample(c *controller, name string) {
	b := c.backend
	ctx := context.Background()
	start := func() {
		c.step1.staff.SetText("12345678")
		resp, _ := b.Start(ctx, api.StartRequest{StaffNumber: "12345678"})
		c.token, c.staff, c.channels = resp.ResetToken, "12345678", resp.Channels
	}
	send := func() api.SendCodeResponse {
		r, _ := b.SendCode(ctx, c.token, api.SendCodeRequest{Channel: api.ChannelSMS})
		return r
	}
	switch name {
	case "step1":
		c.step1.staff.SetText("12345678")
		c.step1.captcha.answer.SetText("4")
	case "step2":
		start()
		c.show(newStep2(c))
	case "pass":
		start()
		s2 := newStep2(c)
		c.show(s2)
		p := newPassPage(c, s2)
		c.show(p)
		p.pass.SetText("7kqm r4tx")
	case "step3":
		start()
		s := newStep3(c, send())
		s.delivery = api.DeliverySent
		c.show(s)
		s.code.SetText("48")
	case "step4":
		start()
		c.policy, _ = b.Policy(ctx)
		s := newStep4(c)
		c.show(s)
		s.pw.SetText("Harbour$View2")
		s.retype.SetText("Harb")
	case "success":
		start()
		c.show(newSuccess(c, false))
	case "error":
		start()
		c.show(newStep3(c, send()))
		c.fail(&api.Error{Code: api.CodeInternal, Reference: "R7F3K2QX"})
	case "help":
		c.showHelp()
	case "forgot":
		c.showForgot()
	case "step1-wrong-captcha":
		c.step1.staff.SetText("12345678")
		c.step1.onStartError(&api.Error{Code: api.CodeCaptchaInvalid})
	case "step1-empty":
		c.step1.onSubmit() // nothing typed
	case "step1-expired":
		c.step1.staff.SetText("55555555")
		c.step1.captcha.answer.SetText("471906")
		c.step1.onStartError(&api.Error{Code: api.CodeAccountExpired})
	case "step1-idle":
		c.newFlow(plural("notice.idle", 5))
	case "step1-no-sound":
		c.step1.staff.SetText("12345678")
		c.step1.captcha.statusText = msg("captcha.no_sound")
		c.step1.refresh()
		c.shell.Reveal(c.step1.captcha.status)
	case "language-menu":
		// Step 1 with the header's menu of languages open; with two
		// languages there is no menu, the switch toggles.
		c.step1.staff.SetText("12345678")
		if c.shell.LanguageMenu() {
			c.shell.AfterStart(c.shell.OpenLanguageMenu)
		}
	}
}

// sampleBackend answers every call with fixed sample data.
type sampleBackend struct {
	digits []byte
}

func newSampleBackend() *sampleBackend {
	return &sampleBackend{digits: []byte{4, 7, 1, 9, 0, 6}}
}

var errSample = errors.New("sample data only")

func (b *sampleBackend) Policy(context.Context) (api.Policy, error) {
	return api.Policy{
		Advice: api.Advice{MinLength: 14, NeedsUpper: true, NeedsLower: true, NeedsDigit: true},
		Requirements: []api.Rule{
			{ID: api.RuleTooShort, Min: 10},
			{ID: api.RuleTooLong, Max: 128},
			{ID: api.RuleNeedsLetter},
			{ID: api.RuleNeedsDigit},
			{ID: api.RuleHasWhitespace},
			{ID: api.RuleForbiddenChar, Chars: "$\"\\/`"},
			{ID: api.RuleReused, Count: 3},
			{ID: api.RuleTooCommon},
			{ID: api.RuleContainsIdentity, Min: 4},
		},
	}, nil
}

func (b *sampleBackend) NewCaptcha(context.Context) (api.Captcha, error) {
	return api.Captcha{CaptchaID: "sample", ExpiresAt: SampleTime.Add(10 * time.Minute), Digits: len(b.digits)}, nil
}

func (b *sampleBackend) CaptchaImage(_ context.Context, id string) ([]byte, error) {
	return captchaimage.PNG(id, b.digits)
}

func (b *sampleBackend) CaptchaAudio(_ context.Context, id, lang string) ([]byte, error) {
	var buf bytes.Buffer
	_, err := captcha.NewAudio(id, b.digits, lang).WriteTo(&buf)
	return buf.Bytes(), err
}

func (b *sampleBackend) Start(context.Context, api.StartRequest) (api.StartResponse, error) {
	return api.StartResponse{
		ResetToken: "sample",
		ExpiresAt:  SampleTime.Add(30 * time.Minute),
		Channels: []api.ChannelInfo{
			{Channel: api.ChannelSMS, Destination: "9*** **34"},
			{Channel: api.ChannelEmail, Destination: "c****@example.edu.hk"},
		},
	}, nil
}

func (b *sampleBackend) Flow(context.Context, string) (api.Flow, error) {
	return api.Flow{Step: api.StepCodeSent, Channel: api.ChannelSMS, Delivery: api.DeliverySent, SendsLeft: 4, AttemptsLeft: 5}, nil
}

func (b *sampleBackend) SendCode(_ context.Context, _ string, req api.SendCodeRequest) (api.SendCodeResponse, error) {
	dest := "9*** **34"
	if req.Channel == api.ChannelEmail {
		dest = "c****@example.edu.hk"
	}
	return api.SendCodeResponse{
		Channel: req.Channel, Destination: dest,
		CodeExpiresAt: SampleTime.Add(10 * time.Minute),
		ResendAfter:   SampleTime.Add(45 * time.Second),
		SendsLeft:     4,
	}, nil
}

func (b *sampleBackend) Verify(context.Context, string, string) (api.VerifyResponse, error) {
	return api.VerifyResponse{}, errSample
}

func (b *sampleBackend) VerifyPass(context.Context, string, string) (api.VerifyResponse, error) {
	return api.VerifyResponse{}, errSample
}

func (b *sampleBackend) SetPassword(context.Context, string, api.PasswordRequest) (api.PasswordResponse, error) {
	return api.PasswordResponse{}, errSample
}

func (b *sampleBackend) RemindStaffNumber(context.Context, api.ReminderRequest) error {
	return errSample
}
