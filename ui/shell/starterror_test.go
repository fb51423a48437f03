package shell

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// langChinese is the Traditional Chinese of Hong Kong, whose texts the
// tests read.
const langChinese = "zh-HK"

func TestStartErrorShowsTheDetailsAndNoWizard(t *testing.T) {
	details := `/etc/casreset/casreset.toml, line 3, key "server": "http://x" must start with https://`
	tests := []struct {
		lang    string
		problem StartProblem
		title   string
		what    string
	}{
		{langEnglish, BadConfiguration, "The program cannot start", "not set up correctly"},
		{langChinese, BadConfiguration, "程式無法啟動", "設定有誤"},
		{langEnglish, DemoUnavailable, "The program cannot start", "demonstration service could not be started"},
		{langChinese, DemoUnavailable, "程式無法啟動", "示範服務"},
	}
	for _, tc := range tests {
		t.Run(tc.lang, func(t *testing.T) {
			test.NewTempApp(t)
			w := test.NewTempWindow(t, widget.NewLabel(""))
			w.Resize(fyne.NewSize(820, 860))
			d := showStartDialog(fyne.CurrentApp(), w, tc.lang, tc.problem, details)
			if d.details.Text != details || !d.details.Selectable {
				t.Errorf("details %q (selectable %v), want %q to copy", d.details.Text, d.details.Selectable, details)
			}
			if !strings.Contains(d.what.Text, tc.what) {
				t.Errorf("the dialog says %q, want %q", d.what.Text, tc.what)
			}
			var texts []string
			for _, o := range test.LaidOutObjects(w.Canvas().Overlays().Top()) {
				if l, ok := o.(*widget.Label); ok {
					texts = append(texts, l.Text)
				}
			}
			if all := strings.Join(texts, "\n"); !strings.Contains(all, tc.title) || !strings.Contains(all, details) {
				t.Errorf("the window's dialog shows:\n%s", all)
			}
			for _, o := range test.LaidOutObjects(w.Content()) {
				if _, ok := o.(*widget.Entry); ok {
					t.Error("the window behind the dialog has a field to type in")
				}
			}
		})
	}
}
