package postgres

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgtype"
)

// dbTime is t for a timestamptz column; the zero time is NULL, so that
// "never" cannot be mistaken for year 1. PostgreSQL keeps microseconds:
// the nanoseconds are truncated, as the SQLite store truncates them.
func dbTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t
}

// timeCol scans a timestamptz column written by dbTime into a UTC time.
type timeCol struct{ t *time.Time }

func (c timeCol) ScanTimestamptz(v pgtype.Timestamptz) error {
	switch {
	case !v.Valid:
		*c.t = time.Time{}
	case v.InfinityModifier != pgtype.Finite:
		return fmt.Errorf("time column holds an infinite time")
	default:
		*c.t = v.Time.UTC()
	}
	return nil
}

// dbParams encodes message parameters as a JSON object; none is NULL.
func dbParams(p map[string]string) (any, error) {
	if len(p) == 0 {
		return nil, nil
	}
	b, err := json.Marshal(p)
	if err != nil {
		return nil, err
	}
	return string(b), nil
}

// paramsCol scans a jsonb column written by dbParams.
type paramsCol struct{ p *map[string]string }

func (c paramsCol) Scan(v any) error {
	var text []byte
	switch v := v.(type) {
	case nil:
		*c.p = nil
		return nil
	case string:
		text = []byte(v)
	case []byte:
		text = v
	default:
		return fmt.Errorf("params column holds %T, want JSON", v)
	}
	var p map[string]string
	if err := json.Unmarshal(text, &p); err != nil {
		return fmt.Errorf("params column: %w", err)
	}
	*c.p = p
	return nil
}
