package httpapi_test

import (
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"casreset/api"
	"casreset/service"
	"casreset/service/httpapi"
)

const operatorPassword = "correct horse battery"

// addOperator adds a local operator as `resetd operators add` does and
// returns their TOTP secret, as their authenticator app holds it.
func (h *harness) addOperator(name string) string {
	h.t.Helper()
	en, err := h.svc.AddOperator(h.t.Context(), service.Client{}, service.NewOperator{Name: name, Password: operatorPassword}, "the test")
	if err != nil {
		h.t.Fatalf("AddOperator(%s): %v", name, err)
	}
	return en.Secret
}

// totp is the code the operator's app shows now.
func (h *harness) totp(secret string) string {
	h.t.Helper()
	code, err := service.TOTPCode(secret, h.clock.Now(), api.TOTPDigits)
	if err != nil {
		h.t.Fatal(err)
	}
	return code
}

func signInReq(user, password, code string) req {
	return req{method: "POST", path: "/v1/helpdesk/sessions", body: api.HelpdeskSignInRequest{Username: user, Password: password, TOTP: code}}
}

func (h *harness) signIn(user, password, code string) api.HelpdeskSession {
	h.t.Helper()
	var out api.HelpdeskSession
	h.ok(signInReq(user, password, code), http.StatusCreated, &out)
	return out
}

func signOutReq(token string) req {
	return req{method: "DELETE", path: "/v1/helpdesk/sessions/current", token: token}
}

// auditDetails lists the details of every audit event named event.
func (h *harness) auditDetails(event string) []string {
	h.t.Helper()
	var out []string
	for _, e := range h.audit("") {
		if e.Event == event {
			out = append(out, e.Detail)
		}
	}
	return out
}

func TestOperatorSignsInWithPasswordAndTOTPAndOut(t *testing.T) {
	h := newHarness(t)
	secret := h.addOperator("Alice")
	code := h.totp(secret)

	s := h.signIn(" ALICE ", operatorPassword, code)
	if len(s.SessionToken) != 43 || !s.ExpiresAt.Equal(t0.Add(15*time.Minute)) || !s.EndsAt.Equal(t0.Add(8*time.Hour)) {
		t.Errorf("session = %+v", s)
	}
	if s.Operator != (api.HelpdeskOperator{Name: "alice", Kind: "local"}) {
		t.Errorf("operator = %+v", s.Operator)
	}

	resp := h.ok(signOutReq(s.SessionToken), http.StatusNoContent, nil)
	if len(resp.body) != 0 {
		t.Errorf("sign-out answered a body: %q", resp.body)
	}
	resp = h.do(signOutReq(s.SessionToken))
	problem(t, resp, api.CodeOperatorAuthFailed)
	if resp.Header.Get("WWW-Authenticate") == "" {
		t.Error("401 without WWW-Authenticate")
	}

	if got := h.auditDetails(service.EventOperatorSignedIn); len(got) != 1 || got[0] != "operator alice (local): signed in" {
		t.Errorf("sign-in events %q", got)
	}
	if got := h.auditDetails(service.EventOperatorSignedOut); len(got) != 1 || got[0] != "operator alice (local): signed out" {
		t.Errorf("sign-out events %q", got)
	}
	for _, secretText := range []string{operatorPassword, code, s.SessionToken, secret} {
		if strings.Contains(h.logBuf.String(), secretText) {
			t.Errorf("the log holds %q", secretText)
		}
		for _, e := range h.audit("") {
			if strings.Contains(e.Detail, secretText) {
				t.Errorf("audit event %s holds %q", e.Event, secretText)
			}
		}
	}
}

// Every reason a sign-in fails gets the same answer; only the audit tells
// them apart.
func TestOperatorSignInFailuresLookAlike(t *testing.T) {
	h := newHarness(t)
	secret := h.addOperator("alice")
	wrong := func(code string) string {
		if code == "000000" {
			return "111111"
		}
		return "000000"
	}
	tests := []struct {
		name, user, password, code, audit string
	}{
		{"wrong password", "alice", "not the password", h.totp(secret), "operator alice (local): wrong password"},
		{"wrong code", "alice", operatorPassword, wrong(h.totp(secret)), "operator alice (local): wrong authenticator code"},
		{"no code", "alice", operatorPassword, "", "operator alice (local): wrong authenticator code"},
		{"unknown user", "mallory", operatorPassword, h.totp(secret), "operator sign-in: unknown username"},
	}
	var detail string
	for _, tt := range tests {
		resp := h.do(signInReq(tt.user, tt.password, tt.code))
		p := problem(t, resp, api.CodeOperatorAuthFailed)
		if detail == "" {
			detail = p.Detail
		} else if p.Detail != detail {
			t.Errorf("%s: detail %q, unlike %q", tt.name, p.Detail, detail)
		}
		events := h.audit(p.Reference)
		if len(events) != 1 || events[0].Event != service.EventOperatorSignInFailed || events[0].Detail != tt.audit {
			t.Errorf("%s: audit %+v, want one %s %q", tt.name, events, service.EventOperatorSignInFailed, tt.audit)
		}
	}

	for _, body := range []any{
		api.HelpdeskSignInRequest{Password: operatorPassword},
		api.HelpdeskSignInRequest{Username: "alice"},
		api.HelpdeskSignInRequest{Username: "not a name", Password: operatorPassword},
	} {
		problem(t, h.do(req{method: "POST", path: "/v1/helpdesk/sessions", body: body}), api.CodeInvalidRequest)
	}
}

