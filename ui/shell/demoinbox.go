package shell

import (
	"log/slog"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"casreset/api"
	"casreset/ui"
)

// inboxPoll is how often the Demo inbox looks for new messages.
const inboxPoll = 500 * time.Millisecond

// Outbox is where the Demo inbox finds the messages that the
// demonstration service wrote instead of sending them, oldest first. The
// embedded service (desktop/embedded) fills it. Messages may block: it is
// called off the UI goroutine.
type Outbox interface {
	Messages() ([]api.OutboxMessage, error)
}

// DemoInbox is the "Demo inbox" window of the embedded demonstration: the
// demonstration service sends no SMS or e-mail but writes each message
// into an outbox directory, and this window shows them as they are
// written, newest first, with the validation code apart, so that a
// newcomer can walk a whole reset without a phone or a mailbox.
//
// Given to the shell in Deps.DemoInbox (the wizard's Deps pass it on), it
// is shared by every mode: it is opened by a button in the demo banner
// that counts the messages not seen yet, follows the shell's language and
// closes with it.
type DemoInbox struct {
	app fyne.App
	win fyne.Window
	tr  *Translator
	log *slog.Logger

	// Replaced by tests: how the outbox is read (off the UI goroutine),
	// how its result returns to the UI goroutine, the poll's ticker and
	// the clock of the "received" times.
	read   func() ([]api.OutboxMessage, error)
	post   func(func())
	ticker Ticker
	now    func() time.Time

	intro    *ui.WrapLabel
	empty    *ui.WrapLabel
	problem  *ui.WrapLabel
	list     *fyne.Container // the cards, newest first
	cards    []*inboxCard    // in the order written
	built    bool            // the window has its content (build)
	shown    bool
	unread   int    // messages that arrived while the window was hidden
	onUnread func() // the banner's button shows unread
	closed   bool
	reading  bool
	inflight int // reads whose results have not been applied
	stop     func()
}

// NewDemoInbox returns the Demo inbox of outbox. Its window stays hidden
// until Show, and empty until the inbox is first used (build).
func NewDemoInbox(a fyne.App, outbox Outbox, log *slog.Logger) *DemoInbox {
	if log == nil {
		log = slog.Default()
	}
	d := &DemoInbox{
		app:     a,
		tr:      NewTranslator(langEnglish, log),
		log:     log,
		read:    outbox.Messages,
		post:    fyne.Do,
		ticker:  realTicker{},
		now:     time.Now,
		intro:   ui.NewWrapLabel(),
		empty:   ui.NewWrapLabel(),
		problem: ui.NewErrorLabel(),
		list:    container.NewVBox(),
	}
	d.problem.Hide()
	d.win = a.NewWindow("")
	// Closing the window only hides it, so that the banner's button can
	// open it again with the messages so far.
	d.win.SetCloseIntercept(d.hide)
	d.win.Resize(fyne.NewSize(520, 640))
	return d
}

// build gives the window its content and texts, the first time the inbox
// is used (start), not when it is made: the inbox is made before the
// wizard sets the app's theme, and a text measured before then would have
// Fyne keep the faces of Fyne's own theme for every plain text of the
// run (see UseTheme): Latin curly quotes measured narrow and drawn wide,
// Chinese in a system font.
func (d *DemoInbox) build() {
	if d.built {
		return
	}
	d.built = true
	d.win.SetContent(container.NewPadded(container.NewBorder(
		container.NewVBox(d.intro, d.problem, widget.NewSeparator()), nil, nil, nil,
		container.NewVScroll(container.NewVBox(d.empty, d.list)),
	)))
	d.refresh()
}

// start begins polling; Show and the wizard (through follow) call it.
func (d *DemoInbox) start() {
	if d.stop != nil || d.closed {
		return
	}
	d.build()
	d.stop = d.ticker.Every(inboxPoll, d.poll)
	d.poll()
}

// Show opens the window.
func (d *DemoInbox) Show() {
	if d.closed {
		return
	}
	d.start()
	d.shown = true
	d.win.Show()
	d.setUnread(0)
}

func (d *DemoInbox) setUnread(n int) {
	d.unread = n
	if d.onUnread != nil {
		d.onUnread()
	}
}

