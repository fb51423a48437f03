package main

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"casreset/api"
	"casreset/service"
	"casreset/service/sqlite"
)

// TestBackupWhileServing copies the database while the service runs and
// has just written to it, and reads the copy back.
func TestBackupWhileServing(t *testing.T) {
	dir, data := importedData(t)
	e := env{"RESETD_TEST_CAPTCHA_ANSWER": "424242", "RESETD_ORG_NAME": "Example College", "RESETD_HELP_EMAIL": "ithelp@example.edu.hk"}
	s := startServe(t, e, data, "--addr", "127.0.0.1:0", "--data", data, "--outbox", filepath.Join(dir, "outbox"))
	var cp api.Captcha
	s.call(t, "POST", "/v1/captchas", "", nil, http.StatusCreated, &cp)
	s.call(t, "POST", "/v1/resets", "", api.StartRequest{StaffNumber: "12345678", CaptchaID: cp.CaptchaID, CaptchaAnswer: "424242"}, http.StatusCreated, nil)

	dest := filepath.Join(dir, "backup", "resetd-backup.db")
	os.MkdirAll(filepath.Dir(dest), 0o700)
	out, _, err := runCmd(t, nil, "backup", "--data", data, dest)
	if err != nil || !strings.Contains(out, "backed up the database to "+dest) {
		t.Fatalf("backup: %v\n%s", err, out)
	}
	info, err := os.Stat(dest)
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("backup file: %v, mode %v; want 0600", err, info.Mode().Perm())
	}

	copyDB, err := sqlite.Open(dest)
	if err != nil {
		t.Fatal(err)
	}
	defer copyDB.Close()
	var events []service.AuditEvent
	err = copyDB.View(context.Background(), func(tx service.Tx) error {
		if _, err := tx.Account("22222222"); err != nil {
			return err
		}
		var err error
		events, err = tx.Audit(service.AuditFilter{StaffNumber: "12345678"})
		return err
	})
	if err != nil || len(events) == 0 {
		t.Errorf("the copy lacks the accounts or the reset just started: %v, %d events", err, len(events))
	}

	// An existing file is never overwritten.
	if _, _, err := runCmd(t, nil, "backup", "--data", data, dest); err == nil {
		t.Error("backup overwrote an existing file")
	}
}

func TestBackupMistakes(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"backup", "--data", dir}, "one FILE"},
		{[]string{"backup", "--db", "postgres://x/y", filepath.Join(dir, "b.db")}, "pg_dump"},
		{[]string{"backup", "--data", filepath.Join(dir, "empty"), filepath.Join(dir, "b.db")}, "no database"},
	}
	for _, tc := range tests {
		_, _, err := runCmd(t, nil, tc.args...)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: %v, want an error about %q", tc.args, err, tc.want)
		}
	}
}
