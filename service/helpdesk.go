package service

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"casreset/api"
	"casreset/service/internal/textsafe"
)

// The help desk (DESIGN.md, "The help desk"): what a signed-in IT Help
// operator reads of an account and does for its owner. Every method takes
// the operator from its context (WithOperator; the HTTP adapter puts the
// session's operator there) and records an audit event naming them, for a
// look-up, an action or a refusal alike. The operator never sees, chooses
// or types the owner's password.
//
// Actions (a caller verification, an unlock, a pass) are refused with
// operator_forbidden on the operator's own account, on another operator's
// and on a privileged one; an unlock or a pass also needs the caller
// verified by this operator within CallerVerifiedFor, or an in-person
// note, else caller_not_verified.

// Times and counts of the help desk.
const (
	// VerificationCodeTTL is how long a caller-verification code can be
	// read back.
	VerificationCodeTTL = 10 * time.Minute
	// CallerVerifiedFor is how long a caller stays verified for the
	// operator who checked the code.
	CallerVerifiedFor = 15 * time.Minute
	// MaxWrongVerificationCodes ends a caller verification.
	MaxWrongVerificationCodes = 5
	// PassTTL is how long a help-desk pass can be used (once).
	PassTTL = 15 * time.Minute
	// HelpdeskEventsShown is how many of an account's latest events a
	// look-up shows.
	HelpdeskEventsShown = 20
	// maxEventsByReference bounds the events a reference look-up returns:
	// one request writes one event, but a reference is only as unique as
	// its caller made it.
	maxEventsByReference = 100
)

// EventHelpdesk is the audit event of every help-desk look-up and action
// (OWASP authz_admin: an action of a privileged user); its detail says
// which, and by whom. Refusals are audited as the flow's are (authz_fail,
// input_validation_fail, …) with the operator in the detail.
const EventHelpdesk = api.EventAuthzAdmin

// Message kinds of the help desk.
const (
	MessageCallerCode   = "caller_code"   // a caller-verification code, to read back to IT Help
	MessageUnlockNotice = "unlock_notice" // IT Help unlocked the account
	MessagePassNotice   = "pass_notice"   // IT Help issued a pass for the account
)

// OperatorAccounts is a Directory that knows its help-desk operators
// (ldapdir with --helpdesk-group): whether a staff number is the account
// of a member of the group. Operators may not act on each other's
// accounts.
type OperatorAccounts interface {
	IsOperatorAccount(ctx context.Context, staffNumber string) (bool, error)
}

// HelpdeskOperatorKey names op in the store: kind and name, so that a
// local operator and a directory user of one name stay apart.
func HelpdeskOperatorKey(op Operator) string { return string(op.Kind) + ":" + op.Name }

// maxOperatorName bounds what the audit keeps of an operator's name.
const maxOperatorName = 128

// operatorLabel is how the audit names op: "by NAME (KIND operator)".
func operatorLabel(op Operator) string {
	return fmt.Sprintf("by %s (%s operator)", textsafe.Printable(op.Name, maxOperatorName), op.Kind)
}

const detailSignIn = "Please sign in to the help desk."

// helpdeskCall is one help-desk request: who asks and for what account.
type helpdeskCall struct {
	s     *Service
	c     Client
	op    Operator
	name  string // of the operation, for the log
	staff string // the account's staff number, once parsed
}

// beginHelpdesk reads the operator from ctx and, for a call about an
// account, the staff number typed (forAccount).
func (s *Service) beginHelpdesk(ctx context.Context, c Client, name string, forAccount bool, staffNumber string) (*helpdeskCall, error) {
	op, ok := OperatorFrom(ctx)
	if !ok || op.Name == "" {
		return nil, s.public(c, name, refuse(api.CodeOperatorAuthFailed, detailSignIn))
	}
	h := &helpdeskCall{s: s, c: c, op: op, name: name}
	if !forAccount {
		return h, nil
	}
	staff, err := api.ParseStaffNumber(staffNumber, s.cfg.StaffNumberCase)
	if err != nil {
		return nil, h.refused(ctx, refuseWhy(api.CodeInvalidRequest, "This is not a staff / teacher number.", "staff number format"))
	}
	h.staff = staff
	return h, nil
}

