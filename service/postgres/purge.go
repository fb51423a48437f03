package postgres

import (
	"time"

	"casreset/api"
)

// Purge deletes captchas and flows that expired before now, rate-limit hits
// made before now, finished (sent or failed) messages that finished before
// messagesBefore, and audit events before auditBefore, and returns the
// number of rows deleted. A message's finish is its SentAt, or for a failed
// message its CreatedAt, as in the SQLite store. Queued messages are never
// purged.
//
// When several instances purge at once, one does the work and the others
// return 0 at once instead of queueing behind its row locks.
func (t *tx) Purge(now, messagesBefore, auditBefore time.Time) (int64, error) {
	var mine bool
	if err := t.queryRow(`SELECT pg_try_advisory_xact_lock($1)`, lockPurge).Scan(&mine); err != nil {
		return 0, dbError("lock purge", err)
	}
	if !mine {
		return 0, nil
	}
	steps := []struct {
		what  string
		query string
		args  []any
	}{
		{"captchas", `DELETE FROM captchas WHERE expires_at < $1`, []any{now}},
		{"flows", `DELETE FROM flows WHERE expires_at < $1`, []any{now}},
		{"hits", `DELETE FROM hits WHERE at < $1`, []any{now}},
		{"messages", `DELETE FROM messages WHERE status IN ($1, $2) AND coalesce(sent_at, created_at) < $3`,
			[]any{string(api.DeliverySent), string(api.DeliveryFailed), messagesBefore}},
		{"audit events", `DELETE FROM audit_events WHERE time < $1`, []any{auditBefore}},
	}
	var total int64
	for _, s := range steps {
		tag, err := t.exec(s.query, s.args...)
		if err != nil {
			return 0, dbError("purge "+s.what, err)
		}
		total += tag.RowsAffected()
	}
	return total, nil
}
