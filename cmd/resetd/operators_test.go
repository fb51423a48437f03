package main

import (
	"context"
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"casreset/api"
	"casreset/service"
	"casreset/service/server"
)

const cliOperatorPassword = "staple battery horse"

// withStdin makes the commands read content as their standard input.
func withStdin(t *testing.T, content string) {
	t.Helper()
	f, err := os.CreateTemp(t.TempDir(), "stdin")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString(content); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Seek(0, 0); err != nil {
		t.Fatal(err)
	}
	old := stdin
	stdin = f
	t.Cleanup(func() { stdin = old; f.Close() })
}

// enrolmentOf reads the secret and URI that operators add printed.
func enrolmentOf(t *testing.T, out string) (secret, uri string) {
	t.Helper()
	for _, line := range strings.Split(out, "\n") {
		if v, ok := strings.CutPrefix(line, "totp_secret: "); ok {
			secret = v
		}
		if v, ok := strings.CutPrefix(line, "totp_uri: "); ok {
			uri = v
		}
	}
	if secret == "" || !strings.HasPrefix(uri, "otpauth://totp/") || !strings.Contains(uri, "secret="+secret) {
		t.Fatalf("no enrolment in %q", out)
	}
	return secret, uri
}

// signInAs signs name in through a service over data's store, with the
// code of secret now, and returns the error.
func signInAs(t *testing.T, data string, codeKey []byte, name, secret string, at time.Time) error {
	t.Helper()
	ctx := context.Background()
	store, _, err := server.OpenStore(ctx, data, "", true)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	cfg := service.DefaultConfig()
	cfg.CodeKey = codeKey
	svc, err := service.New(cfg, store, nil, service.NewManualClock(at), nil)
	if err != nil {
		t.Fatal(err)
	}
	code, err := service.TOTPCode(secret, at, api.TOTPDigits)
	if err != nil {
		t.Fatal(err)
	}
	_, err = svc.SignInOperator(ctx, service.Client{Addr: "192.0.2.1"}, api.HelpdeskSignInRequest{Username: name, Password: cliOperatorPassword, TOTP: code})
	return err
}

func TestOperatorsAddListResetRemove(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	withStdin(t, cliOperatorPassword+"\n")
	out, _, err := runCmd(t, nil, "operators", "add", "--data", data, "--password-stdin", "--staff-number", " 12345678 ", "Alice")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out, "added local operator alice\n") {
		t.Errorf("output %q", out)
	}
	if strings.Contains(out, "█") {
		t.Error("a QR code printed to output that is no terminal, with --qr auto")
	}
	secret, _ := enrolmentOf(t, out)
	now := time.Now()
	if err := signInAs(t, data, nil, "alice", secret, now); err != nil {
		t.Fatalf("sign-in with the printed secret: %v", err)
	}

	withStdin(t, cliOperatorPassword+"\n")
	if _, _, err := runCmd(t, nil, "operators", "add", "--data", data, "--password-stdin", "alice"); err == nil || !strings.Contains(err.Error(), "exists already") {
		t.Errorf("adding alice twice: %v", err)
	}
	withStdin(t, "short\n")
	if _, _, err := runCmd(t, nil, "operators", "add", "--data", data, "--password-stdin", "bob"); err == nil || !strings.Contains(err.Error(), "at least 12") {
		t.Errorf("a short password: %v", err)
	}

	out, _, err = runCmd(t, nil, "operators", "list", "--data", data)
	if err != nil {
		t.Fatal(err)
	}
	if lines := strings.Split(strings.TrimSpace(out), "\n"); len(lines) != 2 || !strings.HasPrefix(lines[1], "alice ") || !strings.Contains(lines[1], " 12345678 ") {
		t.Errorf("list: %q, want alice alone", out)
	}

	out, _, err = runCmd(t, nil, "operators", "reset-totp", "--data", data, "--qr", "always", "alice")
	if err != nil {
		t.Fatal(err)
	}
	fresh, _ := enrolmentOf(t, out)
	if !strings.Contains(out, "█") {
		t.Errorf("no QR code with --qr always: %q", out)
	}
	later := now.Add(time.Minute)
	if err := signInAs(t, data, nil, "alice", secret, later); api.ErrorCode(err) != api.CodeOperatorAuthFailed {
		t.Errorf("sign-in with the old secret: %v, want operator_auth_failed", err)
	}
	if err := signInAs(t, data, nil, "alice", fresh, later.Add(time.Minute)); err != nil {
		t.Errorf("sign-in with the new secret: %v", err)
	}

	if out, _, err = runCmd(t, nil, "operators", "remove", "--data", data, "ALICE"); err != nil || out != "removed local operator ALICE\n" {
		t.Errorf("remove: %q %v", out, err)
	}
	if _, _, err := runCmd(t, nil, "operators", "remove", "--data", data, "alice"); err == nil {
		t.Error("a second remove succeeded")
	}
	if out, _, _ := runCmd(t, nil, "operators", "list", "--data", data); out != "no local operators\n" {
		t.Errorf("list after remove: %q", out)
	}

	audit, _, err := runCmd(t, nil, "audit", "--data", data)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"operator alice (local): added, by the command line",
		"operator alice (local): new TOTP secret, 1 sessions ended, by the command line",
		"operator alice (local): removed, 1 sessions ended, by the command line"} {
		if !strings.Contains(audit, want) {
			t.Errorf("audit lacks %q:\n%s", want, audit)
		}
	}
	if strings.Contains(audit, cliOperatorPassword) || strings.Contains(audit, secret) {
		t.Error("the audit holds the password or the secret")
	}
}

