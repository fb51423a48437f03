package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"casreset/api"
	"casreset/service"
	"casreset/service/httpapi"
)

func TestWholeFlowOverTLS(t *testing.T) {
	h := newHarness(t)

	var pol api.Policy
	h.ok(req{method: "GET", path: "/v1/policy"}, http.StatusOK, &pol)
	if pol.MinLength != 10 || pol.MaxLength != 128 || pol.History != 3 || pol.ForbiddenChars == "" {
		t.Errorf("policy = %+v", pol)
	}

	var c api.Captcha
	h.ok(req{method: "POST", path: "/v1/captchas"}, http.StatusCreated, &c)
	if c.CaptchaID == "" || !c.ExpiresAt.After(t0) || c.Digits != 6 {
		t.Fatalf("captcha = %+v", c)
	}
	if want := "/v1/captchas/" + c.CaptchaID + "/image.png"; c.ImageURL != want {
		t.Errorf("image_url = %q, want %q", c.ImageURL, want)
	}
	if want := "/v1/captchas/" + c.CaptchaID + "/audio.wav"; c.AudioURL != want {
		t.Errorf("audio_url = %q, want %q", c.AudioURL, want)
	}
	img := h.ok(req{method: "GET", path: c.ImageURL}, http.StatusOK, nil)
	if img.Header.Get("Content-Type") != "image/png" || !bytes.HasPrefix(img.body, []byte("\x89PNG\r\n\x1a\n")) {
		t.Errorf("image: %s, %d bytes", img.Header.Get("Content-Type"), len(img.body))
	}
	for _, lang := range []string{"", "?lang=en", "?lang=zh", "?lang=yue"} {
		wav := h.ok(req{method: "GET", path: c.AudioURL + lang}, http.StatusOK, nil)
		if wav.Header.Get("Content-Type") != "audio/wav" || !bytes.HasPrefix(wav.body, []byte("RIFF")) {
			t.Errorf("audio%s: %s, %d bytes", lang, wav.Header.Get("Content-Type"), len(wav.body))
		}
	}

	st := h.start(acctBoth.StaffNumber)
	if len(st.ResetToken) < 43 || !st.ExpiresAt.Equal(t0.Add(30*time.Minute)) {
		t.Errorf("start = %+v", st)
	}
	wantChannels := []api.ChannelInfo{
		{Channel: api.ChannelSMS, Destination: "9*** **34"},
		{Channel: api.ChannelEmail, Destination: "c****@example.edu.hk"},
	}
	if !slices.Equal(st.Channels, wantChannels) {
		t.Errorf("channels = %+v, want %+v", st.Channels, wantChannels)
	}
	token := st.ResetToken

	var f api.Flow
	h.ok(req{method: "GET", path: "/v1/resets/current", token: token}, http.StatusOK, &f)
	if f.Step != api.StepStarted {
		t.Errorf("flow step = %q", f.Step)
	}

	sent := h.sendCode(token, api.ChannelSMS)
	if sent.Channel != api.ChannelSMS || sent.Destination != "9*** **34" || !sent.CodeExpiresAt.Equal(t0.Add(10*time.Minute)) || sent.SendsLeft != 4 {
		t.Errorf("send code = %+v", sent)
	}
	h.ok(req{method: "GET", path: "/v1/resets/current", token: token}, http.StatusOK, &f)
	if f.Step != api.StepCodeSent || f.Delivery != api.DeliveryQueued || f.AttemptsLeft != 5 {
		t.Errorf("flow after send = %+v", f)
	}

	var v api.VerifyResponse
	resp := h.verify(token, h.code(token))
	if resp.StatusCode != http.StatusOK || json.Unmarshal(resp.body, &v) != nil || !v.Verified {
		t.Fatalf("verify: %d %s", resp.StatusCode, resp.body)
	}

	var changed api.PasswordResponse
	resp = h.setPassword(token, goodPassword)
	if resp.StatusCode != http.StatusOK || json.Unmarshal(resp.body, &changed) != nil || !changed.ChangedAt.Equal(t0) {
		t.Fatalf("password: %d %s", resp.StatusCode, resp.body)
	}

	// The token is spent.
	problem(t, h.do(req{method: "GET", path: "/v1/resets/current", token: token}), api.CodeTokenInvalid)

	var rem api.ReminderResponse
	id, answer := h.captcha()
	h.ok(req{method: "POST", path: "/v1/staff-number-reminders", body: api.ReminderRequest{Contact: acctBoth.Email, CaptchaID: id, CaptchaAnswer: answer}}, http.StatusAccepted, &rem)
	if !rem.Accepted {
		t.Error("reminder not accepted")
	}
}

