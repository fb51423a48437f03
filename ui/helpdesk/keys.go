package helpdesk

import "casreset/api"

// The texts whose key depends on a value of the contract, each written
// out whole so that the translations' checks find it. A value a newer
// service may add, that these do not know, gets no line of its own.
var (
	channelKeys = map[api.Channel]string{
		api.ChannelSMS:   "hd.channel.sms",
		api.ChannelEmail: "hd.channel.email",
	}
	sentKeys = map[api.Channel]string{
		api.ChannelSMS:   "hd.verify.sent.sms",
		api.ChannelEmail: "hd.verify.sent.email",
	}
	protectedKeys = map[string]string{
		api.ProtectedOwnAccount: "hd.protected.own_account",
		api.ProtectedOperator:   "hd.protected.operator",
		api.ProtectedPrivileged: "hd.protected.privileged",
	}
	limitKeys = map[string]string{
		api.LimitSendsPerAccount:      "hd.limit.sends_per_account",
		api.LimitWrongCodesPerAccount: "hd.limit.wrong_codes_per_account",
	}
	operatorKindKeys = map[string]string{
		"local":     "hd.operator.kind.local",
		"directory": "hd.operator.kind.directory",
	}
	// eventKeys name what happened, by the audit's event type. The
	// service's detail stays in English, shown as its record beneath.
	eventKeys = map[string]string{
		api.EventAuthnTokenCreated:       "hd.event.type.authn_token_created",
		api.EventSensitiveCreate:         "hd.event.type.sensitive_create",
		api.EventAuthnLoginSuccess:       "hd.event.type.authn_login_success",
		api.EventAuthnLoginFail:          "hd.event.type.authn_login_fail",
		api.EventAuthnLoginFailMax:       "hd.event.type.authn_login_fail_max",
		api.EventAuthnPasswordChange:     "hd.event.type.authn_password_change",
		api.EventAuthnPasswordChangeFail: "hd.event.type.authn_password_change_fail",
		api.EventSensitiveRead:           "hd.event.type.sensitive_read",
		api.EventExcessRateLimitExceeded: "hd.event.type.excess_rate_limit_exceeded",
		api.EventInputValidationFail:     "hd.event.type.input_validation_fail",
		api.EventAuthzFail:               "hd.event.type.authz_fail",
		api.EventSequenceFail:            "hd.event.type.sequence_fail",
		api.EventUserCreated:             "hd.event.type.user_created",
		api.EventUserUpdated:             "hd.event.type.user_updated",
		api.EventUserDeleted:             "hd.event.type.user_deleted",
		api.EventAuthzAdmin:              "hd.event.type.authz_admin",
		api.EventSessionCreated:          "hd.event.type.session_created",
		api.EventSessionExpired:          "hd.event.type.session_expired",
	}
	// actionKeys are the note page's title and button for each action.
	actionKeys = map[action]struct{ title, confirm string }{
		actionUnlock: {"hd.note.title.unlock", "hd.note.confirm.unlock"},
		actionPass:   {"hd.note.title.pass", "hd.note.confirm.pass"},
	}
)
