package postgres

import (
	"time"

	"github.com/jackc/pgx/v5"

	"casreset/api"
	"casreset/service"
	"casreset/service/internal/paramscodec"
)

const messageColumns = `id, kind, channel, recipient, params, status, attempts, next_attempt_at,
	lease_owner, lease_until, not_after, last_error, created_at, sent_at, language`

func scanMessage(row pgx.Row) (service.Message, error) {
	var m service.Message
	err := row.Scan(&m.ID, &m.Kind, &m.Channel, &m.To, paramscodec.Column{P: &m.Params}, &m.Status, &m.Attempts,
		timeCol{&m.NextAttemptAt}, &m.LeaseOwner, timeCol{&m.LeaseUntil}, timeCol{&m.NotAfter},
		&m.LastError, timeCol{&m.CreatedAt}, timeCol{&m.SentAt}, &m.Language)
	return m, err
}

// InsertMessage ignores m.ID and returns the id the database gave it.
func (t *tx) InsertMessage(m service.Message) (int64, error) {
	params, err := paramscodec.Value(m.Params)
	if err != nil {
		return 0, dbError("insert message", err)
	}
	var id int64
	err = t.queryRow(`INSERT INTO messages (kind, channel, recipient, params, status, attempts,
			next_attempt_at, lease_owner, lease_until, not_after, last_error, created_at, sent_at, language)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id`,
		m.Kind, string(m.Channel), m.To, params, string(m.Status), m.Attempts,
		dbTime(m.NextAttemptAt), m.LeaseOwner, dbTime(m.LeaseUntil), dbTime(m.NotAfter),
		m.LastError, dbTime(m.CreatedAt), dbTime(m.SentAt), m.Language).Scan(&id)
	if err != nil {
		return 0, dbError("insert message", err)
	}
	return id, nil
}

func (t *tx) Message(id int64) (service.Message, error) {
	m, err := scanMessage(t.queryRow(`SELECT `+messageColumns+` FROM messages WHERE id = $1`, id))
	if err != nil {
		return service.Message{}, notFound("read message", err)
	}
	return m, nil
}

// ClaimMessages hands out the messages that have waited longest first. A
// zero NextAttemptAt means due at once, a zero LeaseUntil not leased. SKIP
// LOCKED lets the workers of several instances claim at the same moment,
// each getting other messages, without waiting for one another.
func (t *tx) ClaimMessages(owner string, now, leaseUntil time.Time, limit int) ([]service.Message, error) {
	if limit <= 0 {
		return nil, nil
	}
	rows, err := t.query(`WITH due AS (
			SELECT id FROM messages
			WHERE status = $3
				AND (next_attempt_at IS NULL OR next_attempt_at <= $4)
				AND (lease_until IS NULL OR lease_until < $4)
			ORDER BY next_attempt_at NULLS FIRST, id
			LIMIT $5
			FOR UPDATE SKIP LOCKED
		), claimed AS (
			UPDATE messages SET lease_owner = $1, lease_until = $2
			FROM due WHERE messages.id = due.id
			RETURNING messages.*
		)
		SELECT `+messageColumns+` FROM claimed ORDER BY next_attempt_at NULLS FIRST, id`,
		owner, dbTime(leaseUntil), string(api.DeliveryQueued), now, limit)
	if err != nil {
		return nil, dbError("claim messages", err)
	}
	claimed, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (service.Message, error) { return scanMessage(row) })
	if err != nil {
		return nil, dbError("claim messages", err)
	}
	return claimed, nil
}

// UpdateMessage writes every field of m but its ID and CreatedAt.
func (t *tx) UpdateMessage(m service.Message) error {
	params, err := paramscodec.Value(m.Params)
	if err != nil {
		return dbError("update message", err)
	}
	tag, err := t.exec(`UPDATE messages SET kind = $1, channel = $2, recipient = $3, params = $4, status = $5,
			attempts = $6, next_attempt_at = $7, lease_owner = $8, lease_until = $9, not_after = $10,
			last_error = $11, sent_at = $12, language = $13
		WHERE id = $14`,
		m.Kind, string(m.Channel), m.To, params, string(m.Status),
		m.Attempts, dbTime(m.NextAttemptAt), m.LeaseOwner, dbTime(m.LeaseUntil), dbTime(m.NotAfter),
		m.LastError, dbTime(m.SentAt), m.Language, m.ID)
	return mustAffect("update message", tag, err)
}

func (t *tx) OldestQueued() (time.Time, error) {
	var oldest time.Time
	err := t.queryRow(`SELECT min(created_at) FROM messages WHERE status = $1 AND kind <> $2`,
		string(api.DeliveryQueued), service.MessageReminder).
		Scan(timeCol{&oldest})
	if err != nil {
		return time.Time{}, dbError("oldest queued", err)
	}
	return oldest, nil
}
