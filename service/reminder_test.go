package service_test

import (
	"context"
	"testing"
	"time"

	"casreset/api"
	"casreset/service"
)

func (h *harness) remind(contact string) error {
	id, answer := h.captcha()
	return h.svc.RemindStaffNumber(context.Background(), h.client, api.ReminderRequest{Contact: contact, CaptchaID: id, CaptchaAnswer: answer})
}

// queued returns the queued messages of kind.
func (h *harness) queued(kind string) []service.Message {
	h.tb.Helper()
	var out []service.Message
	err := h.store.Update(context.Background(), func(tx service.Tx) error {
		far := h.clock.Now().Add(time.Hour)
		msgs, err := tx.ClaimMessages("test-"+kind, far, far.Add(time.Minute), 1000)
		for _, m := range msgs {
			if m.Kind == kind {
				out = append(out, m)
			}
		}
		return err
	})
	if err != nil {
		h.tb.Fatal(err)
	}
	return out
}

func TestReminderGoesToTheOneEligibleAccount(t *testing.T) {
	tests := []struct {
		contact string
		channel api.Channel
		to      string
	}{
		{"9123 4534", api.ChannelSMS, acctBoth.Mobile},
		{"+852 6123-4567", api.ChannelSMS, acctSMS.Mobile},
		{" Lee.Ka.Yan@Example.EDU.HK ", api.ChannelEmail, acctMail.Email},
	}
	for _, tt := range tests {
		t.Run(tt.contact, func(t *testing.T) {
			h := newHarness(t)
			if err := h.remind(tt.contact); err != nil {
				t.Fatal(err)
			}
			msgs := h.queued(service.MessageReminder)
			if len(msgs) != 1 {
				t.Fatalf("%d reminders queued, want 1", len(msgs))
			}
			m := msgs[0]
			if m.Channel != tt.channel || m.To != tt.to || m.Params["staff_number"] == "" || m.Params["name"] == "" {
				t.Errorf("reminder %+v", m)
			}
		})
	}
}

// A directory may hold the number unlike the way the wizard takes it; the
// reminder gives it the way the wizard takes it.
func TestReminderGivesTheNumberNormalised(t *testing.T) {
	h := newHarness(t, func(c *service.Config) { c.StaffNumberCase = api.StaffNumberCaseInsensitive })
	h.addAccounts(service.Account{StaffNumber: "t 48213", Name: "YIP Wing", Email: "yip.wing@example.edu.hk"})
	if err := h.remind("yip.wing@example.edu.hk"); err != nil {
		t.Fatal(err)
	}
	msgs := h.queued(service.MessageReminder)
	if len(msgs) != 1 || msgs[0].Params["staff_number"] != "T48213" {
		t.Fatalf("reminders = %+v, want one giving T48213", msgs)
	}
}

func TestReminderSaysNothingWhenNoSingleEligibleAccountMatches(t *testing.T) {
	h := newHarness(t)
	h.addAccounts(
		service.Account{StaffNumber: "66666661", Name: "Shared One", Email: "shared@example.edu.hk"},
		service.Account{StaffNumber: "66666662", Name: "Shared Two", Email: "shared@example.edu.hk"},
	)
	for _, contact := range []string{
		"unknown@example.edu.hk", // no account
		"98765432",               // acctEnded's: past its contract end
		"shared@example.edu.hk",  // two accounts: the message could not say whose number
	} {
		if err := h.remind(contact); err != nil {
			t.Errorf("RemindStaffNumber(%q) = %v, want nil", contact, err)
		}
	}
	if msgs := h.queued(service.MessageReminder); len(msgs) != 0 {
		t.Errorf("%d reminders queued, want none", len(msgs))
	}
}

func TestReminderRefusals(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	for _, bad := range []string{"", "hello", "12", "chan@"} {
		wantCode(t, h.remind(bad), api.CodeInvalidRequest)
	}
	id, answer := h.captcha()
	err := h.svc.RemindStaffNumber(ctx, h.client, api.ReminderRequest{Contact: acctBoth.Email, CaptchaID: id, CaptchaAnswer: wrongCode(answer)})
	wantCode(t, err, api.CodeCaptchaInvalid)
	err = h.svc.RemindStaffNumber(ctx, h.client, api.ReminderRequest{Contact: acctBoth.Email, CaptchaID: id, CaptchaAnswer: answer})
	wantCode(t, err, api.CodeCaptchaInvalid)
}

func TestReminderLimits(t *testing.T) {
	t.Run("per contact", func(t *testing.T) {
		h := newHarness(t)
		for range 3 {
			if err := h.remind(acctBoth.Email); err != nil {
				t.Fatal(err)
			}
		}
		// The same contact however written.
		e := wantCode(t, h.remind("CHAN.TAI.MAN@example.edu.hk"), api.CodeRateLimited)
		if e.RetryAfter != 3601 {
			t.Errorf("retry after %d s, want 3601", e.RetryAfter)
		}
		if err := h.remind(acctSMS.Mobile); err != nil {
			t.Errorf("another contact: %v", err)
		}
		// An unknown contact is limited the same way, so limits tell nothing.
		for range 3 {
			h.remind("nobody@example.edu.hk")
		}
		wantCode(t, h.remind("nobody@example.edu.hk"), api.CodeRateLimited)
	})
	t.Run("per address", func(t *testing.T) {
		h := newHarness(t)
		for i := range 10 {
			h.remind("person" + string(rune('a'+i)) + "@example.edu.hk")
		}
		wantCode(t, h.remind("someone@example.edu.hk"), api.CodeRateLimited)
		h.clock.Advance(time.Hour + time.Second)
		if err := h.remind("someone@example.edu.hk"); err != nil {
			t.Errorf("after the window: %v", err)
		}
	})
}
