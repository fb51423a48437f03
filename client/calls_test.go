package client

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"casreset/api"
)

// seen is what a hand-written server recorded of one request.
type seen struct {
	method, path, query string
	auth, requestID, ua string
	contentType, accept string
	body                string
}

// recorder answers every request with status, contentType and body, and
// records what it saw.
type recorder struct {
	mu          sync.Mutex
	reqs        []seen
	status      int
	contentType string
	body        string
}

func (rec *recorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	rec.mu.Lock()
	rec.reqs = append(rec.reqs, seen{
		method: r.Method, path: r.URL.EscapedPath(), query: r.URL.RawQuery,
		auth: r.Header.Get("Authorization"), requestID: r.Header.Get(api.HeaderRequestID),
		ua: r.Header.Get("User-Agent"), contentType: r.Header.Get("Content-Type"),
		accept: r.Header.Get("Accept"), body: string(b),
	})
	status, ct, body := rec.status, rec.contentType, rec.body
	rec.mu.Unlock()
	w.Header().Set("Content-Type", ct)
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body)
}

func (rec *recorder) all() []seen {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return append([]seen(nil), rec.reqs...)
}

func (rec *recorder) last(t *testing.T) seen {
	t.Helper()
	rec.mu.Lock()
	defer rec.mu.Unlock()
	if len(rec.reqs) == 0 {
		t.Fatal("the server saw no request")
	}
	return rec.reqs[len(rec.reqs)-1]
}

var requestIDPattern = regexp.MustCompile(`^[0-9a-f]{32}$`)