// refused records refusal no with the operator named, and returns it as
// the operator sees it.
func (h *helpdeskCall) refused(ctx context.Context, no *refusal) error {
	why := operatorLabel(h.op)
	if no.why != "" {
		why = no.why + ", " + why
	}
	return h.s.refused(ctx, h.c, h.name, h.staff, no.err, why)
}

// fail returns err as the operator sees it.
func (h *helpdeskCall) fail(err error) error { return h.s.public(h.c, h.name, err) }

// event is the audit event of the operation; what says what was done.
func (h *helpdeskCall) event(what string) AuditEvent {
	return h.s.event(h.c, EventHelpdesk, h.staff, "helpdesk "+what+" "+operatorLabel(h.op))
}

// account looks the account up in the directory (account_not_found).
func (h *helpdeskCall) account(ctx context.Context) (Account, error) {
	a, no, err := h.s.account(ctx, h.staff)
	if err != nil {
		return Account{}, h.fail(err)
	}
	if no != nil {
		return Account{}, h.refused(ctx, no)
	}
	return a, nil
}

// actionable looks the account up and refuses it when the operator may
// not act on it.
func (h *helpdeskCall) actionable(ctx context.Context) (Account, error) {
	a, err := h.account(ctx)
	if err != nil {
		return Account{}, err
	}
	why, err := h.s.protection(ctx, h.op, a)
	if err != nil {
		return Account{}, h.fail(err)
	}
	if why != "" {
		return Account{}, h.refused(ctx, refuseWhy(api.CodeOperatorForbidden, protectedDetail[why], "protected: "+why))
	}
	return a, nil
}

var protectedDetail = map[string]string{
	api.ProtectedOwnAccount: "You may not act on your own account. Please ask a colleague.",
	api.ProtectedOperator:   "This is an IT Help operator's account. Please ask the directory's administrators.",
	api.ProtectedPrivileged: "This is a privileged account. Please ask the directory's administrators.",
}

// protection says why op may not act on a (an api.Protected… value), or
// "" when they may.
func (s *Service) protection(ctx context.Context, op Operator, a Account) (string, error) {
	if own := api.NormalizeStaffNumber(op.StaffNumber, s.cfg.StaffNumberCase); own != "" && own == a.StaffNumber {
		return api.ProtectedOwnAccount, nil
	}
	if a.Privileged {
		return api.ProtectedPrivileged, nil
	}
	local, err := s.isLocalOperator(ctx, a.StaffNumber)
	if err != nil || local {
		return protectedIf(local), err
	}
	if o, ok := s.dir.(OperatorAccounts); ok {
		is, err := o.IsOperatorAccount(ctx, a.StaffNumber)
		if err != nil || is {
			return protectedIf(is), err
		}
	}
	return "", nil
}

// isLocalOperator reports whether staffNumber is a local operator's own
// account (resetd operators add --staff-number), or the name of a local
// operator.
func (s *Service) isLocalOperator(ctx context.Context, staffNumber string) (bool, error) {
	if is, err := s.IsLocalOperatorAccount(ctx, staffNumber); err != nil || is {
		return is, err
	}
	name, ok := NormalizeOperatorName(staffNumber)
	if !ok {
		return false, nil
	}
	err := s.store.View(ctx, func(tx Tx) error {
		_, err := tx.Operator(name)
		return err
	})
	if errors.Is(err, ErrNotFound) {
		return false, nil
	}
	return err == nil, err
}

func protectedIf(operator bool) string {
	if operator {
		return api.ProtectedOperator
	}
	return ""
}

// timeOrNil is t, or nil for the zero time.
func timeOrNil(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

// inPersonNote checks the note an operator gives instead of a verified
// caller: at most api.MaxInPersonNote characters, printable, one line.
func inPersonNote(s string) (string, *refusal) {
	note := strings.TrimSpace(s)
	if utf8.RuneCountInString(note) > api.MaxInPersonNote {
		return "", refuseWhy(api.CodeInvalidRequest, fmt.Sprintf("The note is too long: at most %d characters.", api.MaxInPersonNote), "note too long")
	}
	if !utf8.ValidString(note) || strings.ContainsFunc(note, func(r rune) bool { return r != ' ' && !unicode.IsGraphic(r) }) {
		return "", refuseWhy(api.CodeInvalidRequest, "The note must be one line of text.", "note characters")
	}
	return note, nil
}
