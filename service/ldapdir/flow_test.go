package ldapdir_test

import (
	"log/slog"
	"testing"
	"time"

	"github.com/go-ldap/ldap/v3"

	"casreset/api"
	"casreset/internal/testkit/slapdtest"
	"casreset/internal/testkit/storetest"
	"casreset/service"
)

const testCaptchaAnswer = "424242"

// flowHarness is the domain over a real store and the LDAP directory.
type flowHarness struct {
	t      *testing.T
	svc    *service.Service
	store  service.Store
	client service.Client
	logs   *logBuffer // the service's log
}

func newFlowHarness(t *testing.T, s *slapdtest.Server, configure ...func(*service.Config)) *flowHarness {
	t.Helper()
	cfg, _ := config(t, s)
	cfg.EndDateAttr = slapdtest.EndTimeAttr
	return newFlowHarnessOn(t, open(t, cfg), configure...)
}

// newFlowHarnessOn is the domain over a real store and dir.
func newFlowHarnessOn(t *testing.T, dir service.Directory, configure ...func(*service.Config)) *flowHarness {
	t.Helper()
	scfg := service.DefaultConfig()
	scfg.TestCaptchaAnswer = testCaptchaAnswer
	for _, f := range configure {
		f(&scfg)
	}
	store := storetest.SQLite(t)
	clock := service.NewManualClock(time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC))
	logs := &logBuffer{out: t.Output()}
	svc, err := service.New(scfg, store, dir, clock, slog.New(slog.NewTextHandler(logs, nil)))
	if err != nil {
		t.Fatalf("service.New: %v", err)
	}
	return &flowHarness{t: t, svc: svc, store: store, logs: logs,
		client: service.Client{Addr: "127.0.0.1", UserAgent: "ldapdir-test", Reference: "ref-ldap"}}
}

func (h *flowHarness) start(staff string) (api.StartResponse, error) {
	h.t.Helper()
	ctx := h.t.Context()
	c, err := h.svc.NewCaptcha(ctx, h.client)
	if err != nil {
		h.t.Fatalf("NewCaptcha: %v", err)
	}
	return h.svc.Start(ctx, h.client, api.StartRequest{StaffNumber: staff, CaptchaID: c.CaptchaID, CaptchaAnswer: testCaptchaAnswer})
}

// verified walks a flow to the verified step by SMS and returns its token.
func (h *flowHarness) verified(staff, wantMobile string) string {
	h.t.Helper()
	ctx := h.t.Context()
	res, err := h.start(staff)
	if err != nil {
		h.t.Fatalf("Start: %v", err)
	}
	if _, err := h.svc.SendCode(ctx, h.client, res.ResetToken, api.SendCodeRequest{Channel: api.ChannelSMS}); err != nil {
		h.t.Fatalf("SendCode: %v", err)
	}
	m := h.latestMessage(res.ResetToken)
	if m.To != wantMobile {
		h.t.Fatalf("the code went to %q, want %q", m.To, wantMobile)
	}
	if err := h.svc.Verify(ctx, h.client, res.ResetToken, m.Params["code"]); err != nil {
		h.t.Fatalf("Verify: %v", err)
	}
	return res.ResetToken
}

// latestMessage is the code message of the flow of token, as queued for
// delivery.
func (h *flowHarness) latestMessage(token string) service.Message {
	h.t.Helper()
	f := storetest.FlowOfToken(h.t, h.store, token)
	var m service.Message
	err := h.store.View(h.t.Context(), func(tx service.Tx) error {
		var err error
		m, err = tx.Message(f.MessageID)
		return err
	})
	if err != nil {
		h.t.Fatalf("reading the queued code: %v", err)
	}
	return m
}

