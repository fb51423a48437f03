-- The initial schema. Times are INTEGER microseconds since the Unix epoch,
-- UTC; NULL is the zero time. Tables are STRICT so that a value of the wrong
-- type is refused instead of stored.

CREATE TABLE accounts (
	staff_number        TEXT PRIMARY KEY,
	name                TEXT NOT NULL,
	mobile              TEXT NOT NULL DEFAULT '',
	email               TEXT NOT NULL DEFAULT '',
	-- email folded to lower case by the store, for case-insensitive lookups
	-- that treat non-ASCII letters the same way on every engine.
	email_key           TEXT NOT NULL DEFAULT '',
	contract_end        TEXT NOT NULL DEFAULT '',
	password_hash       TEXT NOT NULL DEFAULT '',
	password_changed_at INTEGER
) STRICT;
CREATE INDEX accounts_by_email ON accounts (email_key) WHERE email_key <> '';
CREATE INDEX accounts_by_mobile ON accounts (mobile) WHERE mobile <> '';

-- No foreign key to accounts: with an LDAP directory the accounts live
-- elsewhere but their history is still kept here.
CREATE TABLE password_history (
	id           INTEGER PRIMARY KEY,
	staff_number TEXT NOT NULL,
	hash         TEXT NOT NULL,
	created_at   INTEGER NOT NULL
) STRICT;
CREATE INDEX password_history_by_staff ON password_history (staff_number, created_at, id);

CREATE TABLE captchas (
	id         TEXT PRIMARY KEY,
	digits     BLOB NOT NULL,
	created_at INTEGER NOT NULL,
	expires_at INTEGER NOT NULL
) STRICT;
CREATE INDEX captchas_by_expiry ON captchas (expires_at);

CREATE TABLE flows (
	id              TEXT PRIMARY KEY,
	staff_number    TEXT NOT NULL,
	step            TEXT NOT NULL,
	client_addr     TEXT NOT NULL DEFAULT '',
	created_at      INTEGER NOT NULL,
	expires_at      INTEGER NOT NULL,
	channel         TEXT NOT NULL DEFAULT '',
	code_hmac       BLOB,
	code_expires_at INTEGER,
	code_sent_at    INTEGER,
	sends           INTEGER NOT NULL DEFAULT 0,
	wrong_codes     INTEGER NOT NULL DEFAULT 0,
	message_id      INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX flows_by_expiry ON flows (expires_at);

-- Rate-limit hits: one row per counted event.
CREATE TABLE hits (
	id  INTEGER PRIMARY KEY,
	key TEXT NOT NULL,
	at  INTEGER NOT NULL
) STRICT;
CREATE INDEX hits_by_key ON hits (key, at);
CREATE INDEX hits_by_time ON hits (at);

-- AUTOINCREMENT so that an id is never reused after a purge: a flow keeps
-- the id of its latest message.
CREATE TABLE messages (
	id              INTEGER PRIMARY KEY AUTOINCREMENT,
	kind            TEXT NOT NULL,
	channel         TEXT NOT NULL,
	recipient       TEXT NOT NULL,
	params          TEXT, -- JSON object, NULL when empty
	status          TEXT NOT NULL,
	attempts        INTEGER NOT NULL DEFAULT 0,
	next_attempt_at INTEGER,
	lease_owner     TEXT NOT NULL DEFAULT '',
	lease_until     INTEGER,
	not_after       INTEGER,
	last_error      TEXT NOT NULL DEFAULT '',
	created_at      INTEGER NOT NULL,
	sent_at         INTEGER
) STRICT;
CREATE INDEX messages_due ON messages (status, next_attempt_at);
CREATE INDEX messages_by_age ON messages (status, created_at);

CREATE TABLE audit_events (
	id           INTEGER PRIMARY KEY AUTOINCREMENT,
	time         INTEGER NOT NULL,
	event        TEXT NOT NULL,
	staff_number TEXT NOT NULL DEFAULT '',
	client_addr  TEXT NOT NULL DEFAULT '',
	user_agent   TEXT NOT NULL DEFAULT '',
	reference    TEXT NOT NULL DEFAULT '',
	detail       TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX audit_by_staff ON audit_events (staff_number, time);
CREATE INDEX audit_by_reference ON audit_events (reference, time);
CREATE INDEX audit_by_time ON audit_events (time);

CREATE TABLE secrets (
	name  TEXT PRIMARY KEY,
	value BLOB NOT NULL
) STRICT;
