package service

import "time"

// HelpdeskTx is what the help desk keeps in a transaction: caller
// verifications and one-time passes. Getters return ErrNotFound for
// missing rows and, in an Update, lock the row they read.
type HelpdeskTx interface {
	// CallerVerification reads the verification of the caller of
	// staffNumber's account by operator (HelpdeskOperatorKey).
	CallerVerification(operator, staffNumber string) (CallerVerification, error)
	// PutCallerVerification inserts v or replaces the one of its operator
	// and staff number.
	PutCallerVerification(v CallerVerification) error

	// HelpdeskPass reads the pass of staffNumber's account.
	HelpdeskPass(staffNumber string) (HelpdeskPass, error)
	// PutHelpdeskPass inserts p or replaces the account's pass: an
	// account has one pass at most, the newest.
	PutHelpdeskPass(p HelpdeskPass) error
	// DeleteHelpdeskPass removes the account's pass and reports whether
	// there was one, so that of two concurrent uses only one succeeds.
	DeleteHelpdeskPass(staffNumber string) (bool, error)

	// AccountLanguage is the language of the account's latest flow that
	// has one (Flow.Language), "" when no flow kept says: the language to
	// write to its owner in outside a flow.
	AccountLanguage(staffNumber string) (string, error)

	// PurgeHelpdesk deletes verifications and passes that expired before
	// now and returns how many there were.
	PurgeHelpdesk(now time.Time) (int64, error)
}

// CallerVerification is an operator's check that the person on the phone
// holds the account's registered contact: a code sent there, read back.
type CallerVerification struct {
	Operator    string // HelpdeskOperatorKey of the operator
	StaffNumber string
	Channel     string
	// CodeHMAC is the HMAC of the code (codeMAC over the verification's
	// id); nil once checked or ended.
	CodeHMAC      []byte
	CodeExpiresAt time.Time
	CodeSentAt    time.Time
	WrongCodes    int
	// VerifiedUntil is when the verification stops counting; zero until
	// the right code was read back.
	VerifiedUntil time.Time
	// ExpiresAt is when the row is of no more use (the later of the two
	// times above), for Purge.
	ExpiresAt time.Time
	MessageID int64
}

// HelpdeskPass is a one-time pass that lets the account's owner past the
// validation code, once, until ExpiresAt. PassHMAC is the HMAC of the
// pass: the pass itself is never stored.
type HelpdeskPass struct {
	StaffNumber string
	PassHMAC    []byte
	Operator    string // HelpdeskOperatorKey of who issued it
	Reference   string // of the request that issued it
	CreatedAt   time.Time
	ExpiresAt   time.Time
}
