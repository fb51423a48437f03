package service

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"casreset/api"
)

// OperatorAuthConfig holds the rules of IT Help operators' sign-in and
// sessions.
type OperatorAuthConfig struct {
	SessionIdle time.Duration // a session unused this long ends
	SessionMax  time.Duration // and every session ends this long after sign-in
	// FailuresPerUser counts failed sign-ins per username per
	// FailureWindow; a successful sign-in forgets them.
	FailuresPerUser int
	// AttemptsPerAddr counts sign-ins per client address (limitAddr) per
	// FailureWindow, successful or not: each is counted before the
	// password is checked, so that many at once cannot pass the limit.
	AttemptsPerAddr int
	FailureWindow   time.Duration
	// PasswordMinLength is the shortest password of a local operator, in
	// Unicode code points.
	PasswordMinLength int
	// TOTPIssuer names the service in the operator's authenticator app.
	TOTPIssuer string
}

// DefaultOperatorAuthConfig returns the help desk's sign-in rules.
func DefaultOperatorAuthConfig() OperatorAuthConfig {
	return OperatorAuthConfig{
		SessionIdle:       15 * time.Minute,
		SessionMax:        8 * time.Hour,
		FailuresPerUser:   5,
		AttemptsPerAddr:   30,
		FailureWindow:     15 * time.Minute,
		PasswordMinLength: 12,
		TOTPIssuer:        "CAS Password Reset",
	}
}

func (c OperatorAuthConfig) validate() error {
	var errs []error
	check := func(ok bool, format string, args ...any) {
		if !ok {
			errs = append(errs, fmt.Errorf(format, args...))
		}
	}
	check(c.SessionIdle > 0, "operator session idle timeout %v: must be positive", c.SessionIdle)
	check(c.SessionMax >= c.SessionIdle, "longest operator session %v: below the idle timeout %v", c.SessionMax, c.SessionIdle)
	check(c.FailuresPerUser >= 1, "operator sign-in failures per username %d: must be at least 1", c.FailuresPerUser)
	check(c.AttemptsPerAddr >= 1, "operator sign-ins per address %d: must be at least 1", c.AttemptsPerAddr)
	check(c.FailureWindow > 0, "operator sign-in window %v: must be positive", c.FailureWindow)
	check(c.PasswordMinLength >= 8, "operator password minimum length %d: must be at least 8", c.PasswordMinLength)
	check(c.TOTPIssuer != "", "TOTP issuer: not set")
	return errors.Join(errs...)
}

// OperatorNameMaxLength bounds an operator's name.
const OperatorNameMaxLength = 64

// operatorPasswordMaxLength bounds a local operator's password, as the
// reset policy bounds staff passwords.
const operatorPasswordMaxLength = 128

// NormalizeOperatorName reads a sign-in name: surrounding space dropped,
// letters folded to lower case (directories match names without regard to
// case, and the limits must count "Alice" and "alice" as one), then 1 to
// OperatorNameMaxLength of a-z 0-9 . _ - @. It reports false for anything
// else.
func NormalizeOperatorName(s string) (string, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" || len(s) > OperatorNameMaxLength {
		return "", false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || strings.ContainsRune("._-@", r)) {
			return "", false
		}
	}
	return s, true
}

// netBIOSDomainMaxLength bounds the DOMAIN of a down-level logon name:
// NetBIOS names have at most 15 characters.
const netBIOSDomainMaxLength = 15

