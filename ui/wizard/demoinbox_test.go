package wizard

import (
	"context"
	"log/slog"
	"regexp"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"casreset/api"
	"casreset/assets"
	"casreset/client"
	"casreset/desktop/embedded"
	"casreset/service"
	"casreset/service/delivery"
	"casreset/service/server"
	"casreset/ui/shell"
	"casreset/ui/uitest"
)

// demoEnv is the app as `make run` starts it: the wizard in demo mode
// over the embedded default, with the Demo inbox. The wizard and the
// inbox tick by hand and apply their results on the test goroutine.
type demoEnv struct {
	t      *testing.T
	demo   *embedded.Demo
	win    fyne.Window
	c      *controller
	inbox  *shell.DemoInbox
	ticker *uitest.Ticker // the wizard's
	poll   *uitest.Ticker // the inbox's
	queue  *uitest.Queue
}

func newDemoEnv(t *testing.T, configure ...func(*shell.Settings)) *demoEnv {
	t.Helper()
	a := test.NewTempApp(t)
	log := slog.New(slog.DiscardHandler)
	demo, err := embedded.Start(context.Background(), embedded.Options{
		CacheDir: t.TempDir(),
		Org:      delivery.Org{Name: "HKU SPACE", HelpEmail: "ithelp@example.edu.hk"},
		Version:  "test",
		Log:      log,
		Configure: func(c *server.Config) {
			// The person reads the CAPTCHA image; a test cannot, so it
			// uses the service's test switch, on loopback only.
			c.Service.TestCaptchaAnswer = testCaptcha
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

	e := &demoEnv{t: t, demo: demo, ticker: &uitest.Ticker{}, poll: &uitest.Ticker{}, queue: uitest.NewQueue()}
	e.inbox = shell.NewDemoInbox(a, demo, log)
	e.inbox.RunOn(e.queue.Post, e.poll, func() time.Time { return t0 })

	settings := shell.DefaultSettings()
	settings.Language = langEnglish
	settings.DemoMode = true
	for _, f := range configure {
		f(&settings)
	}
	e.win = test.NewTempWindow(t, widget.NewLabel(""))
	e.win.Resize(fyne.NewSize(800, 1100))
	e.c = newController(e.win, Deps{
		Backend: cl, Ticker: e.ticker, Audio: &fakePlayer{}, Settings: settings, Log: log, DemoInbox: e.inbox,
	})
	e.c.calls.Post = e.queue.Post
	e.c.mount()
	t.Cleanup(func() {
		e.c.close()
		e.settle()
	})
	e.settle()
	return e
}

// settle applies results until neither the wizard nor the inbox waits
// for one.
func (e *demoEnv) settle() {
	e.queue.RunWhile(func() bool { return e.c.calls.Inflight > 0 || e.inbox.Reading() })
}

// waitForMessages lets the inbox poll until it shows n messages. The
// delivery worker writes them on its own goroutine, so this waits for an
// event, not for time to pass.
func (e *demoEnv) waitForMessages(n int) {
	e.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for len(e.inbox.Cards()) < n {
		if time.Now().After(deadline) {
			e.t.Fatalf("the Demo inbox shows %d message(s) after 10 s, want %d", len(e.inbox.Cards()), n)
		}
		time.Sleep(10 * time.Millisecond)
		e.poll.Fire()
		e.settle()
	}
}

func (e *demoEnv) typeIn(entry fyne.Focusable, s string) {
	if en, ok := entry.(interface{ SetText(string) }); ok {
		en.SetText("")
	}
	e.win.Canvas().Focus(entry)
	test.Type(entry, s)
}

func (e *demoEnv) tap(b fyne.Tappable) {
	test.Tap(b)
	e.settle()
}

func (e *demoEnv) enter() {
	e.win.Canvas().Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	e.settle()
}

func current[T screen](e *demoEnv) T {
	e.t.Helper()
	s, ok := e.c.current.(T)
	if !ok {
		e.t.Fatalf("current screen is %T, want %T", e.c.current, *new(T))
	}
	return s
}

var sixDigits = regexp.MustCompile(`^[0-9]{6}$`)

// TestEmbeddedDefaultCompletesAFlowWithTheCodeFromTheDemoInbox walks a
// reset through the embedded default as a newcomer would: the code is
// read from the Demo inbox and typed into step 3.
func TestEmbeddedDefaultCompletesAFlowWithTheCodeFromTheDemoInbox(t *testing.T) {
	e := newDemoEnv(t)
	if shown, text := e.c.shell.DemoBanner(); !shown || !strings.HasPrefix(text, "Demo mode") {
		t.Fatalf("step 1 has no demo banner (visible %v, %q)", shown, text)
	}
	inboxBtn := e.c.shell.InboxButton()
	if inboxBtn == nil || inboxBtn.Text != "Demo inbox" {
		t.Fatal("the demo banner has no button to open the Demo inbox")
	}
	if e.inbox.Shown() || len(e.inbox.Cards()) != 0 || !e.inbox.ShowsEmpty() {
		t.Fatal("the Demo inbox is open or not empty before anything was sent")
	}

	s1 := current[*step1](e)
	e.typeIn(s1.staff, embedded.Accounts[0].StaffNumber)
	e.typeIn(s1.captcha.answer, testCaptcha)
	e.enter()
	s2 := current[*step2](e)
	if len(s2.options) != 2 {
		t.Fatalf("the demo account with both channels offers %d", len(s2.options))
	}
	e.tap(s2.options[0]) // SMS
	e.tap(s2.send)
	s3 := current[*step3](e)

	e.waitForMessages(1)
	// The inbox does not take the keyboard from step 3: the banner's
	// button counts the message instead.
	if e.inbox.Shown() || e.win.Canvas().Focused() != s3.code {
		t.Error("the arriving message opened the Demo inbox over step 3")
	}
	if inboxBtn.Text != "Demo inbox: 1 new" || inboxBtn.Importance != widget.HighImportance {
		t.Errorf("the banner's button says %q (importance %v) with a message unseen", inboxBtn.Text, inboxBtn.Importance)
	}
	e.tap(inboxBtn)
	if !e.inbox.Shown() || inboxBtn.Text != "Demo inbox" || inboxBtn.Importance == widget.HighImportance {
		t.Errorf("after opening the inbox: shown %v, button %q", e.inbox.Shown(), inboxBtn.Text)
	}
	card := e.inbox.Cards()[0]
	if card.Heading() != "SMS to "+embedded.Accounts[0].Mobile {
		t.Errorf("the message's heading is %q", card.Heading())
	}
	code := card.Code()
	if !sixDigits.MatchString(code) || !strings.Contains(card.Body(), code) {
		t.Fatalf("the inbox shows the code %q and the SMS %q", code, card.Body())
	}
	if !card.BodyShown() {
		t.Error("the SMS text is not shown")
	}

	e.tap(card.CopyButton())
	if got := fyne.CurrentApp().Clipboard().Content(); got != code || card.CopyButton().Text != "Copied" {
		t.Errorf("Copy put %q on the clipboard and says %q", got, card.CopyButton().Text)
	}

	e.typeIn(s3.code, code)
	e.enter()
	s4 := current[*step4](e)
	e.typeIn(s4.pw, goodPassword)
	e.typeIn(s4.retype, goodPassword)
	e.tap(s4.update)
	current[*success](e)
	if shown, _ := e.c.shell.DemoBanner(); !shown {
		t.Error("the success screen has no demo banner")
	}

	// The inbox speaks the wizard's language.
	e.c.setLanguage(langChinese)
	if got := e.inbox.Title(); got != "示範收件匣" {
		t.Errorf("inbox title in Chinese = %q", got)
	}
	if want := "發送至 " + embedded.Accounts[0].Mobile + " 的短訊"; card.Heading() != want {
		t.Errorf("inbox heading in Chinese = %q, want %q", card.Heading(), want)
	}
	if inboxBtn.Text != "示範收件匣" {
		t.Errorf("banner button in Chinese = %q", inboxBtn.Text)
	}

	// Closing the wizard closes the inbox, which holds codes.
	e.c.close()
	e.settle()
	if !e.inbox.Closed() {
		t.Error("the Demo inbox stays open after the wizard closed")
	}
}

// TestEmailCodeThroughTheInbox: the e-mail-only account's code arrives as
// an e-mail with its subject, the whole text folded away.
func TestEmailCodeThroughTheInbox(t *testing.T) {
	e := newDemoEnv(t)
	s1 := current[*step1](e)
	e.typeIn(s1.staff, embedded.Accounts[1].StaffNumber)
	e.typeIn(s1.captcha.answer, testCaptcha)
	e.enter()
	s2 := current[*step2](e)
	if len(s2.options) != 1 || s2.channels[0].Channel != api.ChannelEmail {
		t.Fatalf("the e-mail-only demo account offers %+v", s2.channels)
	}
	e.tap(s2.options[0])
	e.tap(s2.send)
	s3 := current[*step3](e)
	e.waitForMessages(1)
	card := e.inbox.Cards()[0]
	if card.Heading() != "E-mail to "+embedded.Accounts[1].Email || !strings.HasPrefix(card.Subject(), "Subject: ") || !card.Folded() {
		t.Fatalf("e-mail card: heading %q, subject %q, folded body %v", card.Heading(), card.Subject(), card.Folded())
	}
	e.typeIn(s3.code, card.Code())
	e.enter()
	current[*step4](e)

	// The account whose contract ended long ago is refused at step 1.
	e.c.newFlow(text{})
	e.settle()
	s1 = current[*step1](e)
	e.typeIn(s1.staff, embedded.Accounts[2].StaffNumber)
	e.typeIn(s1.captcha.answer, testCaptcha)
	e.enter()
	if current[*step1](e) != s1 || !strings.Contains(s1.formErr.Text+s1.staffErr.Text, "18 months") {
		t.Errorf("the ended contract: step 1 says %q %q", s1.formErr.Text, s1.staffErr.Text)
	}
}

func TestTheBannerButtonOpensTheInbox(t *testing.T) {
	e := newDemoEnv(t)
	e.tap(e.c.shell.InboxButton())
	if !e.inbox.Shown() {
		t.Fatal("the banner's button did not open the Demo inbox")
	}
	// The window's close button runs the close intercept (the test
	// driver's windows have none to press).
	e.inbox.Hide()
	if e.inbox.Shown() || e.inbox.Closed() {
		t.Fatalf("closing the inbox window: shown %v, closed for good %v", e.inbox.Shown(), e.inbox.Closed())
	}
	e.tap(e.c.shell.InboxButton())
	if !e.inbox.Shown() {
		t.Error("the banner's button did not open the Demo inbox again")
	}
}

func TestNoInboxButtonOutsideDemoMode(t *testing.T) {
	e := newEnv(t)
	if shown, _ := e.c.shell.DemoBanner(); e.c.shell.InboxButton() != nil || shown {
		t.Error("the wizard over a configured service shows the demo banner or its inbox button")
	}
}

func TestHelpListsTheDemoAccountsInDemoModeOnly(t *testing.T) {
	s := shell.DefaultSettings()
	for _, l := range assets.Languages() {
		lang := l.Tag
		tr := shell.NewTranslator(lang, slog.New(slog.DiscardHandler))
		plain := helpText(tr, s, api.Policy{})
		s.DemoMode = true
		demo := helpText(tr, s, api.Policy{})
		s.DemoMode = false
		for _, a := range embedded.Accounts {
			if !strings.Contains(demo, "**"+a.StaffNumber+"**") {
				t.Errorf("%s help in demo mode does not list the demo account %s", lang, a.StaffNumber)
			}
			if strings.Contains(plain, a.StaffNumber) {
				t.Errorf("%s help outside demo mode lists the demo account %s", lang, a.StaffNumber)
			}
		}
		if !strings.Contains(demo, "31") || !strings.Contains(demo, "2021") {
			t.Errorf("%s help does not say when the ended contract ended", lang)
		}
	}
	if want := embedded.Accounts[2].ContractEnd; want != "2021-07-31" {
		t.Errorf("the help says the contract ended on 31 July 2021, the account says %s", want)
	}
}

// TestTheBannerKeepsItsHeight: at 640x480 in Simplified Chinese, the
// banner's button saying "演示收件箱：1条新消息" wrapped the banner's text
// onto another line, and opening the inbox unwrapped it: the page moved
// under the mouse each time. At no width of the window does it move.
func TestTheBannerKeepsItsHeight(t *testing.T) {
	e := newDemoEnv(t, func(s *shell.Settings) { s.Language = "zh-Hans" })
	// The app's fonts, which draw the Chinese at its width.
	settings := shell.DefaultSettings()
	settings.Language = "zh-Hans"
	shell.UseTheme(fyne.CurrentApp(), settings)
	page := e.c.shell.Page()
	pageTops := func() []float32 {
		var tops []float32
		for w := float32(480); w <= 820; w += 10 {
			e.win.Resize(fyne.NewSize(w, 480))
			tops = append(tops, top(page))
		}
		return tops
	}

	s1 := current[*step1](e)
	e.typeIn(s1.staff, embedded.Accounts[0].StaffNumber)
	e.typeIn(s1.captcha.answer, testCaptcha)
	e.enter()
	s2 := current[*step2](e)
	e.tap(s2.options[0])
	e.tap(s2.send)
	current[*step3](e)
	before := pageTops()
	e.waitForMessages(1)
	inboxBtn := e.c.shell.InboxButton()
	if !strings.Contains(inboxBtn.Text, "1") {
		t.Fatalf("the banner's button says %q with a message unseen", inboxBtn.Text)
	}
	unseen := pageTops()
	e.tap(inboxBtn)
	opened := pageTops()
	for i := range before {
		if unseen[i] != before[i] || opened[i] != before[i] {
			t.Errorf("at %v px wide the page starts at %v, with a message unseen at %v, with the inbox open at %v",
				480+10*i, before[i], unseen[i], opened[i])
		}
	}
}
