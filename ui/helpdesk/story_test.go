package helpdesk_test

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"casreset/api"
	"casreset/client"
	"casreset/desktop/embedded"
	"casreset/service"
	"casreset/service/delivery"
	"casreset/service/delivery/deliverytest"
	"casreset/service/server"
	"casreset/ui"
	"casreset/ui/helpdesk"
	"casreset/ui/shell"
	"casreset/ui/wizard"
)

// testCaptcha is the answer the story's service accepts for every CAPTCHA.
const testCaptcha = "246810"

// TestTheHelpDeskStory is issue 16's story, against the real embedded
// service over TLS (the one casreset --helpdesk runs with no server): a
// teacher runs out of wrong codes and their send is refused with a
// reference; the demonstration operator signs in to the help desk with
// their password and TOTP code, finds the teacher by that reference,
// verifies the caller with a code sent to the teacher's phone, unlocks
// the account and issues a pass; the teacher types the pass at step 2 of
// the wizard and sets a new password. The audit names the operator for
// every step, and the teacher received the unlock and pass notices.
func TestTheHelpDeskStory(t *testing.T) {
	test.NewTempApp(t)
	ctx := context.Background()
	demo, err := embedded.Start(ctx, embedded.Options{
		CacheDir: t.TempDir(), Org: delivery.Org{Name: "Example College", HelpEmail: "ithelp@example.edu.hk"}, Version: "test",
		Configure: func(c *server.Config) {
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
	teacher := embedded.Accounts[0] // SMS and e-mail
	reference := lockOut(t, cl, demo, teacher.StaffNumber)

	// The operator signs in.
	q := newQueue()
	settings := shell.DefaultSettings()
	settings.Language = "en"
	settings.DemoMode = true
	settings.IdleTimeout = time.Hour
	log := slog.New(slog.DiscardHandler)
	hw := test.NewTempWindow(t, widget.NewLabel(""))
	hw.Resize(fyne.NewSize(800, 1400))
	helpdesk.Mount(hw, helpdesk.Deps{Desk: cl, Ticker: noTicker{}, Settings: settings, Log: log, Demo: demo.Operator, Post: q.post})
	desk := screen{t, hw}
	name, password, code := demo.Operator.DemoSignIn(time.Now())
	desk.wantText("Demonstration: sign in as " + name + " with the password " + password)
	fields := desk.entries()
	if len(fields) != 3 {
		t.Fatalf("the sign-in page has %d fields, want username, password and code", len(fields))
	}
	test.Type(fields[0], name)
	test.Type(fields[1], password)
	test.Type(fields[2], code)
	test.Tap(desk.button("Sign in"))
	q.await(t, desk, "the search page", func() bool { return desk.has("Find a staff member") })
	desk.wantText("Signed in as " + name + " (local operator)")

	// Finds the teacher by the reference on their error screen, in
	// groups as it is read out over the phone.
	test.Type(desk.entries()[0], strings.ToLower(reference[:8])+" "+reference[8:])
	test.Tap(desk.button("Find"))
	q.await(t, desk, "the account page", func() bool { return desk.has(teacher.Name + " (staff number " + teacher.StaffNumber + ")") })
	desk.wantText("Events with reference " + reference)
	desk.wantText("Wrong codes: 10 of 10 in 24 hours — reached until")
	desk.wantText("Not verified")

	// Verifies the caller: a code to the teacher's phone, read back.
	test.Tap(desk.button("Verify caller"))
	q.await(t, desk, "the verify page", func() bool { return desk.has("Verify the caller: " + teacher.Name) })
	test.Tap(desk.choice("SMS to "))
	before := outboxLen(t, demo)
	test.Tap(desk.button("Send code"))
	q.await(t, desk, "the code sent", func() bool { return desk.has("A code was sent by SMS to ") })
	callerCode := codeOf(t, demo, before+1)
	test.Type(desk.entries()[0], callerCode)
	test.Tap(desk.button("Check"))
	q.await(t, desk, "the account, verified", func() bool { return desk.has("The caller is verified until ") })
	desk.wantText("Verified until ")

	// Unlocks: the limits are lifted.
	before = outboxLen(t, demo)
	test.Tap(desk.button("Unlock"))
	q.await(t, desk, "the account, unlocked", func() bool { return desk.has("Unlocked: ") })
	desk.wantText("Wrong codes: 0 of 10 in 24 hours")

	// Issues a pass, shown large and grouped.
	test.Tap(desk.button("Issue pass"))
	q.await(t, desk, "the pass", func() bool { return desk.has("One-time pass for " + teacher.Name) })
	pass := desk.largeText()
	if n, ok := api.NormalizePass(pass); !ok || api.FormatPass(n) != pass {
		t.Fatalf("the pass shows as %q, want ABCD-EFGH of the pass alphabet", pass)
	}
	desk.wantText(`at step 2 choose "I have a pass from IT Help"`)
	test.Tap(desk.button("Done"))
	q.await(t, desk, "the account after the pass", func() bool { return desk.has("Recent events") })
	if desk.largeText() != "" {
		t.Error("the pass is still on the screen after Done")
	}

	// The teacher resets with the pass in the wizard.
	ww := test.NewTempWindow(t, widget.NewLabel(""))
	ww.Resize(fyne.NewSize(800, 1400))
	wizard.Mount(ww, wizard.Deps{Backend: cl, Ticker: noTicker{}, Settings: settings, Log: log, Post: q.post})
	wiz := screen{t, ww}
	q.await(t, wiz, "the CAPTCHA", wiz.hasImage)
	fields = wiz.entries()
	if len(fields) < 2 {
		t.Fatalf("step 1 has %d fields, want the staff number and the CAPTCHA", len(fields))
	}
	test.Type(fields[0], teacher.StaffNumber)
	test.Type(fields[1], testCaptcha)
	test.Tap(wiz.button("Next"))
	q.await(t, wiz, "step 2", func() bool { return wiz.has("I have a pass from IT Help") })
	// A link follows a tap on its text, past the padding.
	test.TapAt(wiz.link("I have a pass from IT Help"), fyne.NewPos(theme.InnerPadding()+2, theme.InnerPadding()+2))
	q.await(t, wiz, "the pass page", func() bool { return wiz.has("Enter the Pass from IT Help") })
	test.Type(wiz.entries()[0], strings.ToLower(pass))
	test.Tap(wiz.button("Next"))
	q.await(t, wiz, "step 4", func() bool { return wiz.has("Update") })
	const newPassword = "Kx7pQ2mZr9vTw4"
	fields = wiz.entries()
	test.Type(fields[0], newPassword)
	test.Type(fields[1], newPassword)
	test.Tap(wiz.button("Update"))
	q.await(t, wiz, "success", func() bool { return wiz.has("Your password has been updated successfully.") })

	// The audit names the operator for every look-up and action.
	var events []service.AuditEvent
	err = demo.Store().View(ctx, func(tx service.Tx) error {
		var err error
		events, err = tx.Audit(service.AuditFilter{StaffNumber: teacher.StaffNumber})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, step := range []string{"look-up of reference " + reference, "caller verification code queued by sms", "caller verified by sms", "unlock:", "pass issued"} {
		found := false
		for _, e := range events {
			found = found || e.Event == service.EventHelpdesk && strings.Contains(e.Detail, step) && strings.Contains(e.Detail, name)
		}
		if !found {
			t.Errorf("no audit event of %q naming %s", step, name)
		}
	}
	// And the teacher was told of the unlock and the pass, by SMS and
	// e-mail, and the pass is not in the notices.
	msgs := deliverytest.WaitForOutbox(t, demo.Outbox, before+4, 30*time.Second)
	for _, want := range []struct{ to, about string }{
		{teacher.Mobile, "unlocked"}, {teacher.Email, "unlocked"}, {teacher.Mobile, "pass"}, {teacher.Email, "pass"},
	} {
		found := false
		for _, m := range msgs {
			found = found || m.To == want.to && strings.Contains(strings.ToLower(m.Subject+m.Body), want.about)
		}
		if !found {
			t.Errorf("no notice about %q to %s", want.about, want.to)
		}
	}
	for _, m := range msgs {
		if strings.Contains(m.Body, pass) || strings.Contains(m.Body, strings.ReplaceAll(pass, "-", "")) {
			t.Errorf("the pass is in a message to %s", m.To)
		}
	}

	// Sign out: back to the sign-in page, the session ended.
	test.Tap(desk.button("Sign out"))
	desk.wantText("IT Help sign-in")
	if _, err := cl.HelpdeskAccount(ctx, "any", teacher.StaffNumber); !isCode(err, api.CodeOperatorAuthFailed) {
		t.Errorf("a look-up without a session: %v, want operator_auth_failed", err)
	}
}

// lockOut makes wrong codes for staff, one flow after another, until the
// account's limit refuses to send another, and returns the reference of
// that refusal: what the teacher's error screen shows.
func lockOut(t *testing.T, cl *client.Client, demo *embedded.Demo, staff string) string {
	t.Helper()
	ctx := context.Background()
	for range 20 {
		c, err := cl.NewCaptcha(ctx)
		if err != nil {
			t.Fatal(err)
		}
		st, err := cl.Start(ctx, api.StartRequest{StaffNumber: staff, CaptchaID: c.CaptchaID, CaptchaAnswer: testCaptcha})
		if err != nil {
			t.Fatal(err)
		}
		before := outboxLen(t, demo)
		_, err = cl.SendCode(ctx, st.ResetToken, api.SendCodeRequest{Channel: api.ChannelSMS})
		var e *api.Error
		if errors.As(err, &e) && e.Code == api.CodeRateLimited {
			if e.Reference == "" {
				t.Fatal("the refusal has no reference")
			}
			return e.Reference
		}
		if err != nil {
			t.Fatal(err)
		}
		wrong := wrongCode(codeOf(t, demo, before+1))
		for range 10 {
			if _, err := cl.Verify(ctx, st.ResetToken, wrong); !isCode(err, api.CodeCodeInvalid) {
				break // the flow's attempts ran out, or the account's
			}
		}
	}
	t.Fatal("the account's limit never refused a send")
	return ""
}

// wrongCode is a code that is not code.
func wrongCode(code string) string {
	b := []byte(code)
	b[0] = '0' + (b[0]-'0'+1)%10
	return string(b)
}

// outboxLen is how many messages the demonstration has sent.
func outboxLen(t *testing.T, demo *embedded.Demo) int {
	t.Helper()
	msgs, err := demo.Messages()
	if err != nil {
		t.Fatal(err)
	}
	return len(msgs)
}

// codeOf waits for the demonstration's nth message (its delivery worker
// runs on its own schedule) and returns its code.
func codeOf(t *testing.T, demo *embedded.Demo, n int) string {
	t.Helper()
	msgs := deliverytest.WaitForOutbox(t, demo.Outbox, n, 30*time.Second)
	if msgs[n-1].Code == "" {
		t.Fatalf("message %d to %s has no code", n, msgs[n-1].To)
	}
	return msgs[n-1].Code
}

func isCode(err error, code api.Code) bool {
	var e *api.Error
	return errors.As(err, &e) && e.Code == code
}

// queue holds the results of calls until the test goroutine applies
// them, so that the test runs on one UI goroutine as the app does.
type queue struct{ fns chan func() }

func newQueue() *queue { return &queue{fns: make(chan func(), 1024)} }

func (q *queue) post(fn func()) { q.fns <- fn }

// await applies results until cond holds. The guard only stops a test
// that would otherwise hang: no result it waits for takes near as long.
func (q *queue) await(t *testing.T, s screen, what string, cond func() bool) {
	t.Helper()
	guard := time.After(30 * time.Second)
	for !cond() {
		select {
		case fn := <-q.fns:
			fn()
		case <-guard:
			t.Fatalf("the screen never showed %s; it shows:\n%s", what, strings.Join(s.texts(), "\n"))
		}
	}
}

// noTicker never ticks: the story needs no countdown.
type noTicker struct{}

func (noTicker) Every(time.Duration, func()) func() { return func() {} }

// screen finds what a person sees in a window.
type screen struct {
	t *testing.T
	w fyne.Window
}

// objects are the visible objects of the window, in layout order.
func (s screen) objects() []fyne.CanvasObject {
	var out []fyne.CanvasObject
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		if o == nil || !o.Visible() {
			return
		}
		out = append(out, o)
		switch v := o.(type) {
		case *fyne.Container:
			for _, c := range v.Objects {
				walk(c)
			}
		case *container.Scroll:
			walk(v.Content)
		case *container.ThemeOverride:
			walk(v.Content)
		}
	}
	walk(s.w.Canvas().Content())
	return out
}

// texts are the texts of the labels, links and choices shown.
func (s screen) texts() []string {
	var out []string
	for _, o := range s.objects() {
		switch v := o.(type) {
		case *widget.Label:
			out = append(out, v.Text)
		case *ui.WrapLabel:
			out = append(out, v.Text)
		case *widget.Hyperlink:
			out = append(out, v.Text)
		case *ui.Choice:
			out = append(out, v.Text())
		case *ui.ActionButton:
			out = append(out, v.Text)
		case *widget.Button:
			out = append(out, v.Text)
		}
	}
	return out
}

func (s screen) has(sub string) bool {
	for _, t := range s.texts() {
		if strings.Contains(t, sub) {
			return true
		}
	}
	return false
}

func (s screen) wantText(sub string) {
	s.t.Helper()
	if !s.has(sub) {
		s.t.Fatalf("the screen does not show %q; it shows:\n%s", sub, strings.Join(s.texts(), "\n"))
	}
}

// entries are the fields one can type into.
func (s screen) entries() []fyne.Focusable {
	var out []fyne.Focusable
	for _, o := range s.objects() {
		switch v := o.(type) {
		case *widget.Entry:
			out = append(out, v)
		case *ui.SecretEntry:
			out = append(out, v)
		}
	}
	return out
}

func (s screen) button(text string) fyne.Tappable {
	s.t.Helper()
	for _, o := range s.objects() {
		switch v := o.(type) {
		case *ui.ActionButton:
			if v.Text == text && !v.Disabled() {
				return v
			}
		case *widget.Button:
			if v.Text == text && !v.Disabled() {
				return v
			}
		}
	}
	s.t.Fatalf("no button %q that can be pressed; the screen shows:\n%s", text, strings.Join(s.texts(), "\n"))
	return nil
}

func (s screen) link(text string) *widget.Hyperlink {
	s.t.Helper()
	for _, o := range s.objects() {
		if v, ok := o.(*widget.Hyperlink); ok && v.Text == text {
			return v
		}
	}
	s.t.Fatalf("no link %q", text)
	return nil
}

func (s screen) choice(prefix string) fyne.Tappable {
	s.t.Helper()
	for _, o := range s.objects() {
		if v, ok := o.(*ui.Choice); ok && strings.HasPrefix(v.Text(), prefix) {
			return v
		}
	}
	s.t.Fatalf("no choice %q…", prefix)
	return nil
}

// hasImage reports whether an image shows (the CAPTCHA, loaded).
func (s screen) hasImage() bool {
	for _, o := range s.objects() {
		if v, ok := o.(*canvas.Image); ok && (v.Resource != nil || v.Image != nil) {
			return true
		}
	}
	return false
}

// largeText is the text shown large (the pass), or "".
func (s screen) largeText() string {
	for _, o := range s.objects() {
		if v, ok := o.(*canvas.Text); ok && v.TextSize >= 40 {
			return v.Text
		}
	}
	return ""
}
