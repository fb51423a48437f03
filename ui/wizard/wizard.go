// Package ui is the desktop wizard: four steps (staff number and CAPTCHA,
// sending a validation code, entering it, choosing the new password), a
// success and an error screen, the help and forgotten-number pages, in
// every language of the language table (assets.Languages). Screens talk
// to the reset service through Backend, so tests drive them against the
// real service in-process.
package ui

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"fyne.io/fyne/v2"

	"casreset/api"
)

// Backend is the reset service as the wizard uses it. *client.Client
// implements it; the calls may be slow and are never made on the UI
// goroutine. Failures are *api.Error values when the service answered.
type Backend interface {
	Policy(ctx context.Context) (api.Policy, error)
	NewCaptcha(ctx context.Context) (api.Captcha, error)
	CaptchaImage(ctx context.Context, captchaID string) ([]byte, error)
	CaptchaAudio(ctx context.Context, captchaID, lang string) ([]byte, error)
	Start(ctx context.Context, req api.StartRequest) (api.StartResponse, error)
	Flow(ctx context.Context, token string) (api.Flow, error)
	SendCode(ctx context.Context, token string, ch api.Channel) (api.SendCodeResponse, error)
	Verify(ctx context.Context, token, code string) (api.VerifyResponse, error)
	SetPassword(ctx context.Context, token, newPassword string) (api.PasswordResponse, error)
	RemindStaffNumber(ctx context.Context, req api.ReminderRequest) error
}

// StaffMemory remembers one staff number on this computer (the OS keyring;
// *client.Keyring implements it). Its calls may block and run off the UI
// goroutine.
type StaffMemory interface {
	Get() (string, error)
	Remember(staff string) error
	Forget() error
	// Available reports whether there is a keyring to remember in.
	Available() bool
}

// Clock tells the time; service.ManualClock fits, so tests move the
// wizard's countdowns and the service's expiry together.
type Clock interface {
	Now() time.Time
}

// Ticker calls fn on the UI goroutine every interval until stop is called.
// The wizard's countdowns and idle timeout run on it; tests tick by hand.
type Ticker interface {
	Every(interval time.Duration, fn func()) (stop func())
}

// AudioPlayer plays a WAV file and returns when it has finished or ctx is
// done. It returns an error wrapping ErrNoSoundDevice when the computer
// cannot play sound.
type AudioPlayer interface {
	Play(ctx context.Context, wav []byte) error
}

// ErrNoSoundDevice means there is no sound output to play on.
var ErrNoSoundDevice = errors.New("no sound device")

// Settings are what IT configures about the wizard.
type Settings struct {
	Organisation string // shown on every screen and in the CAS note
	// OrganisationNames are its names by language tag; a language without
	// one shows Organisation.
	OrganisationNames map[string]string
	HelpEmail         string // IT Help contacts; any may be empty
	HelpPhone         string
	HelpHours         string
	Copyright         string // the footer line
	Language          string // a tag of the language table; empty follows the system
	// IdleTimeout ends the flow and clears every field after this long
	// without typing or tapping; zero means DefaultIdleTimeout.
	IdleTimeout time.Duration
	// DemoMode shows a banner on every screen: the service is the
	// built-in demonstration, not the college's.
	DemoMode bool
}

// DefaultIdleTimeout is the idle timeout when Settings leave it zero.
const DefaultIdleTimeout = 5 * time.Minute

// DefaultSettings are the settings of the seed's college, used when IT has
// configured nothing else.
func DefaultSettings() Settings {
	return Settings{
		Organisation:      "HKU SPACE",
		OrganisationNames: map[string]string{"zh-HK": "香港大學專業進修學院"},
		HelpEmail:         "ithelp@example.edu.hk",
		Copyright:         "Copyright © 2018 HKU SPACE. All rights reserved.",
		IdleTimeout:       DefaultIdleTimeout,
	}
}

// Deps is what the wizard is given.
type Deps struct {
	Backend  Backend     // required
	Staff    StaffMemory // nil: no keyring; the "remember" box is hidden
	Clock    Clock       // nil: the system clock
	Ticker   Ticker      // nil: a real one-second ticker
	Audio    AudioPlayer // nil: the sound card
	Settings Settings
	Log      *slog.Logger // nil: slog.Default()
	// DemoInbox, in demo mode, is opened by a button in the demo banner,
	// follows the wizard's language and closes with it.
	DemoInbox *DemoInbox
}

// New builds the wizard as w's content and returns it. It sets the app's
// theme (with a Chinese font when the system has one), clears everything
// when w closes, and starts at step 1.
func New(a fyne.App, w fyne.Window, d Deps) fyne.CanvasObject {
	return install(a, w, d, false).root
}

// install is New, returning the controller. The fonts are found in the
// background, or first when fontsFirst (for screenshots, which must show
// them).
func install(a fyne.App, w fyne.Window, d Deps, fontsFirst bool) *controller {
	c := newController(w, d)
	th := newAppTheme(c.lang)
	a.Settings().SetTheme(th)
	reapply := func() { fyne.Do(func() { a.Settings().SetTheme(th.forLang(c.lang)) }) }
	c.onLanguage = func(lang string) {
		a.Settings().SetTheme(th.forLang(lang))
		go th.loadFonts(lang, true, reapply)
	}
	c.chrome.langs.themeFor = func(tag string) fyne.Theme { return th.forLang(tag) }
	// The bold faces of the other languages only for the menu, when it
	// opens: each is tens of megabytes.
	c.chrome.langs.onOpen = func() { go th.loadAllFonts(c.lang, true, reapply) }
	// Set again once the app runs: Fyne keeps the faces it measured
	// with before then, and the fonts may have loaded by then.
	c.untilStarted = true
	a.Lifecycle().SetOnStarted(func() {
		a.Settings().SetTheme(th.forLang(c.lang))
		c.started()
	})
	if fontsFirst {
		th.loadAllFonts(c.lang, true, func() {})
	} else {
		go th.loadAllFonts(c.lang, false, reapply)
	}
	c.mount()
	return c
}

// mount makes the wizard c.win's content and starts it at step 1.
func (c *controller) mount() {
	c.win.SetOnClosed(c.close)
	c.win.SetContent(c.root) // before start, which focuses the first field
	c.start()
}
