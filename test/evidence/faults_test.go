package evidence

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"

	"casreset/api"
	"casreset/client"
)

// A database that cannot be written must cost users a "try again later"
// (503 unavailable), not an internal error, a crash or a damaged file;
// and the service must recover on its own once it can write again.

// unavailableWhileBroken checks the answers of a service that cannot
// write: everything that writes is 503 unavailable, what only reads
// still works, and the process stays up.
func unavailableWhileBroken(t *testing.T, in *instance, c *client.Client, verifiedToken string) {
	t.Helper()
	ctx := testContext(t)
	if _, err := c.Policy(ctx); err != nil {
		t.Errorf("policy (no database): %v", err)
	}
	writes := []struct {
		name string
		call func() error
	}{
		{"new CAPTCHA", func() error { _, err := c.NewCaptcha(ctx); return err }},
		{"new password", func() error {
			_, err := c.SetPassword(ctx, verifiedToken, api.PasswordRequest{NewPassword: "While7Broken9xy"})
			return err
		}},
	}
	for _, w := range writes {
		err := w.call()
		var ae *api.Error
		if !errors.As(err, &ae) || ae.Code != api.CodeUnavailable {
			t.Errorf("%s: %v, want 503 unavailable", w.name, err)
		} else if ae.Detail == "" || ae.Reference == "" {
			t.Errorf("%s: problem without detail or reference: %+v", w.name, ae)
		}
	}
	if !in.running() {
		t.Fatalf("resetd exited:\n%s", in.stderr.String())
	}
	if t.Failed() {
		t.Logf("resetd's log:\n%s", in.stderr.String())
	}
}

// TestReadOnlyDatabase makes the running service's database files
// immutable (chattr +i: even root cannot write them; writes through the
// descriptors resetd holds fail with EPERM), then writable again.
func TestReadOnlyDatabase(t *testing.T) {
	requireRoot(t, "chattr +i the database")
	chattr := lookPath(t, "chattr", "e2fsprogs")
	s := newSetup(t, sqliteOnly)
	s.importAccounts(t, 2)
	in := s.start(t)
	ctx := testContext(t)
	c := in.client()
	box := newInbox(in.outbox)
	mustChangePassword(t, ctx, c, box, 0, "Before7ReadOnly")
	token := mustVerifiedFlow(t, ctx, c, box, 1)

	setImmutable := func(on bool) {
		flag := "-i"
		if on {
			flag = "+i"
		}
		files, _ := filepath.Glob(s.dbFile() + "*") // the database, its WAL and shared memory
		if len(files) == 0 {
			return
		}
		if out, err := exec.Command(chattr, append([]string{flag}, files...)...).CombinedOutput(); err != nil {
			t.Fatalf("chattr %s: %v\n%s", flag, err, out)
		}
	}
	setImmutable(true)
	t.Cleanup(func() { setImmutable(false) }) // or t.TempDir cannot be removed
	unavailableWhileBroken(t, in, c, token)

	setImmutable(false)
	if _, err := c.SetPassword(ctx, token, api.PasswordRequest{NewPassword: "After7ReadOnly9"}); err != nil {
		t.Fatalf("once writable again, without a restart: %v", err)
	}
	if err := in.stop(); err != nil {
		t.Fatalf("resetd after SIGTERM: %v\n%s", err, in.stderr.String())
	}
	db := s.openDB(t)
	if !holds(t, storedHash(t, db, 0), "Before7ReadOnly") || !holds(t, storedHash(t, db, 1), "After7ReadOnly9") {
		t.Error("the stored passwords are not the ones changed")
	}
}

// TestDiskFull runs the service on a 4 MiB tmpfs and fills it.
func TestDiskFull(t *testing.T) {
	requireRoot(t, "mount a small tmpfs")
	s := newSetup(t, sqliteOnly)
	if err := os.MkdirAll(s.data, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mount("tmpfs", s.data, "tmpfs", 0, "size=4m,mode=0700"); err != nil {
		t.Fatalf("mount a 4 MiB tmpfs on %s: %v", s.data, err)
	}
	t.Cleanup(func() {
		if err := syscall.Unmount(s.data, 0); err != nil {
			t.Errorf("unmount %s: %v", s.data, err)
		}
	})
	s.importAccounts(t, 2)
	in := s.start(t)
	ctx := testContext(t)
	c := in.client()
	box := newInbox(in.outbox) // on the ordinary disk
	mustChangePassword(t, ctx, c, box, 0, "Before7DiskFull")
	token := mustVerifiedFlow(t, ctx, c, box, 1)

	filler := filepath.Join(s.data, "filler")
	fill(t, filler)
	unavailableWhileBroken(t, in, c, token)

	if err := os.Remove(filler); err != nil {
		t.Fatal(err)
	}
	if _, err := c.SetPassword(ctx, token, api.PasswordRequest{NewPassword: "After7DiskFull9"}); err != nil {
		t.Fatalf("once there is room again, without a restart: %v", err)
	}
	if err := in.stop(); err != nil {
		t.Fatalf("resetd after SIGTERM: %v\n%s", err, in.stderr.String())
	}
	db := s.openDB(t)
	if !holds(t, storedHash(t, db, 0), "Before7DiskFull") || !holds(t, storedHash(t, db, 1), "After7DiskFull9") {
		t.Error("the stored passwords are not the ones changed")
	}
}

// fill writes into path until the file system has no room left.
func fill(t *testing.T, path string) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	chunk := make([]byte, 4096)
	for {
		if _, err := f.Write(chunk); err != nil {
			if errors.Is(err, syscall.ENOSPC) {
				return
			}
			t.Fatalf("filling the disk: %v", err)
		}
	}
}

// requireRoot fails (never skips) a test that needs root for what.
func requireRoot(t *testing.T, what string) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Fatalf("this test needs root to %s; run make test as root (as CI does)", what)
	}
}

// lookPath fails the test when a program is missing, naming its package.
func lookPath(t *testing.T, program, debianPackage string) string {
	t.Helper()
	p, err := exec.LookPath(program)
	if err != nil {
		t.Fatalf("%s is not installed: it comes with the Debian package %s", program, debianPackage)
	}
	return p
}
