package helpdesk

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"fyne.io/fyne/v2"

	"casreset/api"
	"casreset/ui/shell"
)

// page is one page of the help desk.
type page interface {
	// content is the page's layout, built once.
	content() fyne.CanvasObject
	// actions is the page's action bar, built once: it stays in sight
	// below the content, however long that is.
	actions() fyne.CanvasObject
	// refresh sets every text from the page's state in the current
	// language.
	refresh()
	// focus is the first field, focused when the page is shown.
	focus() fyne.Focusable
	// setBusy disables what would start a second request.
	setBusy(busy bool)
}

// ticker is a page with something live: a countdown, a changing code.
type ticker interface {
	tick(now time.Time)
}

// wiper is a page holding secrets (a password, a code, a pass) to wipe
// when it is left or the session ends.
type wiper interface {
	wipe()
}

var noText shell.Text

// controller moves between the pages and holds the operator's session.
type controller struct {
	win   fyne.Window
	deps  Deps
	desk  Desk
	clock shell.Clock
	log   *slog.Logger
	tr    *shell.Translator
	loc   *time.Location

	shell   *shell.Shell
	calls   *shell.Calls
	bar     *sessionBar
	current page
	pages   []page // every page shown in this session, wiped when it ends
	signIn  *signInPage

	// The session; empty when signed out.
	token    string
	operator api.HelpdeskOperator
}

func newController(w fyne.Window, d Deps) *controller {
	c := &controller{win: w, deps: d, desk: d.Desk, log: d.Log, loc: d.Location}
	if c.log == nil {
		c.log = slog.Default()
	}
	if c.loc == nil {
		c.loc = time.Local
	}
	c.bar = newSessionBar(c)
	c.shell = shell.New(w, shell.Deps{
		Settings: d.Settings, Clock: d.Clock, Ticker: d.Ticker, Log: c.log, DemoInbox: d.DemoInbox,
	}, mode{c})
	c.deps.Settings = c.shell.Settings()
	c.clock = c.shell.Clock()
	c.tr = c.shell.Translator()
	post := d.Post
	if post == nil {
		post = fyne.Do
	}
	c.calls = shell.NewCalls(c.shell, post, c.setBusy)
	return c
}

// t is the translator's T, for brevity in the pages.
func (c *controller) t(key string, data ...any) string { return c.tr.T(key, data...) }

// when formats a time for the operator, in the desk's time zone.
func (c *controller) when(t time.Time) string { return t.In(c.loc).Format("2006-01-02 15:04") }

// clockTime formats a time of today for the operator: 15:04.
func (c *controller) clockTime(t time.Time) string { return t.In(c.loc).Format("15:04") }

func (c *controller) setBusy(b bool) {
	if c.current != nil {
		c.current.setBusy(b)
	}
}

// show makes p the current page.
func (c *controller) show(p page) {
	if c.current != nil && c.current != p {
		if w, ok := c.current.(wiper); ok {
			w.wipe()
		}
	}
	known := false
	for _, o := range c.pages {
		known = known || o == p
	}
	if !known {
		c.pages = append(c.pages, p)
	}
	c.current = p
	p.setBusy(c.calls.Busy())
	p.refresh()
	c.bar.refresh()
	c.shell.SetBody(p.content(), p.actions())
	if f := p.focus(); f != nil {
		c.win.Canvas().Focus(f)
	}
}

// call runs work for the signed-in operator; a session that has ended
// meanwhile (idle on the service, signed out elsewhere) returns to the
// sign-in page, and other errors go to done.
func (c *controller) call(work func(ctx context.Context, token string) error, done func(err error)) bool {
	token := c.token
	return c.calls.Call(func(ctx context.Context) error { return work(ctx, token) }, func(err error) {
		if errorCode(err) == api.CodeOperatorAuthFailed && c.token != "" {
			c.endSession(shell.Msg("hd.notice.session_ended"))
			return
		}
		done(err)
	})
}

// signedIn starts the operator's session and shows the search page.
func (c *controller) signedIn(s api.HelpdeskSession) {
	c.token, c.operator = s.SessionToken, s.Operator
	c.show(newSearchPage(c, noText))
}

// signOut ends the session on the service and here, and shows the
// sign-in page with notice.
func (c *controller) signOut(notice shell.Text) {
	token := c.token
	c.endSession(notice)
	if token == "" {
		return
	}
	c.calls.Background(func(ctx context.Context) error {
		return c.desk.HelpdeskSignOut(ctx, token)
	}, func(err error) {
		// A session the service ended already is signed out all the same.
		if err != nil && errorCode(err) != api.CodeOperatorAuthFailed {
			c.log.Warn("help-desk sign-out", "err", err)
		}
	})
}

// endSession forgets the session here: calls in flight are dropped, every
// page is wiped, and the sign-in page shows notice.
func (c *controller) endSession(notice shell.Text) {
	c.calls.Reset()
	c.wipeAll()
	c.token, c.operator = "", api.HelpdeskOperator{}
	c.showSignIn(notice)
}

func (c *controller) wipeAll() {
	for _, p := range c.pages {
		if w, ok := p.(wiper); ok {
			w.wipe()
		}
	}
	c.pages = nil
	c.current = nil
}

// showSignIn shows a fresh sign-in page.
func (c *controller) showSignIn(notice shell.Text) {
	c.shell.Touch()
	c.signIn = newSignInPage(c, notice)
	c.show(c.signIn)
}

// dirty reports whether the idle timeout has anything to clear.
func (c *controller) dirty() bool {
	return c.token != "" || c.current != c.signIn || c.signIn.typed()
}

// idle signs out: the operator has left the desk.
func (c *controller) idle(timeout time.Duration) {
	if c.token == "" {
		c.showSignIn(noText) // nobody signed in: only the fields are cleared
		return
	}
	minutes := int(timeout.Round(time.Minute) / time.Minute)
	c.signOut(shell.Plural("hd.notice.idle", max(minutes, 1)))
}

// close signs out and wipes everything: the window is going away. The
// sign-out is sent without waiting for its answer.
func (c *controller) close() {
	if c.token != "" {
		token := c.token
		go func() {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			_ = c.desk.HelpdeskSignOut(ctx, token)
		}()
	}
	c.calls.Close()
	c.wipeAll()
	c.token = ""
}

// notice is what an action did, shown at the top of the account page:
// done, or a warning.
type notice struct {
	text shell.Text
	warn bool
}

// openAccount looks staff up and shows the account page; fromRef, when
// set, are the events of the reference the operator searched for.
func (c *controller) openAccount(staff string, fromRef *api.HelpdeskEvents, n notice, onError func(error)) {
	var acct api.HelpdeskAccount
	c.call(func(ctx context.Context, token string) error {
		var err error
		acct, err = c.desk.HelpdeskAccount(ctx, token, staff)
		return err
	}, func(err error) {
		if err != nil {
			onError(err)
			return
		}
		p := newAccountPage(c, acct, fromRef)
		p.notice = n
		c.show(p)
	})
}

// errorCode is the code of err, or "" when the service did not answer.
func errorCode(err error) api.Code {
	var e *api.Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}
