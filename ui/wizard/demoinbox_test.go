package ui

import (
	"context"
	"errors"
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
)

// demoEnv is the app as `make run` starts it: the wizard in demo mode
// over the embedded default, with the Demo inbox. The wizard and the
// inbox tick by hand and apply their results on the test goroutine.
type demoEnv struct {
	t      *testing.T
	demo   *embedded.Demo
	win    fyne.Window
	c      *controller
	inbox  *DemoInbox
	ticker *manualTicker // the wizard's
	poll   *manualTicker // the inbox's
	queue  *uiQueue
}

func newDemoEnv(t *testing.T) *demoEnv {
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

	e := &demoEnv{t: t, demo: demo, ticker: &manualTicker{}, poll: &manualTicker{}, queue: newUIQueue()}
	e.inbox = NewDemoInbox(a, demo, log)
	e.inbox.post, e.inbox.ticker = e.queue.post, e.poll
	e.inbox.now = func() time.Time { return t0 }

	settings := DefaultSettings()
	settings.Language = langEnglish
	settings.DemoMode = true
	e.win = test.NewTempWindow(t, widget.NewLabel(""))
	e.win.Resize(fyne.NewSize(800, 1100))
	e.c = newController(e.win, Deps{
		Backend: cl, Ticker: e.ticker, Audio: &fakePlayer{}, Settings: settings, Log: log, DemoInbox: e.inbox,
	})
	e.c.post = e.queue.post
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
	q := e.queue
	for e.c.inflight > 0 || e.inbox.inflight > 0 {
		q.mu.Lock()
		for len(q.fns) == 0 {
			q.cond.Wait()
		}
		fn := q.fns[0]
		q.fns = q.fns[1:]
		q.mu.Unlock()
		fn()
	}
}

