package client

import (
	"context"
	"errors"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"casreset/api"
)

// secretMarker is put in bodies that must never reach an error message.
const secretMarker = "PROXY-PAGE-BODY-7731"

func answer(status int, contentType, body string, header ...string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		for i := 0; i+1 < len(header); i += 2 {
			w.Header().Set(header[i], header[i+1])
		}
		if contentType != "" {
			w.Header().Set("Content-Type", contentType)
		}
		w.WriteHeader(status)
		_, _ = w.Write([]byte(body))
	}
}

func intPtr(n int) *int { return &n }

func TestProblemDocumentsBecomeAPIErrors(t *testing.T) {
	tests := []struct {
		name    string
		handler http.HandlerFunc
		want    api.Error
	}{
		{
			name: "code_invalid with attempts_left",
			handler: answer(422, api.ProblemJSON, `{"type":"about:blank","title":"The validation code is wrong","status":422,
				"detail":"Check the code and try again.","code":"code_invalid","reference":"R-1","attempts_left":3}`),
			want: api.Error{Type: "about:blank", Title: "The validation code is wrong", Status: 422,
				Detail: "Check the code and try again.", Code: api.CodeCodeInvalid, Reference: "R-1", AttemptsLeft: intPtr(3)},
		},
		{
			name:    "attempts_left zero is kept",
			handler: answer(422, api.ProblemJSON, `{"status":422,"code":"code_invalid","attempts_left":0}`),
			want:    api.Error{Status: 422, Code: api.CodeCodeInvalid, AttemptsLeft: intPtr(0)},
		},
		{
			name:    "password_policy with violations",
			handler: answer(422, api.ProblemJSON+"; charset=utf-8", `{"status":422,"code":"password_policy","violations":["too_short","needs_digit"]}`),
			want:    api.Error{Status: 422, Code: api.CodePasswordPolicy, Violations: []api.RuleID{api.RuleTooShort, api.RuleNeedsDigit}},
		},
		{
			name:    "rate_limited with retry_after in the body",
			handler: answer(429, api.ProblemJSON, `{"status":429,"code":"rate_limited","retry_after":120}`, "Retry-After", "5"),
			want:    api.Error{Status: 429, Code: api.CodeRateLimited, RetryAfter: 120},
		},
		{
			name:    "rate_limited with Retry-After only in the header",
			handler: answer(429, api.ProblemJSON, `{"status":429,"code":"rate_limited"}`, "Retry-After", "42"),
			want:    api.Error{Status: 429, Code: api.CodeRateLimited, RetryAfter: 42},
		},
		{
			name:    "status taken from HTTP when the body has none",
			handler: answer(401, api.ProblemJSON, `{"code":"token_invalid"}`),
			want:    api.Error{Status: 401, Code: api.CodeTokenInvalid},
		},
		{
			name:    "a code this client does not know is still an api.Error",
			handler: answer(418, api.ProblemJSON, `{"status":418,"code":"teapot"}`),
			want:    api.Error{Status: 418, Code: "teapot"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, c := trustedServer(t, tt.handler)
			_, err := c.Policy(context.Background())
			var got *api.Error
			if !errors.As(err, &got) {
				t.Fatalf("error = %T %v, want *api.Error", err, err)
			}
			if !reflect.DeepEqual(*got, tt.want) {
				t.Errorf("got  %+v\nwant %+v", *got, tt.want)
			}
		})
	}
}

// Every code of the contract survives the round trip with its status.
func TestEveryContractCodeDecodes(t *testing.T) {
	for _, code := range api.Codes() {
		t.Run(string(code), func(t *testing.T) {
			status := code.Status()
			_, c := trustedServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", api.ProblemJSON)
				w.WriteHeader(status)
				_, _ = w.Write([]byte(`{"status":` + strconv.Itoa(status) + `,"code":"` + string(code) + `","reference":"ref-` + string(code) + `"}`))
			}))
			_, err := c.Start(context.Background(), api.StartRequest{StaffNumber: "12345"})
			if api.ErrorCode(err) != code {
				t.Fatalf("ErrorCode = %q (%v), want %q", api.ErrorCode(err), err, code)
			}
			var e *api.Error
			errors.As(err, &e)
			if e.Status != status || e.Reference != "ref-"+string(code) {
				t.Errorf("Status %d Reference %q", e.Status, e.Reference)
			}
		})
	}
}

func TestAnswersOutsideTheContractBecomeUnexpectedResponseError(t *testing.T) {
	html := "<html><body>Proxy error " + secretMarker + "</body></html>"
	tests := []struct {
		name    string
		handler http.HandlerFunc
		status  int
	}{
		{"HTML proxy page with 200", answer(200, "text/html", html), 200},
		{"HTML 502 from a proxy", answer(502, "text/html; charset=utf-8", html), 502},
		{"bare 502 without a body", answer(502, "", ""), 502},
		{"HTML 403 from a web filter", answer(403, "text/html", html), 403},
		{"JSON error that is not a problem document", answer(500, "application/json", `{"error":"`+secretMarker+`"}`), 500},
		{"problem document without a code", answer(500, api.ProblemJSON, `{"title":"`+secretMarker+`"}`), 500},
		{"malformed problem document", answer(422, api.ProblemJSON, `{"code":`+secretMarker), 422},
		{"malformed JSON answer", answer(200, "application/json", `{"min_length":"`+secretMarker), 200},
		{"redirect to a login page", answer(302, "text/html", html, "Location", "https://portal.example/login"), 302},
		{"answer larger than the bound", answer(200, "application/json", `{"rules":["`+strings.Repeat("x", maxJSONBytes)+`"]}`), 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, c := trustedServer(t, tt.handler)
			_, err := c.Policy(context.Background())
			var ue *UnexpectedResponseError
			if !errors.As(err, &ue) {
				t.Fatalf("error = %T %v, want *UnexpectedResponseError", err, err)
			}
			if ue.Status != tt.status {
				t.Errorf("Status = %d, want %d", ue.Status, tt.status)
			}
			if strings.Contains(err.Error(), secretMarker) || strings.Contains(ue.Reason, secretMarker) {
				t.Errorf("the error repeats the body: %q", err)
			}
			if len(ue.RequestID) != 32 {
				t.Errorf("RequestID = %q, want the 32 hex digits sent", ue.RequestID)
			}
		})
	}
}

func TestRetryAfterSeconds(t *testing.T) {
	now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		header string
		want   int
	}{
		{"", 0},
		{"30", 30},
		{" 7 ", 7},
		{"-3", 0},
		{"soon", 0},
		{now.Add(90 * time.Second).Format(http.TimeFormat), 90},
		{now.Add(-time.Minute).Format(http.TimeFormat), 0},
	}
	for _, tt := range tests {
		if got := retryAfterSeconds(tt.header, now); got != tt.want {
			t.Errorf("retryAfterSeconds(%q) = %d, want %d", tt.header, got, tt.want)
		}
	}
}
