package service

import (
	"context"
	"errors"
	"time"
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

// PolicyReader is a Directory with a password policy of its own (AD's
// domain policy and fine-grained password policies), which the service
// merges into the global one for each account: the flow's policy shows
// it, and SetPassword checks it before the directory is asked.
type PolicyReader interface {
	// PasswordPolicy is the policy the directory applies when the
	// service account sets the password of the account of staffNumber
	// (ErrNotFound).
	PasswordPolicy(ctx context.Context, staffNumber string) (DirectoryPolicy, error)
}

// DirectoryPolicy is a directory's password policy for one account, as it
// applies to a password set by the service account: rules the directory
// keeps but does not apply to such a reset are left out (zero), since
// only the service's own rules then hold.
type DirectoryPolicy struct {
	MinLength int // in characters; 0 for none
	// Complexity is AD's complexity rule: characters of three classes
	// (api.RuleNeedsThreeClasses) and none of the account's names
	// (api.RuleContainsAccountName, from Account.LoginName and
	// Account.DisplayName).
	Complexity bool
	History    int           // earlier passwords a new one must differ from
	MinAge     time.Duration // how long a password must be kept (api.RuleTooSoon)
}
