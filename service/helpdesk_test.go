package service_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"casreset/api"
	"casreset/internal/testkit/storetest"
	"casreset/service"
)

func TestHelpdeskNeedsASignedInOperator(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	c := helpdeskClient("ref-anon")
	_, err := h.svc.HelpdeskAccount(ctx, c, acctBoth.StaffNumber)
	wantCode(t, err, api.CodeOperatorAuthFailed)
	_, err = h.svc.HelpdeskEvents(ctx, c, "ref-test")
	wantCode(t, err, api.CodeOperatorAuthFailed)
	_, err = h.svc.HelpdeskStartVerification(ctx, c, acctBoth.StaffNumber, api.ChannelSMS)
	wantCode(t, err, api.CodeOperatorAuthFailed)
	_, err = h.svc.HelpdeskCheckVerification(ctx, c, acctBoth.StaffNumber, "123456")
	wantCode(t, err, api.CodeOperatorAuthFailed)
	_, err = h.svc.HelpdeskUnlock(ctx, c, acctBoth.StaffNumber, "staff card seen")
	wantCode(t, err, api.CodeOperatorAuthFailed)
	_, err = h.svc.HelpdeskIssuePass(ctx, c, acctBoth.StaffNumber, "staff card seen")
	wantCode(t, err, api.CodeOperatorAuthFailed)
	if n := len(h.messagesOf(service.MessageCallerCode, acctBoth.Mobile)); n != 0 {
		t.Errorf("%d caller codes sent without an operator", n)
	}
}

// TestHelpdeskAccountShowsStateLimitsAndEvents: the account page holds
// what IT Help needs on the phone, and the look-up is in the audit with
// the operator's name.
func TestHelpdeskAccountShowsStateLimitsAndEvents(t *testing.T) {
	onEachEngineHelpdesk(t, func(t *testing.T, h *harness, dir *helpdeskDirectory) {
		dir.locked[acctBoth.StaffNumber] = true
		token := h.start(acctBoth.StaffNumber)
		h.send(token, api.ChannelSMS)
		for range 2 {
			h.svc.Verify(context.Background(), h.client, token, wrongCode(h.code(token)))
		}
		h.clock.Advance(time.Minute)

		got, err := h.svc.HelpdeskAccount(as(opWong), helpdeskClient("ref-look"), " "+acctBoth.StaffNumber)
		if err != nil {
			t.Fatal(err)
		}
		if got.StaffNumber != acctBoth.StaffNumber || got.Name != acctBoth.Name {
			t.Errorf("account %q %q", got.StaffNumber, got.Name)
		}
		if len(got.Channels) != 2 || got.Channels[0].Destination != "9*** **34" || got.Channels[1].Destination != "c****@example.edu.hk" {
			t.Errorf("channels %+v, want both, masked", got.Channels)
		}
		if !got.Eligible || !got.LockedOut || got.Disabled || got.Privileged || got.Protected != "" || got.VerifiedUntil != nil {
			t.Errorf("state %+v", got)
		}
		want := []api.HelpdeskLimit{
			{Limit: api.LimitSendsPerAccount, Count: 1, Max: 10, WindowSeconds: 86400},
			{Limit: api.LimitWrongCodesPerAccount, Count: 2, Max: 10, WindowSeconds: 86400},
		}
		if len(got.Limits) != 2 || got.Limits[0] != want[0] || got.Limits[1] != want[1] {
			t.Errorf("limits %+v, want %+v", got.Limits, want)
		}
		// started, code sent, two wrong codes; newest first.
		if len(got.Events) != 4 || got.Events[0].Event != service.EventCodeRefused || got.Events[3].Event != service.EventResetStarted {
			t.Fatalf("events %+v", got.Events)
		}
		for _, e := range got.Events {
			if e.Reference != "ref-test" || e.ClientAddr != "192.0.2.10" {
				t.Errorf("event %+v lacks its reference or client address", e)
			}
		}
		looks := h.auditWith(acctBoth.StaffNumber, "helpdesk look-up by wong.it (local operator)")
		if len(looks) != 1 || looks[0].Event != service.EventHelpdesk || looks[0].Reference != "ref-look" || looks[0].ClientAddr != "10.1.2.3" {
			t.Errorf("look-up audit %+v", looks)
		}

		_, err = h.svc.HelpdeskAccount(as(opWong), helpdeskClient("ref-x"), "99999999")
		wantCode(t, err, api.CodeAccountNotFound)
		for _, bad := range []string{"<script>", "", " "} {
			_, err = h.svc.HelpdeskAccount(as(opWong), helpdeskClient("ref-x"), bad)
			wantCode(t, err, api.CodeInvalidRequest)
		}
		if n := len(h.auditWith("99999999", "by wong.it (local operator)")); n != 1 {
			t.Errorf("%d audit events of the unknown account's look-up, want 1", n)
		}
	})
}

