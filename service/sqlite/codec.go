package sqlite

import (
	"database/sql"
	"errors"
	"fmt"
	"time"

	"casreset/service"
)

// dbTime encodes t as microseconds since the Unix epoch, which carries no
// time zone and sorts as the instants do. The zero time is NULL, so that
// "never" cannot be mistaken for 1970.
func dbTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UnixMicro()
}

// timeCol scans a column written by dbTime back into a UTC time.
type timeCol struct{ t *time.Time }

func (c timeCol) Scan(v any) error {
	switch v := v.(type) {
	case nil:
		*c.t = time.Time{}
	case int64:
		*c.t = time.UnixMicro(v).UTC()
	default:
		return fmt.Errorf("time column holds %T, want integer", v)
	}
	return nil
}

// notFound turns "no rows" into service.ErrNotFound and names the operation
// in every other error.
func notFound(op string, err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return service.ErrNotFound
	}
	return fmt.Errorf("sqlite: %s: %w", op, err)
}

// mustAffect reports service.ErrNotFound when an update or delete touched no
// row.
func mustAffect(op string, res sql.Result, err error) error {
	n, err := affected(op, res, err)
	if err == nil && n == 0 {
		return service.ErrNotFound
	}
	return err
}

// affected is how many rows an update or delete touched.
func affected(op string, res sql.Result, err error) (int64, error) {
	if err != nil {
		return 0, fmt.Errorf("sqlite: %s: %w", op, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("sqlite: %s: %w", op, err)
	}
	return n, nil
}
