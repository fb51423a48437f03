package httpapi_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/tls"
	"encoding/hex"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"casreset/api"
	"casreset/internal/testkit/storetest"
	"casreset/service"
	"casreset/service/httpapi"
	"casreset/service/tlsgen"
)

// Accounts every harness starts with.
var (
	acctBoth  = service.Account{StaffNumber: "12345678", Name: "CHAN Tai Man", Mobile: "+85291234534", Email: "chan.tai.man@example.edu.hk"}
	acctMail  = service.Account{StaffNumber: "33333333", Name: "LEE Ka Yan", Email: "lee.ka.yan@example.edu.hk"}
	acctNone  = service.Account{StaffNumber: "44444444", Name: "HO Wai"}
	acctEnded = service.Account{StaffNumber: "55555555", Name: "LAM Mei", Mobile: "+85298765432", ContractEnd: "2022-08-31"}
)

// t0 is when every harness's clock starts.
var t0 = time.Date(2025, 3, 3, 9, 50, 0, 0, time.UTC)

// goodPassword passes every rule of the policy.
const goodPassword = "Kx7pQ2mZr9vTw4"

// harness is the adapter over a real service and SQLite store, served over
// real TLS 1.3 with a generated CA that only its client trusts.
type harness struct {
	t      testing.TB
	store  service.Store
	clock  *service.ManualClock
	svc    *service.Service
	srv    *httptest.Server
	client *http.Client
	logBuf *syncBuffer
	// dir, when set, is the service's directory in place of the store's.
	dir service.Directory
}

type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func testConfig() service.Config {
	cfg := service.DefaultConfig()
	// A cheap Argon2id: these tests are about the adapter, not the hash.
	cfg.PasswordHash = service.HashParams{MemoryKiB: 64, Time: 1, Threads: 1}
	return cfg
}

func newHarness(t testing.TB, configure ...func(*service.Config, *httpapi.Options)) *harness {
	t.Helper()
	h := &harness{
		t:      t,
		store:  storetest.SQLite(t),
		clock:  service.NewManualClock(t0),
		logBuf: &syncBuffer{},
	}
	return h.serve(configure...)
}

