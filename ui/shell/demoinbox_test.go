package shell

import (
	"errors"
	"log/slog"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"casreset/api"
	"casreset/ui/uitest"
)

// t0 is when the test's clock stands: a Monday morning in Hong Kong.
var t0 = time.Date(2026, 3, 2, 9, 50, 0, 0, time.FixedZone("HKT", 8*3600))

// TestDemoInboxShowsEachMessageAsWritten drives the inbox alone, over an
// outbox that the test writes.
func TestDemoInboxShowsEachMessageAsWritten(t *testing.T) {
	a := test.NewTempApp(t)
	var outbox []api.OutboxMessage
	var readErr error
	d := NewDemoInbox(a, noMessages{}, slog.New(slog.DiscardHandler))
	d.read = func() ([]api.OutboxMessage, error) { return outbox, readErr }
	q, poll := uitest.NewQueue(), &uitest.Ticker{}
	d.post, d.ticker = q.Post, poll
	d.now = func() time.Time { return t0 }
	step := func() {
		poll.Fire()
		q.RunWhile(func() bool { return d.inflight > 0 })
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
	if poll.Held() != 0 {
		t.Error("the inbox still polls after Close")
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

// fontSpy is Fyne's theme, counting the faces asked for: Fyne asks when
// it first measures or draws text in a style.
type fontSpy struct {
	fyne.Theme
	asked int
}

func (s *fontSpy) Font(st fyne.TextStyle) fyne.Resource {
	s.asked++
	return s.Theme.Font(st)
}

// TestDemoInboxMeasuresNoTextUntilUsed: the inbox is made before the
// wizard sets the app's theme, and Fyne keeps the faces of the theme it
// first measures text with until the app runs. Measured then, the zh-Hans
// checklist's "（点击“确定”时检查）" was measured with Noto Sans's narrow
// curly quotes and drawn with the Chinese font's wide ones, its end cut off.
func TestDemoInboxMeasuresNoTextUntilUsed(t *testing.T) {
	a := test.NewTempApp(t)
	spy := &fontSpy{Theme: test.Theme()}
	a.Settings().SetTheme(spy)
	d := NewDemoInbox(a, noMessages{}, slog.New(slog.DiscardHandler))
	d.ticker = &uitest.Ticker{}
	d.SetLanguage("zh-Hans")
	if spy.asked != 0 {
		t.Fatalf("making the inbox measured text (%d faces asked for) before it was used", spy.asked)
	}
	d.follow("zh-Hans")
	if spy.asked == 0 {
		t.Fatal("the inbox in use measured no text: the test sees nothing")
	}
	if d.intro.Text == "" {
		t.Error("the inbox in use has no texts")
	}
	d.Close()
}
