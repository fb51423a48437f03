// Package shell is what every mode of the desktop app shares: the window
// and its chrome (the organisation's name, the language switch, the demo
// banner with its Demo inbox, the busy indicator and the copyright line),
// the language and its translator, the theme and its fonts, the idle
// timer, the clock and ticker ports, and the start-up error dialog. The
// widgets that the screens are built from are in package ui, above.
//
// A Shell hosts one Mode: the wizard (ui/wizard) or, later, the help desk.
// The mode has its own controller and screens; it shows a page with
// Shell.SetBody, reports a call in progress with Shell.SetBusy and records
// activity with Shell.Touch, and the shell calls it back on a language
// switch, every second, when the person has been idle and when the
// window closes.
package shell

import (
	"log/slog"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"

	"casreset/assets"
	"casreset/ui"
)

// Clock tells the time; service.ManualClock fits, so tests move the
// wizard's countdowns and the service's expiry together.
type Clock interface {
	Now() time.Time
}

// Ticker calls fn on the UI goroutine every interval until stop is called.
// The wizard's countdowns and idle timeout run on it; tests tick by hand.
type Ticker interface {
	Every(interval time.Duration, fn func()) (stop func())
}

// Settings are what IT configures about the wizard.
type Settings struct {
	Organisation string // shown on every screen and in the CAS note
	// OrganisationNames are its names by language tag; a language without
	// one shows Organisation.
	OrganisationNames map[string]string
	HelpEmail         string // IT Help contacts; any may be empty
	HelpPhone         string
	HelpHours         string
	Copyright         string // the footer line
	// Copyrights are the footer line by language tag; a language without
	// one shows Copyright.
	Copyrights map[string]string
	Language   string // a tag of the language table; empty follows the system
	// IdleTimeout ends the flow and clears every field after this long
	// without typing or tapping; zero means DefaultIdleTimeout.
	IdleTimeout time.Duration
	// DemoMode shows a banner on every screen: the service is the
	// built-in demonstration, not the college's.
	DemoMode bool
}

// ConfiguredTexts are the texts of s that the shell shows in the
// language tag: the organisation's name, IT Help's contacts and hours,
// the copyright line. The embedded fonts draw those of DefaultSettings
// (scripts/cjkfont.sh reads them); a language whose configured texts
// have a character they lack is drawn in a system font.
func ConfiguredTexts(s Settings, tag string) string {
	return strings.Join([]string{
		assets.NameIn(s.OrganisationNames, tag, s.Organisation),
		s.HelpEmail, s.HelpPhone, s.HelpHours,
		assets.NameIn(s.Copyrights, tag, s.Copyright),
	}, "\n")
}

// configuredTexts is ConfiguredTexts of s for every language.
func configuredTexts(s Settings) func(tag string) string {
	return func(tag string) string { return ConfiguredTexts(s, tag) }
}

// DefaultIdleTimeout is the idle timeout when Settings leave it zero.
const DefaultIdleTimeout = 5 * time.Minute

// DefaultSettings are the settings of the seed's college, used when IT has
// configured nothing else.
func DefaultSettings() Settings {
	return Settings{
		Organisation:      "HKU SPACE",
		OrganisationNames: map[string]string{"zh-HK": "香港大學專業進修學院"},
		HelpEmail:         "ithelp@example.edu.hk",
		Copyright:         "Copyright © 2018 HKU SPACE. All rights reserved.",
		Copyrights: map[string]string{
			"zh-HK":   "版權所有 © 2018 香港大學專業進修學院",
			"zh-Hans": "版权所有 © 2018 HKU SPACE",
		},
		IdleTimeout: DefaultIdleTimeout,
	}
}

// Mode is what a Shell hosts: the wizard, or the help desk. The shell
// calls it on the UI goroutine only.
type Mode interface {
	// Header is what the mode shows on every page between the demo banner
	// and the page (the wizard's step indicator); nil for nothing. It is
	// asked for once, when the shell is built.
	Header() fyne.CanvasObject
	// Title is the line under the organisation's name, in the shell's
	// current language.
	Title() string
	// Start shows the mode's first page (with Shell.SetBody), once the
	// shell is the window's content.
	Start()
	// Refresh sets every text of the mode's header and current page in
	// the shell's language: the person switched language.
	Refresh()
	// Tick runs every second while the window is open and the person is
	// not idle: countdowns, polls.
	Tick(now time.Time)
	// Dirty reports whether there is anything for the idle timeout to
	// clear (something typed, a page past the first).
	Dirty() bool
	// Idle runs when the person has been idle for Settings.IdleTimeout
	// and the mode is Dirty: it clears everything and starts again.
	Idle(timeout time.Duration)
	// Close runs once when the window goes away: the mode cancels its
	// calls and wipes every secret it holds.
	Close()
}

// Deps is what a Shell is given.
type Deps struct {
	Settings Settings
	Clock    Clock        // nil: the system clock
	Ticker   Ticker       // nil: real ones (every second, and the focus's poll)
	Log      *slog.Logger // nil: slog.Default()
	// DemoInbox, in demo mode, is opened by a button in the demo banner,
	// follows the shell's language and closes with it.
	DemoInbox *DemoInbox
}

