package embedded

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
)

// removeDir removes dir and everything in it; a directory that is not
// there is fine.
//
// It removes entry by entry with os.Remove (DeleteFile and
// RemoveDirectory on Windows) rather than with os.RemoveAll, which on
// Windows deletes through FileDispositionInformationEx: Wine 8 does not
// implement it, and an outbox whose removal failed would keep its codes.
func removeDir(dir string) error {
	if err := removeContents(dir); err != nil {
		return err
	}
	if err := os.Remove(dir); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}

// removeContents removes everything in dir and keeps dir; a directory
// that is not there is fine. It goes on past an entry it cannot remove
// and reports every failure.
func removeContents(dir string) error {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	var errs []error
	for _, e := range entries {
		path := filepath.Join(dir, e.Name())
		if e.IsDir() {
			errs = append(errs, removeDir(path))
			continue
		}
		if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}
