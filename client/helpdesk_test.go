package client

import (
	"errors"
	"strings"
	"testing"

	"casreset/api"
	"casreset/service"
)

const operatorPassword = "correct horse battery"

// operatorTOTP adds a local operator to rs, whose own account is staff
// (none for ""), and returns a function giving the code their
// authenticator app shows.
func (rs *realService) operatorTOTP(name, staff string) func() string {
	rs.t.Helper()
	en, err := rs.svc.AddOperator(rs.ctx, service.Client{}, service.NewOperator{Name: name, Password: operatorPassword, StaffNumber: staff}, "the test")
	if err != nil {
		rs.t.Fatalf("AddOperator: %v", err)
	}
	return func() string {
		code, err := service.TOTPCode(en.Secret, rs.clock.Now(), api.TOTPDigits)
		if err != nil {
			rs.t.Fatal(err)
		}
		return code
	}
}

// signedIn adds a local operator (as operatorTOTP) and signs them in
// through the client; it returns the session token.
func (rs *realService) signedIn(name, staff string) string {
	rs.t.Helper()
	s, err := rs.c.HelpdeskSignIn(rs.ctx, name, operatorPassword, rs.operatorTOTP(name, staff)())
	if err != nil {
		rs.t.Fatalf("HelpdeskSignIn: %v", err)
	}
	return s.SessionToken
}

// latestMessage is the newest queued message of kind, as its reader
// reads it.
func (rs *realService) latestMessage(kind string) service.Message {
	rs.t.Helper()
	var last service.Message
	for id := int64(1); ; id++ {
		var m service.Message
		err := rs.store.View(rs.ctx, func(tx service.Tx) (err error) {
			m, err = tx.Message(id)
			return err
		})
		if errors.Is(err, service.ErrNotFound) {
			break
		}
		if err != nil {
			rs.t.Fatal(err)
		}
		if m.Kind == kind {
			last = m
		}
	}
	if last.ID == 0 {
		rs.t.Fatalf("no %s message", kind)
	}
	return last
}

func wantAPICode(t *testing.T, what string, err error, code api.Code) *api.Error {
	t.Helper()
	var e *api.Error
	if !errors.As(err, &e) || e.Code != code {
		t.Fatalf("%s: error %v (%T), want *api.Error %s", what, err, err, code)
	}
	return e
}

// TestRealServiceHelpdesk walks every help-desk call through the client:
// sign-in, the look-ups, caller verification, unlock, a pass the staff
// member then uses in place of the code, and sign-out.
func TestRealServiceHelpdesk(t *testing.T) {
	rs := newRealService(t, nil)
	ctx := rs.ctx
	totp := rs.operatorTOTP("alice", "")

	_, err := rs.c.HelpdeskSignIn(ctx, "alice", "not the password", totp())
	wantAPICode(t, "sign-in with a wrong password", err, api.CodeOperatorAuthFailed)
	session, err := rs.c.HelpdeskSignIn(ctx, "alice", operatorPassword, totp())
	if err != nil {
		t.Fatalf("HelpdeskSignIn: %v", err)
	}
	if session.SessionToken == "" || session.Operator.Name != "alice" || session.Operator.Kind != "local" {
		t.Errorf("session %+v", session)
	}
	tok := session.SessionToken

	// The staff member's error screen shows a reference.
	flow := rs.sent(staffBoth.StaffNumber)
	_, err = rs.c.Verify(ctx, flow, wrongCode(rs.code(flow)))
	screen := wantAPICode(t, "wrong code", err, api.CodeCodeInvalid)

	found, err := rs.c.HelpdeskEvents(ctx, tok, screen.Reference)
	if err != nil || found.Account == nil || found.Account.StaffNumber != staffBoth.StaffNumber || len(found.Events) != 1 {
		t.Fatalf("HelpdeskEvents = %+v, %v", found, err)
	}
	acct, err := rs.c.HelpdeskAccount(ctx, tok, staffBoth.StaffNumber)
	if err != nil || acct.Name != staffBoth.Name || acct.Limits[1].Count != 1 || len(acct.Events) == 0 {
		t.Fatalf("HelpdeskAccount = %+v, %v", acct, err)
	}
	_, err = rs.c.HelpdeskAccount(ctx, tok, "99999999")
	wantAPICode(t, "unknown account", err, api.CodeAccountNotFound)
	if _, err := rs.c.HelpdeskAccount(ctx, tok, ".."); err == nil || errors.As(err, new(*api.Error)) {
		t.Errorf("HelpdeskAccount(\"..\") = %v, want a client error without a request", err)
	}

	_, err = rs.c.HelpdeskIssuePass(ctx, tok, staffBoth.StaffNumber, "")
	wantAPICode(t, "pass for an unverified caller", err, api.CodeCallerNotVerified)

	sent, err := rs.c.HelpdeskStartVerification(ctx, tok, staffBoth.StaffNumber, api.ChannelSMS)
	if err != nil || sent.Destination != service.MaskMobile(staffBoth.Mobile) {
		t.Fatalf("HelpdeskStartVerification = %+v, %v", sent, err)
	}
	code := rs.latestMessage(service.MessageCallerCode).Params["code"]
	_, err = rs.c.HelpdeskCheckVerification(ctx, tok, staffBoth.StaffNumber, wrongCode(code))
	if e := wantAPICode(t, "wrong caller code", err, api.CodeCodeInvalid); e.AttemptsLeft == nil || *e.AttemptsLeft != 4 {
		t.Errorf("attempts left %v", e.AttemptsLeft)
	}
	checked, err := rs.c.HelpdeskCheckVerification(ctx, tok, staffBoth.StaffNumber, code)
	if err != nil || checked.VerifiedUntil.IsZero() {
		t.Fatalf("HelpdeskCheckVerification = %+v, %v", checked, err)
	}

	unlocked, err := rs.c.HelpdeskUnlock(ctx, tok, staffBoth.StaffNumber, "")
	if err != nil || unlocked.FlowsEnded != 1 || unlocked.LimitsLifted != 2 {
		t.Fatalf("HelpdeskUnlock = %+v, %v", unlocked, err)
	}
	pass, err := rs.c.HelpdeskIssuePass(ctx, tok, staffBoth.StaffNumber, "")
	if err != nil || len(pass.Pass) != 9 {
		t.Fatalf("HelpdeskIssuePass = %+v, %v", pass, err)
	}

	reset := rs.start(staffBoth.StaffNumber).ResetToken
	_, err = rs.c.VerifyPass(ctx, reset, "ABCD-EFG0")
	wantAPICode(t, "malformed pass", err, api.CodeInvalidRequest)
	if v, err := rs.c.VerifyPass(ctx, reset, strings.ToLower(pass.Pass)); err != nil || !v.Verified {
		t.Fatalf("VerifyPass = %+v, %v", v, err)
	}
	if _, err := rs.c.SetPassword(ctx, reset, api.PasswordRequest{NewPassword: "Kx7pQ2mZr9vTw4"}); err != nil {
		t.Fatalf("SetPassword after the pass: %v", err)
	}

	if err := rs.c.HelpdeskSignOut(ctx, tok); err != nil {
		t.Fatalf("HelpdeskSignOut: %v", err)
	}
	_, err = rs.c.HelpdeskAccount(ctx, tok, staffBoth.StaffNumber)
	wantAPICode(t, "look-up after sign-out", err, api.CodeOperatorAuthFailed)
	wantAPICode(t, "second sign-out", rs.c.HelpdeskSignOut(ctx, tok), api.CodeOperatorAuthFailed)
}
