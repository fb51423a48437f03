package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"casreset/service/sqlite"
)

// backup writes a consistent copy of the SQLite database while the
// service runs: SQLite's VACUUM INTO, never a file copy, which could catch
// the database halfway through a write.
func backup(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var sf storeFlags
	c := newCommand("backup", "resetd backup --data DIR FILE",
		"Writes a consistent copy of the SQLite database in --data to FILE, which must not\n"+
			"exist yet; the service may keep running. The copy is a complete database: to\n"+
			"restore it, stop the service and put it in place of DIR/resetd.db. PostgreSQL\n"+
			"(--db) is backed up with pg_dump instead.",
		stderr)
	sf.define(c)
	if err := c.parse(args, getenv); err != nil {
		return err
	}
	if c.fs.NArg() != 1 {
		return usageError{errors.New("backup takes one FILE to write")}
	}
	if sf.db != "" {
		return usageError{errors.New("backup copies the SQLite database in --data; back up PostgreSQL with pg_dump")}
	}
	dest := c.fs.Arg(0)
	store, err := sf.open(ctx, true)
	if err != nil {
		return err
	}
	defer store.Close()
	db, ok := store.(*sqlite.DB)
	if !ok {
		return fmt.Errorf("backup: the store in --data is not SQLite")
	}
	if err := db.Backup(ctx, dest); err != nil {
		return err
	}
	info, err := os.Stat(dest)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "backed up the database to %s (%d bytes)\n", dest, info.Size())
	return nil
}
