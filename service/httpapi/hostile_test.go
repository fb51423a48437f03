package httpapi_test

import (
	"bufio"
	"crypto/tls"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"casreset/api"
)

// Hostile input that the contract and fuzz tests leave out: JSON nested
// past the decoder's depth limit, paths built to reach something other
// than a CAPTCHA, and header values that are not text. (Oversized bodies,
// invalid UTF-8 bodies and malformed JSON are in TestBodyDecodingRefusals;
// header floods and slow clients are limits of the HTTP server, tested
// against the resetd binary in test/evidence.)

func TestDeeplyNestedJSONIsAnInvalidRequest(t *testing.T) {
	h := newHarness(t)
	tests := []struct {
		name, body string
	}{
		// encoding/json stops at a nesting depth of 10000; these stay
		// under 16 KiB so that the depth, not the size, is what is refused.
		{"arrays past the depth limit", `{"staff_number":` + strings.Repeat("[", 12000) + `}`},
		{"objects within the depth limit", `{"staff_number":` + strings.Repeat(`{"a":`, 2500) + `1` + strings.Repeat("}", 2500) + `}`},
		{"arrays within the depth limit", `{"staff_number":` + strings.Repeat("[", 5000) + strings.Repeat("]", 5000) + `}`},
		{"nested member under an unknown name", `{"x":` + strings.Repeat("[", 8000) + strings.Repeat("]", 8000) + `}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if len(tt.body) > 16<<10 {
				t.Fatalf("body of %d bytes would be refused for its size", len(tt.body))
			}
			problem(t, h.do(req{method: "POST", path: "/v1/resets", body: tt.body}), api.CodeInvalidRequest)
		})
	}
}

// rawGet sends one GET with target exactly as given in the request line
// (no client-side cleaning or escaping) over TLS, and reads the answer.
func (h *harness) rawGet(t *testing.T, target string) *http.Response {
	t.Helper()
	trust := h.client.Transport.(*http.Transport).TLSClientConfig
	conn, err := tls.Dial("tcp", h.srv.Listener.Addr().String(), &tls.Config{RootCAs: trust.RootCAs, ServerName: "localhost", MinVersion: tls.VersionTLS13})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := fmt.Fprintf(conn, "GET %s HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n", target); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("GET %.80s: %v", target, err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

func TestCaptchaPathTricksReachNothingElse(t *testing.T) {
	h := newHarness(t)
	id, _ := h.captcha()
	tests := []struct {
		name, target string
	}{
		{"dot-dot to the policy", "/v1/captchas/../policy"},
		{"dot-dot segment as the id", "/v1/captchas/../image.png"},
		{"encoded dot-dot", "/v1/captchas/%2e%2e/image.png"},
		{"double-encoded dot-dot", "/v1/captchas/%252e%252e/image.png"},
		{"encoded slash in the id", "/v1/captchas/a%2Fb/image.png"},
		{"encoded slash to a real id", "/v1/captchas/x%2F..%2F" + id + "/image.png"},
		{"encoded backslashes", "/v1/captchas/..%5c..%5cetc%5cpasswd/image.png"},
		{"NUL in the id", "/v1/captchas/%00/image.png"},
		{"real id then NUL", "/v1/captchas/" + id + "%00/image.png"},
		{"NUL after the file name", "/v1/captchas/" + id + "/image.png%00"},
		{"invalid UTF-8 in the id", "/v1/captchas/%ff%fe/image.png"},
		{"empty id", "/v1/captchas//image.png"},
		{"very long id", "/v1/captchas/" + strings.Repeat("A", 30000) + "/image.png"},
		{"very long id, audio", "/v1/captchas/" + strings.Repeat("9", 30000) + "/audio.wav?lang=zh"},
		{"absolute URL in the id", "/v1/captchas/https:%2F%2Fexample.com%2F/image.png"},
		{"real id, other file", "/v1/captchas/" + id + "/answer.txt"},
		{"real id, trailing slash", "/v1/captchas/" + id + "/image.png/"},
		{"query in place of the language", "/v1/captchas/" + id + "/audio.wav?lang=../../etc"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := h.rawGet(t, tt.target)
			if resp.StatusCode == http.StatusOK || resp.StatusCode >= 500 {
				t.Fatalf("status %d for %.80s", resp.StatusCode, tt.target)
			}
			if ct := resp.Header.Get("Content-Type"); ct != api.ProblemJSON {
				t.Fatalf("status %d, Content-Type %q", resp.StatusCode, ct)
			}
			if resp.StatusCode != http.StatusNotFound && resp.StatusCode != http.StatusBadRequest {
				t.Errorf("status %d, want 404 or 400", resp.StatusCode)
			}
		})
	}
	// The CAPTCHA is still there and still answers: none of the tricks
	// consumed or damaged it.
	h.ok(req{method: "GET", path: "/v1/captchas/" + id + "/image.png"}, http.StatusOK, nil)
}

func TestHeaderValuesThatAreNotText(t *testing.T) {
	h := newHarness(t)
	bad := "\xff\xfe\xc3(" // not UTF-8
	t.Run("User-Agent", func(t *testing.T) {
		id, _ := h.captcha()
		resp := h.do(req{method: "POST", path: "/v1/resets", header: map[string]string{"User-Agent": "casreset/" + bad},
			body: api.StartRequest{StaffNumber: acctBoth.StaffNumber, CaptchaID: id, CaptchaAnswer: "not-it"}})
		p := problem(t, resp, api.CodeCaptchaInvalid)
		for _, ev := range h.audit(p.Reference) {
			if !utf8.ValidString(ev.UserAgent) {
				t.Errorf("audit event %s keeps a User-Agent that is not UTF-8: %q", ev.Event, ev.UserAgent)
			}
		}
	})
	t.Run("X-Request-Id", func(t *testing.T) {
		resp := h.do(req{method: "GET", path: "/v1/policy", header: map[string]string{api.HeaderRequestID: "abc" + bad}})
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("status %d", resp.StatusCode)
		}
		if got := resp.Header.Get(api.HeaderRequestID); strings.Contains(got, bad) || got == "" {
			t.Errorf("X-Request-Id %q: want the service's own reference", got)
		}
		if strings.Contains(h.logBuf.String(), "abc\\ufffd") || strings.Contains(h.logBuf.String(), "abc"+bad) {
			t.Error("the hostile correlation id reached the log")
		}
	})
	t.Run("Authorization", func(t *testing.T) {
		problem(t, h.do(req{method: "GET", path: "/v1/resets/current", header: map[string]string{"Authorization": "Bearer " + bad}}), api.CodeTokenInvalid)
	})
}

// FuzzCaptchaID sends arbitrary ids, escaped into the path, for the image
// and the audio: the answer is the CAPTCHA of a real id, or not_found.
func FuzzCaptchaID(f *testing.F) {
	for _, s := range []string{"", ".", "..", "../policy", "a/b", "\x00", "\xff", "%2e%2e", "ABCDEFGHJKLMNPQRSTUVWXYZ23", strings.Repeat("A", 4096), "é", "\u202e", " ", "?lang=en", "#"} {
		f.Add(s)
	}
	target := newFuzzTarget(f)
	w := target.serve("POST", "/v1/captchas", "", nil)
	var c api.Captcha
	if err := json.Unmarshal(w.Body.Bytes(), &c); w.Code != http.StatusCreated || err != nil {
		f.Fatalf("captcha: %d %s", w.Code, w.Body)
	}
	f.Fuzz(func(t *testing.T, id string) {
		for _, file := range []string{"image.png", "audio.wav"} {
			w := target.serve("GET", "/v1/captchas/"+url.PathEscape(id)+"/"+file, "", nil)
			if id == c.CaptchaID && w.Code == http.StatusOK {
				continue
			}
			if w.Code != http.StatusNotFound {
				t.Fatalf("%s of %q: status %d, body %q", file, id, w.Code, w.Body.Bytes())
			}
			checkAnswer(t, w, http.StatusOK)
		}
	})
}
