package sqlite

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"casreset/api"
	"casreset/service"
	"casreset/service/internal/paramscodec"
)

const messageColumns = `id, kind, channel, recipient, params, status, attempts, next_attempt_at,
	lease_owner, lease_until, not_after, last_error, created_at, sent_at, language`

func scanMessage(row interface{ Scan(...any) error }) (service.Message, error) {
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
		return 0, fmt.Errorf("sqlite: insert message: %w", err)
	}
	var id int64
	err = t.queryRow(`INSERT INTO messages (kind, channel, recipient, params, status, attempts,
			next_attempt_at, lease_owner, lease_until, not_after, last_error, created_at, sent_at, language)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		m.Kind, string(m.Channel), m.To, params, string(m.Status), m.Attempts,
		dbTime(m.NextAttemptAt), m.LeaseOwner, dbTime(m.LeaseUntil), dbTime(m.NotAfter),
		m.LastError, dbTime(m.CreatedAt), dbTime(m.SentAt), m.Language).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("sqlite: insert message: %w", err)
	}
	return id, nil
}

func (t *tx) Message(id int64) (service.Message, error) {
	m, err := scanMessage(t.queryRow(`SELECT `+messageColumns+` FROM messages WHERE id = ?`, id))
	if err != nil {
		return service.Message{}, notFound("read message", err)
	}
	return m, nil
}

// ClaimMessages hands out the messages that have waited longest first. A
// zero NextAttemptAt means due at once, a zero LeaseUntil not leased.
func (t *tx) ClaimMessages(owner string, now, leaseUntil time.Time, limit int) ([]service.Message, error) {
	if limit <= 0 {
		return nil, nil
	}
	rows, err := t.query(`UPDATE messages SET lease_owner = ?, lease_until = ?
		WHERE id IN (
			SELECT id FROM messages
			WHERE status = ?
				AND (next_attempt_at IS NULL OR next_attempt_at <= ?)
				AND (lease_until IS NULL OR lease_until < ?)
			ORDER BY next_attempt_at, id
			LIMIT ?)
		RETURNING `+messageColumns,
		owner, dbTime(leaseUntil), string(api.DeliveryQueued), now.UnixMicro(), now.UnixMicro(), limit)
	if err != nil {
		return nil, fmt.Errorf("sqlite: claim messages: %w", err)
	}
	defer rows.Close()
	var claimed []service.Message
	for rows.Next() {
		m, err := scanMessage(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlite: claim messages: %w", err)
		}
		claimed = append(claimed, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: claim messages: %w", err)
	}
	// RETURNING gives rows in no promised order.
	slices.SortFunc(claimed, func(a, b service.Message) int {
		if c := a.NextAttemptAt.Compare(b.NextAttemptAt); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	return claimed, nil
}

// UpdateMessage writes every field of m but its ID and CreatedAt.
func (t *tx) UpdateMessage(m service.Message) error {
	params, err := paramscodec.Value(m.Params)
	if err != nil {
		return fmt.Errorf("sqlite: update message: %w", err)
	}
	res, err := t.exec(`UPDATE messages SET kind = ?, channel = ?, recipient = ?, params = ?, status = ?,
			attempts = ?, next_attempt_at = ?, lease_owner = ?, lease_until = ?, not_after = ?,
			last_error = ?, sent_at = ?, language = ?
		WHERE id = ?`,
		m.Kind, string(m.Channel), m.To, params, string(m.Status),
		m.Attempts, dbTime(m.NextAttemptAt), m.LeaseOwner, dbTime(m.LeaseUntil), dbTime(m.NotAfter),
		m.LastError, dbTime(m.SentAt), m.Language, m.ID)
	return mustAffect("update message", res, err)
}

func (t *tx) OldestQueued() (time.Time, error) {
	var oldest time.Time
	err := t.queryRow(`SELECT min(created_at) FROM messages WHERE status = ? AND kind <> ?`,
		string(api.DeliveryQueued), service.MessageReminder).
		Scan(timeCol{&oldest})
	if err != nil {
		return time.Time{}, fmt.Errorf("sqlite: oldest queued: %w", err)
	}
	return oldest, nil
}
