-- The help desk's caller verifications and one-time passes (times as in
-- 0001: INTEGER microseconds since the Unix epoch, NULL the zero time).

-- One verification per operator and account: a new code replaces it.
CREATE TABLE helpdesk_verifications (
	operator        TEXT NOT NULL,
	staff_number    TEXT NOT NULL,
	channel         TEXT NOT NULL DEFAULT '',
	code_hmac       BLOB,
	code_expires_at INTEGER,
	code_sent_at    INTEGER,
	wrong_codes     INTEGER NOT NULL DEFAULT 0,
	verified_until  INTEGER,
	expires_at      INTEGER NOT NULL,
	message_id      INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (operator, staff_number)
) STRICT;
CREATE INDEX helpdesk_verifications_by_expiry ON helpdesk_verifications (expires_at);

-- One pass per account, the newest; only its HMAC is kept.
CREATE TABLE helpdesk_passes (
	staff_number TEXT PRIMARY KEY,
	pass_hmac    BLOB NOT NULL,
	operator     TEXT NOT NULL,
	reference    TEXT NOT NULL DEFAULT '',
	created_at   INTEGER NOT NULL,
	expires_at   INTEGER NOT NULL
) STRICT;
CREATE INDEX helpdesk_passes_by_expiry ON helpdesk_passes (expires_at);
