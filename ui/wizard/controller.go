package wizard

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"fyne.io/fyne/v2"

	"casreset/api"
	"casreset/ui/shell"
)

// screen is one page of the wizard. Its widgets live as long as the flow,
// so that switching language re-renders the same fields with what was
// typed in them.
type screen interface {
	// step is the position in the step indicator: 1 to 4, stepDone after
	// the password changed.
	step() int
	// content is the page's layout, built once.
	content() fyne.CanvasObject
	// actions is the page's action bar (Back, Next…), built once: it stays
	// in sight below the content, however long that is.
	actions() fyne.CanvasObject
	// refresh sets every text from the page's state in the current
	// language.
	refresh()
	// focus is the first field, focused when the page is shown.
	focus() fyne.Focusable
	// setBusy disables what would start a second request.
	setBusy(busy bool)
}

// ticker is a screen with something live: a countdown, a poll.
type ticker interface {
	tick(now time.Time)
}

// escaper is a screen that Esc leaves.
type escaper interface {
	escape()
}

// wiper is a screen holding secrets to wipe when the flow ends.
type wiper interface {
	wipe()
}

const stepDone = 5

// controller moves between the screens and holds the flow.
type controller struct {
	win     fyne.Window
	deps    Deps
	backend Backend
	clock   shell.Clock
	log     *slog.Logger
	tr      *shell.Translator

	shell   *shell.Shell
	steps   *stepIndicator
	current screen
	screens []screen // every screen of this flow, wiped when it ends

	// The flow. A new flow (idle timeout, "reload", success) replaces all
	// of it and resets calls, so results of calls made for an older flow
	// are dropped when they arrive.
	calls    *shell.Calls
	token    string
	staff    string
	channels []api.ChannelInfo
	policy   api.Policy
	step1    *step1

	// The keyring: whether there is one and what it holds.
	memoryOK   bool
	remembered string
}

func newController(w fyne.Window, d Deps) *controller {
	c := &controller{win: w, deps: d, backend: d.Backend, log: d.Log}
	if c.log == nil {
		c.log = slog.Default()
	}
	if c.deps.Audio == nil {
		c.deps.Audio = newSoundCard()
	}
	c.steps = newStepIndicator(c)
	c.shell = shell.New(w, shell.Deps{
		Settings: d.Settings, Clock: d.Clock, Ticker: d.Ticker, Log: c.log, DemoInbox: d.DemoInbox,
	}, mode{c})
	c.deps.Settings = c.shell.Settings() // with the defaults filled in
	c.clock = c.shell.Clock()
	c.tr = c.shell.Translator()
	post := d.Post
	if post == nil {
		post = fyne.Do
	}
	c.calls = shell.NewCalls(c.shell, post, func(b bool) {
		if c.current != nil {
			c.current.setBusy(b)
		}
	})
	return c
}

// t is the translator's T, for brevity in the screens.
func (c *controller) t(key string, data ...any) string { return c.tr.T(key, data...) }

// start shows step 1 and starts the keyring lookup.
func (c *controller) start() {
	c.newFlow(text{})
	c.loadMemory()
}

// close closes the shell, which ends the flow (see mode.Close).
func (c *controller) close() { c.shell.Close() }

// endFlow forgets the flow: it cancels calls in flight, wipes the secrets
// on every screen and drops the token.
func (c *controller) endFlow() {
	c.calls.Reset() // also ends the busy state
	for _, s := range c.screens {
		if w, ok := s.(wiper); ok {
			w.wipe()
		}
	}
	c.screens = nil
	c.token, c.staff, c.channels, c.policy = "", "", nil, api.Policy{}
}

// newFlow ends the current flow and starts again at step 1, fields empty
// (but for a remembered staff number), showing notice there.
func (c *controller) newFlow(notice text) {
	c.endFlow()
	c.touch()
	c.step1 = newStep1(c)
	c.step1.notice = notice
	c.show(c.step1)
	c.step1.captcha.load()
}

// show makes s the current screen.
func (c *controller) show(s screen) {
	known := false
	for _, o := range c.screens {
		known = known || o == s
	}
	if !known {
		c.screens = append(c.screens, s)
	}
	c.current = s
	s.setBusy(c.busy())
	s.refresh()
	c.shell.SetBody(s.content(), s.actions())
	c.steps.refresh()
	if f := s.focus(); f != nil {
		c.win.Canvas().Focus(f)
	}
}