// NormalizeSignInName reads the username typed at the help desk's sign-in:
// an operator name (NormalizeOperatorName; a userPrincipalName such as
// hana@example.edu.hk is one), or a Windows down-level logon name
// DOMAIN\name, whose DOMAIN is 1 to 15 of a-z 0-9 . _ - and whose name is
// an operator name without @ (an sAMAccountName has none). Local operators'
// names never hold a backslash, so only the directory can accept the
// second form; it checks the domain.
func NormalizeSignInName(s string) (string, bool) {
	domain, name, down := strings.Cut(strings.TrimSpace(s), `\`)
	if !down {
		return NormalizeOperatorName(s)
	}
	domain, okDomain := NormalizeOperatorName(domain)
	name, okName := NormalizeOperatorName(name)
	if !okDomain || !okName || len(domain) > netBIOSDomainMaxLength || strings.Contains(domain+name, "@") {
		return "", false
	}
	return domain + `\` + name, true
}

// signInLimitKey is the part of a sign-in name the per-username limit
// counts: the name without a DOMAIN\ prefix or an @suffix, so that
// hana, EXAMPLE\hana and hana@example.edu.hk share one count rather than
// giving three.
func signInLimitKey(name string) string {
	if _, after, ok := strings.Cut(name, `\`); ok {
		name = after
	}
	before, _, _ := strings.Cut(name, "@")
	return before
}

// checkOperatorPassword applies the local operators' password rule.
func (s *Service) checkOperatorPassword(password string) error {
	n := utf8.RuneCountInString(password)
	switch {
	case !utf8.ValidString(password):
		return refuse(api.CodePasswordPolicy, "The password is not valid text.")
	case n < s.cfg.OperatorAuth.PasswordMinLength:
		return refuse(api.CodePasswordPolicy, fmt.Sprintf("The password must have at least %d characters.", s.cfg.OperatorAuth.PasswordMinLength))
	case n > operatorPasswordMaxLength:
		return refuse(api.CodePasswordPolicy, fmt.Sprintf("The password must have at most %d characters.", operatorPasswordMaxLength))
	case strings.TrimSpace(password) != password:
		return refuse(api.CodePasswordPolicy, "The password must not start or end with a space.")
	}
	return nil
}

// totpSealVersion starts every sealed TOTP secret, so that the sealing can
// change one day without guessing what a row holds.
const totpSealVersion = 1

// totpKey derives the key that seals TOTP secrets from the code key, so
// that one key (kept out of the database with --code-key-file) protects
// both, and neither use can be turned against the other.
func (s *Service) totpKey(ctx context.Context) ([]byte, error) {
	key, err := s.codeKey(ctx)
	if err != nil {
		return nil, err
	}
	m := hmac.New(sha256.New, key)
	m.Write([]byte("resetd operator TOTP secrets v1"))
	return m.Sum(nil), nil
}

// sealTOTPSecret encrypts secret with AES-256-GCM under key, bound to the
// operator's name so that a sealed secret moved to another row does not
// open.
func sealTOTPSecret(key []byte, name string, secret []byte) ([]byte, error) {
	aead, err := totpAEAD(key)
	if err != nil {
		return nil, err
	}
	out := make([]byte, 1+aead.NonceSize(), 1+aead.NonceSize()+len(secret)+aead.Overhead())
	out[0] = totpSealVersion
	if _, err := rand.Read(out[1:]); err != nil {
		return nil, fmt.Errorf("TOTP nonce: %w", err)
	}
	return aead.Seal(out, out[1:], secret, []byte(name)), nil
}

// errTOTPSealed means a stored TOTP secret does not open with this
// service's key: it was sealed under another --code-key-file.
var errTOTPSealed = errors.New("the operator's TOTP secret does not open with this code key (added with another --code-key-file?)")

func openTOTPSecret(key []byte, name string, sealed []byte) ([]byte, error) {
	aead, err := totpAEAD(key)
	if err != nil {
		return nil, err
	}
	if len(sealed) < 1+aead.NonceSize() || sealed[0] != totpSealVersion {
		return nil, errTOTPSealed
	}
	nonce, ct := sealed[1:1+aead.NonceSize()], sealed[1+aead.NonceSize():]
	secret, err := aead.Open(nil, nonce, ct, []byte(name))
	if err != nil {
		return nil, errTOTPSealed
	}
	return secret, nil
}

func totpAEAD(key []byte) (cipher.AEAD, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

// TOTPEnrolment is what a new or reset local operator loads into an
// authenticator app. It is shown once and never stored in the clear.
type TOTPEnrolment struct {
	Secret string // base32, for typing in
	URI    string // otpauth://totp/…, for a QR code
}

// Events of the operators' administration and sign-in (OWASP logging
// vocabulary). Detail names the operator ("operator alice (local): …").
const (
	EventOperatorAdded        = api.EventUserCreated
	EventOperatorRemoved      = api.EventUserDeleted
	EventOperatorTOTPReset    = api.EventUserUpdated
	EventOperatorSignedIn     = api.EventSessionCreated
	EventOperatorSignInFailed = api.EventAuthnLoginFail
	// EventOperatorSignedOut is OWASP's session_expired with the reason
	// "signed out".
	EventOperatorSignedOut = api.EventSessionExpired
)

// NewOperator is a local operator to add.
type NewOperator struct {
	Name     string
	Password string
	// StaffNumber is the operator's own account, if they have one: they
	// may not act on it. Read as step 1 reads a staff number.
	StaffNumber string
}

// AddOperator adds a local operator with a fresh TOTP secret, and returns
// the enrolment to show them. by says who did it, for the audit.
func (s *Service) AddOperator(ctx context.Context, c Client, o NewOperator, by string) (TOTPEnrolment, error) {
	name, ok := NormalizeOperatorName(o.Name)
	if !ok {
		return TOTPEnrolment{}, refuse(api.CodeInvalidRequest, fmt.Sprintf("An operator's name is 1 to %d of a-z 0-9 . _ - @.", OperatorNameMaxLength))
	}
	var staff string
	if o.StaffNumber != "" {
		var err error
		if staff, err = api.ParseStaffNumber(o.StaffNumber, s.cfg.StaffNumberCase); err != nil {
			return TOTPEnrolment{}, refuse(api.CodeInvalidRequest, "The operator's own staff number is not a staff number.")
		}
	}
	if err := s.checkOperatorPassword(o.Password); err != nil {
		return TOTPEnrolment{}, err
	}
	hash, err := s.hasher.hash(ctx, o.Password)
	if err != nil {
		return TOTPEnrolment{}, err
	}
	secret, sealed, err := s.newSealedTOTP(ctx, name)
	if err != nil {
		return TOTPEnrolment{}, err
	}
	now := s.clock.Now()
	ev := s.event(c, EventOperatorAdded, "", fmt.Sprintf("operator %s (local): added, by %s", name, by))
	err = s.store.Update(ctx, func(tx Tx) error {
		err := tx.InsertOperator(OperatorAccount{Name: name, StaffNumber: staff, PasswordHash: hash, TOTPSecret: sealed, CreatedAt: now, UpdatedAt: now})
		if err != nil {
			return err
		}
		return tx.InsertAudit(ev)
	})
	if errors.Is(err, ErrOperatorExists) {
		return TOTPEnrolment{}, refuse(api.CodeInvalidRequest, fmt.Sprintf("An operator named %s exists already.", name))
	}
	if err != nil {
		return TOTPEnrolment{}, err
	}
	s.notify(ev)
	return s.enrolment(name, secret), nil
}

// ResetOperatorTOTP gives a local operator a new TOTP secret (their phone
// was lost or replaced) and ends their sessions.
func (s *Service) ResetOperatorTOTP(ctx context.Context, c Client, name, by string) (TOTPEnrolment, error) {
	name, ok := NormalizeOperatorName(name)
	if !ok {
		return TOTPEnrolment{}, ErrNotFound
	}
	secret, sealed, err := s.newSealedTOTP(ctx, name)
	if err != nil {
		return TOTPEnrolment{}, err
	}
	ev := s.event(c, EventOperatorTOTPReset, "", "")
	err = s.store.Update(ctx, func(tx Tx) error {
		if err := tx.SetOperatorTOTP(name, sealed, s.clock.Now()); err != nil {
			return err
		}
		n, err := tx.DeleteOperatorSessions(name)
		if err != nil {
			return err
		}
		ev.Detail = fmt.Sprintf("operator %s (local): new TOTP secret, %d sessions ended, by %s", name, n, by)
		return tx.InsertAudit(ev)
	})
	if err != nil {
		return TOTPEnrolment{}, err
	}
	s.notify(ev)
	return s.enrolment(name, secret), nil
}

// RemoveOperator removes a local operator and ends their sessions
// (ErrNotFound).
func (s *Service) RemoveOperator(ctx context.Context, c Client, name, by string) error {
	name, ok := NormalizeOperatorName(name)
	if !ok {
		return ErrNotFound
	}
	ev := s.event(c, EventOperatorRemoved, "", "")
	err := s.store.Update(ctx, func(tx Tx) error {
		if err := tx.DeleteOperator(name); err != nil {
			return err
		}
		n, err := tx.DeleteOperatorSessions(name)
		if err != nil {
			return err
		}
		ev.Detail = fmt.Sprintf("operator %s (local): removed, %d sessions ended, by %s", name, n, by)
		return tx.InsertAudit(ev)
	})
	if err != nil {
		return err
	}
	s.notify(ev)
	return nil
}

// Operators lists the local operators.
func (s *Service) Operators(ctx context.Context) ([]OperatorAccount, error) {
	var out []OperatorAccount
	err := s.store.View(ctx, func(tx Tx) error {
		var err error
		out, err = tx.Operators()
		return err
	})
	return out, err
}

// IsLocalOperatorAccount reports whether staffNumber (read as step 1 reads
// it) is the own account of a local operator: the help desk refuses to act
// on another operator's account.
func (s *Service) IsLocalOperatorAccount(ctx context.Context, staffNumber string) (bool, error) {
	staffNumber, err := api.ParseStaffNumber(staffNumber, s.cfg.StaffNumberCase)
	if err != nil {
		return false, nil
	}
	var list []OperatorAccount
	err = s.store.View(ctx, func(tx Tx) error {
		list, err = tx.OperatorsWithStaffNumber(staffNumber)
		return err
	})
	return len(list) > 0, err
}

func (s *Service) newSealedTOTP(ctx context.Context, name string) (secret, sealed []byte, err error) {
	if secret, err = newTOTPSecret(); err != nil {
		return nil, nil, err
	}
	key, err := s.totpKey(ctx)
	if err != nil {
		return nil, nil, err
	}
	sealed, err = sealTOTPSecret(key, name, secret)
	return secret, sealed, err
}

func (s *Service) enrolment(name string, secret []byte) TOTPEnrolment {
	return TOTPEnrolment{
		Secret: totpEncoding.EncodeToString(secret),
		URI:    totpURI(s.cfg.OperatorAuth.TOTPIssuer, name, secret, api.TOTPDigits),
	}
}
