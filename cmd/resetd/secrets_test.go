package main

import (
	"context"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"casreset/api"
	"casreset/internal/testkit/storetest"
	"casreset/service/delivery/deliverytest"
	"casreset/service/server"
)

// serveArgs are the flags every serve of these tests needs.
func serveArgs(dir string) []string {
	return []string{"serve", "--addr", "127.0.0.1:0", "--metrics-addr", "off", "--data", filepath.Join(dir, "data"),
		"--outbox", filepath.Join(dir, "outbox"), "--org-name", "Example College", "--help-email", "ithelp@example.edu.hk"}
}

func TestSecretFilesMustBeTheOwnersAlone(t *testing.T) {
	for _, flagName := range []string{"code-key-file", "sms-header-file"} {
		for _, mode := range []os.FileMode{0o640, 0o604, 0o660, 0o602} {
			dir := t.TempDir()
			file := writeFile(t, dir, "secret", "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA==\n")
			if err := os.Chmod(file, mode); err != nil {
				t.Fatal(err)
			}
			_, _, err := runCmd(t, nil, append(serveArgs(dir), "--"+flagName, file)...)
			if err == nil || !strings.Contains(err.Error(), "chmod 600 "+file) || !strings.Contains(err.Error(), "--"+flagName) {
				t.Errorf("--%s of mode %04o: %v, want refused with the fix", flagName, mode, err)
			}
		}
	}
}

func TestCodeKeyFileMistakes(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "code.key")
	_, _, err := runCmd(t, nil, append(serveArgs(dir), "--code-key-file", missing)...)
	if err == nil || !strings.Contains(err.Error(), "openssl rand -base64 32 > "+missing) {
		t.Errorf("a missing key file: %v, want how to make one", err)
	}
	if _, err := os.Stat(missing); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("resetd created the key file (%v); every instance needs the same key, so it must come from the operator", err)
	}
	for name, content := range map[string]string{
		"not base64": "this is not base64 at all!\n",
		"too short":  "c2hvcnQ=\n", // "short"
		"empty":      "",
	} {
		file := writeFile(t, dir, "key-"+strings.ReplaceAll(name, " ", "-"), content)
		_, _, err := runCmd(t, nil, append(serveArgs(dir), "--code-key-file", file)...)
		if err == nil || !strings.Contains(err.Error(), "at least 32 random bytes in base64") {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// TestCodeKeyFileKeepsTheKeyOutOfTheDatabase runs a flow with the key in a
// file (from the environment, as under systemd) and finds no key in the
// database afterwards.
func TestCodeKeyFileKeepsTheKeyOutOfTheDatabase(t *testing.T) {
	dir, data := importedData(t)
	keyFile := writeFile(t, dir, "code.key", "q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJq80=\n")
	e := env{"RESETD_TEST_CAPTCHA_ANSWER": "424242", "RESETD_ORG_NAME": "Example College",
		"RESETD_HELP_EMAIL": "ithelp@example.edu.hk", "RESETD_CODE_KEY_FILE": keyFile}
	s := startServe(t, e, data, "--addr", "127.0.0.1:0", "--data", data, "--outbox", filepath.Join(dir, "outbox"))
	token := s.start(t, "12345678")
	s.call(t, "POST", "/v1/resets/current/code", token, api.SendCodeRequest{Channel: api.ChannelEmail}, http.StatusAccepted, nil)
	if err := s.stop(); err != nil {
		t.Fatal(err)
	}
	store, _, err := server.OpenStore(context.Background(), data, "", true)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	if storetest.CodeKeyStored(t, store) {
		t.Error("the database holds a code key")
	}
}

// TestSMSGatewayCredentialsFromAFileAndTheEnvironment: headers from
// --sms-header-file and RESETD_SMS_HEADERS reach the gateway; none of them
// was on the command line.
func TestSMSGatewayCredentialsFromAFileAndTheEnvironment(t *testing.T) {
	gateway := deliverytest.NewSMSGateway(t)
	dir, data := importedData(t)
	headerFile := writeFile(t, dir, "sms-headers", "# the gateway's credentials\nAuthorization: Bearer from-the-file\n\nX-Account: college\n")
	e := env{"RESETD_TEST_CAPTCHA_ANSWER": "424242", "RESETD_ORG_NAME": "Example College", "RESETD_HELP_EMAIL": "ithelp@example.edu.hk",
		"RESETD_SMS_HEADERS": "X-Api-Key: from-the-environment\nX-Other: two"}
	s := startServe(t, e, data, "--addr", "127.0.0.1:0", "--data", data, "--outbox", filepath.Join(dir, "outbox"),
		"--sms-webhook", gateway.URL, "--sms-header-file", headerFile, "--sms-header", "X-Sender: ITHELP")
	token := s.start(t, "12345678")
	s.call(t, "POST", "/v1/resets/current/code", token, api.SendCodeRequest{Channel: api.ChannelSMS}, http.StatusAccepted, nil)

	got := gateway.Wait(t, 1, 10*time.Second)
	if len(got) != 1 {
		t.Fatalf("the gateway got %d requests, want 1", len(got))
	}
	for name, want := range map[string]string{"Authorization": "Bearer from-the-file", "X-Account": "college",
		"X-Api-Key": "from-the-environment", "X-Other": "two", "X-Sender": "ITHELP"} {
		if v := got[0].Header.Get(name); v != want {
			t.Errorf("header %s = %q, want %q", name, v, want)
		}
	}
}
