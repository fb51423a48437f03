package sqlite

import (
	"fmt"
	"strings"
	"time"

	"casreset/api"
	"casreset/service"
)

// defaultAuditLimit is the number of events Audit returns when the filter
// gives no limit.
const defaultAuditLimit = 1000

// InsertAudit ignores e.ID; the database numbers events.
func (t *tx) InsertAudit(e service.AuditEvent) error {
	if _, err := t.exec(`INSERT INTO audit_events (time, event, staff_number, client_addr, user_agent, reference, detail)
		VALUES (?, ?, ?, ?, ?, ?, ?)`,
		dbTime(e.Time), e.Event, e.StaffNumber, e.ClientAddr, e.UserAgent, e.Reference, e.Detail); err != nil {
		return fmt.Errorf("sqlite: insert audit event: %w", err)
	}
	return nil
}

// Audit returns the newest matching events first.
func (t *tx) Audit(f service.AuditFilter) ([]service.AuditEvent, error) {
	var where []string
	var args []any
	if f.StaffNumber != "" {
		where = append(where, "staff_number = ?")
		args = append(args, f.StaffNumber)
	}
	if f.Reference != "" {
		where = append(where, "reference = ?")
		args = append(args, f.Reference)
	}
	query := `SELECT id, time, event, staff_number, client_addr, user_agent, reference, detail FROM audit_events`
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	query += " ORDER BY time DESC, id DESC LIMIT ?"
	limit := f.Limit
	if limit <= 0 {
		limit = defaultAuditLimit
	}
	args = append(args, limit)

	rows, err := t.query(query, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: read audit: %w", err)
	}
	defer rows.Close()
	var events []service.AuditEvent
	for rows.Next() {
		var e service.AuditEvent
		if err := rows.Scan(&e.ID, timeCol{&e.Time}, &e.Event, &e.StaffNumber, &e.ClientAddr,
			&e.UserAgent, &e.Reference, &e.Detail); err != nil {
			return nil, fmt.Errorf("sqlite: read audit: %w", err)
		}
		events = append(events, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: read audit: %w", err)
	}
	return events, nil
}

func (t *tx) Secret(name string) ([]byte, error) {
	var value []byte
	if err := t.queryRow(`SELECT value FROM secrets WHERE name = ?`, name).Scan(&value); err != nil {
		return nil, notFound("read secret", err)
	}
	return value, nil
}

// InsertSecret keeps the value already stored under name, if any.
func (t *tx) InsertSecret(name string, value []byte) error {
	if _, err := t.exec(`INSERT INTO secrets (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING`,
		name, value); err != nil {
		return fmt.Errorf("sqlite: insert secret: %w", err)
	}
	return nil
}

// Purge deletes captchas and flows that expired before now, rate-limit hits
// made before now, finished (sent or failed) messages that finished before
// messagesBefore, and audit events before auditBefore. A message's finish
// is its SentAt, or for a failed message its CreatedAt, since the store
// keeps no failure time. Queued messages are never purged. It returns the
// number of rows deleted.
func (t *tx) Purge(now, messagesBefore, auditBefore time.Time) (int64, error) {
	steps := []struct {
		what  string
		query string
		args  []any
	}{
		{"captchas", `DELETE FROM captchas WHERE expires_at < ?`, []any{now.UnixMicro()}},
		{"flows", `DELETE FROM flows WHERE expires_at < ?`, []any{now.UnixMicro()}},
		{"hits", `DELETE FROM hits WHERE at < ?`, []any{now.UnixMicro()}},
		{"messages", `DELETE FROM messages WHERE status IN (?, ?) AND coalesce(sent_at, created_at) < ?`,
			[]any{string(api.DeliverySent), string(api.DeliveryFailed), messagesBefore.UnixMicro()}},
		{"audit events", `DELETE FROM audit_events WHERE time < ?`, []any{auditBefore.UnixMicro()}},
	}
	var total int64
	for _, s := range steps {
		res, err := t.exec(s.query, s.args...)
		if err != nil {
			return 0, fmt.Errorf("sqlite: purge %s: %w", s.what, err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return 0, fmt.Errorf("sqlite: purge %s: %w", s.what, err)
		}
		total += n
	}
	return total, nil
}
