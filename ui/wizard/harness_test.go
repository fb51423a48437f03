package wizard

import (
	"context"
	"crypto/tls"
	"errors"
	"log/slog"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"casreset/api"
	"casreset/assets"
	"casreset/client"
	"casreset/internal/testkit/storetest"
	"casreset/service"
	"casreset/service/httpapi"
	"casreset/service/tlsgen"
	"casreset/ui/shell"
	"casreset/ui/uitest"
)

// Accounts every test service starts with.
var (
	acctBoth  = service.Account{StaffNumber: "12345678", Name: "CHAN Tai Man", Mobile: "+85291234534", Email: "chan.tai.man@example.edu.hk"}
	acctMail  = service.Account{StaffNumber: "33333333", Name: "LEE Ka Yan", Email: "lee.ka.yan@example.edu.hk"}
	acctEnded = service.Account{StaffNumber: "55555555", Name: "LAM Mei", Mobile: "+85298765432", ContractEnd: "2022-08-31"}
)

// testCaptcha is the answer the test service accepts for every CAPTCHA.
const testCaptcha = "246810"

// goodPassword passes every rule of the default policy.
const goodPassword = "Kx7pQ2mZr9vTw4"

// t0 is when every test's clock starts: a Monday morning in Hong Kong.
var t0 = time.Date(2026, 3, 2, 9, 50, 0, 0, time.FixedZone("HKT", 8*3600))

// env is the wizard in a test window, talking through the real client over
// real TLS to the real service on a temporary SQLite store. The service and
// the wizard share one manual clock; the wizard's ticker ticks by hand.
type env struct {
	t      *testing.T
	store  service.Store
	clock  *service.ManualClock
	svc    *service.Service
	ticker *uitest.Ticker
	audio  *fakePlayer
	memory *fakeMemory
	win    fyne.Window
	c      *controller

	winClosed bool
	queue     *uitest.Queue
}

// closeWindow closes the window as the person would.
func (e *env) closeWindow() {
	e.winClosed = true
	e.win.Close()
	e.settle()
}

type envOption func(*envConfig)

type envConfig struct {
	cfg      service.Config
	settings shell.Settings
	memory   *fakeMemory
	backend  func(Backend) Backend
}

func withMemory(m *fakeMemory) envOption      { return func(e *envConfig) { e.memory = m } }
func withSettings(s shell.Settings) envOption { return func(e *envConfig) { e.settings = s } }
func withConfig(f func(*service.Config)) envOption {
	return func(e *envConfig) { f(&e.cfg) }
}

// withBackend wraps the real client, to count or fail calls.
func withBackend(wrap func(Backend) Backend) envOption {
	return func(e *envConfig) { e.backend = wrap }
}

func newEnv(t *testing.T, opts ...envOption) *env {
	t.Helper()
	test.NewTempApp(t)
	ec := envConfig{cfg: service.DefaultConfig(), settings: shell.DefaultSettings()}
	ec.cfg.TestCaptchaAnswer = testCaptcha
	// A cheap Argon2id: these tests are about the wizard, not the hash.
	ec.cfg.PasswordHash = service.HashParams{MemoryKiB: 64, Time: 1, Threads: 1}
	ec.settings.Language = langEnglish
	// Long enough not to end the flows of tests that move the clock by
	// minutes; the idle tests set their own.
	ec.settings.IdleTimeout = 24 * time.Hour
	for _, o := range opts {
		o(&ec)
	}

	e := &env{t: t, store: storetest.SQLite(t), clock: service.NewManualClock(t0), ticker: &uitest.Ticker{}, audio: &fakePlayer{}}
	log := slog.New(slog.DiscardHandler)
	svc, err := service.New(ec.cfg, e.store, nil, e.clock, log)
	if err != nil {
		t.Fatalf("service.New: %v", err)
	}
	e.svc = svc
	e.addAccounts(acctBoth, acctMail, acctEnded)

	bundle, err := tlsgen.InMemory(nil, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(httpapi.New(svc, httpapi.Options{Log: log}))
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{bundle.Certificate}, MinVersion: tls.VersionTLS13}
	srv.StartTLS()
	t.Cleanup(srv.Close)
	cl, err := client.New(client.Config{BaseURL: srv.URL, CAPEM: bundle.CAPEM, Version: "test"})
	if err != nil {
		t.Fatalf("client.New: %v", err)
	}
	var backend Backend = cl
	if ec.backend != nil {
		backend = ec.backend(backend)
	}

	e.win = test.NewWindow(widget.NewLabel(""))
	t.Cleanup(func() {
		if !e.winClosed {
			e.win.Close()
		}
	})
	e.win.Resize(fyne.NewSize(800, 1100))
	deps := Deps{Backend: backend, Clock: e.clock, Ticker: e.ticker, Audio: e.audio, Settings: ec.settings, Log: log}
	if ec.memory != nil {
		e.memory = ec.memory
		deps.Staff = ec.memory
	}
	e.c = newController(e.win, deps)
	e.queue = uitest.NewQueue()
	e.c.calls.Post = e.queue.Post
	e.c.mount()
	t.Cleanup(func() {
		e.c.close()
		e.settle()
	})
	e.settle()
	return e
}

