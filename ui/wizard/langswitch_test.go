package wizard

import (
	"testing"

	"casreset/assets"
)

// TestTheWizardSwitchesToEveryLanguage goes through the real table with
// the header's switch and finds each language's title.
func TestTheWizardSwitchesToEveryLanguage(t *testing.T) {
	e := newEnv(t)
	for _, l := range append(assets.Languages(), assets.Default()) {
		if e.c.shell.Lang() != l.Tag {
			e.chooseLanguage(l.Tag)
		}
		want := loadMessages(t, l.Tag)["step1.title"]
		if got := screenAs[*step1](e).title.Text; got != want {
			t.Errorf("in %s step 1 reads %q, want %q", l.Tag, got, want)
		}
	}
}

// TestWindowTitleFollowsTheLanguage: the window's title (taskbar, Alt+Tab)
// is the page's title in the language chosen, not English whatever the
// language.
func TestWindowTitleFollowsTheLanguage(t *testing.T) {
	e := newEnv(t)
	for _, l := range append(assets.Languages(), assets.Default()) {
		if e.c.shell.Lang() != l.Tag {
			e.chooseLanguage(l.Tag)
		}
		if got, want := e.win.Title(), e.c.t("app.title"); got != want {
			t.Errorf("in %s the window is titled %q, want %q", l.Tag, got, want)
		}
	}
}
