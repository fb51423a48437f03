package server

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"casreset/service"
	"casreset/service/postgres"
	"casreset/service/sqlite"
)

// DatabaseFile is the SQLite database's name inside the data directory.
const DatabaseFile = "resetd.db"

// ErrNoDatabase is returned by OpenStore with mustExist when the data
// directory holds no database yet.
var ErrNoDatabase = errors.New("no database")

// OpenStore opens the database of `resetd serve`: PostgreSQL when dbURL is a
// postgres:// URL, else SQLite at dataDir/resetd.db (created, with its
// directory, unless mustExist). It also describes the store for the log.
// The other subcommands of resetd open the same database through it.
func OpenStore(ctx context.Context, dataDir, dbURL string, mustExist bool) (service.Store, string, error) {
	if strings.HasPrefix(dbURL, "postgres://") || strings.HasPrefix(dbURL, "postgresql://") {
		// The database is the administrator's to create; Open migrates it.
		desc := "PostgreSQL " + postgres.Describe(dbURL)
		db, err := postgres.Open(ctx, dbURL)
		if err != nil {
			return nil, "", fmt.Errorf("%s: %w", desc, err)
		}
		return db, desc, nil
	}
	if dbURL != "" {
		return nil, "", errors.New("--db must be a postgres:// URL, or empty for SQLite in --data")
	}
	if dataDir == "" {
		return nil, "", errors.New("--data is required")
	}
	path := filepath.Join(dataDir, DatabaseFile)
	if mustExist {
		if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
			return nil, "", fmt.Errorf("%w at %s (is --data right?)", ErrNoDatabase, path)
		}
	} else if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return nil, "", err
	}
	db, err := sqlite.Open(path)
	if err != nil {
		return nil, "", err
	}
	return db, "sqlite " + path, nil
}
