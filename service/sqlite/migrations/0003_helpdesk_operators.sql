-- IT Help's local operators and every operator's sessions (the help desk).

-- totp_secret is sealed with a key derived from the code key (AES-256-GCM,
-- bound to the name); totp_last_step is the 30-second step of the last
-- code accepted, so that each code works once. staff_number is the
-- operator's own account, if they have one, which they may not act on.
CREATE TABLE operators (
	name           TEXT PRIMARY KEY,
	staff_number   TEXT NOT NULL DEFAULT '',
	password_hash  TEXT NOT NULL,
	totp_secret    BLOB NOT NULL,
	totp_last_step INTEGER NOT NULL DEFAULT 0,
	created_at     INTEGER NOT NULL,
	updated_at     INTEGER NOT NULL
) STRICT;
CREATE INDEX operators_by_staff_number ON operators (staff_number) WHERE staff_number <> '';

-- id is the hex SHA-256 of the session token. No foreign key to operators:
-- directory operators are not kept here.
CREATE TABLE operator_sessions (
	id           TEXT PRIMARY KEY,
	operator     TEXT NOT NULL,
	kind         TEXT NOT NULL,
	staff_number TEXT NOT NULL DEFAULT '',
	client_addr  TEXT NOT NULL DEFAULT '',
	created_at   INTEGER NOT NULL,
	last_used_at INTEGER NOT NULL,
	expires_at   INTEGER NOT NULL
) STRICT;
CREATE INDEX operator_sessions_by_operator ON operator_sessions (operator);
CREATE INDEX operator_sessions_by_expiry ON operator_sessions (expires_at);
