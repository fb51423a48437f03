package httpapi

import "net/http"

// routes registers the whole v1 contract (DESIGN.md, "The HTTP contract").
// The pattern is also the "route" label of the request metrics.
//
// Every answer carries Strict-Transport-Security (two years). A request
// body is one JSON object whose members are each given once and spelt
// exactly as here: a repeated member, or one that matches a field only
// without regard to case ("Staff_Number", "ſtaff_number"), is 400
// invalid_request, like an unknown one.
//
// Limits beyond the rules table of DESIGN.md, each a flag of resetd serve
// (defaults in brackets); each refusal is 429 rate_limited with
// retry_after unless said otherwise:
//
//   - CAPTCHAs created per client address [120 per 10 min]
//     (--captchas-per-addr, --captcha-window).
//   - Wrong CAPTCHA answers per client address [30 per 10 min], of starts
//     and reminders together (--wrong-captchas-per-addr,
//     --wrong-captcha-window); at the limit every answer from the address
//     is refused, unused. An answer to a CAPTCHA that does not exist, is
//     used or has expired counts nowhere: it could never be right.
//   - Flow starts [30 per 10 min] and reminders [10 per hour] per client
//     address count only once their CAPTCHA is right, so that garbage
//     cannot lock out everyone behind one address.
//   - A client address is an IPv4 address, or an IPv6 address's /64
//     (--limit-prefix-ipv4, --limit-prefix-ipv6).
//   - Wrong codes per account, all flows together [10 per 24 h]
//     (--wrong-codes-per-account, --wrong-code-window). attempts_left is
//     the lower of the flow's and the account's; at the limit the verify
//     that reached it, and then the next verify of every open flow of the
//     account (right code or wrong, not compared), answer 403
//     attempts_exhausted and end the flow, and sends are refused until the
//     oldest wrong code leaves the window (sends_left is 0 meanwhile).
//     resetd accounts unlock lifts it.
//   - New passwords per flow [10], whatever their outcome
//     (--max-password-attempts); the next is 403 attempts_exhausted and
//     ends the flow. So password_policy and password_reused answer at most
//     ten questions about the policy and the account's last passwords per
//     flow, each flow costing a CAPTCHA and a code from the owner's phone
//     or mailbox.
//
// New passwords are normalised to NFC before the policy, the history and
// the hash; invisible_char refuses control, format, private-use,
// unassigned and non-character code points.
//
// Account state from the directory: a disabled account (AD
// userAccountControl bit 2; ppolicy pwdAccountLockedTime 000001010000Z) is
// 403 account_disabled at POST /v1/resets, and at sending a code or
// setting the password should it be disabled meanwhile; an account past
// AD's accountExpires is 403 account_expired there too. Neither, nor a
// staff number that several directory entries share, gets a staff-number
// reminder.
func (h *handler) routes() {
	// GET /v1/policy and the "policy" of GET /v1/resets/current keep
	// the members of the first version and add "requirements": the rules
	// in the order to show them, each with its parameters, e.g.
	// {"id":"too_short","min":10}, {"id":"forbidden_char","chars":"$\"\\/`"},
	// {"id":"reused","count":3} (the history, refused as password_reused).
	// invisible_char is enforced but not listed. api.Rule documents the
	// parameters.
	//
	// The flow's policy is its account's: the global one merged with the
	// directory's (Active Directory's domain policy, or the account's
	// fine-grained one): the longer minimum length and history, and with
	// AD's complexity {"id":"needs_three_classes","count":3} and
	// {"id":"contains_account_name","min":3}. A verified flow's policy also
	// carries "account_names", the names that contains_account_name keeps
	// out of passwords, so that the wizard ticks it as the person types. A
	// directory's minimum password age is not listed, but "rules" (the ids
	// "violations" may name) has "too_soon" while it applies.
	h.handle("GET /v1/policy", h.policy)

	h.handle("POST /v1/captchas", h.newCaptcha) // answer: captcha_id, image_url, audio_url, expires_at, digits
	h.handle("GET /v1/captchas/{id}/image.png", h.captchaImage)
	// ?lang=en (English, the default), yue (Cantonese) or zh (Putonghua);
	// anything else is 400 invalid_request. 8 kHz 8-bit WAV, every digit
	// varied (package captchaaudio); one CAPTCHA in one language is always
	// the same sound, so that fetching it again gives a program nothing new.
	h.handle("GET /v1/captchas/{id}/audio.wav", h.captchaAudio)

	// POST /v1/resets also answers "staff_number": the account's number as
	// the service reads it (api.NormalizeStaffNumber under
	// --staff-number-case), for the wizard to remember.
	//
	// The person's language: POST /v1/resets, POST
	// /v1/resets/current/code, PUT /v1/resets/current/password and POST
	// /v1/staff-number-reminders take an optional "language", a BCP 47 tag. It is read as the language of
	// the table (assets/languages.go) that fits it best ("zh-TW" as
	// zh-HK, "en-GB" as en); a tag that none fits ("fr") is read as no
	// language, so that a newer wizard's language never stops a reset:
	// the messages then go out in --sms-lang. A value that is not a
	// language tag at all (letters and digits in subtags of 1 to 8 joined
	// by "-", the first of 2 to 8 letters, 35 characters at most: "zh_HK"
	// and "繁體中文" are not) is 400 invalid_request, checked before the
	// CAPTCHA is used (and before a new password is counted). The flow
	// keeps the language of its start; a code or password request that
	// names one makes it the flow's (the person switched mid-flow, before
	// or after the code was sent), one that names none keeps it. SMS go
	// out in the flow's language only, e-mails in it first and the other
	// languages below, and the notice of the password change in the
	// language the flow had then.
	h.handle("POST /v1/resets", h.start)
	h.handle("GET /v1/resets/current", h.flow)           // Bearer
	h.handle("POST /v1/resets/current/code", h.sendCode) // Bearer
	// POST /v1/resets/current/verify also takes {"pass"} in place of
	// {"code"} (never both: 400 invalid_request): a one-time pass from IT
	// Help, at step started or code_sent, read in any case with or
	// without its dash and spaces. A wrong pass is code_invalid and counts
	// as a wrong code (flow and account); a right one that has expired is
	// code_expired, not counted; a pass works once.
	h.handle("POST /v1/resets/current/verify", h.verify) // Bearer
	// PUT /v1/resets/current/password answers "still_locked": true beside
	// "changed_at" when the directory had locked the account out after
	// wrong passwords and the service account may not end the lockout.
	h.handle("PUT /v1/resets/current/password", h.setPassword) // Bearer

	h.handle("POST /v1/staff-number-reminders", h.remind)

	// The help desk's sessions (DESIGN.md, "The help desk").
	//
	// POST /v1/helpdesk/sessions {"username","password","totp"} answers 201
	// {"session_token","expires_at","ends_at","operator":{"name","kind"}}.
	// A username is 1 to 64 of a-z 0-9 . _ - @, read without regard to
	// case (the operator's name is its lower-case form), or under
	// --ldap-ad a down-level logon name DOMAIN\name (DOMAIN 1 to 15 of
	// a-z 0-9 . _ -, name without @); anything else, and an empty username
	// or password, is 400 invalid_request. Under --ldap-ad a directory
	// operator may type their sAMAccountName, userPrincipalName
	// (name@suffix) or DOMAIN\name with the domain's NetBIOS name (another
	// domain is 401 like an unknown name); whichever form, the operator's
	// name in the answer, the session and the audit is their
	// --ldap-username-attr in lower case. Directory operators are searched
	// under --ldap-operator-base-dn [--ldap-base-dn]. A local operator (resetd
	// operators add) needs the password and the 6-digit TOTP code of their
	// authenticator app (RFC 6238: 30 s, SHA-1, one step either side), and
	// each code works once. Any other name is tried against the directory,
	// when LDAP is configured with --helpdesk-group: a bind as the operator
	// and membership of the group (nested groups under --ldap-ad); directory
	// operators have no TOTP of resetd's ("totp" is ignored), their
	// directory's own sign-in rules apply. Every failure (unknown name,
	// wrong password or code, a code used already, not in the group) is the
	// same 401 operator_auth_failed; the audit says which.
	//
	// Sign-ins are limited [--operator-failures-per-user 5 per username
	// (the name without a DOMAIN\ prefix or an @suffix, so that the forms
	// of one name share a count),
	// --operator-signins-per-addr 30 per client address, per
	// --operator-signin-window 15 min]: each is counted before anything is
	// checked, and a successful one forgets its username's. At a limit the
	// answer is 429 rate_limited with retry_after, so the operator knows
	// when to try again.
	//
	// A session ends after --operator-session-idle [15 min] without use
	// (every help-desk request moves expires_at on), at ends_at
	// (--operator-session-max [8 h] after sign-in) whatever happens, on
	// sign-out, and when its local operator is removed or given a new
	// TOTP secret. A directory operator taken out of the group keeps a
	// session open until it ends. Every /v1/helpdesk/ call but the sign-in
	// takes "Authorization: Bearer <session_token>"; a missing, unknown or
	// ended session is 401 operator_auth_failed with WWW-Authenticate.
	// Sign-in, failures and sign-out are audited with the operator's name
	// (session_created, authn_login_fail, session_expired "signed out"),
	// never the password or code.
	h.handle("POST /v1/helpdesk/sessions", h.signIn)
	h.handle("DELETE /v1/helpdesk/sessions/current", h.signedIn(h.signOut)) // 204

	// The help desk's look-ups and actions; each needs a session
	// (signedIn), and each look-up, action and refusal is an audit event
	// naming the operator ("authz_admin" for what was done; refusals as
	// the flow's, with the operator in the detail).
	//
	// GET …/accounts/{staff_number} answers the account (api.HelpdeskAccount):
	// "name", "channels" (masked), "contract_end", "last_eligible_day",
	// "eligible", "logins_end", "disabled", "locked_out", "privileged",
	// "password_set_at" (the directory's), "password_changed_at" (the last
	// change here), "limits" (per account: {"limit","count","max",
	// "window_seconds","reached","retry_at"}), "protected" (own_account,
	// operator or privileged: why this operator may not act on it),
	// "verified_until" (this operator's verification of the caller) and
	// "events" (the last 20, newest first, with reference and client_addr).
	// An unknown account is 404 account_not_found.
	//
	// GET …/events/{reference} answers {"reference","events","account"}:
	// the events of the reference, oldest first (at most 100), and the
	// account's summary when they name one. The reference is read in any
	// case, spaces and dashes dropped; none found is 404 not_found.
	//
	// Actions are 403 operator_forbidden on the operator's own account
	// (the staff number of their sign-in), on another operator's (a local
	// operator's own account or name, a member of --helpdesk-group) and on
	// a privileged one (AD adminCount=1, or a member of a protected group
	// through nested groups).
	//
	// POST …/verifications {"channel"} answers 202 {"channel","destination",
	// "code_expires_at","resend_after"}: a 6-digit code, valid 10 min, to
	// the account's own contact through the outbox; the caller reads it
	// back. A new one replaces the operator's last (and its verified
	// caller); they are 60 s apart (429 rate_limited with retry_after).
	// POST …/verifications/current/check {"code"} answers 200
	// {"verified_until"} (15 min, for this operator only); a wrong code is
	// 422 code_invalid with attempts_left, the 5th ends it (403
	// attempts_exhausted), an expired one is 410 code_expired, none
	// waiting 409 wrong_step.
	//
	// POST …/unlock {"in_person_note"?} (the body may be empty) answers 200
	// {"limits_lifted","flows_ended","directory_unlocked","still_locked"}.
	// POST …/passes {"in_person_note"?} answers 201 {"pass":"ABCD-EFGH",
	// "expires_at"}: 8 characters of 23456789ABCDEFGHJKMNPQRSTUVWXYZ, valid
	// 15 min, used once; the account's newest pass replaces the last;
	// none for an account past its eligibility (403 account_expired) or
	// without contacts (403 no_contact). Both need a caller this operator
	// verified within 15 min, or an in_person_note (one line, at most 500
	// characters; audited), else 403 caller_not_verified. The staff member
	// is told of each on every registered contact, in the language of
	// their latest flow (else --sms-lang), as the caller's code is.
	h.handle("GET /v1/helpdesk/accounts/{staff_number}", h.signedIn(h.helpdeskAccount))
	h.handle("GET /v1/helpdesk/events/{reference}", h.signedIn(h.helpdeskEvents))
	h.handle("POST /v1/helpdesk/accounts/{staff_number}/verifications", h.signedIn(h.helpdeskStartVerification))               // 202
	h.handle("POST /v1/helpdesk/accounts/{staff_number}/verifications/current/check", h.signedIn(h.helpdeskCheckVerification)) // 200
	h.handle("POST /v1/helpdesk/accounts/{staff_number}/unlock", h.signedIn(h.helpdeskUnlock))                                 // 200
	h.handle("POST /v1/helpdesk/accounts/{staff_number}/passes", h.signedIn(h.helpdeskIssuePass))                              // 201

	h.handle("GET /healthz", h.healthz)
	// GET /readyz is 200 {"status":"ready"}, or 503 unavailable when the
	// database or the directory cannot be reached, or when the directory's
	// service account lacks a right that resets need (Active Directory:
	// Reset Password on the staff entries under the base DN); the detail
	// then names the right, and the log also says where. A password write
	// refused for want of a right (LDAP 50) is 503 unavailable too, logged
	// as an error naming the right.
	h.handle("GET /readyz", h.readyz)
	// GET /metrics is not here: MetricsHandler serves it on a listener of
	// its own (resetd serve --metrics-addr), and this one answers 404.
}

// apiFunc is a route handler: it writes a successful answer or returns the
// error that writeError turns into a problem document.
type apiFunc func(w http.ResponseWriter, r *http.Request) error

func (h *handler) handle(pattern string, fn apiFunc) {
	h.handleHTTP(pattern, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := fn(w, r); err != nil {
			h.writeError(w, r, err)
		}
	}))
}

func (h *handler) handleHTTP(pattern string, next http.Handler) {
	h.mux.Handle(pattern, h.instrument(pattern, next))
}