func TestHelpdeskAccountShowsLimitsReachedAndEligibility(t *testing.T) {
	h, _ := newHelpdeskHarness(t, storetest.SQLite(t))
	for range 2 {
		token := h.start(acctBoth.StaffNumber)
		h.send(token, api.ChannelSMS)
		for range 5 {
			h.svc.Verify(context.Background(), h.client, token, wrongCode(h.code(token)))
		}
	}
	got, err := h.svc.HelpdeskAccount(as(opWong), helpdeskClient("ref-look"), acctBoth.StaffNumber)
	if err != nil {
		t.Fatal(err)
	}
	wrong := got.Limits[1]
	if !wrong.Reached || wrong.Count != 10 || wrong.RetryAt == nil || !wrong.RetryAt.Equal(t0.Add(24*time.Hour+time.Second)) {
		t.Errorf("wrong codes limit %+v, want reached until a day after the first", wrong)
	}
	ended, err := h.svc.HelpdeskAccount(as(opWong), helpdeskClient("ref-look"), acctEnded.StaffNumber)
	if err != nil {
		t.Fatal(err)
	}
	if ended.Eligible || ended.ContractEnd != "2022-08-31" || ended.LastEligibleDay != "2024-02-29" {
		t.Errorf("ended account: eligible %v, end %q, last day %q", ended.Eligible, ended.ContractEnd, ended.LastEligibleDay)
	}
}

// TestHelpdeskEventsByReference: the reference on a person's error screen,
// read out in any case and with dashes, finds the request and the account.
func TestHelpdeskEventsByReference(t *testing.T) {
	onEachEngineHelpdesk(t, func(t *testing.T, h *harness, dir *helpdeskDirectory) {
		h.client.Reference = "R7QK2M9XW4ZZABCD"
		token := h.start(acctBoth.StaffNumber)
		h.client.Reference = "R7QK2M9XW4ZZWXYZ"
		h.send(token, api.ChannelSMS)

		got, err := h.svc.HelpdeskEvents(as(opWong), helpdeskClient("ref-look"), "r7qk-2m9x-w4zz-abcd")
		if err != nil {
			t.Fatal(err)
		}
		if got.Reference != "R7QK2M9XW4ZZABCD" || len(got.Events) != 1 || got.Events[0].Event != service.EventResetStarted {
			t.Errorf("events %+v", got)
		}
		if got.Account == nil || got.Account.StaffNumber != acctBoth.StaffNumber || got.Account.Name != acctBoth.Name || !got.Account.Eligible {
			t.Errorf("account summary %+v", got.Account)
		}
		if n := len(h.auditWith(acctBoth.StaffNumber, "helpdesk look-up of reference R7QK2M9XW4ZZABCD by wong.it (local operator)")); n != 1 {
			t.Errorf("%d audit events of the look-up, want 1", n)
		}

		_, err = h.svc.HelpdeskEvents(as(opWong), helpdeskClient("ref-look"), "AAAABBBBCCCCDDDD")
		wantCode(t, err, api.CodeNotFound)
		_, err = h.svc.HelpdeskEvents(as(opWong), helpdeskClient("ref-look"), "ref/../x")
		wantCode(t, err, api.CodeInvalidRequest)
	})
}