func TestCallsSendTheContractsRequests(t *testing.T) {
	const token = "tok-abc"
	ctx := context.Background()
	tests := []struct {
		name        string
		status      int
		contentType string
		body        string
		do          func(c *Client) (any, error)
		method      string
		path        string
		query       string
		auth        string
		reqBody     string // JSON, compared semantically
		want        any
	}{
		{
			name: "Policy", status: 200, contentType: "application/json",
			body:   `{"min_length":10,"max_length":128,"forbidden_chars":"$","history":3,"advice":{"min_length":14}}`,
			do:     func(c *Client) (any, error) { return c.Policy(ctx) },
			method: "GET", path: "/v1/policy",
			want: api.Policy{MinLength: 10, MaxLength: 128, ForbiddenChars: "$", History: 3, Advice: api.Advice{MinLength: 14}},
		},
		{
			name: "Start", status: 201, contentType: "application/json",
			body: `{"reset_token":"t1","expires_at":"2025-03-01T12:30:00Z","channels":[{"channel":"sms","destination":"9*** **34"}]}`,
			do: func(c *Client) (any, error) {
				return c.Start(ctx, api.StartRequest{StaffNumber: "12345", CaptchaID: "c1", CaptchaAnswer: "123456"})
			},
			method: "POST", path: "/v1/resets",
			reqBody: `{"staff_number":"12345","captcha_id":"c1","captcha_answer":"123456"}`,
			want: api.StartResponse{ResetToken: "t1", ExpiresAt: time.Date(2025, 3, 1, 12, 30, 0, 0, time.UTC),
				Channels: []api.ChannelInfo{{Channel: api.ChannelSMS, Destination: "9*** **34"}}},
		},
		{
			name: "Start in a language", status: 201, contentType: "application/json",
			body: `{"reset_token":"t1","expires_at":"2025-03-01T12:30:00Z","channels":[]}`,
			do: func(c *Client) (any, error) {
				return c.Start(ctx, api.StartRequest{StaffNumber: "12345", CaptchaID: "c1", CaptchaAnswer: "123456", Language: "zh-HK"})
			},
			method: "POST", path: "/v1/resets",
			reqBody: `{"staff_number":"12345","captcha_id":"c1","captcha_answer":"123456","language":"zh-HK"}`,
			want:    api.StartResponse{ResetToken: "t1", ExpiresAt: time.Date(2025, 3, 1, 12, 30, 0, 0, time.UTC), Channels: []api.ChannelInfo{}},
		},
		{
			name: "Flow", status: 200, contentType: "application/json",
			body:   `{"step":"code_sent","expires_at":"2025-03-01T12:30:00Z","sends_left":4,"attempts_left":5,"delivery":"sent"}`,
			do:     func(c *Client) (any, error) { return c.Flow(ctx, token) },
			method: "GET", path: "/v1/resets/current", auth: "Bearer " + token,
			want: api.Flow{Step: api.StepCodeSent, ExpiresAt: time.Date(2025, 3, 1, 12, 30, 0, 0, time.UTC), SendsLeft: 4, AttemptsLeft: 5, Delivery: api.DeliverySent},
		},
		{
			name: "SendCode", status: 202, contentType: "application/json",
			body: `{"channel":"email","destination":"c****@example.edu.hk","sends_left":4}`,
			do: func(c *Client) (any, error) {
				return c.SendCode(ctx, token, api.SendCodeRequest{Channel: api.ChannelEmail})
			},
			method: "POST", path: "/v1/resets/current/code", auth: "Bearer " + token,
			reqBody: `{"channel":"email"}`,
			want:    api.SendCodeResponse{Channel: api.ChannelEmail, Destination: "c****@example.edu.hk", SendsLeft: 4},
		},
		{
			name: "SendCode in another language", status: 202, contentType: "application/json",
			body: `{"channel":"sms","destination":"9*** **34","sends_left":3}`,
			do: func(c *Client) (any, error) {
				return c.SendCode(ctx, token, api.SendCodeRequest{Channel: api.ChannelSMS, Language: "zh-Hans"})
			},
			method: "POST", path: "/v1/resets/current/code", auth: "Bearer " + token,
			reqBody: `{"channel":"sms","language":"zh-Hans"}`,
			want:    api.SendCodeResponse{Channel: api.ChannelSMS, Destination: "9*** **34", SendsLeft: 3},
		},
		{
			name: "Verify", status: 200, contentType: "application/json", body: `{"verified":true}`,
			do:     func(c *Client) (any, error) { return c.Verify(ctx, token, "654321") },
			method: "POST", path: "/v1/resets/current/verify", auth: "Bearer " + token,
			reqBody: `{"code":"654321"}`,
			want:    api.VerifyResponse{Verified: true},
		},
		{
			name: "SetPassword", status: 200, contentType: "application/json", body: `{"changed_at":"2025-03-01T12:10:00Z"}`,
			do: func(c *Client) (any, error) {
				return c.SetPassword(ctx, token, api.PasswordRequest{NewPassword: "Correct horse 9"})
			},
			method: "PUT", path: "/v1/resets/current/password", auth: "Bearer " + token,
			reqBody: `{"new_password":"Correct horse 9"}`,
			want:    api.PasswordResponse{ChangedAt: time.Date(2025, 3, 1, 12, 10, 0, 0, time.UTC)},
		},
		{
			name: "SetPassword in another language", status: 200, contentType: "application/json", body: `{"changed_at":"2025-03-01T12:10:00Z"}`,
			do: func(c *Client) (any, error) {
				return c.SetPassword(ctx, token, api.PasswordRequest{NewPassword: "Correct horse 9", Language: "zh-HK"})
			},
			method: "PUT", path: "/v1/resets/current/password", auth: "Bearer " + token,
			reqBody: `{"new_password":"Correct horse 9","language":"zh-HK"}`,
			want:    api.PasswordResponse{ChangedAt: time.Date(2025, 3, 1, 12, 10, 0, 0, time.UTC)},
		},
		{
			name: "RemindStaffNumber", status: 202, contentType: "application/json", body: `{"accepted":true}`,
			do: func(c *Client) (any, error) {
				return nil, c.RemindStaffNumber(ctx, api.ReminderRequest{Contact: "91234567", CaptchaID: "c2", CaptchaAnswer: "000000"})
			},
			method: "POST", path: "/v1/staff-number-reminders",
			reqBody: `{"contact":"91234567","captcha_id":"c2","captcha_answer":"000000"}`,
		},
		{
			name: "RemindStaffNumber in a language", status: 202, contentType: "application/json", body: `{"accepted":true}`,
			do: func(c *Client) (any, error) {
				return nil, c.RemindStaffNumber(ctx, api.ReminderRequest{Contact: "91234567", CaptchaID: "c2", CaptchaAnswer: "000000", Language: "zh-HK"})
			},
			method: "POST", path: "/v1/staff-number-reminders",
			reqBody: `{"contact":"91234567","captcha_id":"c2","captcha_answer":"000000","language":"zh-HK"}`,
		},
		{
			name: "CaptchaImage", status: 200, contentType: "image/png", body: "\x89PNG\r\n\x1a\nrest",
			do:     func(c *Client) (any, error) { b, err := c.CaptchaImage(ctx, "cap-1_x"); return string(b), err },
			method: "GET", path: "/v1/captchas/cap-1_x/image.png",
			want: "\x89PNG\r\n\x1a\nrest",
		},
		{
			name: "CaptchaAudio in Chinese", status: 200, contentType: "audio/wav", body: "RIFF....WAVE",
			do:     func(c *Client) (any, error) { b, err := c.CaptchaAudio(ctx, "cap-1", "zh-HK"); return string(b), err },
			method: "GET", path: "/v1/captchas/cap-1/audio.wav", query: "lang=zh",
			want: "RIFF....WAVE",
		},
		{
			name: "CaptchaAudio in Cantonese", status: 200, contentType: "audio/wav", body: "RIFF....WAVE",
			do:     func(c *Client) (any, error) { b, err := c.CaptchaAudio(ctx, "cap-1", "yue"); return string(b), err },
			method: "GET", path: "/v1/captchas/cap-1/audio.wav", query: "lang=yue",
			want: "RIFF....WAVE",
		},
		{
			name: "CaptchaAudio defaults to English", status: 200, contentType: "audio/x-wav", body: "RIFF....WAVE",
			do:     func(c *Client) (any, error) { b, err := c.CaptchaAudio(ctx, "cap-1", ""); return string(b), err },
			method: "GET", path: "/v1/captchas/cap-1/audio.wav", query: "lang=en",
			want: "RIFF....WAVE",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &recorder{status: tt.status, contentType: tt.contentType, body: tt.body}
			_, c := trustedServer(t, rec)

			got, err := tt.do(c)
			if err != nil {
				t.Fatalf("call: %v", err)
			}
			if tt.want != nil && !jsonEqual(t, got, tt.want) {
				t.Errorf("result = %+v, want %+v", got, tt.want)
			}

			r := rec.last(t)
			if r.method != tt.method || r.path != tt.path || r.query != tt.query {
				t.Errorf("request = %s %s?%s, want %s %s?%s", r.method, r.path, r.query, tt.method, tt.path, tt.query)
			}
			if r.auth != tt.auth {
				t.Errorf("Authorization = %q, want %q", r.auth, tt.auth)
			}
			if !requestIDPattern.MatchString(r.requestID) {
				t.Errorf("%s = %q, want 32 hex digits", api.HeaderRequestID, r.requestID)
			}
			if want := "casreset/1.2.3 (" + runtime.GOOS + ")"; r.ua != want {
				t.Errorf("User-Agent = %q, want %q", r.ua, want)
			}
			if !strings.Contains(r.accept, api.ProblemJSON) {
				t.Errorf("Accept = %q, want it to include %s", r.accept, api.ProblemJSON)
			}
			if tt.reqBody != "" {
				if r.contentType != "application/json" {
					t.Errorf("Content-Type = %q", r.contentType)
				}
				if !jsonEqual(t, json.RawMessage(r.body), json.RawMessage(tt.reqBody)) {
					t.Errorf("body = %s, want %s", r.body, tt.reqBody)
				}
			} else if r.body != "" {
				t.Errorf("unexpected body %q", r.body)
			}
		})
	}
}