// TestEveryErrorCode drives each error code of DESIGN.md over HTTP and checks
// the problem document: status from the table, title, detail, reference
// equal to X-Request-Id, and the code's extension members.
func TestEveryErrorCode(t *testing.T) {
	tests := []struct {
		code      api.Code
		configure func(*service.Config, *httpapi.Options)
		run       func(h *harness) response
		check     func(t *testing.T, p api.Error, resp response)
	}{
		{code: api.CodeInvalidRequest, run: func(h *harness) response {
			return h.do(req{method: "POST", path: "/v1/resets", body: `{"staff_number":1}`})
		}},
		{code: api.CodeCaptchaInvalid, run: func(h *harness) response {
			id, answer := h.captcha()
			return h.do(req{method: "POST", path: "/v1/resets", body: api.StartRequest{StaffNumber: acctBoth.StaffNumber, CaptchaID: id, CaptchaAnswer: wrongCode(answer)}})
		}},
		{code: api.CodeAccountNotFound, run: func(h *harness) response { return h.do(h.startReq("99999999")) }},
		{code: api.CodeAccountExpired, run: func(h *harness) response { return h.do(h.startReq(acctEnded.StaffNumber)) }},
		{code: api.CodeNoContact, run: func(h *harness) response { return h.do(h.startReq(acctNone.StaffNumber)) }},
		{code: api.CodeAccountDisabled, run: func(h *harness) response {
			h.dir = disabledDirectory{service.NewStoreDirectory(h.store, testConfig())}
			h.serve()
			return h.do(h.startReq(acctBoth.StaffNumber))
		}},
		{code: api.CodeTokenInvalid, run: func(h *harness) response {
			return h.do(req{method: "GET", path: "/v1/resets/current", token: "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"})
		}, check: func(t *testing.T, p api.Error, resp response) {
			if resp.Header.Get("WWW-Authenticate") == "" {
				t.Error("401 without WWW-Authenticate")
			}
		}},
		{code: api.CodeWrongStep, run: func(h *harness) response {
			return h.verify(h.start(acctBoth.StaffNumber).ResetToken, "123456")
		}},
		{code: api.CodeChannelUnavailable, run: func(h *harness) response {
			tok := h.start(acctMail.StaffNumber).ResetToken
			return h.do(req{method: "POST", path: "/v1/resets/current/code", token: tok, body: api.SendCodeRequest{Channel: api.ChannelSMS}})
		}},
		{code: api.CodeCodeInvalid, run: func(h *harness) response {
			tok := h.start(acctBoth.StaffNumber).ResetToken
			h.sendCode(tok, api.ChannelSMS)
			return h.verify(tok, wrongCode(h.code(tok)))
		}, check: func(t *testing.T, p api.Error, _ response) {
			if p.AttemptsLeft == nil || *p.AttemptsLeft != 4 {
				t.Errorf("attempts_left = %v, want 4", p.AttemptsLeft)
			}
		}},
		{code: api.CodeCodeExpired, run: func(h *harness) response {
			tok := h.start(acctBoth.StaffNumber).ResetToken
			h.sendCode(tok, api.ChannelSMS)
			h.clock.Advance(10 * time.Minute)
			return h.verify(tok, h.code(tok))
		}},
		{code: api.CodeAttemptsExhausted, run: func(h *harness) response {
			tok := h.start(acctBoth.StaffNumber).ResetToken
			h.sendCode(tok, api.ChannelSMS)
			bad := wrongCode(h.code(tok))
			for range 4 {
				problem(h.t, h.verify(tok, bad), api.CodeCodeInvalid)
			}
			return h.verify(tok, bad)
		}},
		{code: api.CodePasswordPolicy, run: func(h *harness) response {
			return h.setPassword(h.verified(acctBoth.StaffNumber), "short 1$")
		}, check: func(t *testing.T, p api.Error, _ response) {
			for _, rule := range []api.RuleID{api.RuleTooShort, api.RuleHasWhitespace, api.RuleForbiddenChar} {
				if !slices.Contains(p.Violations, rule) {
					t.Errorf("violations %v lack %s", p.Violations, rule)
				}
			}
		}},
		{code: api.CodePasswordReused, run: func(h *harness) response {
			if resp := h.setPassword(h.verified(acctBoth.StaffNumber), goodPassword); resp.StatusCode != http.StatusOK {
				h.t.Fatalf("first change: %d %s", resp.StatusCode, resp.body)
			}
			return h.setPassword(h.verified(acctBoth.StaffNumber), goodPassword)
		}},
		{code: api.CodeRateLimited, configure: func(c *service.Config, _ *httpapi.Options) { c.StartsPerAddr = 2 },
			run: func(h *harness) response {
				h.start(acctBoth.StaffNumber)
				h.clock.Advance(time.Minute)
				h.start(acctBoth.StaffNumber)
				return h.do(h.startReq(acctBoth.StaffNumber))
			}, check: func(t *testing.T, p api.Error, resp response) {
				// The older start leaves the 10-minute window 9 minutes on.
				if p.RetryAfter != 9*60+1 {
					t.Errorf("retry_after = %d, want %d", p.RetryAfter, 9*60+1)
				}
				if got := resp.Header.Get("Retry-After"); got != strconv.Itoa(p.RetryAfter) {
					t.Errorf("Retry-After header %q, want %d", got, p.RetryAfter)
				}
			}},
		{code: api.CodeOperatorAuthFailed, run: func(h *harness) response {
			return h.do(req{method: "DELETE", path: "/v1/helpdesk/sessions/current"})
		}, check: func(t *testing.T, p api.Error, resp response) {
			if resp.Header.Get("WWW-Authenticate") == "" {
				t.Error("401 without WWW-Authenticate")
			}
		}},
		{code: api.CodeOperatorForbidden, run: func(h *harness) response {
			en, err := h.svc.AddOperator(h.t.Context(), service.Client{}, service.NewOperator{Name: "bob", Password: operatorPassword, StaffNumber: acctBoth.StaffNumber}, "the test")
			if err != nil {
				h.t.Fatal(err)
			}
			session := h.signIn("bob", operatorPassword, h.totp(en.Secret)).SessionToken
			return h.do(req{method: "POST", path: "/v1/helpdesk/accounts/" + acctBoth.StaffNumber + "/unlock", token: session})
		}},
		{code: api.CodeCallerNotVerified, run: func(h *harness) response {
			return h.do(req{method: "POST", path: "/v1/helpdesk/accounts/" + acctBoth.StaffNumber + "/passes", token: h.operator("alice")})
		}},
		{code: api.CodeNotFound, run: func(h *harness) response {
			return h.do(req{method: "GET", path: "/v1/captchas/NOSUCHCAPTCHA/image.png"})
		}},
		{code: api.CodeUnavailable, run: func(h *harness) response {
			if err := h.store.Close(); err != nil {
				h.t.Fatal(err)
			}
			return h.do(req{method: "GET", path: "/readyz"})
		}},
		{code: api.CodeInternal, configure: func(c *service.Config, _ *httpapi.Options) {},
			run: func(h *harness) response {
				h.store.(*brokenStore).broken.Store(true)
				return h.do(req{method: "POST", path: "/v1/captchas"})
			}, check: func(t *testing.T, p api.Error, _ response) {
				if strings.Contains(p.Detail, "disk") {
					t.Errorf("internal detail leaks the cause: %q", p.Detail)
				}
			}},
	}
	seen := map[api.Code]bool{}
	for _, tt := range tests {
		seen[tt.code] = true
		t.Run(string(tt.code), func(t *testing.T) {
			h := &harness{t: t, store: newStore(t, tt.code == api.CodeInternal), clock: service.NewManualClock(t0), logBuf: &syncBuffer{}}
			if tt.configure != nil {
				h.serve(tt.configure)
			} else {
				h.serve()
			}
			resp := tt.run(h)
			p := problem(t, resp, tt.code)
			if tt.check != nil {
				tt.check(t, p, resp)
			}
			if !strings.Contains(h.logBuf.String(), p.Reference) {
				t.Errorf("reference %s not in the log", p.Reference)
			}
		})
	}
	for _, c := range api.Codes() {
		if !seen[c] {
			t.Errorf("no test for code %s", c)
		}
	}
}

