package service_test

import (
	"context"
	"testing"
	"time"

	"casreset/api"
	"casreset/service"
)

func TestSendCodeQueuesTheCodeWithItsHMAC(t *testing.T) {
	h := newHarness(t)
	token := h.start(acctBoth.StaffNumber)
	res := h.send(token, api.ChannelSMS)
	want := api.SendCodeResponse{
		Channel:       api.ChannelSMS,
		Destination:   "9*** **34",
		CodeExpiresAt: t0.Add(10 * time.Minute),
		ResendAfter:   t0.Add(60 * time.Second),
		SendsLeft:     4,
	}
	if res.Channel != want.Channel || res.Destination != want.Destination || !res.CodeExpiresAt.Equal(want.CodeExpiresAt) ||
		!res.ResendAfter.Equal(want.ResendAfter) || res.SendsLeft != want.SendsLeft {
		t.Errorf("SendCode = %+v, want %+v", res, want)
	}
	f := h.flow(token)
	if f.Step != api.StepCodeSent || f.Sends != 1 || f.Channel != api.ChannelSMS || len(f.CodeHMAC) != 32 || f.MessageID == 0 {
		t.Errorf("flow after send = %+v", f)
	}
	m := h.message(f.MessageID)
	code := m.Params["code"]
	if m.Kind != service.MessageCode || m.Channel != api.ChannelSMS || m.To != acctBoth.Mobile || m.Status != api.DeliveryQueued {
		t.Errorf("message = %+v", m)
	}
	if len(code) != 6 || string(f.CodeHMAC) == code {
		t.Errorf("code %q: want 6 digits stored only as an HMAC", code)
	}
	if !m.NotAfter.Equal(f.CodeExpiresAt) {
		t.Errorf("message not after %v, want the code's expiry %v", m.NotAfter, f.CodeExpiresAt)
	}
	for k, v := range map[string]string{
		"name": acctBoth.Name, "staff_number": acctBoth.StaffNumber, "reference": h.client.Reference,
		"expires_at": "2025-03-03T02:00:00Z",
	} {
		if m.Params[k] != v {
			t.Errorf("param %s = %q, want %q", k, m.Params[k], v)
		}
	}

	byMail := h.start(acctBoth.StaffNumber)
	h.send(byMail, api.ChannelEmail)
	if m := h.message(h.flow(byMail).MessageID); m.Channel != api.ChannelEmail || m.To != acctBoth.Email {
		t.Errorf("e-mail message = %+v", m)
	}
}

func TestSendCodeRefusals(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()

	smsOnly := h.start(acctSMS.StaffNumber)
	_, err := h.svc.SendCode(ctx, h.client, smsOnly, api.SendCodeRequest{Channel: api.ChannelEmail})
	wantCode(t, err, api.CodeChannelUnavailable)

	_, err = h.svc.SendCode(ctx, h.client, smsOnly, api.SendCodeRequest{Channel: "fax"})
	wantCode(t, err, api.CodeInvalidRequest)

	_, err = h.svc.SendCode(ctx, h.client, "not-a-token", api.SendCodeRequest{Channel: api.ChannelSMS})
	wantCode(t, err, api.CodeTokenInvalid)

	verified := h.verified(acctBoth.StaffNumber)
	h.clock.Advance(time.Minute)
	_, err = h.svc.SendCode(ctx, h.client, verified, api.SendCodeRequest{Channel: api.ChannelSMS})
	wantCode(t, err, api.CodeWrongStep)

	expired := h.start(acctBoth.StaffNumber)
	h.clock.Advance(30 * time.Minute)
	_, err = h.svc.SendCode(ctx, h.client, expired, api.SendCodeRequest{Channel: api.ChannelSMS})
	wantCode(t, err, api.CodeTokenInvalid)
}

func TestResendCooldown(t *testing.T) {
	h := newHarness(t)
	token := h.start(acctBoth.StaffNumber)
	h.send(token, api.ChannelSMS)
	first := h.code(token)

	_, err := h.svc.SendCode(context.Background(), h.client, token, api.SendCodeRequest{Channel: api.ChannelSMS})
	if e := wantCode(t, err, api.CodeRateLimited); e.RetryAfter != 60 {
		t.Errorf("retry after %d s, want 60", e.RetryAfter)
	}
	h.clock.Advance(59 * time.Second)
	_, err = h.svc.SendCode(context.Background(), h.client, token, api.SendCodeRequest{Channel: api.ChannelEmail})
	if e := wantCode(t, err, api.CodeRateLimited); e.RetryAfter != 1 {
		t.Errorf("retry after %d s, want 1", e.RetryAfter)
	}
	h.clock.Advance(time.Second)
	res := h.send(token, api.ChannelEmail) // "reload", by the other channel
	if res.SendsLeft != 3 {
		t.Errorf("sends left %d, want 3", res.SendsLeft)
	}

	// The new code replaced the old one. Two random codes are equal once in
	// a million; send again until they differ (each try costs a cool-down).
	second := h.code(token)
	for i := 0; second == first && i < 2; i++ {
		h.clock.Advance(time.Minute)
		h.send(token, api.ChannelEmail)
		second = h.code(token)
	}
	err = h.svc.Verify(context.Background(), h.client, token, first)
	wantCode(t, err, api.CodeCodeInvalid)
	if err := h.svc.Verify(context.Background(), h.client, token, second); err != nil {
		t.Errorf("the new code: %v", err)
	}
}

