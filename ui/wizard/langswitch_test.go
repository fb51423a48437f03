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
