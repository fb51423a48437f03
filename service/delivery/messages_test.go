package delivery

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"casreset/api"
	"casreset/assets"
)

var update = flag.Bool("update", false, "write the rendered messages to testdata/messages instead of comparing")

func TestEveryLanguageHasEveryMessage(t *testing.T) {
	all, err := loadTemplates()
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range assets.Languages() {
		lt, ok := all[l.Tag]
		if !ok {
			t.Errorf("no messages in %s", l.Tag)
			continue
		}
		for _, kind := range kinds {
			if lt.sms[kind] == nil || lt.email[kind] == nil {
				t.Errorf("%s lacks the SMS or the e-mail of %s", l.Tag, kind)
			}
		}
	}
}

// TestMessagesRenderAsRecorded renders every message, as an SMS and as
// an e-mail (text and HTML), for a person of each language, and compares
// it with testdata/messages/TAG/. When a change is meant, run the test
// with -update and read the difference before committing it.
func TestMessagesRenderAsRecorded(t *testing.T) {
	org := testOrg()
	for _, l := range assets.Languages() {
		for _, kind := range kinds {
			for _, ch := range []api.Channel{api.ChannelSMS, api.ChannelEmail} {
				r, err := renderIn(testMessage(kind, ch), org, l.Tag)
				if err != nil {
					t.Fatalf("%s %s %s: %v", l.Tag, kind, ch, err)
				}
				base := filepath.Join("testdata", "messages", l.Tag, kind+"."+string(ch))
				if ch == api.ChannelSMS {
					assertOneSegment(t, l.Tag, r.Body)
					compareGolden(t, base+".txt", r.Body+"\n")
					continue
				}
				if !strings.HasPrefix(r.Body, "HKU SPACE\n") {
					t.Errorf("%s %s e-mail does not start with the organisation", l.Tag, kind)
				}
				compareGolden(t, base+".txt", "Subject: "+r.Subject+"\n\n"+r.Body)
				compareGolden(t, base+".html", r.HTML)
			}
		}
	}
}

func compareGolden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Errorf("%v (record it with go test -run %s -update)", err, t.Name())
		return
	}
	if string(want) != got {
		t.Errorf("%s differs from what renders:\n%s", path, got)
	}
}