func TestSendsPerFlow(t *testing.T) {
	h := newHarness(t)
	token := h.start(acctBoth.StaffNumber)
	for i := range 5 {
		if res := h.send(token, api.ChannelSMS); res.SendsLeft != 4-i {
			t.Errorf("send %d: %d left, want %d", i+1, res.SendsLeft, 4-i)
		}
		h.clock.Advance(time.Minute)
	}
	_, err := h.svc.SendCode(context.Background(), h.client, token, api.SendCodeRequest{Channel: api.ChannelSMS})
	wantCode(t, err, api.CodeRateLimited)
	if f, err := h.svc.Flow(context.Background(), h.client, token); err != nil || f.SendsLeft != 0 {
		t.Errorf("Flow = %+v, %v; want 0 sends left", f, err)
	}
	// A new flow may send again (the account has used 5 of 10).
	h.send(h.start(acctBoth.StaffNumber), api.ChannelSMS)
}

func TestSendsPerAccountPer24Hours(t *testing.T) {
	h := newHarness(t)
	// Ten codes in two flows of five, one minute apart.
	for range 2 {
		token := h.start(acctBoth.StaffNumber)
		for range 5 {
			h.send(token, api.ChannelSMS)
			h.clock.Advance(time.Minute)
		}
	}
	elapsed := h.clock.Now().Sub(t0) // 10 min
	third := h.start(acctBoth.StaffNumber)
	_, err := h.svc.SendCode(context.Background(), h.client, third, api.SendCodeRequest{Channel: api.ChannelSMS})
	e := wantCode(t, err, api.CodeRateLimited)
	if want := int((24*time.Hour-elapsed)/time.Second) + 1; e.RetryAfter != want {
		t.Errorf("retry after %d s, want %d (when the first send leaves the 24 h window)", e.RetryAfter, want)
	}
	// Other accounts are not affected.
	h.send(h.start(acctSMS.StaffNumber), api.ChannelSMS)

	h.clock.Advance(time.Duration(e.RetryAfter) * time.Second)
	token := h.start(acctBoth.StaffNumber)
	res := h.send(token, api.ChannelSMS)
	if res.SendsLeft != 0 {
		// One send left the window and this one took its place.
		t.Errorf("sends left %d, want 0", res.SendsLeft)
	}
}

func TestFlowDescribesTheCurrentStep(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	token := h.start(acctBoth.StaffNumber)
	f, err := h.svc.Flow(ctx, h.client, token)
	if err != nil {
		t.Fatal(err)
	}
	if f.Step != api.StepStarted || f.SendsLeft != 5 || f.AttemptsLeft != 5 || f.CodeExpiresAt != nil ||
		f.Channel != "" || f.Delivery != "" || len(f.Channels) != 2 || !f.ExpiresAt.Equal(t0.Add(30*time.Minute)) {
		t.Errorf("started flow = %+v", f)
	}

	h.send(token, api.ChannelEmail)
	wantCode(t, h.svc.Verify(ctx, h.client, token, wrongCode(h.code(token))), api.CodeCodeInvalid)
	f, err = h.svc.Flow(ctx, h.client, token)
	if err != nil {
		t.Fatal(err)
	}
	if f.Step != api.StepCodeSent || f.Channel != api.ChannelEmail || f.Destination != "c****@example.edu.hk" ||
		f.CodeExpiresAt == nil || !f.CodeExpiresAt.Equal(t0.Add(10*time.Minute)) ||
		f.ResendAfter == nil || !f.ResendAfter.Equal(t0.Add(time.Minute)) ||
		f.SendsLeft != 4 || f.AttemptsLeft != 4 || f.Delivery != api.DeliveryQueued {
		t.Errorf("flow after a send and a wrong code = %+v", f)
	}

	if err := h.svc.Verify(ctx, h.client, token, h.code(token)); err != nil {
		t.Fatal(err)
	}
	if f, err = h.svc.Flow(ctx, h.client, token); err != nil || f.Step != api.StepVerified || f.CodeExpiresAt != nil {
		t.Errorf("verified flow = %+v, %v", f, err)
	}

	_, err = h.svc.Flow(ctx, h.client, "unknown")
	wantCode(t, err, api.CodeTokenInvalid)
	h.clock.Advance(30 * time.Minute)
	_, err = h.svc.Flow(ctx, h.client, token)
	wantCode(t, err, api.CodeTokenInvalid)
}

// wrongCode returns a code that differs from code in its last digit.
func wrongCode(code string) string {
	b := []byte(code)
	b[len(b)-1] = '0' + (b[len(b)-1]-'0'+1)%10
	return string(b)
}

func TestResendStopsThePreviousQueuedMessage(t *testing.T) {
	h := newHarness(t)
	token := h.start(acctBoth.StaffNumber)
	h.send(token, api.ChannelSMS)
	old := h.flow(token).MessageID

	h.clock.Advance(time.Minute)
	h.send(token, api.ChannelEmail)

	m := h.message(old)
	if m.Status != api.DeliveryFailed {
		t.Errorf("the superseded message is %q, want %q", m.Status, api.DeliveryFailed)
	}
	if len(m.Params) != 0 {
		t.Errorf("the superseded message still holds its params (and so its code)")
	}
	if cur := h.message(h.flow(token).MessageID); cur.Status != api.DeliveryQueued {
		t.Errorf("the new message is %q, want queued", cur.Status)
	}
}
