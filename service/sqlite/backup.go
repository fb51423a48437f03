package sqlite

import (
	"context"
	"errors"
	"fmt"
	"os"
)

// Backup writes a consistent copy of the database to dest while the store
// stays in use (VACUUM INTO reads one snapshot; writers carry on in the
// WAL). dest must not exist; it is created readable by its owner only and
// removed again if the backup fails.
func (db *DB) Backup(ctx context.Context, dest string) error {
	// VACUUM INTO accepts an existing empty file, so creating it first
	// both refuses to overwrite a file and sets its mode.
	f, err := os.OpenFile(dest, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("sqlite: backup: %w", err)
	}
	if err := f.Close(); err != nil {
		return errors.Join(fmt.Errorf("sqlite: backup: %w", err), os.Remove(dest))
	}
	if err := db.vacuumInto(ctx, dest); err != nil {
		return errors.Join(fmt.Errorf("sqlite: backup: %w", err), os.Remove(dest))
	}
	return nil
}

// vacuumInto runs VACUUM INTO on a connection of its own: the readers are
// query-only, which forbids it, and the writer must stay free for Updates.
func (db *DB) vacuumInto(ctx context.Context, dest string) error {
	pool, err := openPool(db.path, nil)
	if err != nil {
		return err
	}
	defer pool.Close()
	_, err = pool.ExecContext(ctx, "VACUUM INTO ?", dest)
	return err
}
