package client

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"casreset/api"
)

// TestHelpdeskCallsOnTheWire: each help-desk call sends the method, path,
// session and body of the contract and decodes its answer.
func TestHelpdeskCallsOnTheWire(t *testing.T) {
	ctx := context.Background()
	const session = "c2Vzc2lvbi10b2tlbi1vZi10aGUtb3BlcmF0b3ItMDAx"
	at := time.Date(2025, 3, 1, 12, 10, 0, 0, time.UTC)
	tests := []struct {
		name               string
		status             int
		body               string
		do                 func(c *Client) (any, error)
		method, path, auth string
		reqBody            string
		want               any
	}{
		{
			name: "HelpdeskSignIn", status: 201,
			body:   `{"session_token":"tok","expires_at":"2025-03-01T12:10:00Z","ends_at":"2025-03-01T12:10:00Z","operator":{"name":"alice","kind":"local"}}`,
			do:     func(c *Client) (any, error) { return c.HelpdeskSignIn(ctx, "alice", "pw", "123456") },
			method: "POST", path: "/v1/helpdesk/sessions",
			reqBody: `{"username":"alice","password":"pw","totp":"123456"}`,
			want:    api.HelpdeskSession{SessionToken: "tok", ExpiresAt: at, EndsAt: at, Operator: api.HelpdeskOperator{Name: "alice", Kind: "local"}},
		},
		{
			name: "HelpdeskSignOut", status: 204,
			do:     func(c *Client) (any, error) { return nil, c.HelpdeskSignOut(ctx, session) },
			method: "DELETE", path: "/v1/helpdesk/sessions/current", auth: "Bearer " + session,
		},
		{
			name: "HelpdeskAccount escapes the staff number", status: 200, body: `{"staff_number":"T-1 2","name":"N","eligible":true}`,
			do:     func(c *Client) (any, error) { return c.HelpdeskAccount(ctx, session, "T-1 2") },
			method: "GET", path: "/v1/helpdesk/accounts/T-1%202", auth: "Bearer " + session,
			want: api.HelpdeskAccount{StaffNumber: "T-1 2", Name: "N", Eligible: true},
		},
		{
			name: "HelpdeskEvents", status: 200, body: `{"reference":"ABCD","events":[]}`,
			do:     func(c *Client) (any, error) { return c.HelpdeskEvents(ctx, session, "abcd") },
			method: "GET", path: "/v1/helpdesk/events/abcd", auth: "Bearer " + session,
			want: api.HelpdeskEvents{Reference: "ABCD", Events: []api.HelpdeskEvent{}},
		},
		{
			name: "HelpdeskStartVerification", status: 202,
			body: `{"channel":"sms","destination":"9*** **34","code_expires_at":"2025-03-01T12:10:00Z","resend_after":"2025-03-01T12:10:00Z"}`,
			do: func(c *Client) (any, error) {
				return c.HelpdeskStartVerification(ctx, session, "12345678", api.ChannelSMS)
			},
			method: "POST", path: "/v1/helpdesk/accounts/12345678/verifications", auth: "Bearer " + session,
			reqBody: `{"channel":"sms"}`,
			want:    api.VerificationResponse{Channel: api.ChannelSMS, Destination: "9*** **34", CodeExpiresAt: at, ResendAfter: at},
		},
		{
			name: "HelpdeskCheckVerification", status: 200, body: `{"verified_until":"2025-03-01T12:10:00Z"}`,
			do: func(c *Client) (any, error) {
				return c.HelpdeskCheckVerification(ctx, session, "12345678", "654321")
			},
			method: "POST", path: "/v1/helpdesk/accounts/12345678/verifications/current/check", auth: "Bearer " + session,
			reqBody: `{"code":"654321"}`,
			want:    api.VerificationCheckResponse{VerifiedUntil: at},
		},
		{
			name: "HelpdeskUnlock with a verified caller sends no note", status: 200,
			body:   `{"limits_lifted":3,"flows_ended":1,"directory_unlocked":true,"still_locked":false}`,
			do:     func(c *Client) (any, error) { return c.HelpdeskUnlock(ctx, session, "12345678", "") },
			method: "POST", path: "/v1/helpdesk/accounts/12345678/unlock", auth: "Bearer " + session,
			reqBody: `{}`,
			want:    api.UnlockResponse{LimitsLifted: 3, FlowsEnded: 1, DirectoryUnlocked: true},
		},
		{
			name: "HelpdeskIssuePass with a note", status: 201, body: `{"pass":"ABCD-EFGH","expires_at":"2025-03-01T12:10:00Z"}`,
			do: func(c *Client) (any, error) {
				return c.HelpdeskIssuePass(ctx, session, "12345678", "card seen")
			},
			method: "POST", path: "/v1/helpdesk/accounts/12345678/passes", auth: "Bearer " + session,
			reqBody: `{"in_person_note":"card seen"}`,
			want:    api.PassResponse{Pass: "ABCD-EFGH", ExpiresAt: at},
		},
		{
			name: "VerifyPass", status: 200, body: `{"verified":true}`,
			do:     func(c *Client) (any, error) { return c.VerifyPass(ctx, session, "abcd-efgh") },
			method: "POST", path: "/v1/resets/current/verify", auth: "Bearer " + session,
			reqBody: `{"pass":"abcd-efgh"}`,
			want:    api.VerifyResponse{Verified: true},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &recorder{status: tt.status, contentType: "application/json", body: tt.body}
			_, c := trustedServer(t, rec)
			got, err := tt.do(c)
			if err != nil {
				t.Fatalf("call: %v", err)
			}
			if tt.want != nil && !jsonEqual(t, got, tt.want) {
				t.Errorf("result = %+v, want %+v", got, tt.want)
			}
			r := rec.last(t)
			if r.method != tt.method || r.path != tt.path || r.auth != tt.auth {
				t.Errorf("request = %s %s (%q), want %s %s (%q)", r.method, r.path, r.auth, tt.method, tt.path, tt.auth)
			}
			if tt.reqBody == "" {
				if r.body != "" {
					t.Errorf("unexpected body %q", r.body)
				}
			} else if !jsonEqual(t, json.RawMessage(r.body), json.RawMessage(tt.reqBody)) {
				t.Errorf("body = %s, want %s", r.body, tt.reqBody)
			}
		})
	}
}

func TestHelpdeskCallsRefuseAPathThatIsNoSegment(t *testing.T) {
	rec := &recorder{status: 200, contentType: "application/json", body: `{}`}
	_, c := trustedServer(t, rec)
	for _, v := range []string{"", ".", ".."} {
		if _, err := c.HelpdeskAccount(context.Background(), "tok", v); err == nil {
			t.Errorf("HelpdeskAccount(%q) sent a request", v)
		}
		if _, err := c.HelpdeskEvents(context.Background(), "tok", v); err == nil {
			t.Errorf("HelpdeskEvents(%q) sent a request", v)
		}
		if _, err := c.HelpdeskUnlock(context.Background(), "tok", v, ""); err == nil {
			t.Errorf("HelpdeskUnlock(%q) sent a request", v)
		}
	}
	if n := len(rec.all()); n != 0 {
		t.Errorf("the server saw %d requests", n)
	}
}
