package client

import (
	"context"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"casreset/api"
	"casreset/internal/testkit/storetest"
	"casreset/service"
	"casreset/service/httpapi"
	"casreset/service/tlsgen"
)

// The tests below run the client against the reset service's own HTTP
// handler, over TLS on loopback, with a temporary SQLite store: what the
// desktop app's embedded default does.

// testCaptchaAnswer is accepted for every CAPTCHA (service.Config's test
// switch).
const testCaptchaAnswer = "424242"

// Accounts of every real service.
var (
	staffBoth  = service.Account{StaffNumber: "12345678", Name: "CHAN Tai Man", Mobile: "+85291234534", Email: "chan.tai.man@example.edu.hk"}
	staffSMS   = service.Account{StaffNumber: "22222222", Name: "WONG Siu Ming", Mobile: "+85261234567"}
	staffNone  = service.Account{StaffNumber: "44444444", Name: "HO Wai"}
	staffEnded = service.Account{StaffNumber: "55555555", Name: "LAM Mei", Mobile: "+85298765432", ContractEnd: "2020-01-31"}
)

// realService is a running reset service and a client that trusts it the
// way the desktop app does: its CA, and a pin of that CA.
type realService struct {
	t     *testing.T
	store service.Store
	svc   *service.Service
	clock *service.ManualClock
	c     *Client
	ctx   context.Context
}

