package api

import "time"

// The help desk's wire types (DESIGN.md, "The help desk"): what a
// signed-in IT Help operator reads of an account and does for its owner.
// The operator never sees, chooses or types the owner's password.

// Why an operator may not act on an account (HelpdeskAccount.Protected);
// actions on it are operator_forbidden.
const (
	ProtectedOwnAccount = "own_account" // the operator's own account
	ProtectedOperator   = "operator"    // another IT Help operator's account
	ProtectedPrivileged = "privileged"  // a protected account (AD adminCount=1)
)

// Limits of an account that the help desk sees and can lift
// (HelpdeskLimit.Limit).
const (
	LimitSendsPerAccount      = "sends_per_account"       // codes sent per 24 h
	LimitWrongCodesPerAccount = "wrong_codes_per_account" // wrong codes (and passes) per 24 h
)

// HelpdeskAccount is the answer to GET /v1/helpdesk/accounts/{staff_number}:
// what IT Help needs to help the account's owner on the phone or at the
// desk.
type HelpdeskAccount struct {
	StaffNumber string        `json:"staff_number"`
	Name        string        `json:"name"`
	Channels    []ChannelInfo `json:"channels"` // masked, as the owner sees them

	// ContractEnd is YYYY-MM-DD, empty for none; LastEligibleDay is the
	// last day the owner may reset (contract end + 18 months), empty
	// when there is no end date. Eligible says whether a reset is
	// allowed now (the eligibility rule and LoginsEnd together).
	ContractEnd     string     `json:"contract_end,omitempty"`
	LastEligibleDay string     `json:"last_eligible_day,omitempty"`
	Eligible        bool       `json:"eligible"`
	LoginsEnd       *time.Time `json:"logins_end,omitempty"` // the directory's end of logins (AD accountExpires)

	// The directory's state of the account.
	Disabled      bool       `json:"disabled"`
	LockedOut     bool       `json:"locked_out"`
	Privileged    bool       `json:"privileged"`
	PasswordSetAt *time.Time `json:"password_set_at,omitempty"` // the directory's "password last set"
	// PasswordChangedAt is the last change made through the reset service.
	PasswordChangedAt *time.Time `json:"password_changed_at,omitempty"`

	Limits []HelpdeskLimit `json:"limits"`
	// Protected is why this operator may not act on the account (one of
	// the Protected… values), or empty when they may.
	Protected string `json:"protected,omitempty"`
	// VerifiedUntil is when this operator's verification of the caller
	// ends, when there is one in force.
	VerifiedUntil *time.Time `json:"verified_until,omitempty"`
	// Events are the account's last 20 audit events, newest first.
	Events []HelpdeskEvent `json:"events"`
}

// HelpdeskLimit is one per-account limit as it stands.
type HelpdeskLimit struct {
	Limit         string `json:"limit"` // one of the Limit… values
	Count         int    `json:"count"` // counted within the window
	Max           int    `json:"max"`
	WindowSeconds int    `json:"window_seconds"`
	// Reached says the limit refuses now; RetryAt is when it stops.
	Reached bool       `json:"reached"`
	RetryAt *time.Time `json:"retry_at,omitempty"`
}

// HelpdeskEvent is one audit event as the help desk reads it.
type HelpdeskEvent struct {
	Time        time.Time `json:"time"`
	Event       string    `json:"event"`
	StaffNumber string    `json:"staff_number,omitempty"`
	Reference   string    `json:"reference,omitempty"`
	ClientAddr  string    `json:"client_addr,omitempty"`
	UserAgent   string    `json:"user_agent,omitempty"`
	Detail      string    `json:"detail,omitempty"`
}

// HelpdeskAccountSummary names an account and its state in a few words.
type HelpdeskAccountSummary struct {
	StaffNumber string `json:"staff_number"`
	Name        string `json:"name"`
	Eligible    bool   `json:"eligible"`
	Disabled    bool   `json:"disabled"`
	LockedOut   bool   `json:"locked_out"`
	Protected   string `json:"protected,omitempty"`
}

// HelpdeskEvents is the answer to GET /v1/helpdesk/events/{reference}: the
// events that carry the reference (a person reads it from an error
// screen), oldest first, and the summary of their account when they
// name one that the directory knows.
type HelpdeskEvents struct {
	Reference string                  `json:"reference"`
	Events    []HelpdeskEvent         `json:"events"`
	Account   *HelpdeskAccountSummary `json:"account,omitempty"`
}

// VerificationRequest is the body of POST
// /v1/helpdesk/accounts/{staff_number}/verifications.
type VerificationRequest struct {
	Channel Channel `json:"channel"`
}

// VerificationResponse is its answer: where the code went (masked) and
// until when it can be checked.
type VerificationResponse struct {
	Channel       Channel   `json:"channel"`
	Destination   string    `json:"destination"`
	CodeExpiresAt time.Time `json:"code_expires_at"`
	ResendAfter   time.Time `json:"resend_after"`
}

// VerificationCheckRequest is the body of POST
// /v1/helpdesk/accounts/{staff_number}/verifications/current/check: the
// code the caller reads back.
type VerificationCheckRequest struct {
	Code string `json:"code"`
}

// VerificationCheckResponse is its answer.
type VerificationCheckResponse struct {
	VerifiedUntil time.Time `json:"verified_until"`
}

// UnlockRequest is the body of POST
// /v1/helpdesk/accounts/{staff_number}/unlock. InPersonNote is needed
// when no caller was verified: what the operator checked (the staff
// card); it goes to the audit.
type UnlockRequest struct {
	InPersonNote string `json:"in_person_note,omitempty"`
}

// UnlockResponse is its answer.
type UnlockResponse struct {
	LimitsLifted int64 `json:"limits_lifted"` // counted sends and wrong codes forgotten
	FlowsEnded   int64 `json:"flows_ended"`
	// DirectoryUnlocked says the directory's lockout was ended;
	// StillLocked that the account was locked out and the directory did
	// not let the service unlock it (the directory's own tools must).
	DirectoryUnlocked bool `json:"directory_unlocked"`
	StillLocked       bool `json:"still_locked"`
}

// PassRequest is the body of POST
// /v1/helpdesk/accounts/{staff_number}/passes, with the same note as
// UnlockRequest.
type PassRequest struct {
	InPersonNote string `json:"in_person_note,omitempty"`
}

// PassResponse is its answer: the pass, grouped as FormatPass writes it,
// to tell the owner.
type PassResponse struct {
	Pass      string    `json:"pass"`
	ExpiresAt time.Time `json:"expires_at"`
}

// MaxInPersonNote bounds an in_person_note, in characters.
const MaxInPersonNote = 500