func (d *DemoInbox) hide() {
	d.shown = false
	d.win.Hide()
}

// follow is the wizard showing a screen in lang: the inbox polls from
// then on, in the wizard's language.
func (d *DemoInbox) follow(lang string) {
	d.start()
	d.SetLanguage(lang)
}

// SetLanguage switches the window's texts to lang, a tag of the language
// table.
func (d *DemoInbox) SetLanguage(lang string) {
	if SupportedLang(lang) == d.tr.lang {
		return
	}
	d.tr.SetLang(lang)
	if d.built {
		d.refresh()
	}
}

// Close stops polling and closes the window for good.
func (d *DemoInbox) Close() {
	if d.closed {
		return
	}
	d.closed = true
	if d.stop != nil {
		d.stop()
	}
	d.win.Close()
}

// poll reads the outbox off the UI goroutine, one read at a time.
func (d *DemoInbox) poll() {
	if d.reading || d.closed {
		return
	}
	d.reading = true
	d.inflight++
	go func() {
		msgs, err := d.read()
		d.post(func() {
			d.inflight--
			d.reading = false
			if !d.closed {
				d.apply(msgs, err)
			}
		})
	}()
}

// apply adds the messages not shown yet. It does not open the window:
// a new window takes the keyboard from the wizard, whose field would then
// complain that it was left empty; the banner's button counts them
// instead.
func (d *DemoInbox) apply(msgs []api.OutboxMessage, err error) {
	if err != nil {
		if d.problem.Hidden {
			d.log.Warn("demo inbox: reading the outbox", "err", err)
		}
		d.problem.Show()
		return
	}
	d.problem.Hide()
	if len(msgs) < len(d.cards) {
		// The outbox was emptied under us: start over.
		d.cards = nil
		d.list.Objects = nil
	}
	added := msgs[len(d.cards):]
	for _, m := range added {
		card := newInboxCard(d, m, d.now())
		d.cards = append(d.cards, card)
		d.list.Objects = append([]fyne.CanvasObject{card.box}, d.list.Objects...)
		card.refresh()
	}
	if len(added) == 0 {
		return
	}
	d.list.Refresh()
	d.refreshEmpty()
	if !d.shown {
		d.setUnread(d.unread + len(added))
	}
}

// refresh sets every text in the current language.
func (d *DemoInbox) refresh() {
	d.win.SetTitle(d.tr.T("inbox.title"))
	d.intro.SetText(d.tr.T("inbox.intro"))
	d.problem.SetText(d.tr.T("inbox.unreadable"))
	d.refreshEmpty()
	for _, c := range d.cards {
		c.refresh()
	}
}

func (d *DemoInbox) refreshEmpty() {
	d.empty.SetText(d.tr.T("inbox.empty"))
	if len(d.cards) == 0 {
		d.empty.Show()
	} else {
		d.empty.Hide()
	}
}

// inboxCard is one message.
type inboxCard struct {
	d        *DemoInbox
	msg      api.OutboxMessage
	received time.Time
	copied   bool

	heading  *widget.Label
	when     *widget.Label
	subject  *ui.WrapLabel
	codeName *widget.Label
	code     *widget.Label
	copyBtn  *ui.ActionButton
	body     *ui.WrapLabel
	bodyItem *widget.AccordionItem
	bodyBox  *widget.Accordion
	box      *fyne.Container
}