func newRealService(t *testing.T, dir service.Directory, configure ...func(*service.Config)) *realService {
	t.Helper()
	cfg := service.DefaultConfig()
	cfg.TestCaptchaAnswer = testCaptchaAnswer
	cfg.PasswordHash = service.HashParams{MemoryKiB: 64, Time: 1, Threads: 1} // the hash's cost is not tested here
	for _, f := range configure {
		f(&cfg)
	}
	rs := &realService{
		t:     t,
		store: storetest.SQLite(t),
		clock: service.NewManualClock(time.Now()),
		ctx:   context.Background(),
	}
	svc, err := service.New(cfg, rs.store, dir, rs.clock, nil)
	if err != nil {
		t.Fatalf("service.New: %v", err)
	}
	rs.svc = svc
	err = rs.store.Update(rs.ctx, func(tx service.Tx) error {
		for _, a := range []service.Account{staffBoth, staffSMS, staffNone, staffEnded} {
			if err := tx.UpsertAccount(a); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("add accounts: %v", err)
	}

	bundle, err := tlsgen.InMemory(nil, time.Now())
	if err != nil {
		t.Fatalf("tlsgen: %v", err)
	}
	srv := httptest.NewUnstartedServer(httpapi.New(svc, httpapi.Options{}))
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{bundle.Certificate}, MinVersion: tls.VersionTLS13}
	srv.StartTLS()
	t.Cleanup(srv.Close)

	rs.c = newTestClient(t, Config{BaseURL: srv.URL, CAPEM: bundle.CAPEM, PinSHA256: pinOfPEM(t, bundle.CAPEM)})
	return rs
}

func pinOfPEM(t *testing.T, caPEM []byte) string {
	t.Helper()
	block, _ := pem.Decode(caPEM)
	if block == nil {
		t.Fatal("no PEM block in the CA")
	}
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	return SPKIPin(cert)
}

// start begins a flow for staff through the client.
func (rs *realService) start(staff string) api.StartResponse {
	rs.t.Helper()
	cp, err := rs.c.NewCaptcha(rs.ctx)
	if err != nil {
		rs.t.Fatalf("NewCaptcha: %v", err)
	}
	res, err := rs.c.Start(rs.ctx, api.StartRequest{StaffNumber: staff, CaptchaID: cp.CaptchaID, CaptchaAnswer: testCaptchaAnswer})
	if err != nil {
		rs.t.Fatalf("Start(%s): %v", staff, err)
	}
	return res
}

// sent begins a flow for staff and sends a code by SMS; it returns the token.
func (rs *realService) sent(staff string) string {
	rs.t.Helper()
	token := rs.start(staff).ResetToken
	if _, err := rs.c.SendCode(rs.ctx, token, api.SendCodeRequest{Channel: api.ChannelSMS}); err != nil {
		rs.t.Fatalf("SendCode: %v", err)
	}
	return token
}

// verified walks a new flow of staff to the password step.
func (rs *realService) verified(staff string) string {
	rs.t.Helper()
	token := rs.sent(staff)
	if _, err := rs.c.Verify(rs.ctx, token, rs.code(token)); err != nil {
		rs.t.Fatalf("Verify: %v", err)
	}
	return token
}

// code reads the latest validation code of token's flow from its queued
// message, as the person would read the SMS. The flow's id is the hex
// SHA-256 of the token.
func (rs *realService) code(token string) string {
	rs.t.Helper()
	sum := sha256.Sum256([]byte(token))
	var code string
	err := rs.store.View(rs.ctx, func(tx service.Tx) error {
		f, err := tx.Flow(hex.EncodeToString(sum[:]))
		if err != nil {
			return err
		}
		m, err := tx.Message(f.MessageID)
		code = m.Params["code"]
		return err
	})
	if err != nil || code == "" {
		rs.t.Fatalf("read the code: %q, %v", code, err)
	}
	return code
}

// wrongCode is a code of the right shape that differs from right.
func wrongCode(right string) string {
	if right == "000000" {
		return "111111"
	}
	return "000000"
}

func TestRealServiceWholeFlow(t *testing.T) {
	rs := newRealService(t, nil)
	ctx := rs.ctx

	policy, err := rs.c.Policy(ctx)
	if err != nil {
		t.Fatalf("Policy: %v", err)
	}
	if policy.MinLength != 10 || policy.MaxLength != 128 || policy.History != 3 {
		t.Errorf("Policy = %+v", policy)
	}

	cp, err := rs.c.NewCaptcha(ctx)
	if err != nil {
		t.Fatalf("NewCaptcha: %v", err)
	}
	if cp.CaptchaID == "" || cp.ExpiresAt.IsZero() || cp.Digits != 6 {
		t.Errorf("NewCaptcha = %+v", cp)
	}
	png, err := rs.c.CaptchaImage(ctx, cp.CaptchaID)
	if err != nil || len(png) < 100 {
		t.Fatalf("CaptchaImage: %d bytes, %v", len(png), err)
	}
	for _, lang := range []string{"en", "zh", "zh-HK", "yue"} {
		wav, err := rs.c.CaptchaAudio(ctx, cp.CaptchaID, lang)
		if err != nil || len(wav) < 1000 {
			t.Fatalf("CaptchaAudio(%s): %d bytes, %v", lang, len(wav), err)
		}
	}

	started, err := rs.c.Start(ctx, api.StartRequest{StaffNumber: staffBoth.StaffNumber, CaptchaID: cp.CaptchaID, CaptchaAnswer: testCaptchaAnswer})
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	wantChannels := []api.ChannelInfo{
		{Channel: api.ChannelSMS, Destination: service.MaskMobile(staffBoth.Mobile)},
		{Channel: api.ChannelEmail, Destination: service.MaskEmail(staffBoth.Email)},
	}
	if started.ResetToken == "" || !slices.Equal(started.Channels, wantChannels) {
		t.Errorf("Start = %+v, want channels %+v", started, wantChannels)
	}
	token := started.ResetToken

	flow, err := rs.c.Flow(ctx, token)
	if err != nil || flow.Step != api.StepStarted {
		t.Fatalf("Flow = %+v, %v; want step started", flow, err)
	}

	sent, err := rs.c.SendCode(ctx, token, api.SendCodeRequest{Channel: api.ChannelEmail})
	if err != nil {
		t.Fatalf("SendCode: %v", err)
	}
	if sent.Channel != api.ChannelEmail || sent.Destination != service.MaskEmail(staffBoth.Email) || sent.CodeExpiresAt.IsZero() {
		t.Errorf("SendCode = %+v", sent)
	}
	if flow, err = rs.c.Flow(ctx, token); err != nil || flow.Step != api.StepCodeSent || flow.Delivery != api.DeliveryQueued {
		t.Errorf("Flow after SendCode = %+v, %v", flow, err)
	}

	verified, err := rs.c.Verify(ctx, token, rs.code(token))
	if err != nil || !verified.Verified {
		t.Fatalf("Verify = %+v, %v", verified, err)
	}

	changed, err := rs.c.SetPassword(ctx, token, api.PasswordRequest{NewPassword: "Harbour9Lights"})
	if err != nil {
		t.Fatalf("SetPassword: %v", err)
	}
	if changed.ChangedAt.IsZero() {
		t.Errorf("SetPassword = %+v", changed)
	}
	// The token is spent.
	_, err = rs.c.Flow(ctx, token)
	wantAPIError(t, err, api.CodeTokenInvalid)

	reminderCaptcha, err := rs.c.NewCaptcha(ctx)
	if err != nil {
		t.Fatal(err)
	}
	err = rs.c.RemindStaffNumber(ctx, api.ReminderRequest{Contact: staffBoth.Email, CaptchaID: reminderCaptcha.CaptchaID, CaptchaAnswer: testCaptchaAnswer})
	if err != nil {
		t.Fatalf("RemindStaffNumber: %v", err)
	}
}

// wantAPIError fails unless err is an *api.Error with code, as the service
// sends it: with its status, a title, a detail and a reference.
func wantAPIError(t *testing.T, err error, code api.Code) *api.Error {
	t.Helper()
	var e *api.Error
	if !errors.As(err, &e) {
		t.Fatalf("error = %T %v, want *api.Error %s", err, err, code)
	}
	if e.Code != code {
		t.Fatalf("code = %s (%v), want %s", e.Code, e, code)
	}
	if e.Status != code.Status() || e.Title == "" || e.Detail == "" || e.Reference == "" {
		t.Errorf("%s lacks its status, title, detail or reference: %+v", code, e)
	}
	return e
}

func TestRealServiceErrorCodes(t *testing.T) {
	tests := []struct {
		code api.Code
		// provoke makes the service answer with code through the client.
		provoke func(t *testing.T, rs *realService) error
		check   func(t *testing.T, e *api.Error)
	}{
		{api.CodeInvalidRequest, func(t *testing.T, rs *realService) error {
			_, err := rs.c.SendCode(rs.ctx, rs.start(staffBoth.StaffNumber).ResetToken, api.SendCodeRequest{Channel: "fax"})
			return err
		}, nil},
		{api.CodeCaptchaInvalid, func(t *testing.T, rs *realService) error {
			_, err := rs.c.Start(rs.ctx, api.StartRequest{StaffNumber: staffBoth.StaffNumber, CaptchaID: "no-such-captcha", CaptchaAnswer: testCaptchaAnswer})
			return err
		}, nil},
		{api.CodeAccountNotFound, func(t *testing.T, rs *realService) error {
			return startErr(rs, "99999999")
		}, nil},
		{api.CodeAccountExpired, func(t *testing.T, rs *realService) error {
			return startErr(rs, staffEnded.StaffNumber)
		}, nil},
		{api.CodeNoContact, func(t *testing.T, rs *realService) error {
			return startErr(rs, staffNone.StaffNumber)
		}, nil},
		{api.CodeAccountDisabled, func(t *testing.T, rs *realService) error {
			return startErr(newRealService(t, disabledDirectory{}), staffBoth.StaffNumber)
		}, nil},
		{api.CodeTokenInvalid, func(t *testing.T, rs *realService) error {
			_, err := rs.c.Flow(rs.ctx, "not-a-token")
			return err
		}, nil},
		{api.CodeWrongStep, func(t *testing.T, rs *realService) error {
			_, err := rs.c.SetPassword(rs.ctx, rs.start(staffBoth.StaffNumber).ResetToken, api.PasswordRequest{NewPassword: "Harbour9Lights"})
			return err
		}, nil},
		{api.CodeChannelUnavailable, func(t *testing.T, rs *realService) error {
			_, err := rs.c.SendCode(rs.ctx, rs.start(staffSMS.StaffNumber).ResetToken, api.SendCodeRequest{Channel: api.ChannelEmail})
			return err
		}, nil},
		{api.CodeCodeInvalid, func(t *testing.T, rs *realService) error {
			token := rs.sent(staffBoth.StaffNumber)
			_, err := rs.c.Verify(rs.ctx, token, wrongCode(rs.code(token)))
			return err
		}, func(t *testing.T, e *api.Error) {
			if e.AttemptsLeft == nil || *e.AttemptsLeft != 4 {
				t.Errorf("AttemptsLeft = %v, want 4", e.AttemptsLeft)
			}
		}},
		{api.CodeCodeExpired, func(t *testing.T, rs *realService) error {
			token := rs.sent(staffBoth.StaffNumber)
			code := rs.code(token)
			rs.clock.Advance(11 * time.Minute)
			_, err := rs.c.Verify(rs.ctx, token, code)
			return err
		}, nil},
		{api.CodeAttemptsExhausted, func(t *testing.T, rs *realService) error {
			token := rs.sent(staffBoth.StaffNumber)
			wrong := wrongCode(rs.code(token))
			var err error
			for range 5 {
				_, err = rs.c.Verify(rs.ctx, token, wrong)
			}
			return err
		}, nil},
		{api.CodePasswordPolicy, func(t *testing.T, rs *realService) error {
			_, err := rs.c.SetPassword(rs.ctx, rs.verified(staffBoth.StaffNumber), api.PasswordRequest{NewPassword: "short"})
			return err
		}, func(t *testing.T, e *api.Error) {
			if !slices.Contains(e.Violations, api.RuleTooShort) || !slices.Contains(e.Violations, api.RuleNeedsDigit) {
				t.Errorf("Violations = %q, want too_short and needs_digit", e.Violations)
			}
		}},
		{api.CodePasswordReused, func(t *testing.T, rs *realService) error {
			if _, err := rs.c.SetPassword(rs.ctx, rs.verified(staffBoth.StaffNumber), api.PasswordRequest{NewPassword: "Harbour9Lights"}); err != nil {
				t.Fatalf("first change: %v", err)
			}
			_, err := rs.c.SetPassword(rs.ctx, rs.verified(staffBoth.StaffNumber), api.PasswordRequest{NewPassword: "Harbour9Lights"})
			return err
		}, nil},
		{api.CodeRateLimited, func(t *testing.T, rs *realService) error {
			token := rs.sent(staffBoth.StaffNumber)
			_, err := rs.c.SendCode(rs.ctx, token, api.SendCodeRequest{Channel: api.ChannelSMS}) // "reload" within the cool-down
			return err
		}, func(t *testing.T, e *api.Error) {
			if e.RetryAfter < 1 || e.RetryAfter > 60 {
				t.Errorf("RetryAfter = %d, want the rest of the 60 s cool-down", e.RetryAfter)
			}
		}},
		{api.CodeOperatorAuthFailed, func(t *testing.T, rs *realService) error {
			_, err := rs.c.HelpdeskSignIn(rs.ctx, "nobody", "no such password", "123456")
			return err
		}, nil},
		{api.CodeOperatorForbidden, func(t *testing.T, rs *realService) error {
			_, err := rs.c.HelpdeskUnlock(rs.ctx, rs.signedIn("bob", staffBoth.StaffNumber), staffBoth.StaffNumber, "my own card")
			return err
		}, nil},
		{api.CodeCallerNotVerified, func(t *testing.T, rs *realService) error {
			_, err := rs.c.HelpdeskIssuePass(rs.ctx, rs.signedIn("alice", ""), staffBoth.StaffNumber, "")
			return err
		}, nil},
		{api.CodeNotFound, func(t *testing.T, rs *realService) error {
			_, err := rs.c.CaptchaImage(rs.ctx, "no-such-captcha")
			return err
		}, nil},
	}
	tested := map[api.Code]bool{}
	for _, tt := range tests {
		tested[tt.code] = true
		t.Run(string(tt.code), func(t *testing.T) {
			rs := newRealService(t, nil)
			e := wantAPIError(t, tt.provoke(t, rs), tt.code)
			if tt.check != nil {
				tt.check(t, e)
			}
		})
	}

	// The service's dependencies failing: a directory that is down, and
	// one that fails in a way the service does not expect.
	for code, cause := range map[api.Code]error{
		api.CodeUnavailable: fmt.Errorf("ldap: %w", service.ErrUnavailable),
		api.CodeInternal:    errors.New("ldap: unexpected answer"),
	} {
		tested[code] = true
		t.Run(string(code), func(t *testing.T) {
			rs := newRealService(t, failingDirectory{cause})
			e := wantAPIError(t, startErr(rs, staffBoth.StaffNumber), code)
			if e.Detail == cause.Error() {
				t.Errorf("the cause reached the client: %q", e.Detail)
			}
		})
	}

	for _, code := range api.Codes() {
		if !tested[code] {
			t.Errorf("no test provokes %s", code)
		}
	}
}

// startErr answers a fresh CAPTCHA and tries to start a flow for staff.
func startErr(rs *realService, staff string) error {
	rs.t.Helper()
	cp, err := rs.c.NewCaptcha(rs.ctx)
	if err != nil {
		rs.t.Fatalf("NewCaptcha: %v", err)
	}
	_, err = rs.c.Start(rs.ctx, api.StartRequest{StaffNumber: staff, CaptchaID: cp.CaptchaID, CaptchaAnswer: testCaptchaAnswer})
	return err
}

// failingDirectory fails every call with err.
type failingDirectory struct{ err error }

func (d failingDirectory) Account(context.Context, string) (service.Account, error) {
	return service.Account{}, d.err
}
func (d failingDirectory) AccountsByContact(context.Context, string) ([]service.Account, error) {
	return nil, d.err
}
func (d failingDirectory) SetPassword(context.Context, string, string) error { return d.err }
func (d failingDirectory) Ping(context.Context) error                        { return d.err }

// disabledDirectory has every account, disabled in the directory (AD
// userAccountControl bit 2).
type disabledDirectory struct{ failingDirectory }

func (disabledDirectory) Account(_ context.Context, staff string) (service.Account, error) {
	a := staffBoth
	a.StaffNumber, a.Disabled = staff, true
	return a, nil
}
