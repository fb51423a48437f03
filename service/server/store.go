package server

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"

	"casreset/service"
	"casreset/service/sqlite"
)

// DatabaseFile is the SQLite database's name inside the data directory.
const DatabaseFile = "resetd.db"

// openStore opens the database cfg names.
func openStore(_ context.Context, cfg Config) (service.Store, string, error) {
	if strings.HasPrefix(cfg.DB, "postgres://") || strings.HasPrefix(cfg.DB, "postgresql://") {
		return nil, "", errors.New("--db: PostgreSQL is not available in this build yet; leave --db empty to use SQLite in --data")
	}
	if cfg.DB != "" {
		return nil, "", errors.New("--db must be a postgres:// URL, or empty for SQLite in --data")
	}
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return nil, "", err
	}
	path := filepath.Join(cfg.DataDir, DatabaseFile)
	db, err := sqlite.Open(path)
	if err != nil {
		return nil, "", err
	}
	return db, "sqlite " + path, nil
}