// TestHelpdeskProtectsOwnOperatorsAndPrivilegedAccounts: no action on the
// operator's own account, another operator's or a privileged one; the
// look-up shows why, and every refusal is audited with the operator.
func TestHelpdeskProtectsOwnOperatorsAndPrivilegedAccounts(t *testing.T) {
	h, dir := newHelpdeskHarness(t, storetest.SQLite(t))
	dir.privileged[acctMail.StaffNumber] = true
	dir.operators[acctBoth.StaffNumber] = true
	// A local operator whose own account is acctEnded, and one whose name
	// is acctNone's staff number.
	for _, o := range []service.NewOperator{
		{Name: "lam.it", Password: "correct horse battery", StaffNumber: acctEnded.StaffNumber},
		{Name: acctNone.StaffNumber, Password: "correct horse battery"},
	} {
		if _, err := h.svc.AddOperator(context.Background(), service.Client{}, o, "the test"); err != nil {
			t.Fatal(err)
		}
	}

	for _, tc := range []struct {
		staff, why string
	}{
		{acctSMS.StaffNumber, api.ProtectedOwnAccount},
		{acctMail.StaffNumber, api.ProtectedPrivileged},
		{acctBoth.StaffNumber, api.ProtectedOperator},
		{acctEnded.StaffNumber, api.ProtectedOperator},
		{acctNone.StaffNumber, api.ProtectedOperator},
	} {
		t.Run(tc.why+"/"+tc.staff, func(t *testing.T) {
			ctx := as(opChan)
			view, err := h.svc.HelpdeskAccount(ctx, helpdeskClient("ref-look"), tc.staff)
			if err != nil || view.Protected != tc.why {
				t.Errorf("look-up: protected %q, %v; want %q", view.Protected, err, tc.why)
			}
			ch := api.ChannelEmail
			if tc.staff == acctSMS.StaffNumber || tc.staff == acctEnded.StaffNumber {
				ch = api.ChannelSMS
			}
			_, err = h.svc.HelpdeskStartVerification(ctx, helpdeskClient("ref-v"), tc.staff, ch)
			wantCode(t, err, api.CodeOperatorForbidden)
			_, err = h.svc.HelpdeskCheckVerification(ctx, helpdeskClient("ref-c"), tc.staff, "123456")
			wantCode(t, err, api.CodeOperatorForbidden)
			_, err = h.svc.HelpdeskUnlock(ctx, helpdeskClient("ref-u"), tc.staff, "staff card seen")
			wantCode(t, err, api.CodeOperatorForbidden)
			_, err = h.svc.HelpdeskIssuePass(ctx, helpdeskClient("ref-p"), tc.staff, "staff card seen")
			wantCode(t, err, api.CodeOperatorForbidden)
			refusals := h.auditWith(tc.staff, "operator_forbidden: protected: "+tc.why+", by chan.it (directory operator)")
			if len(refusals) != 4 {
				t.Errorf("%d audited refusals, want 4: %+v", len(refusals), h.audit(tc.staff))
			}
		})
	}
	if len(dir.unlocks) != 0 || len(h.messagesOf(service.MessageCallerCode, acctSMS.Mobile, acctMail.Email, acctBoth.Email, acctEnded.Mobile)) != 0 {
		t.Errorf("a protected account was unlocked (%v) or sent a code", dir.unlocks)
	}
	// Another operator may act on chan.it's own account.
	if _, err := h.svc.HelpdeskStartVerification(as(opWong), helpdeskClient("ref-v"), acctSMS.StaffNumber, api.ChannelSMS); err != nil {
		t.Errorf("another operator verifying chan.it's caller: %v", err)
	}
}

