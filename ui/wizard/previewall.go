package wizard

import (
	"fmt"
	"slices"
	"time"

	"fyne.io/fyne/v2"

	"casreset/ui/shell"
)

// PreviewDemo is the name of the demo-mode screen PreviewEach shows: step
// 3 under the demo banner and its Demo inbox button.
const PreviewDemo = "demo-step3"

// settleTime is how long a screen is given to be drawn before it is
// captured: a few frames of Fyne's draw loop.
const settleTime = 300 * time.Millisecond

// PreviewEach shows each of screens (names of PreviewScreens, or
// PreviewDemo) in each of langs on w, at each of sizes, and calls shot
// once each is drawn. It runs off the UI goroutine, once the app runs,
// and takes the window's content over; it returns the first error of
// shot.
func PreviewEach(a fyne.App, w fyne.Window, s shell.Settings, langs, screens []string, sizes []fyne.Size,
	shot func(lang, screen string, size fyne.Size) error) error {
	var c *controller
	defer fyne.DoAndWait(func() {
		if c != nil {
			c.close()
		}
	})
	for _, lang := range langs {
		for _, name := range screens {
			screen := name
			settings := s
			settings.Language = lang
			if name == PreviewDemo {
				screen, settings.DemoMode = "step3", true
			}
			if name != PreviewDemo && !slices.Contains(PreviewScreens, name) {
				return fmt.Errorf("no screen %q; choose one of %v or %s", name, PreviewScreens, PreviewDemo)
			}
			fyne.DoAndWait(func() {
				if c != nil {
					c.close()
				}
				// The language menu of the screen before.
				for o := w.Canvas().Overlays().Top(); o != nil; o = w.Canvas().Overlays().Top() {
					w.Canvas().Overlays().Remove(o)
				}
				d := Deps{Backend: newSampleBackend(), Clock: sampleClock{}, Ticker: stillTicker{}, Audio: silentPlayer{}, Settings: settings}
				if settings.DemoMode {
					d.DemoInbox = shell.NewQuietInbox(a, 1) // step 3's code not seen yet
				}
				c = install(a, w, d, true)
				showSample(c, screen)
				c.shell.Started() // the app runs already: open the menu now
			})
			for _, size := range sizes {
				fyne.DoAndWait(func() { w.Resize(size) })
				time.Sleep(settleTime)
				// A message shown before the window had this size is
				// scrolled into sight again, as it would have been.
				var moved bool
				fyne.DoAndWait(func() { moved = c.shell.RevealAgain() })
				if moved {
					time.Sleep(settleTime)
				}
				if err := shot(lang, name, size); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// stillTicker never ticks: a sample screen's countdown stays as shown.
type stillTicker struct{}

func (stillTicker) Every(time.Duration, func()) func() { return func() {} }
