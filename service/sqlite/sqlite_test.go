package sqlite_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"casreset/api"
	"casreset/internal/testkit/storetest"
	"casreset/service"
	"casreset/service/sqlite"
)

var t0 = time.Date(2025, 3, 14, 9, 26, 53, 589793000, time.UTC)

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) service.Store { return storetest.SQLite(t) })
}

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

func TestReopenKeepsDataAndMigratesOnce(t *testing.T) {
	path := filepath.Join(t.TempDir(), "resetd.db")
	ctx := context.Background()
	first, err := sqlite.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := first.Update(ctx, func(tx service.Tx) error { return tx.InsertSecret("k", []byte("v")) }); err != nil {
		t.Fatal(err)
	}
	applied := appliedMigrations(t, path)
	if err := first.Close(); err != nil {
		t.Fatal(err)
	}
	files, err := filepath.Glob("migrations/*.sql")
	if err != nil {
		t.Fatal(err)
	}
	if len(applied) != len(files) {
		t.Errorf("%d migrations recorded, %d files", len(applied), len(files))
	}

	second := open(t, path)
	var got []byte
	if err := second.View(ctx, func(tx service.Tx) (err error) {
		got, err = tx.Secret("k")
		return err
	}); err != nil || string(got) != "v" {
		t.Errorf("after reopening: secret %q, %v; want \"v\"", got, err)
	}
	if again := appliedMigrations(t, path); !slices.Equal(again, applied) {
		t.Errorf("migrations after reopening %v, before %v", again, applied)
	}
}

// appliedMigrations lists "version name applied_at" of each applied
// migration, read over a connection of the test's own.
func appliedMigrations(t *testing.T, path string) []string {
	t.Helper()
	raw := rawDB(t, path)
	rows, err := raw.Query("SELECT version, name, applied_at FROM schema_migrations ORDER BY version")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var list []string
	for rows.Next() {
		var version, at int64
		var name string
		if err := rows.Scan(&version, &name, &at); err != nil {
			t.Fatal(err)
		}
		list = append(list, fmt.Sprint(version, " ", name, " ", at))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return list
}

func rawDB(t *testing.T, path string) *sql.DB {
	t.Helper()
	raw, err := sql.Open("sqlite", path+"?_busy_timeout=10000")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { raw.Close() })
	return raw
}

func TestOpenRefusesANewerSchema(t *testing.T) {
	path := filepath.Join(t.TempDir(), "resetd.db")
	db, err := sqlite.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	if _, err := rawDB(t, path).Exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, '9999_future.sql', 0)"); err != nil {
		t.Fatal(err)
	}
	db, err = sqlite.Open(path)
	if err == nil {
		db.Close()
		t.Fatal("Open accepted a database with a newer schema")
	}
	if !strings.Contains(err.Error(), "newer") {
		t.Errorf("Open: %v, want an error that says the schema is newer", err)
	}
}

func TestOpenRefusesBadPaths(t *testing.T) {
	for _, path := range []string{"", filepath.Join(t.TempDir(), "resetd.db?mode=ro")} {
		if db, err := sqlite.Open(path); err == nil {
			db.Close()
			t.Errorf("Open(%q) succeeded", path)
		}
	}
}

func TestTimesAreStoredAsUTCMicroseconds(t *testing.T) {
	path := filepath.Join(t.TempDir(), "resetd.db")
	db := open(t, path)
	hk := time.FixedZone("HKT", 8*60*60)
	c := service.Captcha{ID: "c", Digits: []byte{1, 2, 3}, CreatedAt: t0.In(hk), ExpiresAt: t0.Add(10 * time.Minute)}
	if err := db.Update(context.Background(), func(tx service.Tx) error { return tx.InsertCaptcha(c) }); err != nil {
		t.Fatal(err)
	}
	var kind string
	var created int64
	if err := rawDB(t, path).QueryRow("SELECT typeof(created_at), created_at FROM captchas").Scan(&kind, &created); err != nil {
		t.Fatal(err)
	}
	if kind != "integer" || created != t0.UnixMicro() {
		t.Errorf("created_at stored as %s %d, want integer %d", kind, created, t0.UnixMicro())
	}
}

// Two handles on one file stand for two processes (resetd serve and
// resetd accounts import); each has goroutines doing read-modify-write
// Updates and Views. None may fail with SQLITE_BUSY, and no increment may
// be lost.
func TestConcurrentWritersDoNotFailBusy(t *testing.T) {
	path := filepath.Join(t.TempDir(), "resetd.db")
	handles := []*sqlite.DB{open(t, path), open(t, path)}
	ctx := context.Background()
	flow := service.Flow{ID: "f", StaffNumber: "T1234567", Step: api.StepStarted, CreatedAt: t0, ExpiresAt: t0.Add(time.Hour)}
	if err := handles[0].Update(ctx, func(tx service.Tx) error { return tx.InsertFlow(flow) }); err != nil {
		t.Fatal(err)
	}

	const goroutinesPerHandle, updatesEach = 8, 25
	errs := make(chan error, 2*goroutinesPerHandle*updatesEach*2)
	var wg sync.WaitGroup
	for _, db := range handles {
		for g := range goroutinesPerHandle {
			wg.Go(func() {
				for i := range updatesEach {
					errs <- db.Update(ctx, func(tx service.Tx) error {
						f, err := tx.Flow(flow.ID)
						if err != nil {
							return err
						}
						f.Sends++
						if err := tx.UpdateFlow(f); err != nil {
							return err
						}
						return tx.InsertAudit(service.AuditEvent{Time: t0, Event: "test", Detail: fmt.Sprint(g, i)})
					})
					errs <- db.View(ctx, func(tx service.Tx) error {
						_, err := tx.Flow(flow.ID)
						return err
					})
				}
			})
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatalf("concurrent transaction failed: %v", err)
		}
	}
	var got service.Flow
	if err := handles[1].View(ctx, func(tx service.Tx) (err error) {
		got, err = tx.Flow(flow.ID)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if want := len(handles) * goroutinesPerHandle * updatesEach; got.Sends != want {
		t.Errorf("Sends = %d after %d increments", got.Sends, want)
	}
}