// Shell is the app's window as every mode shares it.
type Shell struct {
	win        fyne.Window
	deps       Deps
	mode       Mode
	clock      Clock
	log        *slog.Logger
	tr         *Translator
	lang       string
	onLanguage func(lang string)

	chrome *chrome
	root   fyne.CanvasObject

	closed     bool
	lastActive time.Time
	stopTicker func()

	// untilStarted holds back AfterStart's calls until the app runs (set
	// by Install; a test's shell runs them at once), and waiting holds
	// them meanwhile.
	untilStarted bool
	waiting      []func()
}

// New builds the shell of w around mode, in the settings' language (the
// system's when they name none). Mount makes it w's content.
func New(w fyne.Window, d Deps, mode Mode) *Shell {
	s := &Shell{win: w, deps: d, mode: mode, clock: d.Clock, log: d.Log}
	if s.clock == nil {
		s.clock = systemClock{}
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	if s.deps.Ticker == nil {
		s.deps.Ticker = realTicker{}
	}
	if s.deps.Settings.IdleTimeout <= 0 {
		s.deps.Settings.IdleTimeout = DefaultIdleTimeout
	}
	s.lang = startLang(s.deps.Settings)
	s.tr = NewTranslator(s.lang, s.log)
	s.chrome = newChrome(s)
	s.root = s.chrome.root
	return s
}

// startLang is the language a shell starts in: the settings', or the
// system's when they name none.
func startLang(s Settings) string {
	if s.Language != "" {
		return SupportedLang(s.Language)
	}
	return SupportedLang(lang.SystemLocale().String())
}

type systemClock struct{}

func (systemClock) Now() time.Time { return time.Now() }

// UseTheme sets a's theme to the shell's, in the language the settings
// start in, before the shell and its mode are built: Fyne keeps the faces
// of the first theme it measures text with until the app runs, and with
// its own, the Chinese texts would bring in a system font of tens of
// megabytes. Install then keeps it in the shell's language.
func UseTheme(a fyne.App, s Settings) {
	a.Settings().SetTheme(newAppTheme(startLang(s), configuredTexts(s)))
}

// Install sets the app's theme (with the embedded Chinese fonts, or the
// system's when what IT configured needs it) and keeps it in the shell's
// language. A system font is found in the background, or first when
// fontsFirst (for screenshots, which must show it).
func (c *Shell) Install(a fyne.App, fontsFirst bool) {
	th := newAppTheme(c.lang, configuredTexts(c.deps.Settings))
	a.Settings().SetTheme(th)
	reapply := func() { fyne.Do(func() { a.Settings().SetTheme(th.forLang(c.lang)) }) }
	c.onLanguage = func(lang string) {
		a.Settings().SetTheme(th.forLang(lang))
		go th.loadFonts(lang, true, reapply)
	}
	c.chrome.langs.themeFor = func(tag string) fyne.Theme { return th.forLang(tag) }
	// Set again once the app runs if a system font loaded by then: Fyne
	// keeps the faces it measured with before. (Not otherwise: Fyne would
	// parse every face again.)
	measured := th.fontsLoaded()
	c.untilStarted = true
	a.Lifecycle().SetOnStarted(func() {
		if th.fontsLoaded() != measured {
			a.Settings().SetTheme(th.forLang(c.lang))
		}
		c.started()
	})
	// Only the language's own: the switch names the others in the
	// embedded faces, and a system font's are tens of megabytes each.
	if fontsFirst {
		th.loadFonts(c.lang, true, func() {})
	} else {
		go th.loadFonts(c.lang, true, reapply)
	}
}

// Mount makes the shell c.win's content, starts the clock and the mode.
func (c *Shell) Mount() {
	c.win.SetOnClosed(c.Close)
	c.win.SetContent(c.root) // before start, which focuses the first field
	c.lastActive = c.clock.Now()
	// The focus's poll first: a test's ticker that keeps one function
	// keeps the clock's.
	stopFocus := c.deps.Ticker.Every(focusPoll, c.followFocus)
	stopTick := c.deps.Ticker.Every(time.Second, c.tick)
	c.stopTicker = func() { stopFocus(); stopTick() }
	c.mode.Start()
}

// Close ends the mode and clears every field: the window is going away.
func (c *Shell) Close() {
	if c.closed {
		return
	}
	c.mode.Close()
	c.closed = true
	if c.stopTicker != nil {
		c.stopTicker()
	}
	if c.deps.DemoInbox != nil {
		c.deps.DemoInbox.Close() // it holds codes too
	}
}

// Closed reports whether the window has gone away.
func (c *Shell) Closed() bool { return c.closed }

// Root is the shell's whole content, header, page and footer.
func (c *Shell) Root() fyne.CanvasObject { return c.root }

// Settings are what IT configured, with the defaults filled in.
func (c *Shell) Settings() Settings { return c.deps.Settings }

// Clock is the shell's clock: Deps.Clock, or the system's.
func (c *Shell) Clock() Clock { return c.clock }

// Lang is the tag of the current language.
func (c *Shell) Lang() string { return c.lang }

// Translator speaks the current language; it follows every switch.
func (c *Shell) Translator() *Translator { return c.tr }

// t is the translator's T, for brevity.
func (c *Shell) t(key string, data ...any) string { return c.tr.T(key, data...) }

// SetBody shows page below the header, scrolled to its top, and its
// action bar (Back, Next…; nil for none) fixed below it, where no length
// of page pushes it out of sight; it sets the chrome's texts, and the mode
// refreshes its own header.
func (c *Shell) SetBody(page, bar fyne.CanvasObject) {
	c.chrome.setBody(page, bar)
	c.Refresh()
}

// Reveal scrolls the page so that o (a message that has just appeared)
// and the line above it (its field) are in sight.
func (c *Shell) Reveal(o fyne.CanvasObject) { c.chrome.reveal(o) }

// RevealAgain scrolls the message last revealed into sight again, after
// the window changed size, and reports whether there was one.
func (c *Shell) RevealAgain() bool {
	if o := c.chrome.revealed; o != nil {
		c.chrome.reveal(o)
		return true
	}
	return false
}

// Page is the scrolling part of the window, which holds the page.
func (c *Shell) Page() *container.Scroll { return c.chrome.scroll }

// Compact reports whether the header is compact: no title, in a window
// lower than 700 px.
func (c *Shell) Compact() bool { return !c.chrome.title.Visible() }

// Refresh sets the chrome's texts in the current language.
func (c *Shell) Refresh() { c.chrome.refresh() }

// SetBusy shows or hides the busy indicator in the footer.
func (c *Shell) SetBusy(b bool) { c.chrome.setBusy(b) }

// AfterStart calls fn once the app runs and its window is laid out, for
// what needs the window's geometry (a menu placed below its button).
func (c *Shell) AfterStart(fn func()) {
	if !c.untilStarted {
		fn()
		return
	}
	c.waiting = append(c.waiting, fn)
}

// started runs what waited for the app to run, on the next turn of its
// loop, when the window has its size.
// Started tells a shell installed once the app runs already (a preview's,
// one screen after another) that it runs: what waits for it runs now.
func (c *Shell) Started() { c.started() }

func (c *Shell) started() {
	c.untilStarted = false
	waiting := c.waiting
	c.waiting = nil
	for _, fn := range waiting {
		fyne.Do(fn)
	}
}

// SetLanguage switches every text to lang, keeping what was typed, as
// the header's language switch does.
func (c *Shell) SetLanguage(l string) {
	c.Touch()
	c.lang = SupportedLang(l)
	c.tr.SetLang(c.lang)
	if c.onLanguage != nil {
		c.onLanguage(c.lang)
	}
	c.chrome.refresh()
	c.mode.Refresh()
}

// Touch records activity, for the idle timeout.
func (c *Shell) Touch() { c.lastActive = c.clock.Now() }

// followFocus scrolls to what has just received the keyboard focus.
func (c *Shell) followFocus() {
	if !c.closed {
		c.chrome.followFocus()
	}
}

// tick runs every second on the UI goroutine.
func (c *Shell) tick() {
	if c.closed {
		return
	}
	now := c.clock.Now()
	if now.Sub(c.lastActive) >= c.deps.Settings.IdleTimeout && c.mode.Dirty() {
		c.mode.Idle(c.deps.Settings.IdleTimeout)
		return
	}
	c.mode.Tick(now)
}

// OrgName is the organisation's name in the current language.
func (c *Shell) OrgName() string {
	s := c.deps.Settings
	return assets.NameIn(s.OrganisationNames, c.lang, s.Organisation)
}

// What follows lets a mode's tests and previews reach the chrome as a
// person would: the switch's button and menu, the banner, the indicator.

// LanguageMenu reports whether the language switch opens a menu (more
// than two languages) rather than toggles.
func (c *Shell) LanguageMenu() bool { return c.chrome.langs.isMenu() }

// OpenLanguageMenu opens the language switch's menu, as a tap does.
func (c *Shell) OpenLanguageMenu() { c.chrome.langs.openMenu() }

// LanguageButton is the language switch's button.
func (c *Shell) LanguageButton() fyne.Tappable { return c.chrome.langs.button }

// LanguageItem is the menu's entry for tag while the menu is open.
func (c *Shell) LanguageItem(tag string) fyne.Tappable {
	if item, ok := c.chrome.langs.items[tag]; ok {
		return item
	}
	return nil
}

// BusyShown reports whether the busy indicator shows.
func (c *Shell) BusyShown() bool { return c.chrome.activity.Visible() }

// DemoBanner reports whether the demo banner shows, and its text.
func (c *Shell) DemoBanner() (shown bool, text string) {
	return c.chrome.demo.Visible(), c.chrome.demoText.Text
}

// Copyright is the footer's copyright line as shown.
func (c *Shell) Copyright() string { return c.chrome.copyright.Text }

// InboxButton is the demo banner's button that opens the Demo inbox; nil
// without one.
func (c *Shell) InboxButton() *ui.ActionButton { return c.chrome.inboxBtn }
