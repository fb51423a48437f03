package service_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"casreset/api"
	"casreset/service"
)

// TestAuditNamesEachOutcomeAndHoldsNoSecrets walks a whole reset with a
// few mistakes and checks the audit trail.
func TestAuditNamesEachOutcomeAndHoldsNoSecrets(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	const password = "Kx7pQ2mZr9vT"

	id, answer := h.captcha()
	res, err := h.svc.Start(ctx, h.client, api.StartRequest{StaffNumber: acctBoth.StaffNumber, CaptchaID: id, CaptchaAnswer: answer})
	if err != nil {
		t.Fatal(err)
	}
	token := res.ResetToken
	h.send(token, api.ChannelSMS)
	code := h.code(token)
	h.svc.Verify(ctx, h.client, token, wrongCode(code))
	if err := h.svc.Verify(ctx, h.client, token, code); err != nil {
		t.Fatal(err)
	}
	h.svc.SetPassword(ctx, h.client, token, api.PasswordRequest{NewPassword: "password12"})
	if _, err := h.svc.SetPassword(ctx, h.client, token, api.PasswordRequest{NewPassword: password}); err != nil {
		t.Fatal(err)
	}

	events := h.audit(acctBoth.StaffNumber)
	var names []string
	for _, e := range events {
		names = append(names, e.Event)
	}
	want := []string{
		service.EventResetStarted, service.EventCodeSent, service.EventCodeRefused, service.EventCodeVerified,
		service.EventPasswordChangeFailed, service.EventPasswordChanged,
	}
	if !slices.Equal(names, want) {
		t.Errorf("events %v, want %v", names, want)
	}
	secrets := []string{token, code, wrongCode(code), password, "password12", answer, id}
	for _, e := range events {
		if e.Time.Location() != time.UTC || e.ClientAddr != h.client.Addr || e.UserAgent != h.client.UserAgent ||
			e.Reference != h.client.Reference || e.StaffNumber != acctBoth.StaffNumber {
			t.Errorf("event lacks its context: %+v", e)
		}
		for _, s := range secrets {
			if strings.Contains(e.Detail, s) || strings.Contains(e.Event, s) {
				t.Errorf("event %+v holds a secret", e)
			}
		}
	}

	// The hook saw the same events, once each.
	var hooked []string
	for _, e := range h.hookEvents() {
		if e.StaffNumber == acctBoth.StaffNumber {
			hooked = append(hooked, e.Event)
		}
	}
	if !slices.Equal(hooked, want) {
		t.Errorf("hook saw %v, want %v", hooked, want)
	}
}

func TestEventHookRunsAfterCommit(t *testing.T) {
	h := newHarness(t)
	var seen, stored int
	h.svc.SetEventHook(func(e service.AuditEvent) {
		seen++
		h.store.View(context.Background(), func(tx service.Tx) error {
			events, err := tx.Audit(service.AuditFilter{Reference: e.Reference})
			for _, s := range events {
				if s.Event == e.Event && s.Detail == e.Detail {
					stored++
					break
				}
			}
			return err
		})
	})
	token := h.start(acctBoth.StaffNumber)
	h.send(token, api.ChannelSMS)
	h.startErr("99999999")
	if seen != 3 || stored != seen {
		t.Errorf("hook called %d times, %d of them with the event already stored; want 3 and 3", seen, stored)
	}
	h.svc.SetEventHook(nil)
	h.start(acctBoth.StaffNumber)
	if seen != 3 {
		t.Error("the hook was called after being removed")
	}
}

func TestAuditKeepsBadStaffNumbersOut(t *testing.T) {
	h := newHarness(t)
	// Someone types a password into the staff number box.
	h.startErr("My Secret Pass!")
	for _, e := range h.hookEvents() {
		if strings.Contains(e.StaffNumber+e.Detail, "Secret") {
			t.Errorf("event %+v holds the input", e)
		}
	}
}

func TestAuditTruncatesLongUserAgents(t *testing.T) {
	h := newHarness(t)
	h.client.UserAgent = strings.Repeat("é", 300)
	h.start(acctBoth.StaffNumber)
	events := h.audit(acctBoth.StaffNumber)
	if ua := events[len(events)-1].UserAgent; len(ua) > 256 || !strings.HasPrefix(h.client.UserAgent, ua) {
		t.Errorf("user agent kept as %d bytes", len(ua))
	}
}
