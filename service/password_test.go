package service_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"casreset/api"
	"casreset/service"
)

func TestSetPasswordChangesItAndSpendsTheToken(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	token := h.verified(acctBoth.StaffNumber)
	h.clock.Advance(time.Minute)
	res, err := h.svc.SetPassword(ctx, h.client, token, api.PasswordRequest{NewPassword: "Kx7pQ2mZr9vT"})
	if err != nil {
		t.Fatal(err)
	}
	if !res.ChangedAt.Equal(h.clock.Now()) {
		t.Errorf("changed at %v, want %v", res.ChangedAt, h.clock.Now())
	}

	// The directory (here the store) has the new password as an Argon2id hash.
	var a service.Account
	var history []string
	h.store.View(ctx, func(tx service.Tx) error {
		a, _ = tx.Account(acctBoth.StaffNumber)
		history, _ = tx.PasswordHistory(acctBoth.StaffNumber, 10)
		return nil
	})
	if !a.PasswordChangedAt.Equal(res.ChangedAt) {
		t.Errorf("account changed at %v, want %v", a.PasswordChangedAt, res.ChangedAt)
	}
	if len(history) != 1 {
		t.Fatalf("history has %d entries, want 1", len(history))
	}
	if ok, err := service.VerifyPassword("Kx7pQ2mZr9vT", history[0]); !ok || err != nil {
		t.Errorf("the history hash does not verify: %v %v", ok, err)
	}

	// The token is spent.
	_, err = h.svc.SetPassword(ctx, h.client, token, api.PasswordRequest{NewPassword: "Other7pQ2mZr9"})
	wantCode(t, err, api.CodeTokenInvalid)
	_, err = h.svc.Flow(ctx, h.client, token)
	wantCode(t, err, api.CodeTokenInvalid)

	// A notice went to every contact of the account.
	var notices []service.Message
	h.store.Update(ctx, func(tx service.Tx) error {
		msgs, err := tx.ClaimMessages("test", h.clock.Now(), h.clock.Now().Add(time.Minute), 100)
		for _, m := range msgs {
			if m.Kind == service.MessageNotice {
				notices = append(notices, m)
			}
		}
		return err
	})
	if len(notices) != 2 {
		t.Fatalf("%d notices, want one by SMS and one by e-mail", len(notices))
	}
	for _, m := range notices {
		if m.To != destinationOf(acctBoth, m.Channel) || m.Params["client_addr"] != h.client.Addr ||
			m.Params["reference"] != h.client.Reference || m.Params["changed_at"] != res.ChangedAt.UTC().Format(time.RFC3339) {
			t.Errorf("notice %+v", m)
		}
	}
}

func destinationOf(a service.Account, ch api.Channel) string {
	if ch == api.ChannelSMS {
		return a.Mobile
	}
	return a.Email
}

func TestSetPasswordReportsPolicyViolations(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	token := h.verified(acctBoth.StaffNumber)
	tests := []struct {
		password string
		want     []api.RuleID
	}{
		{"Kx7pQ2m", []api.RuleID{api.RuleTooShort}},
		{"Kx7pQ\u00a02mZr9", []api.RuleID{api.RuleHasWhitespace}},
		{"Password2024", []api.RuleID{api.RuleTooCommon}},
		{"Kx7p12345678", []api.RuleID{api.RuleContainsIdentity}},
		{"ChanKx7pQ2mZ", []api.RuleID{api.RuleContainsIdentity}},
		{"no digits here", []api.RuleID{api.RuleNeedsDigit, api.RuleHasWhitespace}},
	}
	for _, tt := range tests {
		_, err := h.svc.SetPassword(ctx, h.client, token, api.PasswordRequest{NewPassword: tt.password})
		e := wantCode(t, err, api.CodePasswordPolicy)
		if !slices.Equal(e.Violations, tt.want) {
			t.Errorf("SetPassword(%q) violations %v, want %v", tt.password, e.Violations, tt.want)
		}
	}
	_, err := h.svc.SetPassword(ctx, h.client, token, api.PasswordRequest{NewPassword: "bad\xffbytes1"})
	wantCode(t, err, api.CodeInvalidRequest)
	// Refusals leave the flow verified: the user tries again.
	if _, err := h.svc.SetPassword(ctx, h.client, token, api.PasswordRequest{NewPassword: "Kx7pQ2mZr9vT"}); err != nil {
		t.Fatalf("a good password after refusals: %v", err)
	}
}

