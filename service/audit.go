package service

import (
	"context"

	"casreset/api"
	"casreset/service/internal/textsafe"
)

// Audit event names, from the OWASP Application Logging Vocabulary. Each
// outcome of the service writes exactly one event; Detail then names the
// outcome more precisely (for refusals, the api.Code and a few words).
//
//	authn_token_created         Start: a reset token was issued (a flow began)
//	sensitive_create            SendCode: a validation code was created and queued
//	authn_login_success         Verify: the right code
//	authn_login_fail            Verify: a wrong or expired code
//	authn_login_fail_max        Verify: the last allowed wrong code; the flow ended
//	authn_password_change       SetPassword: changed; the token is spent
//	authn_password_change_fail  SetPassword: policy, reuse or directory refusal
//	sensitive_read              RemindStaffNumber: the staff number was queued to its contact
//	excess_rate_limit_exceeded  any limit of the rules table was hit
//	input_validation_fail       wrong, used or expired CAPTCHA; malformed input
//	authz_fail                  unknown, expired, ended or disabled account, no contact,
//	                            channel not registered, unknown or spent reset
//	                            token, reminder contact with no eligible account
//	sequence_fail               a step called out of order
//	user_updated                UnlockAccount: the account's limits lifted and its
//	                            open flows ended by IT Help
//
// Events never hold a password, code, CAPTCHA answer or reset token.
const (
	EventResetStarted          = api.EventAuthnTokenCreated
	EventCodeSent              = api.EventSensitiveCreate
	EventCodeVerified          = api.EventAuthnLoginSuccess
	EventCodeRefused           = api.EventAuthnLoginFail
	EventAttemptsExhausted     = api.EventAuthnLoginFailMax
	EventPasswordChanged       = api.EventAuthnPasswordChange
	EventPasswordChangeFailed  = api.EventAuthnPasswordChangeFail
	EventReminderSent          = api.EventSensitiveRead
	EventRateLimited           = api.EventExcessRateLimitExceeded
	EventInputValidationFailed = api.EventInputValidationFail
	EventAccessRefused         = api.EventAuthzFail
	EventSequenceFailed        = api.EventSequenceFail
	EventAccountUnlocked       = api.EventUserUpdated
)

// maxUserAgent bounds what the audit keeps of a client's User-Agent header.
const maxUserAgent = 256

// refusalEvents names the event of each refusal.
var refusalEvents = map[api.Code]string{
	api.CodeInvalidRequest:     EventInputValidationFailed,
	api.CodeCaptchaInvalid:     EventInputValidationFailed,
	api.CodeAccountNotFound:    EventAccessRefused,
	api.CodeAccountExpired:     EventAccessRefused,
	api.CodeAccountDisabled:    EventAccessRefused,
	api.CodeNoContact:          EventAccessRefused,
	api.CodeTokenInvalid:       EventAccessRefused,
	api.CodeChannelUnavailable: EventAccessRefused,
	api.CodeWrongStep:          EventSequenceFailed,
	api.CodeCodeInvalid:        EventCodeRefused,
	api.CodeCodeExpired:        EventCodeRefused,
	api.CodeAttemptsExhausted:  EventAttemptsExhausted,
	api.CodePasswordPolicy:     EventPasswordChangeFailed,
	api.CodePasswordReused:     EventPasswordChangeFailed,
	api.CodeRateLimited:        EventRateLimited,
}

// SetEventHook sets a function called with each audit event once the
// transaction that stored it has committed (for metrics and to wake the
// delivery worker). It must not block; nil removes the hook.
func (s *Service) SetEventHook(fn func(AuditEvent)) {
	if fn == nil {
		s.hook.Store(nil)
		return
	}
	s.hook.Store(&fn)
}

// event builds an audit event of c's request at the service's current time.
func (s *Service) event(c Client, name, staffNumber, detail string) AuditEvent {
	ua := textsafe.Printable(c.UserAgent, maxUserAgent)
	return AuditEvent{
		Time:        s.clock.Now().UTC(),
		Event:       name,
		StaffNumber: staffNumber,
		ClientAddr:  c.Addr,
		UserAgent:   ua,
		Reference:   c.Reference,
		Detail:      detail,
	}
}

// EscapeForDisplay returns s with every character escaped that could
// reorder, hide or fake what an operator reads (textsafe.Escape): the
// audit keeps what a client sent (a User-Agent), and `resetd audit` shows
// it through this.
func EscapeForDisplay(s string) string { return textsafe.Escape(s) }

// refusalEvent is the event of refusal e; extra adds context to its detail.
func (s *Service) refusalEvent(c Client, staffNumber string, e *api.Error, extra string) AuditEvent {
	name, ok := refusalEvents[e.Code]
	if !ok {
		name = EventAccessRefused
	}
	detail := string(e.Code)
	if extra != "" {
		detail += ": " + extra
	}
	return s.event(c, name, staffNumber, detail)
}

// notify hands committed events to the hook.
func (s *Service) notify(events ...AuditEvent) {
	fn := s.hook.Load()
	if fn == nil {
		return
	}
	for _, e := range events {
		(*fn)(e)
	}
}

// record stores ev in a transaction of its own, for outcomes decided
// outside any other transaction. A failure to store it is logged, not
// returned: the caller's answer does not depend on it.
func (s *Service) record(ctx context.Context, ev AuditEvent) {
	err := s.store.Update(context.WithoutCancel(ctx), func(tx Tx) error { return tx.InsertAudit(ev) })
	if err != nil {
		s.log.Error("audit event not stored", "event", ev.Event, "reference", ev.Reference, "error", err)
		return
	}
	s.notify(ev)
}

// refused records refusal e (outside any transaction) and returns it as the
// caller should see it.
func (s *Service) refused(ctx context.Context, c Client, op, staffNumber string, e *api.Error, extra string) *api.Error {
	s.record(ctx, s.refusalEvent(c, staffNumber, e, extra))
	return s.public(c, op, e)
}
