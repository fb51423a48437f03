package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"casreset/api"
	"casreset/internal/testkit/storetest"
	"casreset/service"
	"casreset/service/httpapi"
)

// The fuzz tests send arbitrary bodies to every route that takes one,
// through the whole handler and a real service, and check that each answer
// is a well-formed success or problem document and never an internal error.

// fuzzTarget is the adapter without TLS: the fuzzer exercises decoding, not
// the transport.
type fuzzTarget struct {
	handler http.Handler
	store   service.Store
	svc     *service.Service
}

func newFuzzTarget(t testing.TB) *fuzzTarget {
	t.Helper()
	cfg := testConfig()
	cfg.StartsPerAddr = 1 << 30
	cfg.CaptchasPerAddr = 1 << 30
	cfg.WrongCaptchasPerAddr = 1 << 30
	cfg.RemindersPerAddr = 1 << 30
	store := storetest.SQLite(t)
	svc, err := service.New(cfg, store, nil, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = store.Update(context.Background(), func(tx service.Tx) error { return tx.UpsertAccount(acctBoth) })
	if err != nil {
		t.Fatal(err)
	}
	return &fuzzTarget{handler: httpapi.New(svc, httpapi.Options{}), store: store, svc: svc}
}

func (f *fuzzTarget) serve(method, path, token string, body []byte) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, path, bytes.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	if token != "" {
		r.Header.Set("Authorization", "Bearer "+token)
	}
	w := httptest.NewRecorder()
	f.handler.ServeHTTP(w, r)
	return w
}

// token starts a flow and, when verified, takes it through the code.
func (f *fuzzTarget) token(t testing.TB) string {
	t.Helper()
	ctx := context.Background()
	c, err := f.svc.NewCaptcha(ctx, service.Client{Addr: "192.0.2.1"})
	if err != nil {
		t.Fatal(err)
	}
	st, err := f.svc.Start(ctx, service.Client{Addr: "192.0.2.1"}, api.StartRequest{StaffNumber: acctBoth.StaffNumber, CaptchaID: c.CaptchaID, CaptchaAnswer: f.answer(t, c.CaptchaID)})
	if err != nil {
		t.Fatal(err)
	}
	return st.ResetToken
}

// answer reads the right answer of CAPTCHA id from the store.
func (f *fuzzTarget) answer(t testing.TB, id string) string {
	t.Helper()
	var answer []byte
	err := f.store.View(context.Background(), func(tx service.Tx) error {
		cp, err := tx.Captcha(id)
		for _, d := range cp.Digits {
			answer = append(answer, '0'+d)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return string(answer)
}

// checkAnswer fails unless w is a success of want or a problem document
// other than internal.
func checkAnswer(t *testing.T, w *httptest.ResponseRecorder, want int) {
	t.Helper()
	body := w.Body.Bytes()
	if w.Code == want {
		if ct := w.Header().Get("Content-Type"); ct != "application/json" || !json.Valid(body) {
			t.Fatalf("success %d: Content-Type %q, body %q", w.Code, ct, body)
		}
		return
	}
	if ct := w.Header().Get("Content-Type"); ct != api.ProblemJSON {
		t.Fatalf("status %d: Content-Type %q, body %q", w.Code, ct, body)
	}
	var p api.Error
	if err := json.Unmarshal(body, &p); err != nil {
		t.Fatalf("status %d: problem does not decode: %v: %q", w.Code, err, body)
	}
	if p.Code == api.CodeInternal || p.Code == "" || p.Status != w.Code || p.Status != p.Code.Status() || p.Reference == "" {
		t.Fatalf("status %d: bad problem %+v", w.Code, p)
	}
}

func seeds(f *testing.F, valid any) {
	j, _ := json.Marshal(valid)
	for _, s := range [][]byte{
		j, []byte(`{}`), []byte(``), []byte(`null`), []byte(`[]`), []byte(`"x"`), []byte(`{"a":1}`),
		append(j, j...), append(j, " x"...), []byte(`{"staff_number":"\u0000"}`), []byte("{\"code\":\"\xff\"}"),
		[]byte(`{"channel":"sms","channel":"email"}`), []byte(`{"new_password":null}`), []byte(`{"contact":123}`),
		bytes.Repeat([]byte("["), 10000), []byte(`{"captcha_answer":"123456","captcha_id":"` + string(bytes.Repeat([]byte("A"), 1000)) + `"}`),
	} {
		f.Add(s)
	}
}

func FuzzDecodeStart(f *testing.F) {
	seeds(f, api.StartRequest{StaffNumber: "12345678", CaptchaID: "ABC", CaptchaAnswer: "123456"})
	target := newFuzzTarget(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		checkAnswer(t, target.serve("POST", "/v1/resets", "", body), http.StatusCreated)
	})
}

func FuzzDecodeSendCode(f *testing.F) {
	seeds(f, api.SendCodeRequest{Channel: api.ChannelEmail})
	target := newFuzzTarget(f)
	token := target.token(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		checkAnswer(t, target.serve("POST", "/v1/resets/current/code", token, body), http.StatusAccepted)
	})
}

func FuzzDecodeVerify(f *testing.F) {
	seeds(f, api.VerifyRequest{Code: "123456"})
	target := newFuzzTarget(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		// A fresh flow each time, so that wrong codes do not end it and
		// every input reaches the domain.
		token := target.token(t)
		target.serve("POST", "/v1/resets/current/code", token, []byte(`{"channel":"email"}`))
		checkAnswer(t, target.serve("POST", "/v1/resets/current/verify", token, body), http.StatusOK)
	})
}

func FuzzDecodePassword(f *testing.F) {
	seeds(f, api.PasswordRequest{NewPassword: goodPassword})
	target := newFuzzTarget(f)
	token := target.token(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		// The flow is not verified: the body is decoded and the token
		// checked, without an Argon2id hash per input.
		checkAnswer(t, target.serve("PUT", "/v1/resets/current/password", token, body), http.StatusOK)
	})
}

func FuzzDecodeReminder(f *testing.F) {
	seeds(f, api.ReminderRequest{Contact: "chan.tai.man@example.edu.hk", CaptchaID: "ABC", CaptchaAnswer: "123456"})
	target := newFuzzTarget(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		checkAnswer(t, target.serve("POST", "/v1/staff-number-reminders", "", body), http.StatusAccepted)
	})
}

func FuzzDecodeNewCaptcha(f *testing.F) {
	seeds(f, struct{}{})
	target := newFuzzTarget(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		checkAnswer(t, target.serve("POST", "/v1/captchas", "", body), http.StatusCreated)
	})
}
