package api

// Audit event types, from the OWASP Application Logging Vocabulary: the
// values of HelpdeskEvent.Event. The service says in its own code which of
// its outcomes writes which type (one type may name several outcomes, e.g.
// user_updated for an account unlocked and for an operator's TOTP reset);
// the help desk names each type in the operator's language. A newer service
// may write a type this list lacks.
const (
	EventAuthnTokenCreated       = "authn_token_created"
	EventSensitiveCreate         = "sensitive_create"
	EventAuthnLoginSuccess       = "authn_login_success"
	EventAuthnLoginFail          = "authn_login_fail"
	EventAuthnLoginFailMax       = "authn_login_fail_max"
	EventAuthnPasswordChange     = "authn_password_change"
	EventAuthnPasswordChangeFail = "authn_password_change_fail"
	EventSensitiveRead           = "sensitive_read"
	EventExcessRateLimitExceeded = "excess_rate_limit_exceeded"
	EventInputValidationFail     = "input_validation_fail"
	EventAuthzFail               = "authz_fail"
	EventSequenceFail            = "sequence_fail"
	EventUserCreated             = "user_created"
	EventUserUpdated             = "user_updated"
	EventUserDeleted             = "user_deleted"
	EventAuthzAdmin              = "authz_admin"
	EventSessionCreated          = "session_created"
	EventSessionExpired          = "session_expired"
)

// EventTypes lists every audit event type the service writes.
func EventTypes() []string {
	return []string{
		EventAuthnTokenCreated, EventSensitiveCreate, EventAuthnLoginSuccess,
		EventAuthnLoginFail, EventAuthnLoginFailMax, EventAuthnPasswordChange,
		EventAuthnPasswordChangeFail, EventSensitiveRead, EventExcessRateLimitExceeded,
		EventInputValidationFail, EventAuthzFail, EventSequenceFail,
		EventUserCreated, EventUserUpdated, EventUserDeleted,
		EventAuthzAdmin, EventSessionCreated, EventSessionExpired,
	}
}
