package httpapi_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"casreset/api"
	"casreset/service"
)

// operator signs in a new local operator and returns their session token.
func (h *harness) operator(name string) string {
	h.t.Helper()
	secret := h.addOperator(name)
	return h.signIn(name, operatorPassword, h.totp(secret)).SessionToken
}

func accountPath(staff string) string { return "/v1/helpdesk/accounts/" + staff }

// messagesOf lists the queued messages of kind.
func (h *harness) messagesOf(kind string) []service.Message {
	h.t.Helper()
	var out []service.Message
	for id := int64(1); ; id++ {
		var m service.Message
		err := h.store.View(context.Background(), func(tx service.Tx) (err error) {
			m, err = tx.Message(id)
			return err
		})
		if errors.Is(err, service.ErrNotFound) {
			return out
		}
		if err != nil {
			h.t.Fatal(err)
		}
		if m.Kind == kind {
			out = append(out, m)
		}
	}
}

// TestHelpdeskStoryOverTLS: a teacher locks their account with wrong
// codes and reads the reference off the error screen; an operator signs
// in, finds the request by it, verifies the caller, unlocks, issues a
// pass; the teacher resets with the pass. Every step is audited with the
// operator, and the teacher hears of the unlock and the pass.
func TestHelpdeskStoryOverTLS(t *testing.T) {
	h := newHarness(t)
	var screen api.Error
	for range 2 {
		token := h.start(acctBoth.StaffNumber).ResetToken
		h.sendCode(token, api.ChannelSMS)
		code := h.code(token)
		for range 5 {
			if resp := h.verify(token, wrongCode(code)); resp.StatusCode == http.StatusForbidden {
				screen = problem(t, resp, api.CodeAttemptsExhausted)
			}
		}
	}
	session := h.operator("alice")

	var found api.HelpdeskEvents
	h.ok(req{method: "GET", path: "/v1/helpdesk/events/" + strings.ToLower(screen.Reference), token: session}, http.StatusOK, &found)
	if found.Account == nil || found.Account.StaffNumber != acctBoth.StaffNumber || len(found.Events) != 1 || found.Events[0].Event != service.EventAttemptsExhausted {
		t.Fatalf("events of the screen's reference: %+v", found)
	}
	var acct api.HelpdeskAccount
	h.ok(req{method: "GET", path: accountPath(acctBoth.StaffNumber), token: session}, http.StatusOK, &acct)
	if !acct.Limits[1].Reached || acct.Limits[1].Limit != api.LimitWrongCodesPerAccount || len(acct.Events) != 15 { // 2 starts, 2 codes, 10 wrong codes, the reference look-up
		t.Errorf("account page: limits %+v, %d events", acct.Limits, len(acct.Events))
	}

	resp := h.do(req{method: "POST", path: accountPath(acctBoth.StaffNumber) + "/unlock", token: session})
	problem(t, resp, api.CodeCallerNotVerified)

	var sent api.VerificationResponse
	h.ok(req{method: "POST", path: accountPath(acctBoth.StaffNumber) + "/verifications", token: session, body: api.VerificationRequest{Channel: api.ChannelEmail}}, http.StatusAccepted, &sent)
	if sent.Destination != "c****@example.edu.hk" {
		t.Errorf("verification sent to %q", sent.Destination)
	}
	codes := h.messagesOf(service.MessageCallerCode)
	if len(codes) != 1 || codes[0].To != acctBoth.Email {
		t.Fatalf("caller codes %+v", codes)
	}
	var checked api.VerificationCheckResponse
	h.ok(req{method: "POST", path: accountPath(acctBoth.StaffNumber) + "/verifications/current/check", token: session,
		body: api.VerificationCheckRequest{Code: codes[0].Params["code"]}}, http.StatusOK, &checked)
	if !checked.VerifiedUntil.Equal(t0.Add(15 * time.Minute)) {
		t.Errorf("verified until %v", checked.VerifiedUntil)
	}

	var unlocked api.UnlockResponse
	h.ok(req{method: "POST", path: accountPath(acctBoth.StaffNumber) + "/unlock", token: session}, http.StatusOK, &unlocked)
	if unlocked.LimitsLifted != 12 || unlocked.DirectoryUnlocked || unlocked.StillLocked {
		t.Errorf("unlock %+v", unlocked)
	}
	var pass api.PassResponse
	h.ok(req{method: "POST", path: accountPath(acctBoth.StaffNumber) + "/passes", token: session, body: "{}"}, http.StatusCreated, &pass)
	if len(pass.Pass) != 9 || !pass.ExpiresAt.Equal(t0.Add(15*time.Minute)) {
		t.Errorf("pass %+v", pass)
	}

	token := h.start(acctBoth.StaffNumber).ResetToken
	h.ok(verifyPassReq(token, api.VerifyRequest{Pass: pass.Pass}), http.StatusOK, nil)
	if resp := h.setPassword(token, goodPassword); resp.StatusCode != http.StatusOK {
		t.Fatalf("new password after the pass: %d %s", resp.StatusCode, resp.body)
	}

	for _, kind := range []string{service.MessageUnlockNotice, service.MessagePassNotice} {
		var to []string
		for _, m := range h.messagesOf(kind) {
			to = append(to, m.To)
		}
		if len(to) != 2 || to[0] != acctBoth.Mobile || to[1] != acctBoth.Email {
			t.Errorf("%s went to %v, want both contacts", kind, to)
		}
	}
	var helpdesk []string
	for _, e := range h.audit("") {
		if e.Event == service.EventHelpdesk {
			if !strings.Contains(e.Detail, "by alice (local operator)") {
				t.Errorf("help-desk event without the operator: %q", e.Detail)
			}
			helpdesk = append(helpdesk, strings.Fields(e.Detail)[1])
		}
	}
	// Newest first: pass, unlock, verified, code, account look-up, events look-up.
	if want := "pass unlock: caller caller look-up look-up"; strings.Join(helpdesk, " ") != want {
		t.Errorf("help-desk events %q, want %q", strings.Join(helpdesk, " "), want)
	}
	for _, secret := range []string{pass.Pass, strings.ReplaceAll(pass.Pass, "-", ""), codes[0].Params["code"]} {
		if strings.Contains(h.logBuf.String(), secret) {
			t.Errorf("the log holds %q", secret)
		}
	}

	h.ok(signOutReq(session), http.StatusNoContent, nil)
	problem(t, h.do(req{method: "GET", path: accountPath(acctBoth.StaffNumber), token: session}), api.CodeOperatorAuthFailed)
}