// TestPasswordHistoryAcrossFourChanges: the first password comes back only
// after three others.
func TestPasswordHistoryAcrossFourChanges(t *testing.T) {
	h := newHarness(t)
	staff := acctBoth.StaffNumber
	const p1, p2, p3, p4 = "First7pQ2mZr", "Second7pQ2mZ", "Third7pQ2mZr", "Fourth7pQ2mZ"
	for _, p := range []string{p1, p2, p3} {
		if err := h.changePassword(staff, p); err != nil {
			t.Fatalf("change to %s: %v", p, err)
		}
	}
	for _, p := range []string{p1, p2, p3} {
		wantCode(t, h.changePassword(staff, p), api.CodePasswordReused)
	}
	if err := h.changePassword(staff, p4); err != nil {
		t.Fatalf("change to %s: %v", p4, err)
	}
	// p1 is now four changes back; p2 is still among the last three.
	wantCode(t, h.changePassword(staff, p2), api.CodePasswordReused)
	if err := h.changePassword(staff, p1); err != nil {
		t.Fatalf("the first password after three others: %v", err)
	}
	// History is per account.
	if err := h.changePassword(acctSMS.StaffNumber, p3); err != nil {
		t.Fatalf("another account's recent password: %v", err)
	}
}

func TestSetPasswordOutOfOrder(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	started := h.start(acctBoth.StaffNumber)
	_, err := h.svc.SetPassword(ctx, h.client, started, api.PasswordRequest{NewPassword: "Kx7pQ2mZr9vT"})
	wantCode(t, err, api.CodeWrongStep)
	h.send(started, api.ChannelSMS)
	_, err = h.svc.SetPassword(ctx, h.client, started, api.PasswordRequest{NewPassword: "Kx7pQ2mZr9vT"})
	wantCode(t, err, api.CodeWrongStep)

	verified := h.verified(acctBoth.StaffNumber)
	h.clock.Advance(30 * time.Minute)
	_, err = h.svc.SetPassword(ctx, h.client, verified, api.PasswordRequest{NewPassword: "Kx7pQ2mZr9vT"})
	wantCode(t, err, api.CodeTokenInvalid)
}

func TestConcurrentPasswordChanges(t *testing.T) {
	h := newHarness(t)
	for round := range 3 {
		token := h.verified(acctBoth.StaffNumber)
		passwords := []string{"Alpha7pQ2mZr" + string(rune('a'+round)), "Bravo7pQ2mZr" + string(rune('a'+round))}
		errs := make([]error, len(passwords))
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i, p := range passwords {
			wg.Go(func() {
				<-start
				_, errs[i] = h.svc.SetPassword(context.Background(), h.client, token, api.PasswordRequest{NewPassword: p})
			})
		}
		close(start)
		wg.Wait()
		ok := 0
		for _, err := range errs {
			if err == nil {
				ok++
			} else {
				wantCode(t, err, api.CodeTokenInvalid)
			}
		}
		if ok != 1 {
			t.Fatalf("round %d: %d changes succeeded, want exactly 1 (%v)", round, ok, errs)
		}
	}
}

// flakyDirectory is the store directory with a switch that makes the
// password write fail, as an LDAP server may.
type flakyDirectory struct {
	service.Directory
	fail atomic.Pointer[error]
}

func (d *flakyDirectory) SetPassword(ctx context.Context, staff, password string) error {
	if err := d.fail.Load(); err != nil {
		return *err
	}
	return d.Directory.SetPassword(ctx, staff, password)
}