// waitForMessages lets the inbox poll until it shows n messages. The
// delivery worker writes them on its own goroutine, so this waits for an
// event, not for time to pass.
func (e *demoEnv) waitForMessages(n int) {
	e.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for len(e.inbox.cards) < n {
		if time.Now().After(deadline) {
			e.t.Fatalf("the Demo inbox shows %d message(s) after 10 s, want %d", len(e.inbox.cards), n)
		}
		time.Sleep(10 * time.Millisecond)
		e.poll.fire()
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
	ch := e.c.chrome
	if !ch.demo.Visible() || !strings.HasPrefix(ch.demoText.Text, "Demo mode") {
		t.Fatalf("step 1 has no demo banner (visible %v, %q)", ch.demo.Visible(), ch.demoText.Text)
	}
	if ch.inboxBtn == nil || ch.inboxBtn.Text != "Demo inbox" {
		t.Fatal("the demo banner has no button to open the Demo inbox")
	}
	if e.inbox.shown || len(e.inbox.cards) != 0 || !e.inbox.empty.Visible() {
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
	if e.inbox.shown || e.win.Canvas().Focused() != s3.code {
		t.Error("the arriving message opened the Demo inbox over step 3")
	}
	if ch.inboxBtn.Text != "Demo inbox: 1 new" || ch.inboxBtn.Importance != widget.HighImportance {
		t.Errorf("the banner's button says %q (importance %v) with a message unseen", ch.inboxBtn.Text, ch.inboxBtn.Importance)
	}
	e.tap(ch.inboxBtn)
	if !e.inbox.shown || ch.inboxBtn.Text != "Demo inbox" || ch.inboxBtn.Importance == widget.HighImportance {
		t.Errorf("after opening the inbox: shown %v, button %q", e.inbox.shown, ch.inboxBtn.Text)
	}
	card := e.inbox.cards[0]
	if card.heading.Text != "SMS to "+embedded.Accounts[0].Mobile {
		t.Errorf("the message's heading is %q", card.heading.Text)
	}
	code := card.code.Text
	if !sixDigits.MatchString(code) || !strings.Contains(card.body.Text, code) {
		t.Fatalf("the inbox shows the code %q and the SMS %q", code, card.body.Text)
	}
	if !card.body.Visible() {
		t.Error("the SMS text is not shown")
	}

	e.tap(card.copyBtn)
	if got := fyne.CurrentApp().Clipboard().Content(); got != code || card.copyBtn.Text != "Copied" {
		t.Errorf("Copy put %q on the clipboard and says %q", got, card.copyBtn.Text)
	}

	e.typeIn(s3.code, code)
	e.enter()
	s4 := current[*step4](e)
	e.typeIn(s4.pw, goodPassword)
	e.typeIn(s4.retype, goodPassword)
	e.tap(s4.update)
	current[*success](e)
	if !ch.demo.Visible() {
		t.Error("the success screen has no demo banner")
	}

	// The inbox speaks the wizard's language.
	e.c.setLanguage(langChinese)
	if got := e.inbox.win.Title(); got != "示範收件匣" {
		t.Errorf("inbox title in Chinese = %q", got)
	}
	if want := "發送至 " + embedded.Accounts[0].Mobile + " 的短訊"; card.heading.Text != want {
		t.Errorf("inbox heading in Chinese = %q, want %q", card.heading.Text, want)
	}
	if ch.inboxBtn.Text != "示範收件匣" {
		t.Errorf("banner button in Chinese = %q", ch.inboxBtn.Text)
	}

	// Closing the wizard closes the inbox, which holds codes.
	e.c.close()
	e.settle()
	if !e.inbox.closed {
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
	card := e.inbox.cards[0]
	if card.heading.Text != "E-mail to "+embedded.Accounts[1].Email || !strings.HasPrefix(card.subject.Text, "Subject: ") || card.bodyBox == nil {
		t.Fatalf("e-mail card: heading %q, subject %q, folded body %v", card.heading.Text, card.subject.Text, card.bodyBox != nil)
	}
	e.typeIn(s3.code, card.code.Text)
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

// TestDemoInboxShowsEachMessageAsWritten drives the inbox alone, over an
// outbox that the test writes.
func TestDemoInboxShowsEachMessageAsWritten(t *testing.T) {
	a := test.NewTempApp(t)
	var outbox []api.OutboxMessage
	var readErr error
	d := NewDemoInbox(a, noMessages{}, slog.New(slog.DiscardHandler))
	d.read = func() ([]api.OutboxMessage, error) { return outbox, readErr }
	q, poll := newUIQueue(), &manualTicker{}
	d.post, d.ticker = q.post, poll
	d.now = func() time.Time { return t0 }
	step := func() {
		poll.fire()
		for d.inflight > 0 {
			q.mu.Lock()
			for len(q.fns) == 0 {
				q.cond.Wait()
			}
			fn := q.fns[0]
			q.fns = q.fns[1:]
			q.mu.Unlock()
			fn()
		}
	}
	d.follow(langEnglish)
	step()
	if d.shown || !d.empty.Visible() || len(d.list.Objects) != 0 {
		t.Fatal("an empty outbox opened the inbox or showed messages")
	}

	notified := 0
	d.onUnread = func() { notified++ }
	outbox = []api.OutboxMessage{{Channel: api.ChannelSMS, To: "+85291234534", Body: "HKU SPACE: your code is 111111", Code: "111111"}}
	step()
	if d.shown || d.unread != 1 || notified != 1 || d.empty.Visible() || len(d.list.Objects) != 1 {
		t.Fatalf("after the first message: shown %v, unread %d (told %d times), empty note %v, %d cards",
			d.shown, d.unread, notified, d.empty.Visible(), len(d.list.Objects))
	}
	d.Show()
	if d.unread != 0 {
		t.Errorf("%d unread after the inbox was opened", d.unread)
	}
	if d.cards[0].when.Text != "Received 09:50:00" {
		t.Errorf("received time %q", d.cards[0].when.Text)
	}

	// Closing the window hides it; messages arriving meanwhile count as
	// unread.
	d.hide()
	outbox = append(outbox,
		api.OutboxMessage{Channel: api.ChannelEmail, To: "a@example.edu.hk", Subject: "Your code", Body: "long text", Code: "222222"},
		api.OutboxMessage{Channel: api.ChannelEmail, To: "a@example.edu.hk", Subject: "Your staff number", Body: "12345678"},
	)
	step()
	if d.shown || d.unread != 2 || len(d.cards) != 3 {
		t.Fatalf("after two more: shown %v, unread %d, %d cards", d.shown, d.unread, len(d.cards))
	}
	if d.list.Objects[0] != d.cards[2].box || d.list.Objects[2] != d.cards[0].box {
		t.Error("the newest message is not on top")
	}
	if reminder := d.cards[2]; containsObject(reminder.box, reminder.copyBtn) {
		t.Error("a message without a code shows a Copy button")
	}

	// A failed read says so and keeps what was shown; the next read
	// mends it.
	readErr = errors.New("permission denied")
	step()
	if !d.problem.Visible() || d.problem.Text != "The messages cannot be read at the moment." || len(d.cards) != 3 {
		t.Errorf("after a failed read: problem shown %v (%q), %d cards", d.problem.Visible(), d.problem.Text, len(d.cards))
	}
	readErr = nil
	step()
	if d.problem.Visible() {
		t.Error("the problem stays after a good read")
	}

	// An outbox emptied under the inbox starts the list over.
	outbox = outbox[:1]
	step()
	if len(d.cards) != 1 || len(d.list.Objects) != 1 {
		t.Errorf("after the outbox was emptied: %d cards", len(d.cards))
	}

	d.Close()
	if poll.fn != nil {
		t.Error("the inbox still polls after Close")
	}
}

func TestTheBannerButtonOpensTheInbox(t *testing.T) {
	e := newDemoEnv(t)
	e.tap(e.c.chrome.inboxBtn)
	if !e.inbox.shown {
		t.Fatal("the banner's button did not open the Demo inbox")
	}
	// The window's close button runs the close intercept (the test
	// driver's windows have none to press).
	e.inbox.hide()
	if e.inbox.shown || e.inbox.closed {
		t.Fatalf("closing the inbox window: shown %v, closed for good %v", e.inbox.shown, e.inbox.closed)
	}
	e.tap(e.c.chrome.inboxBtn)
	if !e.inbox.shown {
		t.Error("the banner's button did not open the Demo inbox again")
	}
}

func TestNoInboxButtonOutsideDemoMode(t *testing.T) {
	e := newEnv(t)
	if e.c.chrome.inboxBtn != nil || e.c.chrome.demo.Visible() {
		t.Error("the wizard over a configured service shows the demo banner or its inbox button")
	}
}

func TestHelpListsTheDemoAccountsInDemoModeOnly(t *testing.T) {
	s := DefaultSettings()
	for _, l := range assets.Languages() {
		lang := l.Tag
		tr := newTranslator(lang, slog.New(slog.DiscardHandler))
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

// containsObject reports whether o is inside the container tree of c.
func containsObject(c *fyne.Container, o fyne.CanvasObject) bool {
	for _, child := range c.Objects {
		if child == o {
			return true
		}
		if cc, ok := child.(*fyne.Container); ok && containsObject(cc, o) {
			return true
		}
	}
	return false
}