// TestHelpdeskVerificationChecksTheCallersCode: the code goes to the
// account's own contact through the outbox; read back right, it verifies
// the caller for 15 minutes for this operator only; wrong codes count to
// five; a new code waits for the cool-down.
func TestHelpdeskVerificationChecksTheCallersCode(t *testing.T) {
	onEachEngineHelpdesk(t, func(t *testing.T, h *harness, dir *helpdeskDirectory) {
		ctx := as(opWong)
		sent, err := h.svc.HelpdeskStartVerification(ctx, helpdeskClient("ref-v1"), acctBoth.StaffNumber, api.ChannelSMS)
		if err != nil {
			t.Fatal(err)
		}
		if sent.Channel != api.ChannelSMS || sent.Destination != "9*** **34" || !sent.CodeExpiresAt.Equal(t0.Add(10*time.Minute)) || !sent.ResendAfter.Equal(t0.Add(time.Minute)) {
			t.Errorf("answer %+v", sent)
		}
		msgs := h.messagesOf(service.MessageCallerCode, acctBoth.Mobile)
		if len(msgs) != 1 || len(msgs[0].Params["code"]) != 6 || msgs[0].Status != api.DeliveryQueued || !msgs[0].NotAfter.Equal(t0.Add(10*time.Minute)) {
			t.Fatalf("caller code messages %+v", msgs)
		}
		code := msgs[0].Params["code"]

		_, err = h.svc.HelpdeskStartVerification(ctx, helpdeskClient("ref-v2"), acctBoth.StaffNumber, api.ChannelEmail)
		if e := wantCode(t, err, api.CodeRateLimited); e.RetryAfter != 60 {
			t.Errorf("retry after %d, want 60", e.RetryAfter)
		}
		_, err = h.svc.HelpdeskCheckVerification(ctx, helpdeskClient("ref-c1"), acctBoth.StaffNumber, wrongCode(code))
		if e := wantCode(t, err, api.CodeCodeInvalid); e.AttemptsLeft == nil || *e.AttemptsLeft != 4 {
			t.Errorf("attempts left %v, want 4", e.AttemptsLeft)
		}
		// Another operator holds no verification of this caller.
		_, err = h.svc.HelpdeskCheckVerification(as(opChan), helpdeskClient("ref-c2"), acctBoth.StaffNumber, code)
		wantCode(t, err, api.CodeWrongStep)

		h.clock.Advance(2 * time.Minute)
		ok, err := h.svc.HelpdeskCheckVerification(ctx, helpdeskClient("ref-c3"), acctBoth.StaffNumber, " "+code+" ")
		if err != nil {
			t.Fatal(err)
		}
		if want := t0.Add(17 * time.Minute); !ok.VerifiedUntil.Equal(want) {
			t.Errorf("verified until %v, want %v", ok.VerifiedUntil, want)
		}
		_, err = h.svc.HelpdeskCheckVerification(ctx, helpdeskClient("ref-c4"), acctBoth.StaffNumber, code)
		wantCode(t, err, api.CodeWrongStep) // a code verifies once
		view, err := h.svc.HelpdeskAccount(ctx, helpdeskClient("ref-l"), acctBoth.StaffNumber)
		if err != nil || view.VerifiedUntil == nil || !view.VerifiedUntil.Equal(t0.Add(17*time.Minute)) {
			t.Errorf("look-up's verified_until %v, %v", view.VerifiedUntil, err)
		}
		if n := len(h.auditWith(acctBoth.StaffNumber, "helpdesk caller verified by sms by wong.it (local operator)")); n != 1 {
			t.Errorf("%d audit events of the verification, want 1", n)
		}

		// Five wrong codes end a verification; an expired code is refused.
		h.clock.Advance(time.Minute)
		if _, err := h.svc.HelpdeskStartVerification(ctx, helpdeskClient("ref-v3"), acctBoth.StaffNumber, api.ChannelEmail); err != nil {
			t.Fatal(err)
		}
		code = h.callerCode(opWong, acctBoth.StaffNumber)
		for i := range 5 {
			_, err = h.svc.HelpdeskCheckVerification(ctx, helpdeskClient("ref-w"), acctBoth.StaffNumber, wrongCode(code))
			if i < 4 {
				wantCode(t, err, api.CodeCodeInvalid)
			}
		}
		wantCode(t, err, api.CodeAttemptsExhausted)
		_, err = h.svc.HelpdeskCheckVerification(ctx, helpdeskClient("ref-w"), acctBoth.StaffNumber, code)
		wantCode(t, err, api.CodeWrongStep)

		h.clock.Advance(time.Minute)
		if _, err := h.svc.HelpdeskStartVerification(ctx, helpdeskClient("ref-v4"), acctBoth.StaffNumber, api.ChannelEmail); err != nil {
			t.Fatal(err)
		}
		h.clock.Advance(10 * time.Minute)
		_, err = h.svc.HelpdeskCheckVerification(ctx, helpdeskClient("ref-x"), acctBoth.StaffNumber, h.callerCode(opWong, acctBoth.StaffNumber))
		wantCode(t, err, api.CodeCodeExpired)

		_, err = h.svc.HelpdeskStartVerification(ctx, helpdeskClient("ref-v5"), acctMail.StaffNumber, api.ChannelSMS)
		wantCode(t, err, api.CodeChannelUnavailable)
		_, err = h.svc.HelpdeskStartVerification(ctx, helpdeskClient("ref-v5"), acctMail.StaffNumber, "fax")
		wantCode(t, err, api.CodeInvalidRequest)
		_, err = h.svc.HelpdeskCheckVerification(ctx, helpdeskClient("ref-v5"), acctMail.StaffNumber, "12345")
		wantCode(t, err, api.CodeInvalidRequest)
	})
}

