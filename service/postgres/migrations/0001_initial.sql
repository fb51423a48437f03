-- The initial schema, the PostgreSQL twin of the SQLite store's 0001: the
-- same tables, columns and indexes. Times are timestamptz (microseconds,
-- an instant whatever the session's time zone); NULL is the zero time.

CREATE TABLE accounts (
	staff_number        text PRIMARY KEY,
	name                text NOT NULL,
	mobile              text NOT NULL DEFAULT '',
	email               text NOT NULL DEFAULT '',
	-- email folded to lower case by the store, for case-insensitive lookups
	-- that treat non-ASCII letters the same way on every engine and locale.
	email_key           text NOT NULL DEFAULT '',
	contract_end        text NOT NULL DEFAULT '',
	password_hash       text NOT NULL DEFAULT '',
	password_changed_at timestamptz
);
CREATE INDEX accounts_by_email ON accounts (email_key) WHERE email_key <> '';
CREATE INDEX accounts_by_mobile ON accounts (mobile) WHERE mobile <> '';

-- No foreign key to accounts: with an LDAP directory the accounts live
-- elsewhere but their history is still kept here.
CREATE TABLE password_history (
	id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	staff_number text NOT NULL,
	hash         text NOT NULL,
	created_at   timestamptz NOT NULL
);
CREATE INDEX password_history_by_staff ON password_history (staff_number, created_at, id);

CREATE TABLE captchas (
	id         text PRIMARY KEY,
	digits     bytea NOT NULL,
	created_at timestamptz NOT NULL,
	expires_at timestamptz NOT NULL
);
CREATE INDEX captchas_by_expiry ON captchas (expires_at);

CREATE TABLE flows (
	id              text PRIMARY KEY,
	staff_number    text NOT NULL,
	step            text NOT NULL,
	client_addr     text NOT NULL DEFAULT '',
	created_at      timestamptz NOT NULL,
	expires_at      timestamptz NOT NULL,
	channel         text NOT NULL DEFAULT '',
	code_hmac       bytea,
	code_expires_at timestamptz,
	code_sent_at    timestamptz,
	sends           integer NOT NULL DEFAULT 0,
	wrong_codes     integer NOT NULL DEFAULT 0,
	message_id      bigint NOT NULL DEFAULT 0
);
CREATE INDEX flows_by_expiry ON flows (expires_at);

-- Rate-limit hits: one row per counted event.
CREATE TABLE hits (
	id  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	key text NOT NULL,
	at  timestamptz NOT NULL
);
CREATE INDEX hits_by_key ON hits (key, at);
CREATE INDEX hits_by_time ON hits (at);

-- An identity never hands out an id twice, even after a purge: a flow
-- keeps the id of its latest message.
CREATE TABLE messages (
	id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	kind            text NOT NULL,
	channel         text NOT NULL,
	recipient       text NOT NULL,
	params          jsonb, -- NULL when empty
	status          text NOT NULL,
	attempts        integer NOT NULL DEFAULT 0,
	next_attempt_at timestamptz,
	lease_owner     text NOT NULL DEFAULT '',
	lease_until     timestamptz,
	not_after       timestamptz,
	last_error      text NOT NULL DEFAULT '',
	created_at      timestamptz NOT NULL,
	sent_at         timestamptz
);
CREATE INDEX messages_due ON messages (status, next_attempt_at);
CREATE INDEX messages_by_age ON messages (status, created_at);

CREATE TABLE audit_events (
	id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	time         timestamptz NOT NULL,
	event        text NOT NULL,
	staff_number text NOT NULL DEFAULT '',
	client_addr  text NOT NULL DEFAULT '',
	user_agent   text NOT NULL DEFAULT '',
	reference    text NOT NULL DEFAULT '',
	detail       text NOT NULL DEFAULT ''
);
CREATE INDEX audit_by_staff ON audit_events (staff_number, time);
CREATE INDEX audit_by_reference ON audit_events (reference, time);
CREATE INDEX audit_by_time ON audit_events (time);

CREATE TABLE secrets (
	name  text PRIMARY KEY,
	value bytea NOT NULL
);
