package service_test

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"casreset/api"
	"casreset/internal/testkit/storetest"
	"casreset/service"
)

// Accounts every harness starts with.
var (
	acctBoth = service.Account{StaffNumber: "12345678", Name: "CHAN Tai Man", Mobile: "+85291234534", Email: "chan.tai.man@example.edu.hk"}
	acctSMS  = service.Account{StaffNumber: "22222222", Name: "WONG Siu Ming", Mobile: "+85261234567"}
	acctMail = service.Account{StaffNumber: "33333333", Name: "LEE Ka Yan", Email: "lee.ka.yan@example.edu.hk"}
	acctNone = service.Account{StaffNumber: "44444444", Name: "HO Wai"}
	// acctEnded's contract ended on 2022-08-31: eligible through 2024-02-29.
	acctEnded = service.Account{StaffNumber: "55555555", Name: "LAM Mei", Mobile: "+85298765432", ContractEnd: "2022-08-31"}
)

// t0 is when every harness's clock starts: 09:50 in Hong Kong.
var t0 = time.Date(2025, 3, 3, 9, 50, 0, 0, time.FixedZone("HKT", 8*3600))

// harness is a service over a real SQLite store with a manual clock.
type harness struct {
	tb     testing.TB
	svc    *service.Service
	store  service.Store
	clock  *service.ManualClock
	client service.Client

	mu     sync.Mutex
	events []service.AuditEvent // as the hook saw them
}

// onEachEngine runs test on a harness over SQLite and one over PostgreSQL.
func onEachEngine(t *testing.T, test func(t *testing.T, h *harness), configure ...func(*service.Config)) {
	for _, e := range storetest.Engines {
		t.Run(e.Name, func(t *testing.T) { test(t, newHarnessOn(t, e.Open(t), configure...)) })
	}
}

// testConfig is the default configuration with a cheap Argon2id, for the
// tests that are not about the hash's cost.
func testConfig() service.Config {
	cfg := service.DefaultConfig()
	cfg.PasswordHash = fastHash
	return cfg
}

func newHarness(tb testing.TB, configure ...func(*service.Config)) *harness {
	tb.Helper()
	return newHarnessOn(tb, storetest.SQLite(tb), configure...)
}

// newHarnessOn is newHarness over store.
func newHarnessOn(tb testing.TB, store service.Store, configure ...func(*service.Config)) *harness {
	tb.Helper()
	cfg := testConfig()
	for _, f := range configure {
		f(&cfg)
	}
	h := &harness{
		tb:     tb,
		store:  store,
		clock:  service.NewManualClock(t0),
		client: service.Client{Addr: "192.0.2.10", UserAgent: "casreset-test/1", Reference: "ref-test"},
	}
	svc, err := service.New(cfg, h.store, nil, h.clock, nil)
	if err != nil {
		tb.Fatalf("service.New: %v", err)
	}
	h.svc = svc
	svc.SetEventHook(func(e service.AuditEvent) {
		h.mu.Lock()
		defer h.mu.Unlock()
		h.events = append(h.events, e)
	})
	h.addAccounts(acctBoth, acctSMS, acctMail, acctNone, acctEnded)
	return h
}

func (h *harness) addAccounts(accounts ...service.Account) {
	h.tb.Helper()
	storetest.AddAccounts(h.tb, h.store, accounts...)
}

// captcha creates a CAPTCHA and returns its id and right answer, read from
// the store as a person would read the image.
func (h *harness) captcha() (id, answer string) {
	h.tb.Helper()
	return h.captchaFrom(h.client)
}

// captchaFrom is captcha asked by client.
func (h *harness) captchaFrom(client service.Client) (id, answer string) {
	h.tb.Helper()
	c, err := h.svc.NewCaptcha(context.Background(), client)
	if err != nil {
		h.tb.Fatalf("NewCaptcha: %v", err)
	}
	err = h.store.View(context.Background(), func(tx service.Tx) error {
		cp, err := tx.Captcha(c.CaptchaID)
		for _, d := range cp.Digits {
			answer += string(rune('0' + d))
		}
		return err
	})
	if err != nil {
		h.tb.Fatalf("read captcha: %v", err)
	}
	return c.CaptchaID, answer
}

func (h *harness) startErr(staff string) (api.StartResponse, error) {
	id, answer := h.captcha()
	return h.svc.Start(context.Background(), h.client, api.StartRequest{StaffNumber: staff, CaptchaID: id, CaptchaAnswer: answer})
}

func (h *harness) start(staff string) string {
	h.tb.Helper()
	res, err := h.startErr(staff)
	if err != nil {
		h.tb.Fatalf("Start(%s): %v", staff, err)
	}
	return res.ResetToken
}

func (h *harness) send(token string, ch api.Channel) api.SendCodeResponse {
	h.tb.Helper()
	res, err := h.svc.SendCode(context.Background(), h.client, token, api.SendCodeRequest{Channel: ch})
	if err != nil {
		h.tb.Fatalf("SendCode(%s): %v", ch, err)
	}
	return res
}

// flow reads the stored flow of token; its id is the hex SHA-256 of the
// token.
func (h *harness) flow(token string) service.Flow {
	h.tb.Helper()
	return storetest.FlowOfToken(h.tb, h.store, token)
}

func (h *harness) message(id int64) service.Message {
	h.tb.Helper()
	var m service.Message
	err := h.store.View(context.Background(), func(tx service.Tx) error {
		var err error
		m, err = tx.Message(id)
		return err
	})
	if err != nil {
		h.tb.Fatalf("read message %d: %v", id, err)
	}
	return m
}

// code is the latest code sent in the flow of token, read from its message
// as the user would read the SMS.
func (h *harness) code(token string) string {
	h.tb.Helper()
	return h.message(h.flow(token).MessageID).Params["code"]
}

// verified walks a new flow of staff up to verified and returns its token.
func (h *harness) verified(staff string) string {
	h.tb.Helper()
	token := h.start(staff)
	h.send(token, api.ChannelSMS)
	if err := h.svc.Verify(context.Background(), h.client, token, h.code(token)); err != nil {
		h.tb.Fatalf("Verify: %v", err)
	}
	return token
}

// changePassword runs a whole flow; it returns SetPassword's error.
func (h *harness) changePassword(staff, password string) error {
	h.tb.Helper()
	token := h.verified(staff)
	_, err := h.svc.SetPassword(context.Background(), h.client, token, api.PasswordRequest{NewPassword: password})
	return err
}

// audit returns the stored audit events of staff, oldest first.
func (h *harness) audit(staff string) []service.AuditEvent {
	h.tb.Helper()
	var out []service.AuditEvent
	err := h.store.View(context.Background(), func(tx service.Tx) error {
		var err error
		out, err = tx.Audit(service.AuditFilter{StaffNumber: staff})
		return err
	})
	if err != nil {
		h.tb.Fatalf("read audit: %v", err)
	}
	slices.Reverse(out) // the store gives the newest first
	return out
}

func (h *harness) hookEvents() []service.AuditEvent {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]service.AuditEvent(nil), h.events...)
}

// wantCode fails unless err is an *api.Error with code.
func wantCode(tb testing.TB, err error, code api.Code) *api.Error {
	tb.Helper()
	var e *api.Error
	if !errors.As(err, &e) {
		tb.Fatalf("error %v (%T), want *api.Error %s", err, err, code)
	}
	if e.Code != code {
		tb.Fatalf("error code %s (%v), want %s", e.Code, e, code)
	}
	if e.Detail == "" || e.Status != code.Status() || e.Title == "" {
		tb.Errorf("error %s lacks a detail, status or title: %+v", code, e)
	}
	return e
}
