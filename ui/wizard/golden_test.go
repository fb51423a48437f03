package wizard

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"casreset/assets"
	"casreset/ui/shell"
	"casreset/ui/uitest"
)

// TestEveryScreenRendersAsRecorded compares each screen, in every
// language of the table, filled with the sample data of the screenshots,
// with its markup in testdata/. When a change to a screen is meant, run
// the test, look at testdata/failed/ and copy the new markup over the old.
func TestEveryScreenRendersAsRecorded(t *testing.T) {
	for _, l := range assets.Languages() {
		if len(l.Fonts) > 0 && !shell.FontsFound(l.Fonts) {
			t.Fatalf("no %s font on this system, so the %s screens cannot be measured as recorded; "+
				"install fonts-noto-cjk (scripts/deps.sh does)", l.Script, l.Tag)
		}
	}
	for _, l := range assets.Languages() {
		lang := l.Tag
		for _, name := range PreviewScreens {
			t.Run(name+"_"+lang, func(t *testing.T) {
				test.NewTempApp(t)
				w := test.NewTempWindow(t, widget.NewLabel(""))
				w.Resize(fyne.NewSize(800, 1200))
				s := shell.DefaultSettings()
				s.Language = lang
				s.HelpPhone = "2345 6789"
				s.HelpHours = "09:00-18:00"
				q := uitest.NewQueue()
				c := newController(w, Deps{
					Backend: newSampleBackend(), Clock: sampleClock{}, Ticker: &uitest.Ticker{},
					Audio: silentPlayer{}, Settings: s,
				})
				c.calls.Post = q.Post
				c.mount()
				settleCalls(q, c)
				showSample(c, name)
				settleCalls(q, c)
				test.AssertRendersToMarkup(t, name+"_"+lang+".xml", w.Canvas())
				c.close()
				settleCalls(q, c)
			})
		}
	}
}