// TestHelpdeskCallsNeedASession: every look-up and action is 401 without
// a live session, and does nothing.
func TestHelpdeskCallsNeedASession(t *testing.T) {
	h := newHarness(t)
	for _, r := range []req{
		{method: "GET", path: accountPath(acctBoth.StaffNumber)},
		{method: "GET", path: "/v1/helpdesk/events/ABCDEFGHIJKLMNOP"},
		{method: "POST", path: accountPath(acctBoth.StaffNumber) + "/verifications", body: api.VerificationRequest{Channel: api.ChannelSMS}},
		{method: "POST", path: accountPath(acctBoth.StaffNumber) + "/verifications/current/check", body: api.VerificationCheckRequest{Code: "123456"}},
		{method: "POST", path: accountPath(acctBoth.StaffNumber) + "/unlock", body: api.UnlockRequest{InPersonNote: "card seen"}},
		{method: "POST", path: accountPath(acctBoth.StaffNumber) + "/passes", body: api.PassRequest{InPersonNote: "card seen"}},
	} {
		for _, token := range []string{"", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"} {
			r.token = token
			resp := h.do(r)
			problem(t, resp, api.CodeOperatorAuthFailed)
			if resp.Header.Get("WWW-Authenticate") == "" {
				t.Errorf("%s %s: 401 without WWW-Authenticate", r.method, r.path)
			}
		}
	}
	if n := len(h.messagesOf(service.MessageCallerCode)) + len(h.messagesOf(service.MessageUnlockNotice)) + len(h.messagesOf(service.MessagePassNotice)); n != 0 {
		t.Errorf("%d help-desk messages queued without a session", n)
	}
}

// TestHelpdeskRefusesActionsOnTheOperatorsOwnAccount and takes a note in
// place of a verified caller.
func TestHelpdeskOwnAccountAndInPersonNote(t *testing.T) {
	h := newHarness(t)
	en, err := h.svc.AddOperator(h.t.Context(), service.Client{}, service.NewOperator{Name: "bob", Password: operatorPassword, StaffNumber: acctMail.StaffNumber}, "the test")
	if err != nil {
		t.Fatal(err)
	}
	session := h.signIn("bob", operatorPassword, h.totp(en.Secret)).SessionToken
	var own api.HelpdeskAccount
	h.ok(req{method: "GET", path: accountPath(acctMail.StaffNumber), token: session}, http.StatusOK, &own)
	if own.Protected != api.ProtectedOwnAccount {
		t.Errorf("own account protected %q", own.Protected)
	}
	resp := h.do(req{method: "POST", path: accountPath(acctMail.StaffNumber) + "/passes", token: session, body: api.PassRequest{InPersonNote: "my own card"}})
	problem(t, resp, api.CodeOperatorForbidden)

	h.ok(req{method: "POST", path: accountPath(acctBoth.StaffNumber) + "/unlock", token: session, body: api.UnlockRequest{InPersonNote: "Staff card seen at the counter"}}, http.StatusOK, nil)
	var noted bool
	for _, e := range h.audit("") {
		noted = noted || strings.Contains(e.Detail, "in person: Staff card seen at the counter by bob (local operator)")
	}
	if !noted {
		t.Error("the note is not in the audit")
	}
	resp = h.do(req{method: "POST", path: accountPath(acctBoth.StaffNumber) + "/unlock", token: session, body: `{"in_person_note":"x","note":"y"}`})
	problem(t, resp, api.CodeInvalidRequest)
}
