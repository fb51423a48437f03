package httpapi_test

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"testing"
	"time"

	"casreset/api"
	"casreset/service"
)

// TestTheLanguageMemberOverTheWire sends "language" with a start and a
// send, as raw JSON, and finds it on the flow and its code; a value that
// is not a language tag is 400 invalid_request.
func TestTheLanguageMemberOverTheWire(t *testing.T) {
	h := newHarness(t)
	id, answer := h.captcha()
	var st api.StartResponse
	h.ok(req{method: "POST", path: "/v1/resets", body: `{"staff_number":"` + acctBoth.StaffNumber +
		`","captcha_id":"` + id + `","captcha_answer":"` + answer + `","language":"zh-TW"}`}, http.StatusCreated, &st)
	if got := h.flowOf(st.ResetToken).Language; got != "zh-HK" {
		t.Errorf("flow started in zh-TW has the language %q, want zh-HK", got)
	}

	resp := h.do(req{method: "POST", path: "/v1/resets/current/code", token: st.ResetToken, body: `{"channel":"sms","language":"zh_Hans"}`})
	problem(t, resp, api.CodeInvalidRequest)

	h.ok(req{method: "POST", path: "/v1/resets/current/code", token: st.ResetToken, body: `{"channel":"sms","language":"zh-Hans"}`}, http.StatusAccepted, nil)
	f := h.flowOf(st.ResetToken)
	var m service.Message
	if err := h.store.View(t.Context(), func(tx service.Tx) (err error) { m, err = tx.Message(f.MessageID); return err }); err != nil {
		t.Fatal(err)
	}
	if f.Language != "zh-Hans" || m.Language != "zh-Hans" {
		t.Errorf("after a send in zh-Hans: flow in %q, code in %q", f.Language, m.Language)
	}

	id, answer = h.captcha()
	resp = h.do(req{method: "POST", path: "/v1/staff-number-reminders", body: `{"contact":"` + acctBoth.Email +
		`","captcha_id":"` + id + `","captcha_answer":"` + answer + `","language":"English!"}`})
	problem(t, resp, api.CodeInvalidRequest)
	h.ok(req{method: "POST", path: "/v1/staff-number-reminders", body: api.ReminderRequest{Contact: acctBoth.Email,
		CaptchaID: id, CaptchaAnswer: answer, Language: "en"}}, http.StatusAccepted, nil)
}

// TestThePasswordsLanguageOverTheWire: the person switched after the code
// was sent, and "language" with the new password makes the notice of the
// change go out in it; a value that is not a language tag is 400
// invalid_request and leaves the flow verified.
func TestThePasswordsLanguageOverTheWire(t *testing.T) {
	h := newHarness(t)
	token := h.verified(acctBoth.StaffNumber)

	resp := h.do(req{method: "PUT", path: "/v1/resets/current/password", token: token, body: `{"new_password":"` + goodPassword + `","language":"zh_TW"}`})
	problem(t, resp, api.CodeInvalidRequest)
	if f := h.flowOf(token); f.Step != api.StepVerified {
		t.Fatalf("after a malformed language the flow is at %s", f.Step)
	}

	h.ok(req{method: "PUT", path: "/v1/resets/current/password", token: token, body: `{"new_password":"` + goodPassword + `","language":"zh-TW"}`}, http.StatusOK, nil)
	if got := h.flowOf(token).Language; got != "zh-HK" {
		t.Errorf("flow changed in zh-TW has the language %q, want zh-HK", got)
	}
	var notices []service.Message
	err := h.store.Update(t.Context(), func(tx service.Tx) error {
		far := h.clock.Now().Add(time.Hour)
		msgs, err := tx.ClaimMessages("test", far, far.Add(time.Minute), 100)
		for _, m := range msgs {
			if m.Kind == service.MessageNotice {
				notices = append(notices, m)
			}
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(notices) != 2 {
		t.Fatalf("%d notices, want one by SMS and one by e-mail", len(notices))
	}
	for _, m := range notices {
		if m.Language != "zh-HK" {
			t.Errorf("%s notice of a change in zh-TW is in %q, want zh-HK", m.Channel, m.Language)
		}
	}
}

// flowOf reads the stored flow of token, whose id is the hex SHA-256 of
// the token.
func (h *harness) flowOf(token string) service.Flow {
	h.t.Helper()
	sum := sha256.Sum256([]byte(token))
	var f service.Flow
	if err := h.store.View(h.t.Context(), func(tx service.Tx) (err error) { f, err = tx.Flow(hex.EncodeToString(sum[:])); return err }); err != nil {
		h.t.Fatal(err)
	}
	return f
}
