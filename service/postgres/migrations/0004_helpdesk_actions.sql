-- The help desk's caller verifications and one-time passes, the
-- PostgreSQL twin of the SQLite store's 0004.

-- One verification per operator and account: a new code replaces it.
CREATE TABLE helpdesk_verifications (
	operator        text NOT NULL,
	staff_number    text NOT NULL,
	channel         text NOT NULL DEFAULT '',
	code_hmac       bytea,
	code_expires_at timestamptz,
	code_sent_at    timestamptz,
	wrong_codes     integer NOT NULL DEFAULT 0,
	verified_until  timestamptz,
	expires_at      timestamptz NOT NULL,
	message_id      bigint NOT NULL DEFAULT 0,
	PRIMARY KEY (operator, staff_number)
);
CREATE INDEX helpdesk_verifications_by_expiry ON helpdesk_verifications (expires_at);

-- One pass per account, the newest; only its HMAC is kept.
CREATE TABLE helpdesk_passes (
	staff_number text PRIMARY KEY,
	pass_hmac    bytea NOT NULL,
	operator     text NOT NULL,
	reference    text NOT NULL DEFAULT '',
	created_at   timestamptz NOT NULL,
	expires_at   timestamptz NOT NULL
);
CREATE INDEX helpdesk_passes_by_expiry ON helpdesk_passes (expires_at);
