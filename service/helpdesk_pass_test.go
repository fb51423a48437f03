package service_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"casreset/api"
	"casreset/internal/testkit/storetest"
	"casreset/service"
)

// issuePass has op issue a pass for staff on an in-person note.
func (h *harness) issuePass(op service.Operator, staff string) api.PassResponse {
	h.tb.Helper()
	p, err := h.svc.HelpdeskIssuePass(as(op), helpdeskClient("ref-pass"), staff, "staff card seen")
	if err != nil {
		h.tb.Fatalf("HelpdeskIssuePass: %v", err)
	}
	return p
}

// TestHelpdeskPassStandsInForTheCodeOnce: a pass from IT Help, typed in
// any case with or without its dash, verifies a flow at started or
// code_sent once; the owner was told on every channel; the store keeps
// only its HMAC.
func TestHelpdeskPassStandsInForTheCodeOnce(t *testing.T) {
	onEachEngineHelpdesk(t, func(t *testing.T, h *harness, dir *helpdeskDirectory) {
		ctx := context.Background()
		_, err := h.svc.HelpdeskIssuePass(as(opWong), helpdeskClient("ref-p0"), acctBoth.StaffNumber, "")
		wantCode(t, err, api.CodeCallerNotVerified)

		h.verifyCaller(opWong, acctBoth.StaffNumber)
		p, err := h.svc.HelpdeskIssuePass(as(opWong), helpdeskClient("ref-p1"), acctBoth.StaffNumber, "")
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Pass) != 9 || p.Pass[4] != '-' || !p.ExpiresAt.Equal(t0.Add(service.PassTTL)) {
			t.Fatalf("pass %+v, want ABCD-EFGH valid 15 minutes", p)
		}
		plain, ok := api.NormalizePass(p.Pass)
		if !ok {
			t.Fatalf("the pass %q is not of the alphabet", p.Pass)
		}
		var stored service.HelpdeskPass
		h.store.View(ctx, func(tx service.Tx) (err error) {
			stored, err = tx.HelpdeskPass(acctBoth.StaffNumber)
			return err
		})
		if len(stored.PassHMAC) != 32 || bytes.Contains(stored.PassHMAC, []byte(plain)) || stored.Operator != "local:wong.it" || stored.Reference != "ref-p1" {
			t.Errorf("stored pass %+v", stored)
		}
		notices := h.messagesOf(service.MessagePassNotice, acctBoth.Mobile, acctBoth.Email)
		if len(notices) != 2 {
			t.Fatalf("pass notices %+v, want one per channel", notices)
		}
		for _, m := range notices {
			for k, v := range m.Params {
				if strings.Contains(strings.ToUpper(strings.ReplaceAll(v, "-", "")), plain) {
					t.Errorf("notice parameter %s holds the pass", k)
				}
			}
		}
		if n := len(h.auditWith(acctBoth.StaffNumber, "helpdesk pass issued, valid until 2025-03-03T02:05:00Z; caller verified by sms by wong.it (local operator)")); n != 1 {
			t.Errorf("%d audit events of the pass, want 1: %+v", n, h.audit(acctBoth.StaffNumber))
		}

		token := h.start(acctBoth.StaffNumber)
		typed := strings.ToLower(plain[:4]) + " " + plain[4:]
		if err := h.svc.VerifyPass(ctx, h.client, token, typed); err != nil {
			t.Fatalf("VerifyPass(%q): %v", typed, err)
		}
		if f := h.flow(token); f.Step != api.StepVerified {
			t.Errorf("step %s after the pass, want verified", f.Step)
		}
		if _, err := h.svc.SetPassword(ctx, h.client, token, api.PasswordRequest{NewPassword: "Kx7pQ2mZr9vTw4"}); err != nil {
			t.Errorf("SetPassword after the pass: %v", err)
		}
		if n := len(h.auditWith(acctBoth.StaffNumber, "help-desk pass verified (issued by wong.it (local operator), reference ref-p1)")); n != 1 {
			t.Errorf("%d audit events of the pass's use, want 1", n)
		}

		// Used once: a second flow with it is a wrong pass, counted.
		again := h.start(acctBoth.StaffNumber)
		err = h.svc.VerifyPass(ctx, h.client, again, p.Pass)
		if e := wantCode(t, err, api.CodeCodeInvalid); e.AttemptsLeft == nil || *e.AttemptsLeft != 4 {
			t.Errorf("attempts left %v, want 4", e.AttemptsLeft)
		}
		if f := h.flow(again); f.WrongCodes != 1 {
			t.Errorf("wrong codes %d after a used pass, want 1", f.WrongCodes)
		}
	})
}

