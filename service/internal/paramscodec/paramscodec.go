// Package paramscodec stores a message's parameters as a JSON object in a
// text (SQLite) or jsonb (PostgreSQL) column; the stores share it so that
// both read and write the same shape.
package paramscodec

import (
	"encoding/json"
	"fmt"
)

// Value encodes p for a column; no parameters is NULL.
func Value(p map[string]string) (any, error) {
	if len(p) == 0 {
		return nil, nil
	}
	b, err := json.Marshal(p)
	if err != nil {
		return nil, err
	}
	return string(b), nil
}

// Column scans a column written with Value into *P.
type Column struct{ P *map[string]string }

// Scan implements sql.Scanner.
func (c Column) Scan(v any) error {
	var text []byte
	switch v := v.(type) {
	case nil:
		*c.P = nil
		return nil
	case string:
		text = []byte(v)
	case []byte:
		text = v
	default:
		return fmt.Errorf("params column holds %T, want JSON text", v)
	}
	var p map[string]string
	if err := json.Unmarshal(text, &p); err != nil {
		return fmt.Errorf("params column: %w", err)
	}
	*c.P = p
	return nil
}
