-- IT Help's local operators and every operator's sessions (the help desk),
-- the PostgreSQL twin of the SQLite store's 0003.

-- totp_secret is sealed with a key derived from the code key (AES-256-GCM,
-- bound to the name); totp_last_step is the 30-second step of the last
-- code accepted, so that each code works once. staff_number is the
-- operator's own account, if they have one, which they may not act on.
CREATE TABLE operators (
	name           text PRIMARY KEY,
	staff_number   text NOT NULL DEFAULT '',
	password_hash  text NOT NULL,
	totp_secret    bytea NOT NULL,
	totp_last_step bigint NOT NULL DEFAULT 0,
	created_at     timestamptz NOT NULL,
	updated_at     timestamptz NOT NULL
);
CREATE INDEX operators_by_staff_number ON operators (staff_number) WHERE staff_number <> '';

-- id is the hex SHA-256 of the session token. No foreign key to operators:
-- directory operators are not kept here.
CREATE TABLE operator_sessions (
	id           text PRIMARY KEY,
	operator     text NOT NULL,
	kind         text NOT NULL,
	staff_number text NOT NULL DEFAULT '',
	client_addr  text NOT NULL DEFAULT '',
	created_at   timestamptz NOT NULL,
	last_used_at timestamptz NOT NULL,
	expires_at   timestamptz NOT NULL
);
CREATE INDEX operator_sessions_by_operator ON operator_sessions (operator);
CREATE INDEX operator_sessions_by_expiry ON operator_sessions (expires_at);