func TestDirectoryFailureLeavesTheFlowVerified(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	dir := &flakyDirectory{Directory: service.NewStoreDirectory(h.store, testConfig())}
	svc, err := service.New(testConfig(), h.store, dir, h.clock, nil)
	if err != nil {
		t.Fatal(err)
	}
	h.svc = svc
	token := h.verified(acctBoth.StaffNumber)

	tests := []struct {
		name  string
		cause error
		want  api.Code
	}{
		{"unreachable", fmt.Errorf("ldap: dial: %w", syscall.ECONNREFUSED), api.CodeUnavailable},
		{"timed out", fmt.Errorf("ldap: %w", context.DeadlineExceeded), api.CodeUnavailable},
		{"refused by its own policy", api.Errorf(api.CodePasswordPolicy, "The directory refused the password."), api.CodePasswordPolicy},
		{"broken", errors.New("ldap: unexpected result code 80 secret-detail"), api.CodeInternal},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir.fail.Store(&tt.cause)
			_, err := h.svc.SetPassword(ctx, h.client, token, api.PasswordRequest{NewPassword: "Kx7pQ2mZr9vT"})
			e := wantCode(t, err, tt.want)
			if strings.Contains(e.Detail, "secret-detail") || strings.Contains(e.Detail, "ldap") {
				t.Errorf("the cause leaked to the user: %q", e.Detail)
			}
			if f := h.flow(token); f.Step != api.StepVerified {
				t.Errorf("flow step %s after the failure, want verified", f.Step)
			}
		})
	}
	dir.fail.Store(nil)
	if _, err := h.svc.SetPassword(ctx, h.client, token, api.PasswordRequest{NewPassword: "Kx7pQ2mZr9vT"}); err != nil {
		t.Fatalf("after the directory recovered: %v", err)
	}
	// The directory was given the password itself (it keeps no hashes of ours).
	var a service.Account
	h.store.View(ctx, func(tx service.Tx) error { a, err = tx.Account(acctBoth.StaffNumber); return err })
	if a.PasswordChangedAt.IsZero() {
		t.Error("the directory did not store the password")
	}
}

// TestPasswordsAreComparedAndHashedInNFC: the decomposed form of a recent
// password is that password; hashes made before passwords were normalised
// still match the same password, typed the same way.
func TestPasswordsAreComparedAndHashedInNFC(t *testing.T) {
	onEachEngine(t, func(t *testing.T, h *harness) {
		ctx := context.Background()
		const nfc, nfd = "Caf\u00e9-Harbour-2025", "Cafe\u0301-Harbour-2025"
		if err := h.changePassword(acctBoth.StaffNumber, nfc); err != nil {
			t.Fatal(err)
		}
		wantCode(t, h.changePassword(acctBoth.StaffNumber, nfd), api.CodePasswordReused)

		// A change typed in NFD stores the NFC form.
		if err := h.changePassword(acctSMS.StaffNumber, "Sai\u0301-Kung-2025x"); err != nil {
			t.Fatal(err)
		}
		var history []string
		h.store.View(ctx, func(tx service.Tx) (err error) {
			history, err = tx.PasswordHistory(acctSMS.StaffNumber, 1)
			return err
		})
		if len(history) != 1 {
			t.Fatalf("history %v", history)
		}
		if ok, _ := service.VerifyPassword("Sa\u00ed-Kung-2025x", history[0]); !ok {
			t.Error("the stored hash is not of the NFC form")
		}

		// Hashes stored before normalisation: one of an NFC password (as
		// nearly all were), one of a decomposed one.
		old := func(staff, password string) {
			hash, err := service.HashPassword(password, fastHash)
			if err != nil {
				t.Fatal(err)
			}
			err = h.store.Update(ctx, func(tx service.Tx) error {
				return tx.AddPasswordHistory(staff, hash, h.clock.Now(), 3)
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		before := service.Account{StaffNumber: "66666666", Name: "YIP Siu Fung", Mobile: "+85261112222"}
		h.addAccounts(before)
		old(before.StaffNumber, "Old-Kx7pQ2mZr9")
		old(before.StaffNumber, "Tsue\u0301n-Wan-2019")
		wantCode(t, h.changePassword(before.StaffNumber, "Old-Kx7pQ2mZr9"), api.CodePasswordReused)
		wantCode(t, h.changePassword(before.StaffNumber, "Tsue\u0301n-Wan-2019"), api.CodePasswordReused)
	})
}

func TestInvisibleCharactersAreRefused(t *testing.T) {
	h := newHarness(t)
	token := h.verified(acctBoth.StaffNumber)
	for _, pw := range []string{"Kx7pQ2\u200dmZr9vT", "\ufeffKx7pQ2mZr9vT", "Kx7pQ2mZr9vT\u202e", "Kx7pQ2mZr9vT\ue000"} {
		_, err := h.svc.SetPassword(context.Background(), h.client, token, api.PasswordRequest{NewPassword: pw})
		e := wantCode(t, err, api.CodePasswordPolicy)
		if !slices.Equal(e.Violations, []api.RuleID{api.RuleInvisibleChar}) {
			t.Errorf("%+q: violations %v, want invisible_char", pw, e.Violations)
		}
	}
}
