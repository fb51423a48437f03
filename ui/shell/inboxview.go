package shell

import (
	"time"

	"casreset/ui"
)

// What follows lets a mode's tests drive the Demo inbox and read it as a
// person would, with the mode in the same window.

// RunOn makes the inbox apply its reads with post (a test's queue), poll
// with poll and date the messages with now; before it is shown or
// followed.
func (d *DemoInbox) RunOn(post func(func()), poll Ticker, now func() time.Time) {
	d.post, d.ticker, d.now = post, poll, now
}

// Reading reports whether a read of the outbox has not been applied yet.
func (d *DemoInbox) Reading() bool { return d.inflight > 0 }

// Shown reports whether the window is open.
func (d *DemoInbox) Shown() bool { return d.shown }

// Closed reports whether the inbox was closed for good.
func (d *DemoInbox) Closed() bool { return d.closed }

// Title is the window's title.
func (d *DemoInbox) Title() string { return d.win.Title() }

// ShowsEmpty reports whether the window says that no message came yet.
func (d *DemoInbox) ShowsEmpty() bool { return d.empty.Visible() }

// Hide closes the window as its close button does: the inbox keeps
// reading, and the banner's button opens it again.
func (d *DemoInbox) Hide() { d.hide() }

// InboxCard is the card of one message in the Demo inbox.
type InboxCard = inboxCard

// Cards are the inbox's cards in the order the messages were written.
func (d *DemoInbox) Cards() []*InboxCard { return d.cards }

// Heading names the channel and the recipient.
func (c *inboxCard) Heading() string { return c.heading.Text }

// Subject is an e-mail's subject line.
func (c *inboxCard) Subject() string { return c.subject.Text }

// Code is the validation code set apart; empty without one.
func (c *inboxCard) Code() string { return c.code.Text }

// Body is the message's text; BodyShown whether it shows unfolded, and
// Folded whether it is folded away (an e-mail's).
func (c *inboxCard) Body() string    { return c.body.Text }
func (c *inboxCard) BodyShown() bool { return c.body.Visible() }
func (c *inboxCard) Folded() bool    { return c.bodyBox != nil }

// CopyButton copies the code.
func (c *inboxCard) CopyButton() *ui.ActionButton { return c.copyBtn }
