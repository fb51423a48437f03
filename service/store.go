package service

import (
	"context"
	"errors"
	"time"

	"casreset/api"
)

// ErrNotFound is returned by stores and directories when a row or entry does
// not exist.
var ErrNotFound = errors.New("not found")

// Store keeps every piece of state that must outlive a restart or be seen by
// another instance. Each operation of the service runs in one transaction.
type Store interface {
	// Update runs fn in a read-write transaction and commits it when fn
	// returns nil. Concurrent Updates that touch the same flow are
	// serialised: SQLite takes the write lock when the transaction begins,
	// PostgreSQL locks the rows that Tx.Flow and Tx.Account read.
	Update(ctx context.Context, fn func(Tx) error) error
	// View runs fn in a read-only transaction.
	View(ctx context.Context, fn func(Tx) error) error
	// Ping reports whether the database is reachable.
	Ping(ctx context.Context) error
	Close() error
}

// Tx is one transaction. Its methods use the context the transaction was
// begun with. Getters return ErrNotFound for missing rows.
type Tx interface {
	HelpdeskAuthTx // operators and their sessions (store_helpdesk_auth.go)

	Account(staffNumber string) (Account, error)
	// AccountsByEmail matches case-insensitively.
	AccountsByEmail(email string) ([]Account, error)
	// AccountsByMobile matches an E.164 number exactly.
	AccountsByMobile(e164 string) ([]Account, error)
	// UpsertAccount inserts or updates by staff number; it leaves the
	// password hash and its change time alone.
	UpsertAccount(a Account) error
	// SetAccountPassword stores the current password's hash.
	SetAccountPassword(staffNumber, hash string, at time.Time) error

	// PasswordHistory returns up to n hashes, newest first.
	PasswordHistory(staffNumber string, n int) ([]string, error)
	// AddPasswordHistory records hash and keeps only the newest keep rows.
	AddPasswordHistory(staffNumber, hash string, at time.Time, keep int) error

	InsertCaptcha(c Captcha) error
	Captcha(id string) (Captcha, error)
	// DeleteCaptcha removes the captcha and reports whether it existed, so
	// that of two concurrent answers only one can use it.
	DeleteCaptcha(id string) (bool, error)

	InsertFlow(f Flow) error
	// Flow reads a flow by id and, in an Update, locks it.
	Flow(id string) (Flow, error)
	UpdateFlow(f Flow) error
	// EndFlows ends the flows of staffNumber that are open at now (not
	// expired, password not changed) by setting their expiry to now, and
	// returns how many there were.
	EndFlows(staffNumber string, now time.Time) (int64, error)

	// CountHits counts hits of key at or after since and returns the
	// oldest of them (zero when none).
	CountHits(key string, since time.Time) (n int, oldest time.Time, err error)
	AddHit(key string, at time.Time) error
	// DeleteHits removes every hit of key and returns how many there were.
	DeleteHits(key string) (int64, error)

	// InsertMessage queues a message and returns its id.
	InsertMessage(m Message) (int64, error)
	Message(id int64) (Message, error)
	// ClaimMessages leases up to limit queued messages that are due
	// (NextAttemptAt <= now) and not leased by another worker (LeaseUntil
	// < now), setting LeaseOwner and LeaseUntil on them.
	ClaimMessages(owner string, now, leaseUntil time.Time, limit int) ([]Message, error)
	UpdateMessage(m Message) error
	// OldestQueued is the creation time of the oldest queued message (zero
	// when none), staff-number reminders left out: it feeds a metric, and
	// whether a reminder was queued must not show there.
	OldestQueued() (time.Time, error)

	InsertAudit(e AuditEvent) error
	Audit(f AuditFilter) ([]AuditEvent, error)

	// Secret returns a named secret shared by every instance;
	// InsertSecret stores one unless the name exists already (first
	// writer wins; read it back after).
	Secret(name string) ([]byte, error)
	InsertSecret(name string, value []byte) error

	// Purge deletes captchas and flows that expired before now, hits
	// before now, messages finished before messagesBefore and audit
	// events before auditBefore. Hits feed the sliding-window limits, so
	// callers pass a now at least the longest limit window in the past
	// (Service.Purge does).
	Purge(now, messagesBefore, auditBefore time.Time) (int64, error)

	HelpdeskTx
}

