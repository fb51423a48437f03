package helpdesk

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"

	"casreset/ui/shell"
)

// PreviewPrefix starts the names of the help desk's screens among the
// app's (hd-signin…), and PreviewDemo is the sign-in page in demo mode,
// with the demonstration operator's sign-in.
const (
	PreviewPrefix = "hd-"
	PreviewDemo   = "hd-demo-signin"
)

// PreviewNames are the names PreviewEach takes: PreviewPrefix and each of
// PreviewScreens, then PreviewDemo.
func PreviewNames() []string {
	var out []string
	for _, s := range PreviewScreens {
		out = append(out, PreviewPrefix+s)
	}
	return append(out, PreviewDemo)
}

// settleTime is how long a page is given to be drawn before it is
// captured: a few frames of Fyne's draw loop.
const settleTime = 300 * time.Millisecond

// PreviewEach shows each of screens (of PreviewNames) in each of langs on
// w, at each of sizes, and calls shot once each is drawn, as the wizard's
// PreviewEach does. It runs off the UI goroutine, once the app runs, and
// takes the window's content over; it returns the first error of shot.
func PreviewEach(a fyne.App, w fyne.Window, s shell.Settings, langs, screens []string, sizes []fyne.Size,
	shot func(lang, screen string, size fyne.Size) error) error {
	var c *controller
	defer fyne.DoAndWait(func() {
		if c != nil {
			c.shell.Close()
		}
	})
	for _, lang := range langs {
		for _, name := range screens {
			if !slices.Contains(PreviewNames(), name) {
				return fmt.Errorf("no help-desk screen %q; choose one of %v", name, PreviewNames())
			}
			page := strings.TrimPrefix(name, PreviewPrefix)
			settings := s
			settings.Language = lang
			if name == PreviewDemo {
				page, settings.DemoMode = "signin", true
			}
			fyne.DoAndWait(func() {
				if c != nil {
					c.shell.Close()
				}
				d := sampleDeps(settings)
				d.Ticker = stillTicker{}
				if settings.DemoMode {
					d.DemoInbox = shell.NewQuietInbox(a, 0)
					d.Demo = sampleOperator{}
				}
				c = install(a, w, d, true)
				showSample(c, page)
				c.shell.Started()
			})
			for _, size := range sizes {
				fyne.DoAndWait(func() { w.Resize(size) })
				time.Sleep(settleTime)
				if err := shot(lang, name, size); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// stillTicker never ticks: the sample's code and countdowns stay as shown.
type stillTicker struct{}

func (stillTicker) Every(time.Duration, func()) func() { return func() {} }
