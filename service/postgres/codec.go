package postgres

import (
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
