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
	// actionKeys are the note page's title and button for each action.
	actionKeys = map[action]struct{ title, confirm string }{
		actionUnlock: {"hd.note.title.unlock", "hd.note.confirm.unlock"},
		actionPass:   {"hd.note.title.pass", "hd.note.confirm.pass"},
	}
)
