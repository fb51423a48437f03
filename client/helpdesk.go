package client

import (
	"context"
	"errors"
	"net/http"
	"net/url"

	"casreset/api"
)

// The help desk's calls (DESIGN.md, "The help desk"). sessionToken is what
// HelpdeskSignIn answered; every call but the sign-in sends it as a
// Bearer credential, and the service answers operator_auth_failed once
// the session has ended (idle, too old, signed out). Errors are as the
// other calls': the service's problem as an *api.Error, or one of the
// package's error types when no answer of the contract arrived.

// HelpdeskSignIn opens an operator's session: a local operator's password
// and the TOTP code of their authenticator app, or a directory operator's
// password (totp ""). Every failure is operator_auth_failed; too many are
// rate_limited with RetryAfter. The session token goes to the other calls.
func (c *Client) HelpdeskSignIn(ctx context.Context, username, password, totp string) (api.HelpdeskSession, error) {
	var out api.HelpdeskSession
	err := c.doJSON(ctx, call{
		method: http.MethodPost,
		path:   "/v1/helpdesk/sessions",
		body:   api.HelpdeskSignInRequest{Username: username, Password: password, TOTP: totp},
	}, &out)
	return out, err
}

// HelpdeskSignOut ends the session. A session that has ended already is
// operator_auth_failed, which a caller signing out may ignore.
func (c *Client) HelpdeskSignOut(ctx context.Context, sessionToken string) error {
	_, _, err := c.send(ctx, call{
		method: http.MethodDelete,
		path:   "/v1/helpdesk/sessions/current",
		token:  sessionToken,
		accept: "application/json",
		limit:  maxJSONBytes,
	})
	return err
}

// HelpdeskAccount looks an account up by staff number.
func (c *Client) HelpdeskAccount(ctx context.Context, sessionToken, staffNumber string) (api.HelpdeskAccount, error) {
	var out api.HelpdeskAccount
	if err := checkPathValue(staffNumber, "staff number"); err != nil {
		return out, err
	}
	err := c.doJSON(ctx, call{
		method:     http.MethodGet,
		path:       "/v1/helpdesk/accounts/{staff_number}",
		pathParams: map[string]string{"staff_number": staffNumber},
		token:      sessionToken,
	}, &out)
	return out, err
}

// HelpdeskEvents looks up the events of a reference, as a person reads
// it from an error screen, and the summary of their account.
func (c *Client) HelpdeskEvents(ctx context.Context, sessionToken, reference string) (api.HelpdeskEvents, error) {
	var out api.HelpdeskEvents
	if err := checkPathValue(reference, "reference"); err != nil {
		return out, err
	}
	err := c.doJSON(ctx, call{
		method:     http.MethodGet,
		path:       "/v1/helpdesk/events/{reference}",
		pathParams: map[string]string{"reference": reference},
		token:      sessionToken,
	}, &out)
	return out, err
}

// HelpdeskStartVerification sends a code to the account's own contact by
// ch, for the caller to read back (HelpdeskCheckVerification).
func (c *Client) HelpdeskStartVerification(ctx context.Context, sessionToken, staffNumber string, ch api.Channel) (api.VerificationResponse, error) {
	var out api.VerificationResponse
	err := c.helpdeskAction(ctx, sessionToken, staffNumber, "verifications", api.VerificationRequest{Channel: ch}, &out)
	return out, err
}

// HelpdeskCheckVerification checks the code the caller read back; the
// caller stays verified for this operator until VerifiedUntil.
func (c *Client) HelpdeskCheckVerification(ctx context.Context, sessionToken, staffNumber, code string) (api.VerificationCheckResponse, error) {
	var out api.VerificationCheckResponse
	err := c.helpdeskAction(ctx, sessionToken, staffNumber, "verifications/current/check", api.VerificationCheckRequest{Code: code}, &out)
	return out, err
}

// HelpdeskUnlock lifts the account's limits, ends its open flows and its
// directory lockout. inPersonNote is needed when the caller was not
// verified ("" otherwise).
func (c *Client) HelpdeskUnlock(ctx context.Context, sessionToken, staffNumber, inPersonNote string) (api.UnlockResponse, error) {
	var out api.UnlockResponse
	err := c.helpdeskAction(ctx, sessionToken, staffNumber, "unlock", api.UnlockRequest{InPersonNote: inPersonNote}, &out)
	return out, err
}

// HelpdeskIssuePass issues a one-time pass for the account's owner to type
// in place of a validation code (VerifyPass). inPersonNote as for
// HelpdeskUnlock.
func (c *Client) HelpdeskIssuePass(ctx context.Context, sessionToken, staffNumber, inPersonNote string) (api.PassResponse, error) {
	var out api.PassResponse
	err := c.helpdeskAction(ctx, sessionToken, staffNumber, "passes", api.PassRequest{InPersonNote: inPersonNote}, &out)
	return out, err
}

// VerifyPass is Verify with a pass from IT Help in place of the code,
// from the step where the code would be chosen or entered.
func (c *Client) VerifyPass(ctx context.Context, token, pass string) (api.VerifyResponse, error) {
	var out api.VerifyResponse
	err := c.doJSON(ctx, call{
		method: http.MethodPost,
		path:   "/v1/resets/current/verify",
		token:  token,
		body:   api.VerifyRequest{Pass: pass},
	}, &out)
	return out, err
}

// helpdeskAction posts body to the account's action and decodes the
// answer into out.
func (c *Client) helpdeskAction(ctx context.Context, sessionToken, staffNumber, action string, body, out any) error {
	if err := checkPathValue(staffNumber, "staff number"); err != nil {
		return err
	}
	return c.doJSON(ctx, call{
		method:     http.MethodPost,
		path:       "/v1/helpdesk/accounts/{staff_number}/" + action,
		pathParams: map[string]string{"staff_number": staffNumber},
		token:      sessionToken,
		body:       body,
	}, out)
}

// checkPathValue refuses a value that is empty or would change the path
// ("." and ".."); anything else is escaped into one segment.
func checkPathValue(v, what string) error {
	if v == "" || v == "." || v == ".." || url.PathEscape(v) == "" {
		return errors.New("client: not a " + what)
	}
	return nil
}