// setLanguage switches every text to lang, keeping what was typed.
func (c *controller) setLanguage(l string) { c.shell.SetLanguage(l) }

// touch records activity, for the idle timeout.
func (c *controller) touch() { c.shell.Touch() }

// idle starts again, clearing every field: the person has left.
func (c *controller) idle(timeout time.Duration) {
	minutes := int(timeout.Round(time.Minute) / time.Minute)
	c.newFlow(plural("notice.idle", max(minutes, 1)))
}

// dirty reports whether there is anything to clear: a flow, another
// screen than step 1, or something typed there.
func (c *controller) dirty() bool {
	return c.token != "" || c.current != c.step1 || c.step1.typed()
}

// busy reports whether a call that shows the busy state is running.
func (c *controller) busy() bool { return c.calls.Busy() }

// call runs work off the UI goroutine and then done on it. While it runs,
// the window shows it is busy and no other call may start, so a double
// click cannot submit twice. It reports whether the call started.
func (c *controller) call(work func(ctx context.Context) error, done func(err error)) bool {
	return c.calls.Call(work, done)
}

// background is call without the busy state, for what may overlap with
// the person's work: loading a CAPTCHA, playing it, polling the delivery,
// the keyring.
func (c *controller) background(work func(ctx context.Context) error, done func(err error)) {
	c.calls.Background(work, done)
}

// fail shows the error screen for err. The flow has ended: what was typed
// is wiped at once rather than when the person starts again.
func (c *controller) fail(err error) {
	for _, s := range c.screens {
		if w, ok := s.(wiper); ok {
			w.wipe()
		}
	}
	c.token = ""
	c.show(newFailure(c, err))
}

// loadMemory asks the keyring, off the UI goroutine, whether it works and
// which staff number it remembers.
func (c *controller) loadMemory() {
	m := c.deps.Staff
	if m == nil {
		return
	}
	var ok bool
	var staff string
	c.background(func(context.Context) error {
		ok = m.Available()
		if ok {
			staff, _ = m.Get() // nothing remembered is not an error here
		}
		return nil
	}, func(error) {
		c.memoryOK, c.remembered = ok, staff
		c.step1.memoryLoaded()
	})
}

// keepStaff remembers staff in the keyring when the person asked, and
// forgets a remembered number when they unticked the box.
func (c *controller) keepStaff(staff string, remember bool) {
	m := c.deps.Staff
	if m == nil || !c.memoryOK {
		return
	}
	switch {
	case remember && c.remembered != staff:
		c.remembered = staff
		c.background(func(context.Context) error { return m.Remember(staff) }, c.logMemoryError)
	case !remember && c.remembered != "":
		c.remembered = ""
		c.background(func(context.Context) error { return m.Forget() }, c.logMemoryError)
	}
}

func (c *controller) logMemoryError(err error) {
	if err != nil {
		c.log.Warn("keyring", "err", err)
	}
}

// forgetStaff removes the remembered staff number; done runs after.
func (c *controller) forgetStaff(done func(err error)) {
	m := c.deps.Staff
	if m == nil {
		return
	}
	c.remembered = ""
	c.background(func(context.Context) error { return m.Forget() }, done)
}

// isFatal reports whether err ends the flow: the service no longer knows
// it, or something failed that only starting again can mend.
func isFatal(err error) bool {
	var e *api.Error
	if !errors.As(err, &e) {
		return false // unreachable: the person may try again
	}
	switch e.Code {
	case api.CodeTokenInvalid, api.CodeWrongStep, api.CodeAttemptsExhausted,
		api.CodeInternal, api.CodeInvalidRequest, api.CodeNotFound:
		return true
	}
	return false
}

// orgName is the organisation's name in the current language.
func (c *controller) orgName() string { return c.shell.OrgName() }

// showHelp opens the help page; its Back button returns here.
func (c *controller) showHelp() {
	c.touch()
	if _, already := c.current.(*helpPage); already {
		return
	}
	h := newHelpPage(c, c.current)
	c.show(h)
	h.loadPolicy()
}

// showForgot opens the forgotten-number page; Back returns to step 1.
func (c *controller) showForgot() {
	c.touch()
	p := newForgotPage(c, c.current)
	c.show(p)
	p.captcha.load()
}

// goBack returns from a page to the screen it was opened from.
func (c *controller) goBack(to screen) {
	c.touch()
	c.show(to)
}
