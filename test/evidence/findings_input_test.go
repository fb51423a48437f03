package evidence

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"testing"

	"casreset/api"
)

// TestFinding6PasswordsAreNormalised: the decomposed (NFD) form of a
// recent password passed the history check, and passwords with a
// zero-width joiner, a right-to-left override or a byte order mark, which
// nobody can type again, were accepted.
func TestFinding6PasswordsAreNormalised(t *testing.T) {
	onEachEngine(t, 1, func(t *testing.T, s *setup) {
		in := s.start(t)
		ctx := testContext(t)
		c := in.client()
		box := newInbox(in.outbox)
		mustChangePassword(t, ctx, c, box, 0, "Caf\u00e9-Harbour-2025")
		token := mustVerifiedFlow(t, ctx, c, box, 0)
		_, err := c.SetPassword(ctx, token, api.PasswordRequest{NewPassword: "Cafe\u0301-Harbour-2025"})
		wantProblem(t, "the NFD form of the last password", err, api.CodePasswordReused)
		for _, pw := range []string{"Kowloon\u200d7pQ2mZr", "Kowloon7pQ2mZr\u202e", "\ufeffKowloon7pQ2mZr"} {
			_, err := c.SetPassword(ctx, token, api.PasswordRequest{NewPassword: pw})
			ae := wantProblem(t, fmt.Sprintf("%+q", pw), err, api.CodePasswordPolicy)
			if !slices.Equal(ae.Violations, []api.RuleID{api.RuleInvisibleChar}) {
				t.Errorf("%+q: violations %v, want invisible_char", pw, ae.Violations)
			}
		}
	})
}

// TestFinding10StrictMembersAndHSTS: a duplicate member name, or one that
// matches a field only without regard to case (Staff_Number, ſtaff_number),
// was accepted; answers had no Strict-Transport-Security.
func TestFinding10StrictMembersAndHSTS(t *testing.T) {
	onEachEngine(t, 2, func(t *testing.T, s *setup) {
		in := s.start(t)
		c := in.httpClient()
		captcha := func() string {
			resp, body := do(t, c, "POST", in.url+"/v1/captchas", "", nil)
			var cp api.Captcha
			if resp.StatusCode != http.StatusCreated || json.Unmarshal(body, &cp) != nil {
				t.Fatalf("CAPTCHA: %d %s", resp.StatusCode, body)
			}
			if got := resp.Header.Get("Strict-Transport-Security"); got == "" {
				t.Errorf("POST /v1/captchas: no Strict-Transport-Security")
			}
			return cp.CaptchaID
		}
		for name, body := range map[string]string{
			"duplicate member":  `{"staff_number":%q,"captcha_id":%q,"captcha_answer":%q,"staff_number":"E0000001"}`,
			"case variant":      `{"Staff_Number":%q,"captcha_id":%q,"captcha_answer":%q}`,
			"long s":            `{"ſtaff_number":%q,"captcha_id":%q,"captcha_answer":%q}`,
			"upper-case answer": `{"staff_number":%q,"captcha_id":%q,"CAPTCHA_ANSWER":%q}`,
		} {
			resp, b := do(t, c, "POST", in.url+"/v1/resets", fmt.Sprintf(body, staff(0), captcha(), captchaAnswer), nil)
			p := checkProblem(t, resp, b, http.StatusBadRequest)
			if p.Code != api.CodeInvalidRequest {
				t.Errorf("%s: %s, want invalid_request", name, p.Code)
			}
			if resp.Header.Get("Strict-Transport-Security") == "" {
				t.Errorf("%s: the problem answer has no Strict-Transport-Security", name)
			}
		}
		resp, _ := do(t, c, "GET", in.url+"/v1/policy", "", nil)
		if got := resp.Header.Get("Strict-Transport-Security"); got != "max-age=63072000" {
			t.Errorf("GET /v1/policy: Strict-Transport-Security %q", got)
		}
	})
}