func TestRefusalsAreAuditedUnderTheAnswersReference(t *testing.T) {
	h := newHarness(t)
	id, answer := h.captcha()
	resp := h.do(req{
		method: "POST", path: "/v1/resets",
		body:   api.StartRequest{StaffNumber: acctBoth.StaffNumber, CaptchaID: id, CaptchaAnswer: wrongCode(answer)},
		header: map[string]string{api.HeaderRequestID: "caller-chosen-id", "User-Agent": "casreset/1.0 (linux)"},
	})
	p := problem(t, resp, api.CodeCaptchaInvalid)
	if p.Reference == "caller-chosen-id" {
		t.Fatal("the caller's X-Request-Id became the reference")
	}
	events := h.audit(p.Reference)
	if len(events) != 1 {
		t.Fatalf("audit events with reference %s: %+v", p.Reference, events)
	}
	ev := events[0]
	if ev.Event != service.EventInputValidationFailed || ev.ClientAddr != "127.0.0.1" || ev.UserAgent != "casreset/1.0 (linux)" {
		t.Errorf("audit event = %+v", ev)
	}
	if !strings.Contains(h.logBuf.String(), `"correlation":"caller-chosen-id"`) {
		t.Error("the caller's id is not logged for correlation")
	}
	if len(h.audit("caller-chosen-id")) != 0 {
		t.Error("an audit event carries the caller's id")
	}
}