func TestHelpdeskPassAtCodeSentExpiryAndSteps(t *testing.T) {
	h, dir := newHelpdeskHarness(t, storetest.SQLite(t))
	ctx := context.Background()

	// From code_sent: the code never came.
	p := h.issuePass(opWong, acctBoth.StaffNumber)
	token := h.start(acctBoth.StaffNumber)
	h.send(token, api.ChannelSMS)
	if err := h.svc.VerifyPass(ctx, h.client, token, p.Pass); err != nil {
		t.Fatalf("VerifyPass at code_sent: %v", err)
	}
	// Not once verified.
	h.clock.Advance(time.Minute)
	p = h.issuePass(opWong, acctBoth.StaffNumber)
	wantCode(t, h.svc.VerifyPass(ctx, h.client, token, p.Pass), api.CodeWrongStep)

	// A newer pass replaces the older.
	older := p
	h.clock.Advance(time.Minute)
	newer := h.issuePass(opWong, acctBoth.StaffNumber)
	token = h.start(acctBoth.StaffNumber)
	if older.Pass != newer.Pass {
		wantCode(t, h.svc.VerifyPass(ctx, h.client, token, older.Pass), api.CodeCodeInvalid)
	}
	// Expired: refused, not counted.
	h.clock.Advance(service.PassTTL)
	token = h.start(acctBoth.StaffNumber)
	wantCode(t, h.svc.VerifyPass(ctx, h.client, token, newer.Pass), api.CodeCodeExpired)
	if f := h.flow(token); f.WrongCodes != 0 {
		t.Errorf("an expired pass counted %d wrong codes", f.WrongCodes)
	}
	wantCode(t, h.svc.VerifyPass(ctx, h.client, token, "ABCD-EFG0"), api.CodeInvalidRequest)

	// Five wrong passes end the flow, like five wrong codes.
	for i := range 5 {
		err := h.svc.VerifyPass(ctx, h.client, token, "ABCD-EFGH")
		if i < 4 {
			wantCode(t, err, api.CodeCodeInvalid)
		} else {
			wantCode(t, err, api.CodeAttemptsExhausted)
		}
	}

	_, err := h.svc.HelpdeskIssuePass(as(opWong), helpdeskClient("ref-p"), acctEnded.StaffNumber, "staff card seen")
	wantCode(t, err, api.CodeAccountExpired)
	_, err = h.svc.HelpdeskIssuePass(as(opWong), helpdeskClient("ref-p"), acctNone.StaffNumber, "staff card seen")
	wantCode(t, err, api.CodeNoContact)
	dir.disabled[acctSMS.StaffNumber] = true
	_, err = h.svc.HelpdeskIssuePass(as(opWong), helpdeskClient("ref-p"), acctSMS.StaffNumber, "staff card seen")
	wantCode(t, err, api.CodeAccountDisabled)
}

func TestPurgeDropsExpiredPassesAndVerifications(t *testing.T) {
	h, _ := newHelpdeskHarness(t, storetest.SQLite(t))
	h.issuePass(opWong, acctBoth.StaffNumber)
	h.verifyCaller(opWong, acctSMS.StaffNumber)
	h.clock.Advance(service.PassTTL + time.Second)
	if _, err := h.svc.Purge(context.Background(), time.Hour, time.Hour); err != nil {
		t.Fatal(err)
	}
	err := h.store.View(context.Background(), func(tx service.Tx) error {
		_, err := tx.HelpdeskPass(acctBoth.StaffNumber)
		return err
	})
	if err != service.ErrNotFound {
		t.Errorf("expired pass after Purge: %v", err)
	}
}

// TestHelpdeskPassWorksOnceUnderConcurrentUse: the same pass typed in
// several flows at once verifies exactly one of them.
func TestHelpdeskPassWorksOnceUnderConcurrentUse(t *testing.T) {
	onEachEngineHelpdesk(t, func(t *testing.T, h *harness, dir *helpdeskDirectory) {
		p := h.issuePass(opWong, acctBoth.StaffNumber)
		const n = 6
		tokens := make([]string, n)
		for i := range tokens {
			tokens[i] = h.start(acctBoth.StaffNumber)
		}
		errs := make(chan error, n)
		for _, token := range tokens {
			go func() { errs <- h.svc.VerifyPass(context.Background(), h.client, token, p.Pass) }()
		}
		ok := 0
		for range n {
			err := <-errs
			switch api.ErrorCode(err) {
			case "":
				ok++
			case api.CodeCodeInvalid:
			default:
				t.Errorf("VerifyPass: %v", err)
			}
		}
		if ok != 1 {
			t.Errorf("%d of %d flows verified with one pass, want 1", ok, n)
		}
	})
}
