// Package wizard is the desktop wizard: four steps (staff number and
// CAPTCHA, sending a validation code, entering it, choosing the new
// password), a success and an error screen, the help and forgotten-number
// pages, in every language of the language table (assets.Languages).
// Screens talk to the reset service through Backend, so tests drive them
// against the real service in-process.
//
// The wizard is a mode of ui/shell: its controller holds one reset flow
// and its screens, and the shell it is built in holds the window, the
// header with the language switch, the demo banner, the footer, the
// theme and the idle timer. Its step indicator is its own header.
package wizard

import (
	"context"
	"errors"
	"log/slog"

	"fyne.io/fyne/v2"

	"casreset/api"
	"casreset/ui/shell"
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
	SendCode(ctx context.Context, token string, req api.SendCodeRequest) (api.SendCodeResponse, error)
	Verify(ctx context.Context, token, code string) (api.VerifyResponse, error)
	// VerifyPass is Verify with a one-time pass from IT Help in place of
	// the code.
	VerifyPass(ctx context.Context, token, pass string) (api.VerifyResponse, error)
	SetPassword(ctx context.Context, token string, req api.PasswordRequest) (api.PasswordResponse, error)
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

// AudioPlayer plays a WAV file and returns when it has finished or ctx is
// done. It returns an error wrapping ErrNoSoundDevice when the computer
// cannot play sound.
type AudioPlayer interface {
	Play(ctx context.Context, wav []byte) error
}

// ErrNoSoundDevice means there is no sound output to play on.
var ErrNoSoundDevice = errors.New("no sound device")

// Deps is what the wizard is given.
type Deps struct {
	Backend  Backend      // required
	Staff    StaffMemory  // nil: no keyring; the "remember" box is hidden
	Clock    shell.Clock  // nil: the system clock
	Ticker   shell.Ticker // nil: a real one-second ticker
	Audio    AudioPlayer  // nil: the sound card
	Settings shell.Settings
	Log      *slog.Logger // nil: slog.Default()
	// DemoInbox, in demo mode, is opened by a button in the demo banner,
	// follows the wizard's language and closes with it.
	DemoInbox *shell.DemoInbox
	// Post runs a call's result on the UI goroutine; nil means fyne.Do.
	// Tests that drive the wizard from outside pass a queue they drain.
	Post func(func())
}

// New builds the wizard as w's content and returns it. It sets the app's
// theme (with the embedded Chinese fonts, or the system's when what IT
// configured needs it), clears everything when w closes, and starts at
// step 1.
func New(a fyne.App, w fyne.Window, d Deps) fyne.CanvasObject {
	return install(a, w, d, false).shell.Root()
}

// Mount builds the wizard as w's content, as New does, but leaves the
// app's theme as it is: for tests that drive it beside another window.
func Mount(w fyne.Window, d Deps) fyne.CanvasObject {
	c := newController(w, d)
	c.mount()
	return c.shell.Root()
}

// install is New, returning the controller. A system font is found in
// the background, or first when fontsFirst (for screenshots, which must
// show it).
func install(a fyne.App, w fyne.Window, d Deps, fontsFirst bool) *controller {
	shell.UseTheme(a, d.Settings) // before anything is measured
	c := newController(w, d)
	c.shell.Install(a, fontsFirst)
	c.mount()
	return c
}

// mount makes the shell c.win's content and starts the wizard at step 1.
func (c *controller) mount() {
	// Esc with nothing focused leaves a page that has a way back (the
	// page's own buttons handle it when they have the focus).
	c.win.Canvas().SetOnTypedKey(func(ev *fyne.KeyEvent) {
		if e, ok := c.current.(escaper); ok && ev.Name == fyne.KeyEscape {
			e.escape()
		}
	})
	c.shell.Mount()
}
