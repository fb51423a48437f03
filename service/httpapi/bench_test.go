package httpapi_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"casreset/api"
)

// The benchmarks go through the whole handler and a real SQLite store, but
// not TLS: they measure the service's own cost per request.

func benchCaptcha(b *testing.B, target *fuzzTarget) api.Captcha {
	b.Helper()
	w := target.serve("POST", "/v1/captchas", "", nil)
	if w.Code != http.StatusCreated {
		b.Fatalf("captcha: %d %s", w.Code, w.Body)
	}
	var c api.Captcha
	if err := json.Unmarshal(w.Body.Bytes(), &c); err != nil {
		b.Fatal(err)
	}
	return c
}

func BenchmarkCaptchaCreate(b *testing.B) {
	target := newFuzzTarget(b)
	for b.Loop() {
		benchCaptcha(b, target)
	}
}

func BenchmarkCaptchaImage(b *testing.B) {
	target := newFuzzTarget(b)
	c := benchCaptcha(b, target)
	for b.Loop() {
		if w := target.serve("GET", c.ImageURL, "", nil); w.Code != http.StatusOK {
			b.Fatalf("image: %d", w.Code)
		}
	}
}

func BenchmarkCaptchaAudio(b *testing.B) {
	for _, lang := range api.AudioLanguages {
		b.Run(lang, func(b *testing.B) {
			target := newFuzzTarget(b)
			c := benchCaptcha(b, target)
			for b.Loop() {
				if w := target.serve("GET", c.AudioURL+"?lang="+lang, "", nil); w.Code != http.StatusOK {
					b.Fatalf("audio: %d", w.Code)
				}
			}
		})
	}
}

// BenchmarkStart is one POST /v1/resets with a right CAPTCHA answer (the
// CAPTCHA is made outside the timer).
func BenchmarkStart(b *testing.B) {
	target := newFuzzTarget(b)
	for b.Loop() {
		b.StopTimer()
		c := benchCaptcha(b, target)
		body, _ := json.Marshal(api.StartRequest{StaffNumber: acctBoth.StaffNumber, CaptchaID: c.CaptchaID, CaptchaAnswer: target.answer(b, c.CaptchaID)})
		b.StartTimer()
		if w := target.serve("POST", "/v1/resets", "", body); w.Code != http.StatusCreated {
			b.Fatalf("start: %d %s", w.Code, w.Body)
		}
	}
}