// With --code-key-file, TOTP secrets are sealed under the key that serve
// has: a database copied without it does not give them.
func TestOperatorTOTPSecretsAreSealedWithTheCodeKey(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	key := make([]byte, service.CodeKeyBytes)
	for i := range key {
		key[i] = byte(i * 7)
	}
	keyFile := writeFile(t, dir, "code.key", base64.StdEncoding.EncodeToString(key)+"\n")
	withStdin(t, cliOperatorPassword)
	out, _, err := runCmd(t, env{"RESETD_CODE_KEY_FILE": keyFile}, "operators", "add", "--data", data, "--password-stdin", "carol")
	if err != nil {
		t.Fatal(err)
	}
	secret, _ := enrolmentOf(t, out)
	now := time.Now()
	if err := signInAs(t, data, nil, "carol", secret, now); api.ErrorCode(err) != api.CodeInternal {
		t.Errorf("sign-in without the code key: %v, want internal", err)
	}
	if err := signInAs(t, data, key, "carol", secret, now); err != nil {
		t.Errorf("sign-in with the code key: %v", err)
	}
	raw, err := os.ReadFile(filepath.Join(data, "resetd.db"))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(raw), secret) {
		t.Error("the database holds the secret in base32")
	}
}

func TestOperatorsAddNeedsATerminalOrTheFlag(t *testing.T) {
	withStdin(t, cliOperatorPassword+"\n")
	_, _, err := runCmd(t, nil, "operators", "add", "--data", t.TempDir(), "dave")
	if _, ok := err.(usageError); !ok || !strings.Contains(err.Error(), "--password-stdin") {
		t.Errorf("err = %v, want a usage error naming --password-stdin", err)
	}
	for _, args := range [][]string{
		{"operators"}, {"operators", "nope"}, {"operators", "add", "--data", t.TempDir(), "--password-stdin", "not a name"},
		{"operators", "add", "--data", t.TempDir(), "--qr", "sometimes", "--password-stdin", "erin"},
	} {
		if _, _, err := runCmd(t, nil, args...); err == nil {
			t.Errorf("%q succeeded", args)
		}
	}
}

func TestServeRefusesAHelpdeskGroupWithoutADirectory(t *testing.T) {
	_, _, err := runCmd(t, nil, append(serveArgs(t.TempDir()), "--helpdesk-group", "cn=it-help,dc=example,dc=edu,dc=hk")...)
	if err == nil || !strings.Contains(err.Error(), "--ldap-url") {
		t.Fatalf("serve with --helpdesk-group and no directory: %v", err)
	}
}