func jsonEqual(t *testing.T, a, b any) bool {
	t.Helper()
	norm := func(v any) string {
		raw, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		var x any
		if err := json.Unmarshal(raw, &x); err != nil {
			t.Fatal(err)
		}
		out, _ := json.Marshal(x)
		return string(out)
	}
	return norm(a) == norm(b)
}

func TestEveryCallHasItsOwnRequestID(t *testing.T) {
	rec := &recorder{status: 200, contentType: "application/json", body: `{}`}
	_, c := trustedServer(t, rec)
	for range 3 {
		if _, err := c.Policy(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	ids := map[string]bool{}
	for _, r := range rec.all() {
		ids[r.requestID] = true
	}
	if len(ids) != 3 {
		t.Errorf("3 calls used %d distinct request ids", len(ids))
	}
}

func TestBaseURLWithAPathPrefix(t *testing.T) {
	rec := &recorder{status: 201, contentType: "application/json",
		body: `{"captcha_id":"c9","image_url":"/v1/captchas/c9/image.png","audio_url":"https://cdn.example/c9.wav"}`}
	srv, ca := startTrusted(t, rec)
	c := newTestClient(t, Config{BaseURL: srv.URL + "/casreset/", CAPEM: ca.pem})

	got, err := c.NewCaptcha(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if r := rec.last(t); r.method != "POST" || r.path != "/casreset/v1/captchas" {
		t.Errorf("request = %s %s", r.method, r.path)
	}
	if want := srv.URL + "/casreset/v1/captchas/c9/image.png"; got.ImageURL != want {
		t.Errorf("ImageURL = %q, want %q (relative to the base URL)", got.ImageURL, want)
	}
	if got.AudioURL != "https://cdn.example/c9.wav" {
		t.Errorf("an absolute AudioURL was changed to %q", got.AudioURL)
	}
}

func TestMediaCallsCheckWhatTheyGet(t *testing.T) {
	tests := []struct {
		name        string
		contentType string
		body        string
		do          func(c *Client) ([]byte, error)
	}{
		{"image that is HTML", "text/html", "<html>", func(c *Client) ([]byte, error) { return c.CaptchaImage(context.Background(), "c1") }},
		{"image labelled PNG that is not", "image/png", "GIF89a", func(c *Client) ([]byte, error) { return c.CaptchaImage(context.Background(), "c1") }},
		{"audio that is JSON", "application/json", "{}", func(c *Client) ([]byte, error) { return c.CaptchaAudio(context.Background(), "c1", "en") }},
		{"audio labelled WAV that is not", "audio/wav", "ID3", func(c *Client) ([]byte, error) { return c.CaptchaAudio(context.Background(), "c1", "en") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, c := trustedServer(t, answer(200, tt.contentType, tt.body))
			b, err := tt.do(c)
			var ue *UnexpectedResponseError
			if !errors.As(err, &ue) || b != nil {
				t.Fatalf("got %d bytes, %T %v; want *UnexpectedResponseError", len(b), err, err)
			}
		})
	}
}

func TestCaptchaIDsCannotChangeThePath(t *testing.T) {
	rec := &recorder{status: 200, contentType: "image/png", body: "\x89PNG\r\n\x1a\n"}
	_, c := trustedServer(t, rec)
	for _, id := range []string{"", ".", "..", "../policy", "a/b", "a?b", "a b"} {
		if _, err := c.CaptchaImage(context.Background(), id); err == nil {
			t.Errorf("CaptchaImage(%q) was sent", id)
		}
		if _, err := c.CaptchaAudio(context.Background(), id, "en"); err == nil {
			t.Errorf("CaptchaAudio(%q) was sent", id)
		}
	}
	if n := len(rec.all()); n != 0 {
		t.Errorf("the server saw %d requests", n)
	}
}