// Account is a member of staff who may reset a password.
type Account struct {
	StaffNumber string
	Name        string
	Mobile      string // E.164 (+85291234567) or empty
	Email       string // or empty
	ContractEnd string // YYYY-MM-DD, or empty for no end date
	// PasswordChangedAt is zero when the password was never changed here.
	PasswordChangedAt time.Time

	// What the directory says of the account's state; the zero values
	// where it keeps no such state (the built-in directory).
	Disabled   bool // may not log in at all (AD userAccountControl bit 2; ppolicy 000001010000Z)
	LockedOut  bool // locked after wrong passwords (AD lockoutTime > 0; ppolicy pwdAccountLockedTime)
	Privileged bool // a protected account (AD adminCount=1, or a member of a protected group): IT Help may not act on it
	// LoginsEnd is when the directory stops the account's logins (AD
	// accountExpires); zero for never.
	LoginsEnd time.Time
	// PasswordSetAt is when the directory last set the password (AD
	// pwdLastSet, ppolicy pwdChangedTime); zero when it does not say.
	PasswordSetAt time.Time
	// The names the directory's complexity rule keeps out of passwords
	// (api.AccountNameParts): the login name (AD sAMAccountName) and the
	// display name (AD displayName); empty where the directory has no
	// such rule.
	LoginName, DisplayName string
}

// Captcha is a CAPTCHA challenge: its digits (0-9 values, not ASCII).
type Captcha struct {
	ID        string
	Digits    []byte
	CreatedAt time.Time
	ExpiresAt time.Time
}

// Flow steps beyond the contract's: a password change in progress holds the
// flow so that of concurrent changes only one proceeds.
const StepChanging api.Step = "changing"

// Flow is one reset, from the CAPTCHA to the password change. Its ID is the
// hex SHA-256 of the reset token: the token itself is never stored.
type Flow struct {
	ID          string
	StaffNumber string
	Step        api.Step
	ClientAddr  string
	CreatedAt   time.Time
	ExpiresAt   time.Time
	// Language is the tag of the language of the table the person uses
	// (the latest a request gave); "" when not known. The flow's
	// messages go out in it.
	Language string

	Channel       api.Channel // of the latest code
	CodeHMAC      []byte      // HMAC-SHA256 of the latest code; nil when none
	CodeExpiresAt time.Time
	CodeSentAt    time.Time
	Sends         int   // codes sent in this flow
	WrongCodes    int   // wrong codes entered in this flow
	MessageID     int64 // the latest code's message
}

// Message kinds.
const (
	MessageCode     = "code"     // a validation code
	MessageReminder = "reminder" // the staff number, for the forgotten-number link
	MessageNotice   = "notice"   // the password was changed
)

// Message is an outgoing SMS or e-mail. The service queues it with its
// parameters; delivery renders and sends it.
type Message struct {
	ID      int64
	Kind    string
	Channel api.Channel
	To      string // E.164 for SMS, an address for e-mail
	// Language is the tag of the language of the table its reader uses;
	// "" when not known (delivery then uses the service's default).
	Language string
	// Params feed the templates: code, expires_at, staff_number, name,
	// client_addr, reference, changed_at. They are cleared once the
	// message is sent or has failed, so the code does not linger.
	Params map[string]string

	Status        api.Delivery
	Attempts      int
	NextAttemptAt time.Time
	LeaseOwner    string
	LeaseUntil    time.Time
	NotAfter      time.Time // never sent after this (the code's expiry); zero means no limit
	LastError     string
	CreatedAt     time.Time
	SentAt        time.Time
}

// AuditEvent records one outcome. Event names follow the OWASP logging
// vocabulary (authn_token_created, authn_password_change, …).
type AuditEvent struct {
	ID          int64
	Time        time.Time // UTC
	Event       string
	StaffNumber string
	ClientAddr  string
	UserAgent   string
	Reference   string
	Detail      string // never a password, code or token
}

// AuditFilter selects audit events; empty fields match everything.
type AuditFilter struct {
	StaffNumber string
	Reference   string
	Limit       int // 0 means 1000
}