func TestSuccessAnswersCarryAReferenceToo(t *testing.T) {
	h := newHarness(t)
	a := h.do(req{method: "GET", path: "/v1/policy"})
	b := h.do(req{method: "GET", path: "/v1/policy"})
	ra, rb := a.Header.Get(api.HeaderRequestID), b.Header.Get(api.HeaderRequestID)
	if len(ra) != 16 || ra == rb {
		t.Errorf("references %q and %q: want 16 characters, different", ra, rb)
	}
}

func TestRateLimitedResendCarriesRetryAfter(t *testing.T) {
	h := newHarness(t)
	tok := h.start(acctBoth.StaffNumber).ResetToken
	h.sendCode(tok, api.ChannelSMS)
	h.clock.Advance(15 * time.Second)
	resp := h.do(req{method: "POST", path: "/v1/resets/current/code", token: tok, body: api.SendCodeRequest{Channel: api.ChannelSMS}})
	p := problem(t, resp, api.CodeRateLimited)
	if p.RetryAfter != 45 || resp.Header.Get("Retry-After") != "45" {
		t.Errorf("retry_after %d, header %q, want 45", p.RetryAfter, resp.Header.Get("Retry-After"))
	}
	h.clock.Advance(45 * time.Second)
	h.sendCode(tok, api.ChannelSMS) // "reload" after the cool-down
}

