package service_test

import (
	"context"
	"fmt"
	"testing"

	"casreset/api"
	"casreset/service"
)

// benchConfig lifts the limits that a benchmark's many iterations would hit
// from one address and one account.
func benchConfig(c *service.Config) {
	c.StartsPerAddr = 1 << 30
	c.CaptchasPerAddr = 1 << 30
	c.MaxSendsDay = 1 << 30
}

func BenchmarkCaptchaCreate(b *testing.B) {
	h := newHarness(b, benchConfig)
	ctx := context.Background()
	for b.Loop() {
		if _, err := h.svc.NewCaptcha(ctx, h.client); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCaptchaImage(b *testing.B) {
	h := newHarness(b, benchConfig)
	id, _ := h.captcha()
	for b.Loop() {
		if _, err := h.svc.CaptchaImage(context.Background(), id); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCaptchaAudio(b *testing.B) {
	h := newHarness(b, benchConfig)
	id, _ := h.captcha()
	for b.Loop() {
		if _, err := h.svc.CaptchaAudio(context.Background(), id, "en"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkStart is one POST /v1/resets: limit, CAPTCHA, account lookup,
// eligibility and the new flow. Making the CAPTCHA is not timed.
func BenchmarkStart(b *testing.B) {
	h := newHarness(b, benchConfig)
	ctx := context.Background()
	for b.Loop() {
		b.StopTimer()
		id, answer := h.captcha()
		b.StartTimer()
		if _, err := h.svc.Start(ctx, h.client, api.StartRequest{StaffNumber: acctBoth.StaffNumber, CaptchaID: id, CaptchaAnswer: answer}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVerify is one right code; the flow it needs is made untimed.
func BenchmarkVerify(b *testing.B) {
	h := newHarness(b, benchConfig)
	ctx := context.Background()
	for b.Loop() {
		b.StopTimer()
		token := h.start(acctBoth.StaffNumber)
		h.send(token, api.ChannelSMS)
		code := h.code(token)
		b.StartTimer()
		if err := h.svc.Verify(ctx, h.client, token, code); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSetPassword is one password change with the default Argon2id
// parameters: the policy, the history of three (three verifications once
// it is full), the new hash and the three transactions.
func BenchmarkSetPassword(b *testing.B) {
	h := newHarness(b, benchConfig, func(c *service.Config) { c.PasswordHash = service.DefaultConfig().PasswordHash })
	ctx := context.Background()
	i := 0
	for b.Loop() {
		b.StopTimer()
		token := h.verified(acctBoth.StaffNumber)
		i++
		b.StartTimer()
		if _, err := h.svc.SetPassword(ctx, h.client, token, api.PasswordRequest{NewPassword: fmt.Sprintf("Kx7pQ2mZr9vT%d", i)}); err != nil {
			b.Fatal(err)
		}
	}
}
