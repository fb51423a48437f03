package helpdesk

import (
	"time"

	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"casreset/assets"
	"casreset/ui/shell"
)

// TestEveryPageRendersAsRecorded compares each page of the help desk, in
// every language of the table, filled with the sample data of the
// screenshots, with its markup in testdata/. When a change to a page is
// meant, run the test, look at testdata/failed/ and copy the new markup
// over the old.
func TestEveryPageRendersAsRecorded(t *testing.T) {
	for _, l := range assets.Languages() {
		if len(l.Fonts) > 0 && !shell.FontsFound(l.Fonts) {
			t.Fatalf("no %s font on this system, so the %s pages cannot be measured as recorded; "+
				"install fonts-noto-cjk (scripts/deps.sh does)", l.Script, l.Tag)
		}
	}
	for _, l := range assets.Languages() {
		lang := l.Tag
		for _, name := range append(PreviewScreens, "demo-signin") {
			t.Run(name+"_"+lang, func(t *testing.T) {
				test.NewTempApp(t)
				w := test.NewTempWindow(t, widget.NewLabel(""))
				w.Resize(fyne.NewSize(800, 1200))
				s := shell.DefaultSettings()
				s.Language = lang
				d := sampleDeps(s)
				page := name
				if name == "demo-signin" {
					page = "signin"
					d.Settings.DemoMode = true
					d.Demo = sampleOperator{}
				}
				d.Ticker = noTicker{}
				d.Post = func(fn func()) { fn() } // the sample desk answers at once
				c := newController(w, d)
				c.shell.Mount()
				showSample(c, page)
				test.AssertRendersToMarkup(t, name+"_"+lang+".xml", w.Canvas())
				c.shell.Close()
			})
		}
	}
}

type noTicker struct{}

func (noTicker) Every(time.Duration, func()) func() { return func() {} }