func TestResetAnswersAreNeverCached(t *testing.T) {
	h := newHarness(t)
	st := h.start(acctBoth.StaffNumber)
	tok := st.ResetToken
	answers := map[string]response{
		"POST /v1/resets":                 h.do(h.startReq(acctBoth.StaffNumber)),
		"GET /v1/resets/current":          h.do(req{method: "GET", path: "/v1/resets/current", token: tok}),
		"POST /v1/resets/current/code":    h.do(req{method: "POST", path: "/v1/resets/current/code", token: tok, body: api.SendCodeRequest{Channel: api.ChannelEmail}}),
		"POST /v1/resets/current/verify":  h.verify(tok, h.code(tok)),
		"PUT /v1/resets/current/password": h.setPassword(tok, goodPassword),
		"error":                           h.do(req{method: "GET", path: "/v1/resets/current"}),
		"POST /v1/captchas":               h.do(req{method: "POST", path: "/v1/captchas"}),
	}
	for name, resp := range answers {
		if got := resp.Header.Get("Cache-Control"); got != "no-store" {
			t.Errorf("%s: Cache-Control %q, want no-store", name, got)
		}
		if got := resp.Header.Get("X-Content-Type-Options"); got != "nosniff" {
			t.Errorf("%s: X-Content-Type-Options %q", name, got)
		}
		if resp.Header.Get("Content-Security-Policy") == "" || resp.Header.Get("Referrer-Policy") != "no-referrer" {
			t.Errorf("%s: security headers missing: %v", name, resp.Header)
		}
	}
}

func TestEveryAnswerCarriesStrictTransportSecurity(t *testing.T) {
	h := newHarness(t)
	answers := map[string]response{
		"GET /v1/policy":    h.do(req{method: "GET", path: "/v1/policy"}),
		"POST /v1/captchas": h.do(req{method: "POST", path: "/v1/captchas"}),
		"GET /healthz":      h.do(req{method: "GET", path: "/healthz"}),
		"problem":           h.do(req{method: "GET", path: "/v1/resets/current"}),
		"not found":         h.do(req{method: "GET", path: "/v1/nothing"}),
		"wrong method":      h.do(req{method: "DELETE", path: "/v1/policy"}),
	}
	for name, resp := range answers {
		got := resp.Header.Get("Strict-Transport-Security")
		if !strings.HasPrefix(got, "max-age=") || got == "max-age=0" {
			t.Errorf("%s: Strict-Transport-Security %q, want a max-age", name, got)
		}
	}
}

