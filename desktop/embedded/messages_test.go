package embedded

import (
	"context"
	"strings"
	"testing"
	"time"

	"casreset/api"
	"casreset/service/delivery/deliverytest"
)

func TestDemoOrgSendsSMSInTheLanguageTheAppStartsIn(t *testing.T) {
	o := Organisation{Name: "Example College", Names: map[string]string{"zh-HK": "示例學院"}, HelpPhone: "2345 6789", Copyright: "©"}
	for language, want := range map[string]string{"en": "en", "": "en", "zh-HK": "zh-HK", "zh_Hant_HK": "zh-HK", "zh-CN": "zh-Hans"} {
		org := DemoOrg(o, language)
		if err := org.Validate(); err != nil || org.Name != o.Name || org.Names["zh-HK"] != "示例學院" || org.HelpPhone != o.HelpPhone || org.Copyright != "©" {
			t.Errorf("DemoOrg(%q) = %+v: %v", language, org, err)
		}
		if org.SMSLang != want {
			t.Errorf("DemoOrg(%q) sends SMS in %q, want %q", language, org.SMSLang, want)
		}
	}
}

// TestTheDemoInboxReadsWhatTheServiceSent: Messages is the outbox as the
// Demo inbox reads it, the code apart from the text.
func TestTheDemoInboxReadsWhatTheServiceSent(t *testing.T) {
	d, _ := start(t, t.TempDir())
	if msgs, err := d.Messages(); err != nil || len(msgs) != 0 {
		t.Fatalf("before anything was sent: %v, %v", msgs, err)
	}
	c := newClient(t, d)
	resp, err := startFlow(t, c, d, Accounts[0].StaffNumber)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.SendCode(context.Background(), resp.ResetToken, api.SendCodeRequest{Channel: api.ChannelSMS}); err != nil {
		t.Fatal(err)
	}
	written := deliverytest.WaitForOutbox(t, d.Outbox, 1, 10*time.Second)
	msgs, err := d.Messages()
	if err != nil || len(msgs) != 1 || msgs[0] != written[0] {
		t.Fatalf("Messages() = %+v, %v; the outbox holds %+v", msgs, err, written)
	}
	if len(msgs) != 1 || msgs[0].Channel != api.ChannelSMS || msgs[0].To != Accounts[0].Mobile ||
		len(msgs[0].Code) != 6 || !strings.Contains(msgs[0].Body, msgs[0].Code) {
		t.Fatalf("messages %+v, want the SMS with its code", msgs)
	}
}

func TestSampleMessagesAreRenderedAsTheServiceWould(t *testing.T) {
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.FixedZone("HKT", 8*3600))
	for _, language := range []string{"en", "zh-HK", "zh-Hans"} {
		samples, err := SampleMessages(Organisation{Name: "HKU SPACE", HelpEmail: "ithelp@example.edu.hk"}, language, now)
		if err != nil {
			t.Fatal(err)
		}
		msgs, err := samples.Messages()
		if err != nil || len(msgs) != 2 || msgs[0].Channel != api.ChannelSMS || msgs[1].Channel != api.ChannelEmail {
			t.Fatalf("%s samples %+v, %v: want an SMS and an e-mail", language, msgs, err)
		}
		for _, m := range msgs {
			if m.Code == "" || !strings.Contains(m.Body, m.Code) || !strings.Contains(m.Body, "10:10") {
				t.Errorf("%s sample %s does not carry its code and expiry: %q", language, m.Channel, m.Body)
			}
		}
		chinese := strings.ContainsFunc(msgs[0].Body, func(r rune) bool { return r >= 0x4e00 && r <= 0x9fff })
		if chinese != (language != "en") {
			t.Errorf("the %s sample SMS is in Chinese: %v (%q)", language, chinese, msgs[0].Body)
		}
	}
}
