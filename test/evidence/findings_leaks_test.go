package evidence

import (
	"fmt"
	"io"
	"maps"
	"net/http"
	"strings"
	"testing"
	"time"

	"casreset/api"
	"casreset/internal/testkit/promtest"
	"casreset/service/delivery"
)

// scrape reads the instance's metrics (see promtest.Samples).
func (in *instance) scrape(t *testing.T) map[string]float64 {
	t.Helper()
	resp, err := http.Get(in.metrics)
	if err != nil {
		t.Fatalf("GET %s: %v", in.metrics, err)
	}
	defer resp.Body.Close()
	text, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %v", in.metrics, resp.StatusCode, err)
	}
	samples, err := promtest.Samples(string(text))
	if err != nil {
		t.Fatal(err)
	}
	return samples
}

// TestFinding3MetricsTellNothingOfContacts: /metrics was public, and
// sensitive_read and messages_queued moved only when a reminder's contact
// was registered. Now the public listener answers 404, and on the metrics
// listener a reminder for a registered contact (delivered) and one for an
// unknown contact move exactly the same counters by the same amounts.
func TestFinding3MetricsTellNothingOfContacts(t *testing.T) {
	onEachEngine(t, 1, func(t *testing.T, s *setup) {
		in := s.start(t)
		ctx := testContext(t)

		resp, _ := do(t, in.httpClient(), "GET", in.url+"/metrics", "", nil)
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("GET /metrics on the public listener: %d, want 404", resp.StatusCode)
		}

		c := in.client()
		remind := func(contact string, delivered func() bool) (map[string]float64, error) {
			before := in.scrape(t)
			cp, err := c.NewCaptcha(ctx)
			if err != nil {
				t.Fatal(err)
			}
			err = c.RemindStaffNumber(ctx, api.ReminderRequest{Contact: contact, CaptchaID: cp.CaptchaID, CaptchaAnswer: captchaAnswer})
			for deadline := time.Now().Add(30 * time.Second); !delivered() && time.Now().Before(deadline); {
				time.Sleep(10 * time.Millisecond) // the delivery worker writes it
			}
			return promtest.Moved(before, in.scrape(t)), err
		}
		reminderSent := func() bool {
			msgs, _ := delivery.ReadOutbox(in.outbox)
			return len(msgs) == 1 && msgs[0].To == emailOf(0)
		}
		known, err := remind(emailOf(0), reminderSent)
		if err != nil {
			t.Fatal(err)
		}
		if !reminderSent() {
			t.Fatal("the registered contact got no reminder; the comparison would prove nothing")
		}
		unknown, err := remind("nobody@example.edu.hk", func() bool { return true })
		if err != nil {
			t.Fatal(err)
		}
		if len(known) == 0 {
			t.Fatal("a reminder moved no metric; the comparison would prove nothing")
		}
		if !maps.Equal(known, unknown) {
			t.Errorf("the metrics moved differently:\nregistered contact %v\nunknown contact    %v", known, unknown)
		}
	})
}

// TestFinding8AuditPrintsClientTextEscaped: a User-Agent with a line
// separator and a right-to-left override used to reach `resetd audit`
// raw, where it could fake a line or reverse the rest of one.
func TestFinding8AuditPrintsClientTextEscaped(t *testing.T) {
	onEachEngine(t, 0, func(t *testing.T, s *setup) {
		in := s.start(t)
		c := in.httpClient()
		const ua = "casreset/1.0\u2028authn_password_change E0000001\u202Eexe.gpj"
		resp, body := do(t, c, "POST", in.url+"/v1/captchas", "", nil)
		var id string
		if _, rest, ok := strings.Cut(string(body), `"captcha_id":"`); ok {
			id, _, _ = strings.Cut(rest, `"`)
		}
		if resp.StatusCode != http.StatusCreated || id == "" {
			t.Fatalf("CAPTCHA: %d %s", resp.StatusCode, body)
		}
		req := fmt.Sprintf(`{"staff_number":"E9999999","captcha_id":%q,"captcha_answer":%q}`, id, captchaAnswer)
		resp, body = do(t, c, "POST", in.url+"/v1/resets", req, map[string]string{"User-Agent": ua})
		if resp.StatusCode != http.StatusNotFound {
			t.Fatalf("start of an unknown account: %d %s", resp.StatusCode, body)
		}
		const escaped = `casreset/1.0\u2028authn_password_change E0000001\u202Eexe.gpj`
		for _, tc := range []struct {
			args []string
			want string
		}{
			{nil, escaped},
			{[]string{"--json"}, strings.ReplaceAll(escaped, `\`, `\\`)}, // a backslash in a JSON string
		} {
			out := s.audit(t, tc.args...)
			if strings.ContainsAny(out, "\u2028\u202E") {
				t.Errorf("resetd audit %v prints the raw characters:\n%q", tc.args, out)
			}
			if !strings.Contains(out, tc.want) {
				t.Errorf("resetd audit %v lacks the escaped User-Agent %s:\n%s", tc.args, tc.want, out)
			}
		}
	})
}
