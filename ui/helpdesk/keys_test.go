package helpdesk

import (
	"log/slog"
	"testing"

	"casreset/api"
	"casreset/assets"
	"casreset/ui/shell"
)

// TestEveryEventTypeHasANameInEveryLanguage: each audit event type the
// service writes is named in the operator's language, and no two types
// read the same (the operator could not tell them apart).
func TestEveryEventTypeHasANameInEveryLanguage(t *testing.T) {
	for _, l := range assets.Languages() {
		tr := shell.NewTranslator(l.Tag, slog.New(slog.DiscardHandler))
		c := &controller{tr: tr}
		seen := map[string]string{}
		for _, ev := range api.EventTypes() {
			key, ok := eventKeys[ev]
			if !ok {
				t.Errorf("no text for the event type %s", ev)
				continue
			}
			if !tr.Has(key) {
				t.Errorf("%s lacks %q, the name of the event type %s", l.Tag, key, ev)
				continue
			}
			name := eventName(c, ev)
			if name == ev || name == key {
				t.Errorf("%s names the event type %s %q", l.Tag, ev, name)
			}
			if other, dup := seen[name]; dup {
				t.Errorf("%s names %s and %s the same: %q", l.Tag, ev, other, name)
			}
			seen[name] = ev
		}
	}
}

// TestAnEventTypeOfANewerServiceShowsAsItIs: a type the app does not
// know is still shown, raw, rather than hidden or left blank.
func TestAnEventTypeOfANewerServiceShowsAsItIs(t *testing.T) {
	c := &controller{tr: shell.NewTranslator("zh-HK", slog.New(slog.DiscardHandler))}
	if got := eventName(c, "session_renewed"); got != "session_renewed" {
		t.Errorf("an unknown event type shows as %q, want it as it is", got)
	}
	if got := eventName(c, api.EventAuthzAdmin); got != "支援組操作" {
		t.Errorf("authz_admin shows as %q in zh-HK", got)
	}
}
