package api

import "time"

// HelpdeskSignInRequest is the body of POST /v1/helpdesk/sessions. TOTP is
// the 6-digit code of a local operator's authenticator app; directory
// operators leave it empty (the directory checks their password).
type HelpdeskSignInRequest struct {
	Username string `json:"username"`
	Password string `json:"password"`
	TOTP     string `json:"totp"`
}

// HelpdeskSession is the answer to POST /v1/helpdesk/sessions. The session
// ends ExpiresAt unless used before (each use moves it on by the idle
// timeout), and at EndsAt whatever happens.
type HelpdeskSession struct {
	SessionToken string           `json:"session_token"`
	ExpiresAt    time.Time        `json:"expires_at"`
	EndsAt       time.Time        `json:"ends_at"`
	Operator     HelpdeskOperator `json:"operator"`
}

// HelpdeskOperator is the signed-in operator as the app shows them.
type HelpdeskOperator struct {
	Name string `json:"name"`
	// Kind is "local" (kept by resetd, with a TOTP) or "directory"
	// (signed in against LDAP / Active Directory).
	Kind string `json:"kind"`
}

// TOTPDigits is how many digits a local operator's TOTP code has.
const TOTPDigits = 6
