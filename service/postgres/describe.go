package postgres

import (
	"fmt"

	"github.com/jackc/pgx/v5/pgconn"
)

// Describe names the database of url for logs and messages: user, host,
// port and database, never the password or other parameters.
func Describe(url string) string {
	cfg, err := pgconn.ParseConfig(url)
	if err != nil {
		return "(invalid URL)"
	}
	return fmt.Sprintf("%s@%s:%d/%s", cfg.User, cfg.Host, cfg.Port, cfg.Database)
}
