package helpdesk

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"casreset/api"
	"casreset/client"
	"casreset/desktop/embedded"
	"casreset/service"
	"casreset/service/delivery"
	"casreset/service/server"
	"casreset/ui/shell"
	"casreset/ui/uitest"
)

// env is the help desk in a test window over the real embedded service
// (TLS, its demonstration operator), through the real client. The
// shell's clock is a manual one, so that the idle timeout can pass; the
// service keeps real time.
type env struct {
	t      *testing.T
	demo   *embedded.Demo
	client *client.Client
	clock  *service.ManualClock
	ticker *uitest.Ticker
	win    fyne.Window
	c      *controller
	queue  chan func()
}

func newEnv(t *testing.T) *env {
	t.Helper()
	test.NewTempApp(t)
	demo, err := embedded.Start(context.Background(), embedded.Options{
		CacheDir: t.TempDir(), Org: delivery.Org{Name: "Example College", HelpEmail: "ithelp@example.edu.hk"}, Version: "test",
		Configure: func(c *server.Config) {
			c.Service.PasswordHash = service.HashParams{MemoryKiB: 64, Time: 1, Threads: 1}
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { demo.Shutdown(context.Background()) })
	cl, err := client.New(demo.Client)
	if err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, demo: demo, client: cl, clock: service.NewManualClock(time.Now()), ticker: &uitest.Ticker{}, queue: make(chan func(), 256)}
	s := shell.DefaultSettings()
	s.Language = "en"
	s.IdleTimeout = 5 * time.Minute
	e.win = test.NewTempWindow(t, widget.NewLabel(""))
	e.win.Resize(fyne.NewSize(800, 1400))
	e.c = newController(e.win, Deps{
		Desk: cl, Clock: e.clock, Ticker: e.ticker, Settings: s, Log: slog.New(slog.DiscardHandler),
		Demo: demo.Operator, Post: func(fn func()) { e.queue <- fn },
	})
	e.c.shell.Mount()
	t.Cleanup(func() { e.c.shell.Close() })
	return e
}

// settle applies the results of every call in flight, here on the test
// goroutine, the tests' UI goroutine.
func (e *env) settle() {
	for e.c.calls.Inflight > 0 {
		(<-e.queue)()
	}
}

func (e *env) tap(b fyne.Tappable) {
	test.Tap(b)
	e.settle()
}

// signIn signs the demonstration operator in, as a person types it.
func (e *env) signIn() {
	e.t.Helper()
	p := e.c.signIn
	name, password, code := e.demo.Operator.DemoSignIn(time.Now())
	test.Type(p.user, name)
	test.Type(p.password, password)
	test.Type(p.totp, code)
	e.tap(p.submit)
	if _, ok := e.c.current.(*searchPage); !ok {
		e.t.Fatalf("after signing in the page is %T, want the search page; the sign-in says %q", e.c.current, p.errLbl.Text)
	}
}

// open finds staff on the search page and returns its account page.
func (e *env) open(staff string) *accountPage {
	e.t.Helper()
	p := e.c.current.(*searchPage)
	test.Type(p.query, staff)
	e.tap(p.find)
	a, ok := e.c.current.(*accountPage)
	if !ok {
		e.t.Fatalf("the search for %s shows %T; it says %q", staff, e.c.current, p.errLbl.Text)
	}
	return a
}

func TestTheIdleTimeoutSignsOutHereAndOnTheService(t *testing.T) {
	e := newEnv(t)
	e.signIn()
	token := e.c.token
	e.open(embedded.Accounts[0].StaffNumber)

	e.clock.Advance(5 * time.Minute)
	e.ticker.Fire()
	e.settle()
	p, ok := e.c.current.(*signInPage)
	if !ok {
		t.Fatalf("after 5 idle minutes the page is %T, want the sign-in page", e.c.current)
	}
	if want := e.c.tr.N("hd.notice.idle", 5); p.notice.Text != want {
		t.Errorf("the sign-in page says %q, want %q", p.notice.Text, want)
	}
	if e.c.token != "" || e.c.bar.box.Visible() {
		t.Error("the session is still held, or its bar still shows")
	}
	// The sign-out went to the service (settle waited for its answer):
	// the token is dead there too.
	wantSignedOut(t, e, token)
}

// wantSignedOut checks that the service no longer knows token.
func wantSignedOut(t *testing.T, e *env, token string) {
	t.Helper()
	_, err := e.client.HelpdeskAccount(context.Background(), token, embedded.Accounts[0].StaffNumber)
	var ae *api.Error
	if !errors.As(err, &ae) || ae.Code != api.CodeOperatorAuthFailed {
		t.Errorf("the session still works on the service after signing out: %v", err)
	}
}

func TestASessionEndedElsewhereReturnsToTheSignIn(t *testing.T) {
	e := newEnv(t)
	e.signIn()
	if err := e.client.HelpdeskSignOut(context.Background(), e.c.token); err != nil {
		t.Fatal(err)
	}
	p := e.c.current.(*searchPage)
	test.Type(p.query, embedded.Accounts[0].StaffNumber)
	e.tap(p.find)
	s, ok := e.c.current.(*signInPage)
	if !ok {
		t.Fatalf("a call with an ended session leaves the page at %T", e.c.current)
	}
	if want := e.c.t("hd.notice.session_ended"); s.notice.Text != want {
		t.Errorf("the sign-in page says %q, want %q", s.notice.Text, want)
	}
}

func TestAWrongCodeDoesNotSignIn(t *testing.T) {
	e := newEnv(t)
	p := e.c.signIn
	name, password, code := e.demo.Operator.DemoSignIn(time.Now())
	wrong := []byte(code)
	wrong[0] = '0' + (wrong[0]-'0'+1)%10
	test.Type(p.user, name)
	test.Type(p.password, password)
	test.Type(p.totp, string(wrong))
	e.tap(p.submit)
	if e.c.current != p || e.c.token != "" {
		t.Fatal("a wrong authenticator code signed in")
	}
	if want := e.c.t("hd.err.sign_in_failed"); p.errLbl.Text != want {
		t.Errorf("the sign-in says %q, want %q", p.errLbl.Text, want)
	}
	if p.totp.Text != "" || p.password.Text != password {
		t.Error("the code is left in its field, or the password was cleared with it")
	}
	// Nothing is sent without a username and password.
	p.user.SetText("")
	e.tap(p.submit)
	if want := e.c.t("hd.signin.missing"); p.errLbl.Text != want {
		t.Errorf("an empty username says %q, want %q", p.errLbl.Text, want)
	}
}

func TestAPassForACallerNotVerifiedNeedsANote(t *testing.T) {
	e := newEnv(t)
	e.signIn()
	teacher := embedded.Accounts[0]
	a := e.open(teacher.StaffNumber)
	e.tap(a.pass)
	n, ok := e.c.current.(*notePage)
	if !ok {
		t.Fatalf("Issue pass for a caller not verified shows %T, want the note page", e.c.current)
	}
	e.tap(n.confirm)
	if want := e.c.t("hd.note.empty"); n.errLbl.Text != want {
		t.Errorf("an empty note says %q, want %q", n.errLbl.Text, want)
	}
	const note = "staff card seen at the IT counter"
	test.Type(n.note, note)
	e.tap(n.confirm)
	p, ok := e.c.current.(*passPage)
	if !ok {
		t.Fatalf("after the note the page is %T, want the pass", e.c.current)
	}
	if _, ok := api.NormalizePass(p.pass.Text); !ok {
		t.Errorf("the pass page shows %q", p.pass.Text)
	}
	// The note is in the audit with the pass.
	var events []service.AuditEvent
	err := e.demo.Store().View(context.Background(), func(tx service.Tx) error {
		var err error
		events, err = tx.Audit(service.AuditFilter{StaffNumber: teacher.StaffNumber})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, ev := range events {
		found = found || strings.Contains(ev.Detail, "pass issued") && strings.Contains(ev.Detail, note)
	}
	if !found {
		t.Error("no audit event of the pass with the note")
	}
	// Leaving the page takes the pass off the screen.
	e.tap(p.done)
	if p.pass.Text != "" {
		t.Error("the pass stays on its page after Done")
	}
}

func TestSwitchingLanguageKeepsTheAccount(t *testing.T) {
	e := newEnv(t)
	e.signIn()
	a := e.open(embedded.Accounts[0].StaffNumber)
	e.c.shell.SetLanguage("zh-HK")
	if e.c.current != a || !strings.Contains(a.title.Text, "員工編號") {
		t.Errorf("after switching to zh-HK the page is %T titled %q", e.c.current, a.title.Text)
	}
	if !strings.Contains(e.c.bar.who.Text, "已登入") {
		t.Errorf("the session bar says %q in zh-HK", e.c.bar.who.Text)
	}
}
