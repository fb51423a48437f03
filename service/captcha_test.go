package service_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"casreset/api"
)

func TestCaptchaCreation(t *testing.T) {
	h := newHarness(t)
	c, err := h.svc.NewCaptcha(context.Background(), h.client)
	if err != nil {
		t.Fatal(err)
	}
	if c.CaptchaID == "" || !c.ExpiresAt.Equal(t0.Add(10*time.Minute)) || c.Digits != 6 {
		t.Errorf("captcha %+v", c)
	}
	id, answer := h.captcha()
	if id == c.CaptchaID || len(answer) != 6 {
		t.Errorf("second captcha %q answer %q: want a new id and 6 digits", id, answer)
	}
}

func TestCaptchaImageAndAudio(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	id, _ := h.captcha()

	img, err := h.svc.CaptchaImage(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(img, []byte("\x89PNG\r\n\x1a\n")) {
		t.Errorf("image is not a PNG: % x", img[:min(8, len(img))])
	}
	sounds := map[string][]byte{}
	for _, lang := range []string{"en", "zh", "yue"} {
		wav, err := h.svc.CaptchaAudio(ctx, id, lang)
		if err != nil {
			t.Fatalf("audio %s: %v", lang, err)
		}
		if !bytes.HasPrefix(wav, []byte("RIFF")) || !bytes.Equal(wav[8:12], []byte("WAVE")) {
			t.Errorf("audio %s is not a WAV", lang)
		}
		// Played again, the same sound: many renderings of one CAPTCHA
		// would let a program vote digit by digit.
		again, err := h.svc.CaptchaAudio(ctx, id, lang)
		if err != nil || !bytes.Equal(wav, again) {
			t.Errorf("audio %s played twice is two sounds (%v)", lang, err)
		}
		sounds[lang] = wav
	}
	if bytes.Equal(sounds["en"], sounds["zh"]) || bytes.Equal(sounds["zh"], sounds["yue"]) {
		t.Error("two languages gave the same sound")
	}
	// Another CAPTCHA, even of the same digits, sounds different.
	other, _ := h.captcha()
	if wav, err := h.svc.CaptchaAudio(ctx, other, "en"); err != nil || bytes.Equal(wav, sounds["en"]) {
		t.Errorf("another CAPTCHA's audio is the same sound (%v)", err)
	}
	// Looking at the CAPTCHA does not use it up.
	if _, err := h.svc.CaptchaImage(ctx, id); err != nil {
		t.Errorf("second look: %v", err)
	}

	for _, lang := range []string{"fr", "", "EN", "zh-HK", "cmn"} {
		_, err = h.svc.CaptchaAudio(ctx, id, lang)
		wantCode(t, err, api.CodeInvalidRequest)
	}
	_, err = h.svc.CaptchaImage(ctx, "unknown")
	wantCode(t, err, api.CodeNotFound)
	_, err = h.svc.CaptchaAudio(ctx, "unknown", "en")
	wantCode(t, err, api.CodeNotFound)

	h.clock.Advance(10 * time.Minute)
	_, err = h.svc.CaptchaImage(ctx, id)
	wantCode(t, err, api.CodeNotFound)
	_, err = h.svc.CaptchaAudio(ctx, id, "en")
	wantCode(t, err, api.CodeNotFound)
}

func TestCaptchaUsedByStartIsGone(t *testing.T) {
	h := newHarness(t)
	id, answer := h.captcha()
	if _, err := h.svc.Start(context.Background(), h.client, api.StartRequest{StaffNumber: acctBoth.StaffNumber, CaptchaID: id, CaptchaAnswer: answer}); err != nil {
		t.Fatal(err)
	}
	_, err := h.svc.CaptchaImage(context.Background(), id)
	wantCode(t, err, api.CodeNotFound)
}