// serve builds the service and adapter over h.store and starts the server.
func (h *harness) serve(configure ...func(*service.Config, *httpapi.Options)) *harness {
	t := h.t
	t.Helper()
	cfg := testConfig()
	log := slog.New(slog.NewJSONHandler(h.logBuf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	opts := httpapi.Options{Log: log}
	for _, f := range configure {
		f(&cfg, &opts)
	}
	svc, err := service.New(cfg, h.store, h.dir, h.clock, log)
	if err != nil {
		t.Fatalf("service.New: %v", err)
	}
	h.svc = svc
	h.addAccounts(acctBoth, acctMail, acctNone, acctEnded)

	bundle, err := tlsgen.InMemory(nil, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	h.srv = httptest.NewUnstartedServer(httpapi.New(svc, opts))
	h.srv.TLS = &tls.Config{Certificates: []tls.Certificate{bundle.Certificate}, MinVersion: tls.VersionTLS13}
	h.srv.StartTLS()
	t.Cleanup(h.srv.Close)
	h.client = &http.Client{
		Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: bundle.CertPool(), MinVersion: tls.VersionTLS13}},
		Timeout:   30 * time.Second,
	}
	t.Cleanup(h.client.CloseIdleConnections)
	return h
}

func (h *harness) addAccounts(accounts ...service.Account) {
	h.t.Helper()
	storetest.AddAccounts(h.t, h.store, accounts...)
}

// response is an answer with its body read.
type response struct {
	*http.Response
	body []byte
}

// req is one request to the server.
type req struct {
	method, path string
	token        string
	body         any // string or []byte are sent as they are; anything else as JSON
	header       map[string]string
}

func (h *harness) do(r req) response {
	h.t.Helper()
	var body io.Reader
	contentType := ""
	switch b := r.body.(type) {
	case nil:
	case string:
		body, contentType = strings.NewReader(b), "application/json"
	case []byte:
		body, contentType = bytes.NewReader(b), "application/json"
	default:
		j, err := json.Marshal(b)
		if err != nil {
			h.t.Fatal(err)
		}
		body, contentType = bytes.NewReader(j), "application/json"
	}
	hr, err := http.NewRequest(r.method, h.srv.URL+r.path, body)
	if err != nil {
		h.t.Fatal(err)
	}
	if contentType != "" {
		hr.Header.Set("Content-Type", contentType)
	}
	if r.token != "" {
		hr.Header.Set("Authorization", "Bearer "+r.token)
	}
	for k, v := range r.header {
		if v == "" {
			hr.Header.Del(k)
		} else {
			hr.Header.Set(k, v)
		}
	}
	resp, err := h.client.Do(hr)
	if err != nil {
		h.t.Fatalf("%s %s: %v", r.method, r.path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		h.t.Fatal(err)
	}
	return response{resp, b}
}

// ok decodes a successful answer of status want into out.
func (h *harness) ok(r req, want int, out any) response {
	h.t.Helper()
	resp := h.do(r)
	if resp.StatusCode != want {
		h.t.Fatalf("%s %s: status %d, want %d; body %s", r.method, r.path, resp.StatusCode, want, resp.body)
	}
	if out != nil {
		if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
			h.t.Fatalf("%s %s: Content-Type %q", r.method, r.path, ct)
		}
		if err := json.Unmarshal(resp.body, out); err != nil {
			h.t.Fatalf("%s %s: %v", r.method, r.path, err)
		}
	}
	return resp
}

// problem checks that resp is a well-formed problem document of code and
// returns it.
func problem(t testing.TB, resp response, code api.Code) api.Error {
	t.Helper()
	if ct := resp.Header.Get("Content-Type"); ct != api.ProblemJSON {
		t.Fatalf("Content-Type %q, want %s; body %s", ct, api.ProblemJSON, resp.body)
	}
	var p api.Error
	dec := json.NewDecoder(bytes.NewReader(resp.body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		t.Fatalf("problem document: %v; body %s", err, resp.body)
	}
	if p.Code != code {
		t.Fatalf("code %q, want %q; body %s", p.Code, code, resp.body)
	}
	if resp.StatusCode != code.Status() || p.Status != code.Status() {
		t.Errorf("status %d (document %d), want %d", resp.StatusCode, p.Status, code.Status())
	}
	if p.Type == "" || p.Title != code.Title() || p.Detail == "" {
		t.Errorf("type %q title %q detail %q: want all set, title %q", p.Type, p.Title, p.Detail, code.Title())
	}
	if p.Reference == "" || p.Reference != resp.Header.Get(api.HeaderRequestID) {
		t.Errorf("reference %q, X-Request-Id %q: want the same, non-empty", p.Reference, resp.Header.Get(api.HeaderRequestID))
	}
	return p
}

// captcha creates a CAPTCHA over HTTP and returns its id and right answer,
// read from the store as a person would read the image.
func (h *harness) captcha() (id, answer string) {
	h.t.Helper()
	var c api.Captcha
	h.ok(req{method: "POST", path: "/v1/captchas"}, http.StatusCreated, &c)
	err := h.store.View(context.Background(), func(tx service.Tx) error {
		cp, err := tx.Captcha(c.CaptchaID)
		for _, d := range cp.Digits {
			answer += string(rune('0' + d))
		}
		return err
	})
	if err != nil {
		h.t.Fatalf("read captcha: %v", err)
	}
	return c.CaptchaID, answer
}

func (h *harness) startReq(staff string) req {
	id, answer := h.captcha()
	return req{method: "POST", path: "/v1/resets", body: api.StartRequest{StaffNumber: staff, CaptchaID: id, CaptchaAnswer: answer}}
}

func (h *harness) start(staff string) api.StartResponse {
	h.t.Helper()
	var out api.StartResponse
	h.ok(h.startReq(staff), http.StatusCreated, &out)
	return out
}

func (h *harness) sendCode(token string, ch api.Channel) api.SendCodeResponse {
	h.t.Helper()
	var out api.SendCodeResponse
	h.ok(req{method: "POST", path: "/v1/resets/current/code", token: token, body: api.SendCodeRequest{Channel: ch}}, http.StatusAccepted, &out)
	return out
}

// code reads the latest code of token's flow from its queued message, as
// the user reads the SMS. The flow's id is the hex SHA-256 of the token.
func (h *harness) code(token string) string {
	h.t.Helper()
	sum := sha256.Sum256([]byte(token))
	var code string
	err := h.store.View(context.Background(), func(tx service.Tx) error {
		f, err := tx.Flow(hex.EncodeToString(sum[:]))
		if err != nil {
			return err
		}
		m, err := tx.Message(f.MessageID)
		code = m.Params["code"]
		return err
	})
	if err != nil || code == "" {
		h.t.Fatalf("read code: %v (code %q)", err, code)
	}
	return code
}

func (h *harness) verify(token, code string) response {
	h.t.Helper()
	return h.do(req{method: "POST", path: "/v1/resets/current/verify", token: token, body: api.VerifyRequest{Code: code}})
}

// verified walks a new flow of staff up to the verified step.
func (h *harness) verified(staff string) string {
	h.t.Helper()
	token := h.start(staff).ResetToken
	h.sendCode(token, api.ChannelEmail)
	if resp := h.verify(token, h.code(token)); resp.StatusCode != http.StatusOK {
		h.t.Fatalf("verify: %d %s", resp.StatusCode, resp.body)
	}
	return token
}

func (h *harness) setPassword(token, pw string) response {
	h.t.Helper()
	return h.do(req{method: "PUT", path: "/v1/resets/current/password", token: token, body: api.PasswordRequest{NewPassword: pw}})
}

// audit returns the audit events carrying reference.
func (h *harness) audit(reference string) []service.AuditEvent {
	h.t.Helper()
	var out []service.AuditEvent
	err := h.store.View(context.Background(), func(tx service.Tx) error {
		var err error
		out, err = tx.Audit(service.AuditFilter{Reference: reference})
		return err
	})
	if err != nil {
		h.t.Fatal(err)
	}
	return out
}

// wrongCode returns a code of the right shape that is not code.
func wrongCode(code string) string {
	if code == "000000" {
		return "111111"
	}
	return "000000"
}