// TestHelpdeskUnlockLiftsLimitsEndsFlowsAndTellsTheOwner: an unlock needs
// a verified caller or an in-person note; it lifts resetd's limits, ends
// open flows, ends the directory's lockout, and tells the owner on every
// channel; the audit names the operator and the note.
func TestHelpdeskUnlockLiftsLimitsEndsFlowsAndTellsTheOwner(t *testing.T) {
	onEachEngineHelpdesk(t, func(t *testing.T, h *harness, dir *helpdeskDirectory) {
		dir.locked[acctBoth.StaffNumber] = true
		token := h.start(acctBoth.StaffNumber)
		h.send(token, api.ChannelSMS)
		for range 5 {
			h.svc.Verify(context.Background(), h.client, token, wrongCode(h.code(token)))
		}
		open := h.start(acctBoth.StaffNumber)

		ctx := as(opWong)
		_, err := h.svc.HelpdeskUnlock(ctx, helpdeskClient("ref-u0"), acctBoth.StaffNumber, "  ")
		wantCode(t, err, api.CodeCallerNotVerified)
		_, err = h.svc.HelpdeskUnlock(ctx, helpdeskClient("ref-u0"), acctBoth.StaffNumber, "line one\nline two")
		wantCode(t, err, api.CodeInvalidRequest)
		_, err = h.svc.HelpdeskUnlock(ctx, helpdeskClient("ref-u0"), acctBoth.StaffNumber, strings.Repeat("證", api.MaxInPersonNote+1))
		wantCode(t, err, api.CodeInvalidRequest)
		if len(dir.unlocks) != 0 {
			t.Fatalf("the directory was asked to unlock before the caller was checked")
		}
		if n := len(h.auditWith(acctBoth.StaffNumber, "caller_not_verified: no verification or note, by wong.it (local operator)")); n != 1 {
			t.Errorf("%d audited caller_not_verified, want 1", n)
		}

		got, err := h.svc.HelpdeskUnlock(ctx, helpdeskClient("ref-u1"), acctBoth.StaffNumber, " Staff card 12345678 seen at the desk ")
		if err != nil {
			t.Fatal(err)
		}
		want := api.UnlockResponse{LimitsLifted: 6, FlowsEnded: 1, DirectoryUnlocked: true}
		if got != want {
			t.Errorf("unlock %+v, want %+v", got, want)
		}
		if len(dir.unlocks) != 1 || dir.unlocks[0] != acctBoth.StaffNumber {
			t.Errorf("directory unlocks %v", dir.unlocks)
		}
		_, err = h.svc.Flow(context.Background(), h.client, open)
		wantCode(t, err, api.CodeTokenInvalid)
		notices := h.messagesOf(service.MessageUnlockNotice, acctBoth.Mobile, acctBoth.Email)
		if len(notices) != 2 || notices[0].Channel == notices[1].Channel || notices[0].Params["reference"] != "ref-u1" {
			t.Errorf("unlock notices %+v, want one per channel", notices)
		}
		wantDetail := "helpdesk unlock: limits lifted (6 counted sends and wrong codes), 1 open flows ended, directory account unlocked; in person: Staff card 12345678 seen at the desk by wong.it (local operator)"
		if evs := h.auditWith(acctBoth.StaffNumber, wantDetail); len(evs) != 1 || evs[0].Event != service.EventHelpdesk || evs[0].Reference != "ref-u1" {
			t.Errorf("unlock audit %+v, want %q", h.audit(acctBoth.StaffNumber), wantDetail)
		}

		// With the caller verified, no note is needed; a directory that
		// may not unlock leaves the account locked, and says so.
		dir.locked[acctBoth.StaffNumber] = true
		dir.refuse = true
		h.verifyCaller(opWong, acctBoth.StaffNumber)
		got, err = h.svc.HelpdeskUnlock(ctx, helpdeskClient("ref-u2"), acctBoth.StaffNumber, "")
		if err != nil {
			t.Fatal(err)
		}
		if !got.StillLocked || got.DirectoryUnlocked {
			t.Errorf("unlock %+v, want still locked", got)
		}
		if n := len(h.auditWith(acctBoth.StaffNumber, "account still locked (the directory did not let the service unlock it); caller verified by sms by wong.it")); n != 1 {
			t.Errorf("%d audit events of the verified unlock, want 1", n)
		}
		// The verification lasts 15 minutes.
		h.clock.Advance(service.CallerVerifiedFor)
		_, err = h.svc.HelpdeskUnlock(ctx, helpdeskClient("ref-u3"), acctBoth.StaffNumber, "")
		wantCode(t, err, api.CodeCallerNotVerified)
	})
}

