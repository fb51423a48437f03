package postgres

import (
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"casreset/service"
)

// defaultAuditLimit is the number of events Audit returns when the filter
// gives no limit.
const defaultAuditLimit = 1000

// InsertAudit ignores e.ID; the database numbers events.
func (t *tx) InsertAudit(e service.AuditEvent) error {
	if _, err := t.exec(`INSERT INTO audit_events (time, event, staff_number, client_addr, user_agent, reference, detail)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		dbTime(e.Time), e.Event, e.StaffNumber, e.ClientAddr, e.UserAgent, e.Reference, e.Detail); err != nil {
		return dbError("insert audit event", err)
	}
	return nil
}

// Audit returns the newest matching events first.
func (t *tx) Audit(f service.AuditFilter) ([]service.AuditEvent, error) {
	var where []string
	var args []any
	if f.StaffNumber != "" {
		args = append(args, f.StaffNumber)
		where = append(where, fmt.Sprintf("staff_number = $%d", len(args)))
	}
	if f.Reference != "" {
		args = append(args, f.Reference)
		where = append(where, fmt.Sprintf("reference = $%d", len(args)))
	}
	query := `SELECT id, time, event, staff_number, client_addr, user_agent, reference, detail FROM audit_events`
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	limit := f.Limit
	if limit <= 0 {
		limit = defaultAuditLimit
	}
	args = append(args, limit)
	query += fmt.Sprintf(" ORDER BY time DESC, id DESC LIMIT $%d", len(args))

	rows, err := t.query(query, args...)
	if err != nil {
		return nil, dbError("read audit", err)
	}
	events, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (service.AuditEvent, error) {
		var e service.AuditEvent
		err := row.Scan(&e.ID, timeCol{&e.Time}, &e.Event, &e.StaffNumber, &e.ClientAddr,
			&e.UserAgent, &e.Reference, &e.Detail)
		return e, err
	})
	if err != nil {
		return nil, dbError("read audit", err)
	}
	return events, nil
}

func (t *tx) Secret(name string) ([]byte, error) {
	var value []byte
	if err := t.queryRow(`SELECT value FROM secrets WHERE name = $1`, name).Scan(&value); err != nil {
		return nil, notFound("read secret", err)
	}
	return value, nil
}

// InsertSecret keeps the value already stored under name, if any. Of two
// instances inserting at once, the second waits for the first to commit
// and then inserts nothing; its next Secret reads the first one's value.
func (t *tx) InsertSecret(name string, value []byte) error {
	if _, err := t.exec(`INSERT INTO secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING`,
		name, value); err != nil {
		return dbError("insert secret", err)
	}
	return nil
}
