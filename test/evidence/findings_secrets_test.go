package evidence

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"casreset/api"
	"casreset/internal/testkit/storetest"
	"casreset/service/delivery/deliverytest"
	"casreset/service/server"
)

// TestFinding9SecretsStayOffTheCommandLineAndOutOfTheDatabase: the SMS
// gateway's credentials were passed as --sms-header, where ps shows them,
// and the code HMAC key sat in the database beside the codes' HMACs. Now
// the credentials come from a file and the environment, the key from a
// file, and a key file others may read stops resetd.
func TestFinding9SecretsStayOffTheCommandLineAndOutOfTheDatabase(t *testing.T) {
	onEachEngine(t, 1, func(t *testing.T, s *setup) {

		keyFile := filepath.Join(s.dir, "code.key")
		if err := os.WriteFile(keyFile, []byte("q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJq80=\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		refused := exec.Command(resetdBin, append([]string{"serve", "--addr", "127.0.0.1:0", "--metrics-addr", "off",
			"--outbox", s.outbox, "--org-name", "Evidence College", "--help-email", "it-help@example.edu.hk",
			"--code-key-file", keyFile}, s.storeArgs()...)...)
		out, err := refused.CombinedOutput()
		if err == nil || !strings.Contains(string(out), "chmod 600 "+keyFile) {
			t.Fatalf("resetd with a key file others may read: %v\n%s", err, out)
		}
		if err := os.Chmod(keyFile, 0o600); err != nil {
			t.Fatal(err)
		}

		gateway := deliverytest.NewSMSGateway(t)
		const fromFile, fromEnv = "Bearer secret-from-the-file", "secret-from-the-environment"
		headerFile := filepath.Join(s.dir, "sms-headers")
		if err := os.WriteFile(headerFile, []byte("Authorization: "+fromFile+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		in := s.startWith(t, func(cmd *exec.Cmd) {
			cmd.Env = append(cmd.Env, "RESETD_SMS_HEADERS=X-Api-Key: "+fromEnv, "RESETD_CODE_KEY_FILE="+keyFile)
		}, "--sms-webhook", gateway.URL, "--sms-header-file", headerFile)

		cmdline, err := os.ReadFile("/proc/" + strconv.Itoa(in.cmd.Process.Pid) + "/cmdline")
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(cmdline), "secret-from") || strings.Contains(string(cmdline), "q83vEjRWeJ") {
			t.Errorf("the command line shows a secret: %q", cmdline)
		}

		// A code by SMS reaches the gateway with both credentials and
		// verifies: the key from the file works.
		ctx := testContext(t)
		c := in.client()
		token, err := startFlow(ctx, c, staff(0))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.SendCode(ctx, token, api.SendCodeRequest{Channel: api.ChannelSMS}); err != nil {
			t.Fatal(err)
		}
		sms := gateway.Wait(t, 1, 30*time.Second)[0]
		if got := sms.Header.Get("Authorization"); got != fromFile {
			t.Errorf("Authorization %q, want the file's", got)
		}
		if got := sms.Header.Get("X-Api-Key"); got != fromEnv {
			t.Errorf("X-Api-Key %q, want the environment's", got)
		}
		code := sixDigits(sms.Body)
		if _, err := c.Verify(ctx, token, code); err != nil {
			t.Fatalf("the code from the gateway: %v", err)
		}
		if err := in.stop(); err != nil {
			t.Fatalf("stop: %v", err)
		}

		store, _, err := server.OpenStore(context.Background(), s.data, s.db, true)
		if err != nil {
			t.Fatal(err)
		}
		defer store.Close()
		if storetest.CodeKeyStored(t, store) {
			t.Error("the database holds a code key")
		}
	})
}

// sixDigits is the first run of exactly six digits in s.
func sixDigits(s string) string {
	run := 0
	for i := 0; i <= len(s); i++ {
		if i < len(s) && s[i] >= '0' && s[i] <= '9' {
			run++
			continue
		}
		if run == 6 {
			return s[i-6 : i]
		}
		run = 0
	}
	return ""
}
