package service

import (
	"errors"
	"time"
)

// ErrOperatorExists is returned by InsertOperator when the name is taken.
var ErrOperatorExists = errors.New("an operator of this name exists")

// HelpdeskAuthTx is the part of a transaction that keeps IT Help's local
// operators and the sessions of every operator.
type HelpdeskAuthTx interface {
	// InsertOperator adds a local operator (ErrOperatorExists).
	InsertOperator(o OperatorAccount) error
	// Operator reads a local operator by name (ErrNotFound).
	Operator(name string) (OperatorAccount, error)
	// Operators lists the local operators by name.
	Operators() ([]OperatorAccount, error)
	// OperatorsWithStaffNumber lists the local operators whose own
	// account is staffNumber (compared exactly).
	OperatorsWithStaffNumber(staffNumber string) ([]OperatorAccount, error)
	// SetOperatorTOTP replaces an operator's TOTP secret and forgets the
	// last step used (ErrNotFound).
	SetOperatorTOTP(name string, sealedSecret []byte, at time.Time) error
	// UseOperatorTOTPStep records step as the operator's last TOTP step
	// used, if it is later than the one recorded, and reports whether it
	// was: of two sign-ins with one code, only one gets true.
	UseOperatorTOTPStep(name string, step int64, at time.Time) (bool, error)
	// DeleteOperator removes a local operator (ErrNotFound).
	DeleteOperator(name string) error

	InsertOperatorSession(s OperatorSession) error
	// OperatorSession reads a session by id (ErrNotFound).
	OperatorSession(id string) (OperatorSession, error)
	// TouchOperatorSession records a use of the session: its LastUsedAt
	// and its new ExpiresAt (ErrNotFound).
	TouchOperatorSession(id string, usedAt, expiresAt time.Time) error
	// DeleteOperatorSession ends one session and reports whether it
	// existed.
	DeleteOperatorSession(id string) (bool, error)
	// DeleteOperatorSessions ends every session of the operator name and
	// returns how many there were.
	DeleteOperatorSessions(name string) (int64, error)
	// PurgeOperatorSessions deletes the sessions that expired before now.
	PurgeOperatorSessions(now time.Time) (int64, error)
}

// OperatorAccount is a local operator: kept by resetd, signing in with a
// password and a TOTP code.
type OperatorAccount struct {
	Name string // as NormalizeOperatorName gives it
	// StaffNumber is the operator's own account, which they may not act
	// on; empty when they have none or it was not given.
	StaffNumber  string
	PasswordHash string // Argon2id, PHC string
	// TOTPSecret is the RFC 6238 secret sealed with a key derived from the
	// code key (sealTOTPSecret): a copy of the database alone does not
	// give the codes.
	TOTPSecret []byte
	// TOTPLastStep is the 30-second step of the last code accepted (0 when
	// none): a code of that step or an earlier one is refused, so that
	// each code works once.
	TOTPLastStep int64
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// OperatorSession is a signed-in operator's session. Its ID is the hex
// SHA-256 of the session token: the token itself is never stored.
type OperatorSession struct {
	ID          string
	Operator    string // the operator's name
	Kind        OperatorKind
	StaffNumber string // the operator's own, when the directory knows it
	ClientAddr  string // where the sign-in came from
	CreatedAt   time.Time
	LastUsedAt  time.Time
	// ExpiresAt is when the session ends unless used before: LastUsedAt
	// plus the idle timeout, never after CreatedAt plus the longest
	// session.
	ExpiresAt time.Time
}