func TestOperatorTOTPCodeWorksOnce(t *testing.T) {
	h := newHarness(t)
	secret := h.addOperator("alice")
	code := h.totp(secret)
	h.signIn("alice", operatorPassword, code)

	p := problem(t, h.do(signInReq("alice", operatorPassword, code)), api.CodeOperatorAuthFailed)
	if ev := h.audit(p.Reference); len(ev) != 1 || ev[0].Detail != "operator alice (local): authenticator code used already" {
		t.Errorf("audit of the reused code: %+v", ev)
	}

	// The code of the step before is older than the one used: refused too.
	h.clock.Advance(30 * time.Second)
	before, err := service.TOTPCode(secret, h.clock.Now().Add(-60*time.Second), api.TOTPDigits)
	if err != nil {
		t.Fatal(err)
	}
	problem(t, h.do(signInReq("alice", operatorPassword, before)), api.CodeOperatorAuthFailed)
	h.signIn("alice", operatorPassword, h.totp(secret))

	// One step either side of now is accepted: a phone clock 30 s ahead.
	h.clock.Advance(30 * time.Second)
	ahead, err := service.TOTPCode(secret, h.clock.Now().Add(30*time.Second), api.TOTPDigits)
	if err != nil {
		t.Fatal(err)
	}
	h.signIn("alice", operatorPassword, ahead)
	// Two steps off is not.
	h.clock.Advance(5 * time.Minute)
	far, err := service.TOTPCode(secret, h.clock.Now().Add(-60*time.Second), api.TOTPDigits)
	if err != nil {
		t.Fatal(err)
	}
	problem(t, h.do(signInReq("alice", operatorPassword, far)), api.CodeOperatorAuthFailed)
}

// A session ends after 15 minutes unused; each use starts the 15 minutes
// again; after 8 hours it ends whatever happens.
func TestOperatorSessionIdleAndLongestLife(t *testing.T) {
	h := newHarness(t)
	secret := h.addOperator("alice")
	use := func(token string) error {
		_, err := h.svc.OperatorOfSession(t.Context(), service.Client{}, token)
		return err
	}

	idle := h.signIn("alice", operatorPassword, h.totp(secret)).SessionToken
	h.clock.Advance(15 * time.Minute)
	problem(t, h.do(signOutReq(idle)), api.CodeOperatorAuthFailed)

	h.clock.Advance(time.Minute) // a fresh TOTP step
	used := h.signIn("alice", operatorPassword, h.totp(secret)).SessionToken
	h.clock.Advance(14 * time.Minute)
	if err := use(used); err != nil {
		t.Fatalf("a use 14 minutes in: %v", err)
	}
	h.clock.Advance(14 * time.Minute) // 28 minutes in, 14 after the use
	h.ok(signOutReq(used), http.StatusNoContent, nil)

	h.clock.Advance(time.Minute)
	long := h.signIn("alice", operatorPassword, h.totp(secret))
	for h.clock.Now().Add(10 * time.Minute).Before(long.EndsAt) {
		h.clock.Advance(10 * time.Minute)
		if err := use(long.SessionToken); err != nil {
			t.Fatalf("a use %v after sign-in: %v", h.clock.Now().Sub(long.EndsAt.Add(-8*time.Hour)), err)
		}
	}
	h.clock.Set(long.EndsAt)
	problem(t, h.do(signOutReq(long.SessionToken)), api.CodeOperatorAuthFailed)

	// Tokens that are no session's.
	for _, token := range []string{"", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "not-a-token"} {
		problem(t, h.do(signOutReq(token)), api.CodeOperatorAuthFailed)
	}
}

func TestOperatorSignInFailuresAreLimitedPerUsername(t *testing.T) {
	h := newHarness(t)
	secret := h.addOperator("alice")
	for i := range 5 {
		problem(t, h.do(signInReq("alice", "wrong password "+strconv.Itoa(i), h.totp(secret))), api.CodeOperatorAuthFailed)
		h.clock.Advance(time.Minute)
	}
	// The right password is refused too, and the answer says when to
	// come back: the first failure leaves the window 15 minutes after it.
	resp := h.do(signInReq("Alice", operatorPassword, h.totp(secret)))
	p := problem(t, resp, api.CodeRateLimited)
	if want := 10*60 + 1; p.RetryAfter != want || resp.Header.Get("Retry-After") != strconv.Itoa(want) {
		t.Errorf("retry_after %d, Retry-After %q; want %d", p.RetryAfter, resp.Header.Get("Retry-After"), want)
	}
	if ev := h.audit(p.Reference); len(ev) != 1 || ev[0].Event != service.EventRateLimited ||
		ev[0].Detail != "rate_limited: operator sign-ins per username: alice" {
		t.Errorf("audit %+v", ev)
	}
	h.clock.Advance(time.Duration(p.RetryAfter) * time.Second)
	h.signIn("alice", operatorPassword, h.totp(secret))

	// A success forgets the failures: five more are allowed.
	for range 4 {
		problem(t, h.do(signInReq("alice", "wrong", h.totp(secret))), api.CodeOperatorAuthFailed)
	}
	h.clock.Advance(time.Minute)
	h.signIn("alice", operatorPassword, h.totp(secret))
}

