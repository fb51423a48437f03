// Package helpdesk is the desktop app in help-desk mode: an IT Help
// operator signs in (username, password and, for a local operator, the
// code of their authenticator app), finds a staff member by staff number
// or by the reference on their error screen, reads the account's state,
// limits and recent events, verifies the caller with a code sent to the
// staff member's own phone or mailbox, unlocks the account and issues
// one-time passes, and signs out; the idle timeout signs out too.
//
// The help desk is a mode of ui/shell, beside the wizard: its controller
// holds one operator's session and its pages, and talks to the service
// only through Desk. The operator never sees or types a staff member's
// password.
package helpdesk

import (
	"context"
	"log/slog"
	"time"

	"fyne.io/fyne/v2"

	"casreset/api"
	"casreset/ui/shell"
)

// Desk is the reset service's help-desk calls as the app uses them.
// *client.Client implements it; the calls may be slow and are never made
// on the UI goroutine. Failures are *api.Error values when the service
// answered.
type Desk interface {
	HelpdeskSignIn(ctx context.Context, username, password, totp string) (api.HelpdeskSession, error)
	HelpdeskSignOut(ctx context.Context, sessionToken string) error
	HelpdeskAccount(ctx context.Context, sessionToken, staffNumber string) (api.HelpdeskAccount, error)
	HelpdeskEvents(ctx context.Context, sessionToken, reference string) (api.HelpdeskEvents, error)
	HelpdeskStartVerification(ctx context.Context, sessionToken, staffNumber string, ch api.Channel) (api.VerificationResponse, error)
	HelpdeskCheckVerification(ctx context.Context, sessionToken, staffNumber, code string) (api.VerificationCheckResponse, error)
	HelpdeskUnlock(ctx context.Context, sessionToken, staffNumber, inPersonNote string) (api.UnlockResponse, error)
	HelpdeskIssuePass(ctx context.Context, sessionToken, staffNumber, inPersonNote string) (api.PassResponse, error)
}

// DemoOperator is the demonstration's operator, whose sign-in the
// sign-in page shows in demo mode: a name, a password and the code their
// authenticator app would show at now.
type DemoOperator interface {
	DemoSignIn(now time.Time) (name, password, code string)
}

// Deps is what the help desk is given.
type Deps struct {
	Desk     Desk         // required
	Clock    shell.Clock  // nil: the system clock
	Ticker   shell.Ticker // nil: a real one-second ticker
	Settings shell.Settings
	Log      *slog.Logger // nil: slog.Default()
	// DemoInbox, in demo mode, shows what staff members receive.
	DemoInbox *shell.DemoInbox
	// Demo, in demo mode, is the operator the sign-in page offers.
	Demo DemoOperator
	// Location is the time zone times are shown in; nil means time.Local.
	Location *time.Location
	// Post runs a call's result on the UI goroutine; nil means fyne.Do.
	// Tests that drive the help desk from outside pass a queue they drain.
	Post func(func())
}

// New builds the help desk as w's content and returns it. It sets the
// app's theme (with a Chinese font when the system has one), signs out
// when w closes, and starts at the sign-in page.
func New(a fyne.App, w fyne.Window, d Deps) fyne.CanvasObject {
	return install(a, w, d, false).shell.Root()
}

// Mount builds the help desk as w's content, as New does, but leaves the
// app's theme as it is: for tests that drive it beside another window.
func Mount(w fyne.Window, d Deps) fyne.CanvasObject {
	c := newController(w, d)
	c.shell.Mount()
	return c.shell.Root()
}

// install is New, returning the controller; fontsFirst loads the fonts
// before the window shows (for screenshots).
func install(a fyne.App, w fyne.Window, d Deps, fontsFirst bool) *controller {
	shell.UseTheme(a, d.Settings) // before anything is measured
	c := newController(w, d)
	c.shell.Install(a, fontsFirst)
	c.shell.Mount()
	return c
}
