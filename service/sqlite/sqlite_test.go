package sqlite_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"casreset/service"
	"casreset/service/sqlite"
	"casreset/service/storetest"
)

var t0 = time.Date(2025, 3, 14, 9, 26, 53, 589793000, time.UTC)

func open(t *testing.T, path string) *sqlite.DB {
	t.Helper()
	db, err := sqlite.Open(path)
	if err != nil {
		t.Fatalf("Open(%s): %v", path, err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestOpenCreatesFilesReadableByOwnerOnly(t *testing.T) {
	path := filepath.Join(t.TempDir(), "resetd.db")
	db := open(t, path)
	if err := db.Update(context.Background(), func(tx service.Tx) error {
		return tx.InsertSecret("k", []byte("v"))
	}); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{path, path + "-wal", path + "-shm"} {
		fi, err := os.Stat(name)
		if err != nil {
			t.Fatal(err)
		}
		if mode := fi.Mode().Perm(); mode != 0o600 {
			t.Errorf("%s has mode %v, want 0600", filepath.Base(name), mode)
		}
	}
}

func TestBackupHoldsTheRowsAndOpens(t *testing.T) {
	dir := t.TempDir()
	db := open(t, filepath.Join(dir, "resetd.db"))
	ctx := context.Background()
	want := service.Account{StaffNumber: "T1234567", Name: "Chan Tai Man", Email: "chan@example.edu.hk"}
	if err := db.Update(ctx, func(tx service.Tx) error { return tx.UpsertAccount(want) }); err != nil {
		t.Fatal(err)
	}

	dest := filepath.Join(dir, "backup.db")
	if err := db.Backup(ctx, dest); err != nil {
		t.Fatalf("Backup: %v", err)
	}
	fi, err := os.Stat(dest)
	if err != nil {
		t.Fatal(err)
	}
	if mode := fi.Mode().Perm(); mode != 0o600 {
		t.Errorf("backup has mode %v, want 0600", mode)
	}

	copy := open(t, dest)
	var got service.Account
	if err := copy.View(ctx, func(tx service.Tx) (err error) {
		got, err = tx.Account(want.StaffNumber)
		return err
	}); err != nil {
		t.Fatalf("account in the backup: %v", err)
	}
	if got != want {
		t.Errorf("account in the backup = %+v, want %+v", got, want)
	}
}

func TestBackupRefusesToOverwrite(t *testing.T) {
	dir := t.TempDir()
	db := open(t, filepath.Join(dir, "resetd.db"))
	dest := filepath.Join(dir, "precious")
	if err := os.WriteFile(dest, []byte("keep me"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := db.Backup(context.Background(), dest); !errors.Is(err, os.ErrExist) {
		t.Fatalf("Backup over an existing file: %v, want os.ErrExist", err)
	}
	if b, _ := os.ReadFile(dest); string(b) != "keep me" {
		t.Errorf("existing file now holds %q", b)
	}
}

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) service.Store { return storetest.SQLite(t) })
}