func TestWholeFlowAgainstTheDirectory(t *testing.T) {
	s := slapdtest.Start(t)
	chan_ := slapdtest.Person{UID: "chan", StaffNumber: "T7001", Name: "Chan Tai Man",
		Mobiles: []string{"9123 4567"}, Mail: "chan.tai.man@example.edu.hk", Password: "Old-Passw0rd-1"}
	s.AddPeople(chan_,
		// Contract ended 2024-09-01 in Hong Kong: refused from 2026-03-02.
		slapdtest.Person{UID: "gone", StaffNumber: "T7002", Mobiles: []string{"9123 4568"}, EndTime: "20240831160000Z"},
		// Ends 2026-08-31: eligible until 2028-02-29.
		slapdtest.Person{UID: "staying", StaffNumber: "T7003", Mobiles: []string{"+852 6123 4567"}, EndTime: "20260831000000Z"},
	)
	h := newFlowHarness(t, s)
	ctx := t.Context()

	res, err := h.start(chan_.StaffNumber)
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	want := []api.ChannelInfo{{Channel: api.ChannelSMS, Destination: "9*** **67"}, {Channel: api.ChannelEmail, Destination: "c****@example.edu.hk"}}
	if len(res.Channels) != 2 || res.Channels[0] != want[0] || res.Channels[1] != want[1] {
		t.Errorf("channels = %+v, want %+v", res.Channels, want)
	}

	token := h.verified(chan_.StaffNumber, "+85291234567")
	const newPassword = "Brand-New-Passw0rd-9"
	if _, err := h.svc.SetPassword(ctx, h.client, token, api.PasswordRequest{NewPassword: newPassword}); err != nil {
		t.Fatalf("SetPassword: %v", err)
	}
	if err := bind(t, s, chan_.DN(), newPassword); err != nil {
		t.Errorf("bind with the new password: %v", err)
	}
	if err := bind(t, s, chan_.DN(), chan_.Password); !ldap.IsErrorWithCode(err, ldap.LDAPResultInvalidCredentials) {
		t.Errorf("bind with the old password = %v, want invalid credentials", err)
	}

	t.Run("the directory's history refusal reaches the user and the flow goes on", func(t *testing.T) {
		token := h.verified(chan_.StaffNumber, "+85291234567")
		// Set before the service knew the account: only the directory's
		// history has it.
		_, err := h.svc.SetPassword(ctx, h.client, token, api.PasswordRequest{NewPassword: chan_.Password})
		if api.ErrorCode(err) != api.CodePasswordReused {
			t.Fatalf("SetPassword(an old directory password) = %v, want password_reused", err)
		}
		if _, err := h.svc.SetPassword(ctx, h.client, token, api.PasswordRequest{NewPassword: "Another-Passw0rd-8"}); err != nil {
			t.Fatalf("SetPassword after the refusal: %v", err)
		}
		if err := bind(t, s, chan_.DN(), "Another-Passw0rd-8"); err != nil {
			t.Errorf("bind: %v", err)
		}
	})

	t.Run("end dates from the directory decide eligibility", func(t *testing.T) {
		if _, err := h.start("T7002"); api.ErrorCode(err) != api.CodeAccountExpired {
			t.Errorf("Start(T7002) = %v, want account_expired", err)
		}
		if _, err := h.start("T7003"); err != nil {
			t.Errorf("Start(T7003) = %v", err)
		}
		if _, err := h.start("T7999"); api.ErrorCode(err) != api.CodeAccountNotFound {
			t.Errorf("Start(T7999) = %v, want account_not_found", err)
		}
	})

	t.Run("directory stopped: 503 and not ready; started again: recovered", func(t *testing.T) {
		s.Stop()
		_, err := h.start(chan_.StaffNumber)
		if code := api.ErrorCode(err); code != api.CodeUnavailable || code.Status() != 503 {
			t.Errorf("Start with the directory stopped = %v, want unavailable (503)", err)
		}
		if err := h.svc.Ready(ctx); err == nil {
			t.Error("Ready with the directory stopped = nil")
		}

		s.Restart()
		if err := h.svc.Ready(ctx); err != nil {
			t.Errorf("Ready after the restart: %v", err)
		}
		if _, err := h.start(chan_.StaffNumber); err != nil {
			t.Errorf("Start after the restart: %v", err)
		}
	})

	t.Run("a flow verified before the directory stopped can finish once it is back", func(t *testing.T) {
		token := h.verified("T7003", "+85261234567")
		s.Stop()
		_, err := h.svc.SetPassword(ctx, h.client, token, api.PasswordRequest{NewPassword: "Harbour-Lights-77"})
		if api.ErrorCode(err) != api.CodeUnavailable {
			t.Fatalf("SetPassword with the directory stopped = %v, want unavailable", err)
		}
		s.Restart()
		if _, err := h.svc.SetPassword(ctx, h.client, token, api.PasswordRequest{NewPassword: "Harbour-Lights-77"}); err != nil {
			t.Fatalf("SetPassword after the restart: %v", err)
		}
		if err := bind(t, s, "uid=staying,"+slapdtest.PeopleDN, "Harbour-Lights-77"); err != nil {
			t.Errorf("bind: %v", err)
		}
	})
}

// The directory's account state in the whole flow: a disabled entry is
// refused at step 1, a locked-out one is unlocked by its change and logs
// in at once with the new password.
func TestAccountStateInTheFlow(t *testing.T) {
	s := slapdtest.Start(t)
	locked := slapdtest.Person{UID: "lockedout", StaffNumber: "T7101", Mobiles: []string{"9123 4571"}, Password: "Old-Passw0rd-1"}
	disabled := slapdtest.Person{UID: "disabled", StaffNumber: "T7102", Mobiles: []string{"9123 4572"}, Password: "Old-Passw0rd-1"}
	s.AddPeople(locked, disabled)
	s.SetLockedTime(disabled.DN(), slapdtest.DisabledTime)
	for range slapdtest.PolicyMaxFailure {
		_ = bind(t, s, locked.DN(), "wrong-password")
	}
	h := newFlowHarness(t, s)

	if _, err := h.start(disabled.StaffNumber); api.ErrorCode(err) != api.CodeAccountDisabled {
		t.Errorf("Start(disabled) = %v, want account_disabled", err)
	}

	token := h.verified(locked.StaffNumber, "+85291234571")
	const newPassword = "Unlocked-Passw0rd-7"
	res, err := h.svc.SetPassword(t.Context(), h.client, token, api.PasswordRequest{NewPassword: newPassword})
	if err != nil {
		t.Fatalf("SetPassword: %v", err)
	}
	if res.StillLocked {
		t.Error("still_locked, though the service account may unlock")
	}
	if err := bind(t, s, locked.DN(), newPassword); err != nil {
		t.Errorf("bind with the new password right after the reset: %v", err)
	}
}
