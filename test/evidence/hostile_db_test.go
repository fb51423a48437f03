package evidence

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"casreset/api"
)

// rawRequest sends request bytes as they are on a new HTTP/1.1 connection
// and reads one answer.
func rawRequest(t *testing.T, in *instance, request string) (*http.Response, []byte) {
	t.Helper()
	conn := in.dial()
	conn.SetDeadline(time.Now().Add(30 * time.Second))
	if _, err := io.WriteString(conn, request); err != nil {
		t.Fatalf("write: %v", err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("read answer: %v", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("read body: %v", err)
	}
	return resp, body
}

// checkProblem fails unless the answer is a problem document of the
// contract with one of the statuses in want.
func checkProblem(t *testing.T, resp *http.Response, body []byte, want ...int) api.Error {
	t.Helper()
	var p api.Error
	if ct := resp.Header.Get("Content-Type"); ct != api.ProblemJSON {
		t.Fatalf("status %d, Content-Type %q: %.200s", resp.StatusCode, ct, body)
	}
	if err := json.Unmarshal(body, &p); err != nil {
		t.Fatalf("problem document: %v: %.200s", err, body)
	}
	for _, w := range want {
		if resp.StatusCode == w && p.Status == w {
			return p
		}
	}
	t.Fatalf("status %d (%s), want one of %v: %.300s", resp.StatusCode, p.Code, want, body)
	return p
}

// TestHostileInputReachesTheDatabaseHarmlessly sends what the handler
// passes on to the store, on each database: ids and header values that
// are not text, NUL bytes, and ids far longer than any real one. A
// database that refuses such a value must not turn it into an internal
// error.
func TestHostileInputReachesTheDatabaseHarmlessly(t *testing.T) {
	for _, e := range engines(t) {
		t.Run(e.name, func(t *testing.T) {
			s := newSetup(t, e)
			s.importAccounts(t, 1)
			in := s.start(t, "--starts-per-addr", "1000", "--reminders-per-addr", "1000")
			get := func(path string) string {
				return "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
			}
			post := func(path, body string, header ...string) string {
				return fmt.Sprintf("POST %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: %d\r\n%s\r\n%s",
					path, len(body), strings.Join(append(header, ""), "\r\n"), body)
			}
			tests := []struct {
				name, request string
				want          []int
			}{
				{"NUL as the CAPTCHA id", get("/v1/captchas/%00/image.png"), []int{404}},
				{"NUL inside the CAPTCHA id", get("/v1/captchas/AB%00CD/audio.wav"), []int{404}},
				{"invalid UTF-8 as the CAPTCHA id", get("/v1/captchas/%ff%fe/image.png"), []int{404}},
				{"encoded slashes and dots as the CAPTCHA id", get("/v1/captchas/..%2F..%2Fpolicy/image.png"), []int{404}},
				{"a 30000-character CAPTCHA id", get("/v1/captchas/" + strings.Repeat("A", 30000) + "/image.png"), []int{404}},
				{"NUL as the CAPTCHA id of a start", post("/v1/resets", `{"staff_number":"`+staff(0)+`","captcha_id":"\u0000","captcha_answer":"`+captchaAnswer+`"}`), []int{422}},
				{"a 15000-character CAPTCHA id of a start", post("/v1/resets", `{"staff_number":"`+staff(0)+`","captcha_id":"`+strings.Repeat("B", 15000)+`","captcha_answer":"1"}`), []int{422}},
				{"NUL as the staff number", post("/v1/resets", `{"staff_number":"\u0000","captcha_id":"x","captcha_answer":"1"}`), []int{422, 400}},
				{"NUL in a reminder's contact", post("/v1/staff-number-reminders", `{"contact":"a\u0000@example.edu.hk","captcha_id":"\u0000","captcha_answer":"1"}`), []int{422, 400, 202}},
				{"a User-Agent that is not UTF-8", post("/v1/resets", `{"staff_number":"`+staff(0)+`","captcha_id":"x","captcha_answer":"1"}`, "User-Agent: casreset/\xff\xfe"), []int{422}},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					resp, body := rawRequest(t, in, tt.request)
					if resp.StatusCode == http.StatusAccepted {
						return
					}
					p := checkProblem(t, resp, body, tt.want...)
					if p.Code == api.CodeInternal {
						t.Errorf("internal error")
					}
				})
			}
			if !in.running() {
				t.Fatalf("resetd exited:\n%s", in.stderr.String())
			}
		})
	}
}