func newInboxCard(d *DemoInbox, m api.OutboxMessage, received time.Time) *inboxCard {
	c := &inboxCard{
		d: d, msg: m, received: received,
		heading:  widget.NewLabel(""),
		when:     widget.NewLabel(""),
		subject:  ui.NewWrapLabel(),
		codeName: widget.NewLabel(""),
		code:     widget.NewLabel(m.Code),
		body:     ui.NewWrapLabel(),
	}
	c.heading.TextStyle.Bold = true
	c.heading.Truncation = fyne.TextTruncateEllipsis
	c.when.SizeName = theme.SizeNameCaptionText
	c.code.TextStyle.Monospace = true
	c.code.SizeName = theme.SizeNameHeadingText
	c.code.Selectable = true
	c.copyBtn = ui.NewActionButton(c.copyCode)
	c.copyBtn.Icon = theme.ContentCopyIcon()
	c.body.SetText(m.Body)
	c.body.Selectable = true

	icon := widget.NewIcon(theme.MailComposeIcon())
	if m.Channel == api.ChannelSMS {
		icon.SetResource(theme.MailSendIcon())
	}
	parts := []fyne.CanvasObject{container.NewBorder(nil, nil, icon, c.when, c.heading)}
	if m.Subject != "" {
		parts = append(parts, c.subject)
	}
	if m.Code != "" {
		// Centred on the large code, not on its top edge.
		parts = append(parts, container.NewHBox(container.NewCenter(c.codeName), c.code, container.NewCenter(c.copyBtn)))
	}
	if m.Channel == api.ChannelSMS {
		// An SMS is short: shown whole.
		parts = append(parts, c.body)
	} else {
		c.bodyItem = widget.NewAccordionItem("", c.body)
		c.bodyBox = widget.NewAccordion(c.bodyItem)
		parts = append(parts, c.bodyBox)
	}
	parts = append(parts, widget.NewSeparator())
	c.box = container.NewVBox(parts...)
	return c
}

func (c *inboxCard) refresh() {
	t := c.d.tr.T
	key := "inbox.email"
	if c.msg.Channel == api.ChannelSMS {
		key = "inbox.sms"
	}
	c.heading.SetText(t(key, "To", c.msg.To))
	c.when.SetText(t("inbox.received", "Time", c.received.Format("15:04:05")))
	c.subject.SetText(t("inbox.subject", "Subject", c.msg.Subject))
	c.codeName.SetText(t("inbox.code"))
	if c.copied {
		c.copyBtn.SetText(t("inbox.copied"))
		c.copyBtn.SetIcon(theme.ConfirmIcon())
	} else {
		c.copyBtn.SetText(t("inbox.copy"))
		c.copyBtn.SetIcon(theme.ContentCopyIcon())
	}
	if c.bodyItem != nil {
		c.bodyItem.Title = t("inbox.message")
		c.bodyBox.Refresh()
	}
}

// copyCode puts the code on the clipboard, for pasting into step 3.
func (c *inboxCard) copyCode() {
	c.d.app.Clipboard().SetContent(c.msg.Code)
	c.copied = true
	c.refresh()
}

// SampleTime is the fixed time of the sample screens and messages.
var SampleTime = time.Date(2026, 3, 2, 10, 0, 0, 0, time.FixedZone("HKT", 8*3600))

// PreviewDemoInbox shows the Demo inbox holding samples, received at
// SampleTime, for screenshots and documentation.
func PreviewDemoInbox(a fyne.App, language string, samples Outbox) *DemoInbox {
	if language == "" {
		language = lang.SystemLocale().String()
	}
	useAppTheme(a, SupportedLang(language), true)
	d := NewDemoInbox(a, samples, slog.Default())
	d.now = func() time.Time { return SampleTime }
	d.follow(language)
	d.Show()
	return d
}

// noMessages is an outbox that stays empty.
type noMessages struct{}

func (noMessages) Messages() ([]api.OutboxMessage, error) { return nil, nil }

// NewQuietInbox is an inbox over an outbox that stays empty: a preview in
// demo mode has the banner's button but no window. The button counts
// unread messages as not seen yet.
func NewQuietInbox(a fyne.App, unread int) *DemoInbox {
	d := NewDemoInbox(a, noMessages{}, slog.Default())
	d.unread = unread
	return d
}

// refreshInboxButton names the banner's button, with the count of
// messages not seen yet, drawn to stand out while there are any.
func (h *chrome) refreshInboxButton() {
	n := h.c.deps.DemoInbox.unread
	if n > 0 {
		h.inboxBtn.SetText(h.c.tr.N("chrome.demo_inbox_new", n))
		h.inboxBtn.Importance = widget.HighImportance
	} else {
		h.inboxBtn.SetText(h.c.t("chrome.demo_inbox"))
		h.inboxBtn.Importance = widget.MediumImportance
	}
	h.inboxBtn.Refresh()
	// The slot's width: the name with a count of new messages (two
	// digits when there are that many) is the widest.
	h.inboxWidest.SetText(h.c.tr.N("chrome.demo_inbox_new", max(n, 9)))
	h.inboxWidest.Importance = widget.HighImportance
}