func (e *env) addAccounts(accounts ...service.Account) {
	e.t.Helper()
	storetest.AddAccounts(e.t, e.store, accounts...)
}

// settle waits until every call the wizard made has been applied, applying
// the results here on the test goroutine, the tests' UI goroutine.
func (e *env) settle() { settleCalls(e.queue, e.c) }

// settleCalls runs the results of c's calls on the test goroutine, the
// tests' UI goroutine, until none is in flight.
func settleCalls(q *uitest.Queue, c *controller) {
	q.RunWhile(func() bool { return c.calls.Inflight > 0 })
}

// tick moves both clocks by d and lets the wizard's ticker fire.
func (e *env) tick(d time.Duration) {
	e.clock.Advance(d)
	e.ticker.Fire()
	e.settle()
}

// typeIn types s into entry as a person would, after clearing it.
func (e *env) typeIn(entry fyne.Focusable, s string) {
	e.t.Helper()
	if en, ok := entry.(interface{ SetText(string) }); ok {
		en.SetText("")
	}
	e.win.Canvas().Focus(entry)
	test.Type(entry, s)
}

// tap taps b and waits for what it started.
func (e *env) tap(b fyne.Tappable) {
	e.t.Helper()
	test.Tap(b)
	e.settle()
}

// langEnglish is the tag of the default language.
var langEnglish = assets.Default().Tag

// langChinese is the Traditional Chinese of Hong Kong, whose texts the
// tests read.
const langChinese = "zh-HK"

// chooseLanguage switches the wizard to the language tag as a person
// does, with the header's switch: the toggle, or the menu and the
// language in it.
func (e *env) chooseLanguage(tag string) {
	e.t.Helper()
	sh := e.c.shell
	e.tap(sh.LanguageButton())
	if sh.LanguageMenu() {
		e.tap(sh.LanguageItem(tag))
	}
	if sh.Lang() != tag {
		e.t.Fatalf("the language switch went to %s, not %s", sh.Lang(), tag)
	}
}

// enter presses Enter in the focused field and waits.
func (e *env) enter() {
	e.t.Helper()
	f := e.win.Canvas().Focused()
	if f == nil {
		e.t.Fatal("Enter pressed with nothing focused")
	}
	f.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	e.settle()
}

// screen returns the current screen as T, failing the test if it is not.
func screenAs[T screen](e *env) T {
	e.t.Helper()
	s, ok := e.c.current.(T)
	if !ok {
		e.t.Fatalf("current screen is %T, want %T", e.c.current, *new(T))
	}
	return s
}

// step1 fills step 1 with staff and answer and submits with Enter.
func (e *env) step1(staff, answer string) {
	e.t.Helper()
	s := screenAs[*step1](e)
	e.typeIn(s.staff, staff)
	e.typeIn(s.captcha.answer, answer)
	e.enter()
}

// toStep2 goes through step 1 with the test CAPTCHA answer.
func (e *env) toStep2(staff string) *step2 {
	e.t.Helper()
	e.step1(staff, testCaptcha)
	return screenAs[*step2](e)
}