// TestHelpdeskMessagesSpeakTheOwnersLanguage: the caller's code and the
// notices go out in the language of the account's latest flow, and in the
// service's default for an account that has had none.
func TestHelpdeskMessagesSpeakTheOwnersLanguage(t *testing.T) {
	h, _ := newHelpdeskHarness(t, storetest.SQLite(t))
	id, answer := h.captcha()
	if _, err := h.svc.Start(context.Background(), h.client, api.StartRequest{StaffNumber: acctBoth.StaffNumber, CaptchaID: id, CaptchaAnswer: answer, Language: "zh-HK"}); err != nil {
		t.Fatal(err)
	}
	h.verifyCaller(opWong, acctBoth.StaffNumber)
	if _, err := h.svc.HelpdeskUnlock(as(opWong), helpdeskClient("ref-u"), acctBoth.StaffNumber, ""); err != nil {
		t.Fatal(err)
	}
	h.issuePass(opWong, acctSMS.StaffNumber)
	for _, tc := range []struct {
		kind, to, lang string
	}{
		{service.MessageCallerCode, acctBoth.Mobile, "zh-HK"},
		{service.MessageUnlockNotice, acctBoth.Mobile, "zh-HK"},
		{service.MessageUnlockNotice, acctBoth.Email, "zh-HK"},
		{service.MessagePassNotice, acctSMS.Mobile, ""},
	} {
		msgs := h.messagesOf(tc.kind, tc.to)
		if len(msgs) != 1 || msgs[0].Language != tc.lang {
			t.Errorf("%s to %s: %+v, want one in %q", tc.kind, tc.to, msgs, tc.lang)
		}
	}
}