func TestBodyDecodingRefusals(t *testing.T) {
	h := newHarness(t)
	valid := `{"staff_number":"12345678","captcha_id":"x","captcha_answer":"1"}`
	tests := []struct {
		name, body, contentType, detail string
	}{
		{"no content type", valid, "-", "Content-Type"},
		{"text/plain", valid, "text/plain", "application/json"},
		{"latin-1", valid, "application/json; charset=iso-8859-1", "UTF-8"},
		{"unknown member", `{"staff_number":"1","is_admin":true}`, "", `"is_admin"`},
		{"two objects", valid + valid, "", "single JSON object"},
		{"trailing garbage", valid + " x", "", "single JSON object"},
		{"array", `[` + valid + `]`, "", "JSON object"},
		{"null", `null`, "", "JSON object"},
		{"empty", ``, "", "empty"},
		{"wrong type", `{"staff_number":12345678}`, "", `"staff_number" must be a string`},
		{"not JSON", `{"staff_number":`, "", "not valid JSON"},
		{"syntax error", `{"staff_number" "1"}`, "", "not valid JSON"},
		{"invalid UTF-8", "{\"staff_number\":\"\xff\"}", "", "UTF-8"},
		{"over 16 KiB", `{"staff_number":"` + strings.Repeat("1", 16<<10) + `"}`, "", "16 KiB"},
		{"duplicate member", `{"staff_number":"12345678","captcha_id":"x","captcha_answer":"1","staff_number":"33333333"}`, "", `"staff_number" more than once`},
		{"duplicate member with the same value", `{"staff_number":"1","staff_number":"1","captcha_id":"x","captcha_answer":"1"}`, "", "more than once"},
		{"member in another case", `{"Staff_Number":"12345678","captcha_id":"x","captcha_answer":"1"}`, "", `"Staff_Number", which the contract spells "staff_number"`},
		{"member with a long s", `{"ſtaff_number":"12345678","captcha_id":"x","captcha_answer":"1"}`, "", `spells "staff_number"`},
		{"case variant repeating a member", `{"staff_number":"1","STAFF_NUMBER":"2","captcha_id":"x","captcha_answer":"1"}`, "", `"STAFF_NUMBER"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hdr := map[string]string{}
			switch tt.contentType {
			case "-":
				hdr["Content-Type"] = ""
			case "":
			default:
				hdr["Content-Type"] = tt.contentType
			}
			resp := h.do(req{method: "POST", path: "/v1/resets", body: tt.body, header: hdr})
			p := problem(t, resp, api.CodeInvalidRequest)
			if !strings.Contains(p.Detail, tt.detail) {
				t.Errorf("detail %q lacks %q", p.Detail, tt.detail)
			}
		})
	}
}

func TestBodyOfExactly16KiBIsRead(t *testing.T) {
	h := newHarness(t)
	id, answer := h.captcha()
	body, _ := json.Marshal(api.StartRequest{StaffNumber: acctBoth.StaffNumber, CaptchaID: id, CaptchaAnswer: answer})
	padded := append(body, bytes.Repeat([]byte(" "), httpapi.MaxBodyBytes-len(body))...)
	if len(padded) != 16<<10 {
		t.Fatalf("body is %d bytes", len(padded))
	}
	h.ok(req{method: "POST", path: "/v1/resets", body: padded}, http.StatusCreated, nil)

	problem(t, h.do(req{method: "POST", path: "/v1/resets", body: append(padded, ' ')}), api.CodeInvalidRequest)
}

func TestBearerTokenParsing(t *testing.T) {
	h := newHarness(t)
	tok := h.start(acctBoth.StaffNumber).ResetToken
	tests := []struct {
		name, header string
		want         api.Code
	}{
		{"missing", "", api.CodeTokenInvalid},
		{"basic scheme", "Basic dXNlcjpwYXNz", api.CodeTokenInvalid},
		{"empty token", "Bearer ", api.CodeTokenInvalid},
		{"not a b64token", "Bearer a b c", api.CodeTokenInvalid},
		{"unknown token", "Bearer " + strings.Repeat("A", 43), api.CodeTokenInvalid},
		{"lower-case scheme", "bearer " + tok, ""},
		{"right token", "Bearer " + tok, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := h.do(req{method: "GET", path: "/v1/resets/current", header: map[string]string{"Authorization": tt.header}})
			if tt.want == "" {
				if resp.StatusCode != http.StatusOK {
					t.Fatalf("status %d: %s", resp.StatusCode, resp.body)
				}
				return
			}
			problem(t, resp, tt.want)
		})
	}
}

func TestUnknownRoutesAndMethodsAreProblems(t *testing.T) {
	h := newHarness(t)
	problem(t, h.do(req{method: "GET", path: "/v1/nothing"}), api.CodeNotFound)
	problem(t, h.do(req{method: "GET", path: "/"}), api.CodeNotFound)

	resp := h.do(req{method: "DELETE", path: "/v1/resets/current"})
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Fatalf("status %d, want 405", resp.StatusCode)
	}
	if resp.Header.Get("Content-Type") != api.ProblemJSON || !strings.Contains(resp.Header.Get("Allow"), "GET") {
		t.Errorf("405 answer: %v %s", resp.Header, resp.body)
	}
	var p api.Error
	if err := json.Unmarshal(resp.body, &p); err != nil || p.Status != 405 || p.Reference == "" || p.Code != api.CodeInvalidRequest {
		t.Errorf("405 problem = %+v (%v)", p, err)
	}
}

func TestCaptchaAudioLanguages(t *testing.T) {
	h := newHarness(t)
	var c api.Captcha
	h.ok(req{method: "POST", path: "/v1/captchas"}, http.StatusCreated, &c)
	bodies := map[string][]byte{}
	for _, lang := range []string{"en", "zh", "yue"} {
		bodies[lang] = h.ok(req{method: "GET", path: c.AudioURL + "?lang=" + lang}, http.StatusOK, nil).body
	}
	if bytes.Equal(bodies["en"], bodies["zh"]) || bytes.Equal(bodies["zh"], bodies["yue"]) {
		t.Error("two languages gave the same audio")
	}
	for _, lang := range []string{"fr", "zh-HK", "YUE", "cmn"} {
		problem(t, h.do(req{method: "GET", path: c.AudioURL + "?lang=" + lang}), api.CodeInvalidRequest)
	}
}

func TestNewCaptchaAcceptsOnlyAnEmptyBody(t *testing.T) {
	h := newHarness(t)
	h.ok(req{method: "POST", path: "/v1/captchas", body: `{}`}, http.StatusCreated, nil)
	problem(t, h.do(req{method: "POST", path: "/v1/captchas", body: `{"length":4}`}), api.CodeInvalidRequest)
}

func TestReminderAnswersTheSameWhetherOrNotTheContactMatched(t *testing.T) {
	h := newHarness(t)
	var bodies [][]byte
	for _, contact := range []string{acctBoth.Email, "nobody@example.edu.hk"} {
		id, answer := h.captcha()
		resp := h.ok(req{method: "POST", path: "/v1/staff-number-reminders", body: api.ReminderRequest{Contact: contact, CaptchaID: id, CaptchaAnswer: answer}}, http.StatusAccepted, nil)
		bodies = append(bodies, resp.body)
	}
	if !bytes.Equal(bodies[0], bodies[1]) {
		t.Errorf("answers differ: %s vs %s", bodies[0], bodies[1])
	}
}

func TestHealthAndReadiness(t *testing.T) {
	h := newHarness(t)
	h.ok(req{method: "GET", path: "/healthz"}, http.StatusOK, nil)
	h.ok(req{method: "GET", path: "/readyz"}, http.StatusOK, nil)
}

func TestUncleanPathsAreNotFoundNotRedirected(t *testing.T) {
	h := newHarness(t)
	for _, p := range []string{"/v1/captchas/../policy", "/v1//policy", "/v1/./policy", "/v1/captchas/%2e%2e/image.png"} {
		t.Run(p, func(t *testing.T) {
			problem(t, h.do(req{method: "GET", path: p}), api.CodeNotFound)
		})
	}
}

func TestUserAgentReachesTheAuditAsText(t *testing.T) {
	h := newHarness(t)
	id, answer := h.captcha()
	resp := h.do(req{method: "POST", path: "/v1/resets",
		body:   api.StartRequest{StaffNumber: "99999999", CaptchaID: id, CaptchaAnswer: answer},
		header: map[string]string{"User-Agent": "casreset/\xff\xfe 1.0"}})
	p := problem(t, resp, api.CodeAccountNotFound)
	events := h.audit(p.Reference)
	if len(events) != 1 || events[0].UserAgent != "casreset/\uFFFD 1.0" {
		t.Errorf("audit = %+v", events)
	}
}

// disabledDirectory is the store directory with every account disabled, as
// a directory may say (AD userAccountControl bit 2).
type disabledDirectory struct{ service.Directory }

func (d disabledDirectory) Account(ctx context.Context, staff string) (service.Account, error) {
	a, err := d.Directory.Account(ctx, staff)
	a.Disabled = true
	return a, err
}