// toStep3 goes on to step 3, choosing ch.
func (e *env) toStep3(staff string, ch api.Channel) *step3 {
	e.t.Helper()
	s2 := e.toStep2(staff)
	for i, info := range s2.channels {
		if info.Channel == ch {
			e.tap(s2.options[i])
		}
	}
	e.tap(s2.send)
	return screenAs[*step3](e)
}

// toStep4 goes on to step 4 with the code the service sent.
func (e *env) toStep4(staff string) *step4 {
	e.t.Helper()
	s3 := e.toStep3(staff, api.ChannelSMS)
	e.typeIn(s3.code, e.code())
	e.enter()
	return screenAs[*step4](e)
}

// flow reads the current flow from the store.
func (e *env) flow() service.Flow {
	e.t.Helper()
	if e.c.token == "" {
		e.t.Fatal("no flow: the wizard holds no token")
	}
	return storetest.FlowOfToken(e.t, e.store, e.c.token)
}

// code is the validation code the service queued for the current flow,
// read where the delivery worker would read it.
func (e *env) code() string {
	e.t.Helper()
	var code string
	f := e.flow()
	err := e.store.View(context.Background(), func(tx service.Tx) error {
		m, err := tx.Message(f.MessageID)
		code = m.Params["code"]
		return err
	})
	if err != nil || code == "" {
		e.t.Fatalf("read the code's message: %v (code %q)", err, code)
	}
	return code
}

// setDelivery marks the current code's message as the worker would.
func (e *env) setDelivery(status api.Delivery) {
	e.t.Helper()
	f := e.flow()
	err := e.store.Update(context.Background(), func(tx service.Tx) error {
		m, err := tx.Message(f.MessageID)
		if err != nil {
			return err
		}
		m.Status = status
		return tx.UpdateMessage(m)
	})
	if err != nil {
		e.t.Fatalf("set delivery: %v", err)
	}
}

// captchaDigits is the real answer of the CAPTCHA on a panel.
func (e *env) captchaDigits(p *captchaPanel) string {
	e.t.Helper()
	var cp service.Captcha
	err := e.store.View(context.Background(), func(tx service.Tx) error {
		var err error
		cp, err = tx.Captcha(p.id)
		return err
	})
	if err != nil {
		e.t.Fatalf("read captcha %q: %v", p.id, err)
	}
	var b strings.Builder
	for _, d := range cp.Digits {
		b.WriteByte('0' + d)
	}
	return b.String()
}

// wrongCaptcha is an answer that is neither the real one nor the test one.
func (e *env) wrongCaptcha(p *captchaPanel) string {
	real := e.captchaDigits(p)
	for _, a := range []string{"000000", "111111"} {
		if a != real && a != testCaptcha {
			return a
		}
	}
	return "222222"
}

// audit lists the audit events of staff.
func (e *env) audit(staff string) []service.AuditEvent {
	e.t.Helper()
	var evs []service.AuditEvent
	err := e.store.View(context.Background(), func(tx service.Tx) error {
		var err error
		evs, err = tx.Audit(service.AuditFilter{StaffNumber: staff})
		return err
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return evs
}

// fakePlayer records what it was asked to play, or fails with err.
type fakePlayer struct {
	mu     sync.Mutex
	err    error
	played [][]byte
}

func (p *fakePlayer) Play(_ context.Context, wav []byte) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.err != nil {
		return p.err
	}
	p.played = append(p.played, wav)
	return nil
}

// fakeMemory is a keyring in memory; the keyring itself is tested in
// client/ against a real one.
type fakeMemory struct {
	mu        sync.Mutex
	available bool
	staff     string
}

func (m *fakeMemory) Get() (string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.staff == "" {
		return "", errors.New("not found")
	}
	return m.staff, nil
}

func (m *fakeMemory) Remember(s string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.staff = s
	return nil
}

func (m *fakeMemory) Forget() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.staff = ""
	return nil
}

func (m *fakeMemory) Available() bool { return m.available }

func (m *fakeMemory) remembered() string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.staff
}