func TestOperatorSignInsAreLimitedPerAddress(t *testing.T) {
	h := newHarness(t, func(c *service.Config, _ *httpapi.Options) { c.OperatorAuth.AttemptsPerAddr = 4 })
	secret := h.addOperator("alice")
	for _, user := range []string{"bob", "carol", "dave"} {
		problem(t, h.do(signInReq(user, operatorPassword, "123456")), api.CodeOperatorAuthFailed)
	}
	h.signIn("alice", operatorPassword, h.totp(secret))
	p := problem(t, h.do(signInReq("erin", operatorPassword, "123456")), api.CodeRateLimited)
	if p.RetryAfter != 15*60+1 {
		t.Errorf("retry_after %d, want %d", p.RetryAfter, 15*60+1)
	}
}

// A local operator added with their own staff number carries it, so that
// the help desk keeps them off their own account and others off theirs.
func TestLocalOperatorsOwnAccount(t *testing.T) {
	h := newHarness(t)
	en, err := h.svc.AddOperator(t.Context(), service.Client{}, service.NewOperator{Name: "carol", Password: operatorPassword, StaffNumber: " " + acctMail.StaffNumber}, "the test")
	if err != nil {
		t.Fatal(err)
	}
	s := h.signIn("carol", operatorPassword, h.totp(en.Secret))
	op, err := h.svc.OperatorOfSession(t.Context(), service.Client{}, s.SessionToken)
	if err != nil || op != (service.Operator{Name: "carol", Kind: service.LocalOperator, StaffNumber: acctMail.StaffNumber}) {
		t.Errorf("operator %+v %v", op, err)
	}
	for staff, want := range map[string]bool{acctMail.StaffNumber: true, acctBoth.StaffNumber: false} {
		if got, err := h.svc.IsLocalOperatorAccount(t.Context(), staff); err != nil || got != want {
			t.Errorf("IsLocalOperatorAccount(%s) = %v %v, want %v", staff, got, err, want)
		}
	}
	if _, err := h.svc.AddOperator(t.Context(), service.Client{}, service.NewOperator{Name: "dave", Password: operatorPassword, StaffNumber: "no such/number"}, "the test"); api.ErrorCode(err) != api.CodeInvalidRequest {
		t.Errorf("a staff number that is none: %v", err)
	}
}

// Removing an operator, or giving them a new TOTP secret, ends their
// sessions at once.
func TestOperatorSessionsEndWithTheOperator(t *testing.T) {
	h := newHarness(t)
	secret := h.addOperator("alice")
	s := h.signIn("alice", operatorPassword, h.totp(secret))
	if _, err := h.svc.ResetOperatorTOTP(t.Context(), service.Client{}, "alice", "the test"); err != nil {
		t.Fatal(err)
	}
	problem(t, h.do(signOutReq(s.SessionToken)), api.CodeOperatorAuthFailed)
	h.clock.Advance(time.Minute)
	problem(t, h.do(signInReq("alice", operatorPassword, h.totp(secret))), api.CodeOperatorAuthFailed)

	secret = h.addOperator("bob")
	s = h.signIn("bob", operatorPassword, h.totp(secret))
	if err := h.svc.RemoveOperator(t.Context(), service.Client{}, "bob", "the test"); err != nil {
		t.Fatal(err)
	}
	problem(t, h.do(signOutReq(s.SessionToken)), api.CodeOperatorAuthFailed)
}

// Sign-ins are counted before they are checked, so that many at once do
// not get past the limit while their passwords are being hashed.
func TestConcurrentSignInsStopAtTheLimit(t *testing.T) {
	h := newHarness(t)
	secret := h.addOperator("alice")
	code := h.totp(secret)
	statuses := make(chan int, 12)
	var wg sync.WaitGroup
	for i := range 12 {
		wg.Go(func() {
			statuses <- h.do(signInReq("alice", "wrong password "+strconv.Itoa(i), code)).StatusCode
		})
	}
	wg.Wait()
	close(statuses)
	got := map[int]int{}
	for s := range statuses {
		got[s]++
	}
	if got[http.StatusUnauthorized] != 5 || got[http.StatusTooManyRequests] != 7 {
		t.Errorf("statuses %v, want 5 × 401 and 7 × 429", got)
	}
}
