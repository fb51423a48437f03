package service

import (
	"context"
	"errors"
)

// Directory is where accounts and the passwords that CAS checks live: the
// service's own database by default, or LDAP / Active Directory.
type Directory interface {
	// Account looks an account up by staff number (ErrNotFound).
	Account(ctx context.Context, staffNumber string) (Account, error)
	// AccountsByContact finds accounts whose e-mail (case-insensitive) or
	// mobile (E.164) is contact, already normalised by the caller.
	AccountsByContact(ctx context.Context, contact string) ([]Account, error)
	// SetPassword sets the account's password. A refusal by the
	// directory's own policy is an *api.Error with CodePasswordPolicy or
	// CodePasswordReused.
	SetPassword(ctx context.Context, staffNumber, password string) error
	// Ping reports whether the directory is reachable.
	Ping(ctx context.Context) error
}

// AccountUnlocker is a Directory that can end an account's lockout (AD
// lockoutTime, OpenLDAP ppolicy pwdAccountLockedTime).
type AccountUnlocker interface {
	// UnlockAccount ends the lockout of the account of staffNumber; it is
	// no error when the account was not locked. ErrUnlockNotPermitted when
	// the service account may not.
	UnlockAccount(ctx context.Context, staffNumber string) error
}

// ErrUnlockNotPermitted means the directory refused to unlock an account
// because the service account lacks the right.
var ErrUnlockNotPermitted = errors.New("the directory does not let the service account unlock accounts")
