package main

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"flag"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"casreset/api"
	"casreset/service"
	"casreset/service/delivery/deliverytest"
	"casreset/service/server"
)

const testCSV = "staff_number,name,mobile,email,contract_end_date\n" +
	"12345678,CHAN Tai Man,9123 4534,Chan.Tai.Man@example.edu.hk,2030-08-31\n" +
	"22222222,WONG Siu Ming,+852 6123 4567,,\n"

// env is a test environment for run.
type env map[string]string

func (e env) get(k string) string { return e[k] }

// syncBuffer collects output written from the serving goroutine.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// runCmd runs resetd with args and returns its output.
func runCmd(t *testing.T, e env, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err = run(context.Background(), args, e.get, &out, &errOut)
	return out.String(), errOut.String(), err
}

func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// importedData imports testCSV into the data directory of a new test
// directory, and returns both.
func importedData(t *testing.T) (dir, data string) {
	t.Helper()
	dir = t.TempDir()
	data = filepath.Join(dir, "data")
	csv := writeFile(t, dir, "staff.csv", testCSV)
	if _, _, err := runCmd(t, nil, "accounts", "import", "--data", data, csv); err != nil {
		t.Fatal(err)
	}
	return dir, data
}

// serving is `resetd serve` running in the background.
type serving struct {
	url string
	// metricsURL is where it serves /metrics, when it does.
	metricsURL string
	client     *http.Client
	stderr     *syncBuffer
	stop       func() error
}

var (
	listeningRE = regexp.MustCompile(`listening on (https://\S+)`)
	metricsRE   = regexp.MustCompile(`metrics at (http://\S+)`)
)

// startServe runs `resetd serve` with args until the test ends, and
// returns once it listens, with a client that trusts only DATA/ca.pem.
// Metrics listen on a free port.
func startServe(t *testing.T, e env, data string, args ...string) *serving {
	t.Helper()
	args = append([]string{"--metrics-addr", "127.0.0.1:0"}, args...)
	ctx, cancel := context.WithCancel(context.Background())
	stdout, stderr := &syncBuffer{}, &syncBuffer{}
	done := make(chan error, 1)
	go func() { done <- run(ctx, append([]string{"serve"}, args...), e.get, stdout, stderr) }()

	var url, metricsURL string
	deadline := time.Now().Add(30 * time.Second)
	for url == "" || metricsURL == "" {
		select {
		case err := <-done:
			cancel()
			t.Fatalf("serve ended: %v\n%s", err, stderr)
		default:
		}
		if m := listeningRE.FindStringSubmatch(stdout.String()); m != nil {
			url = m[1]
		}
		if m := metricsRE.FindStringSubmatch(stdout.String()); m != nil {
			metricsURL = m[1]
		}
		if time.Now().After(deadline) {
			cancel()
			t.Fatalf("serve did not start listening:\n%s", stderr)
		}
		time.Sleep(5 * time.Millisecond)
	}

	caPEM, err := os.ReadFile(filepath.Join(data, "ca.pem"))
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(caPEM) {
		cancel()
		t.Fatal("ca.pem holds no certificate")
	}
	c := &http.Client{
		Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS13}},
		Timeout:   30 * time.Second,
	}
	var once sync.Once
	var stopErr error
	stop := func() error {
		once.Do(func() {
			c.CloseIdleConnections()
			cancel()
			stopErr = <-done
		})
		return stopErr
	}
	t.Cleanup(func() { stop() })
	return &serving{url: url, metricsURL: metricsURL, client: c, stderr: stderr, stop: stop}
}

// start solves a CAPTCHA with the test answer 424242 and starts a flow of
// staff, returning its token.
func (s *serving) start(t *testing.T, staff string) string {
	t.Helper()
	var cp api.Captcha
	s.call(t, "POST", "/v1/captchas", "", nil, http.StatusCreated, &cp)
	var st api.StartResponse
	s.call(t, "POST", "/v1/resets", "", api.StartRequest{StaffNumber: staff, CaptchaID: cp.CaptchaID, CaptchaAnswer: "424242"}, http.StatusCreated, &st)
	return st.ResetToken
}

func (s *serving) call(t *testing.T, method, path, token string, body any, want int, out any) http.Header {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, s.url+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := s.client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		t.Fatalf("%s %s: %d %s", method, path, resp.StatusCode, b)
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			t.Fatalf("%s %s: %v: %s", method, path, err, b)
		}
	}
	return resp.Header
}

// TestEndToEnd imports accounts, runs `resetd serve` with the test switch,
// walks the whole flow over HTTPS trusting DATA/ca.pem, reads the code from
// the outbox, and finds the change in the audit log and in `accounts show`.
func TestEndToEnd(t *testing.T) {
	dir := t.TempDir()
	data, outbox := filepath.Join(dir, "data"), filepath.Join(dir, "outbox")
	csv := writeFile(t, dir, "staff.csv", testCSV)

	out, _, err := runCmd(t, nil, "accounts", "import", "--data", data, csv)
	if err != nil || !strings.Contains(out, "imported 2 account(s): 2 new, 0 updated") {
		t.Fatalf("import: %v\n%s", err, out)
	}

	e := env{"RESETD_TEST_CAPTCHA_ANSWER": "424242", "RESETD_ORG_NAME": "Example College", "RESETD_HELP_EMAIL": "ithelp@example.edu.hk"}
	s := startServe(t, e, data, "--addr", "127.0.0.1:0", "--data", data, "--outbox", outbox)
	if !strings.Contains(s.stderr.String(), "TEST SWITCH ON") {
		t.Error("no warning about the test switch")
	}

	s.call(t, "GET", "/metrics", "", nil, http.StatusNotFound, nil)
	if resp, err := http.Get(s.metricsURL); err != nil || resp.StatusCode != http.StatusOK {
		t.Errorf("GET %q (the metrics listener): %v %v", s.metricsURL, resp, err)
	} else {
		resp.Body.Close()
	}

	var cp api.Captcha
	s.call(t, "POST", "/v1/captchas", "", nil, http.StatusCreated, &cp)
	s.call(t, "GET", cp.ImageURL, "", nil, http.StatusOK, nil)
	var st api.StartResponse
	s.call(t, "POST", "/v1/resets", "", api.StartRequest{StaffNumber: "12345678", CaptchaID: cp.CaptchaID, CaptchaAnswer: "424242"}, http.StatusCreated, &st)
	if len(st.Channels) != 2 || st.Channels[0].Destination != "9*** **34" {
		t.Errorf("channels = %+v", st.Channels)
	}
	var sent api.SendCodeResponse
	s.call(t, "POST", "/v1/resets/current/code", st.ResetToken, api.SendCodeRequest{Channel: api.ChannelSMS}, http.StatusAccepted, &sent)

	msg := deliverytest.WaitForOutbox(t, outbox, 1, 10*time.Second)[0]
	if msg.Channel != api.ChannelSMS || msg.To != "+85291234534" || len(msg.Code) != 6 || !strings.Contains(msg.Body, msg.Code) {
		t.Fatalf("outbox message = %+v", msg)
	}
	// The worker writes the file, then records the message as sent: wait
	// for the flow to say so.
	var f api.Flow
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		s.call(t, "GET", "/v1/resets/current", st.ResetToken, nil, http.StatusOK, &f)
		if f.Delivery != api.DeliveryQueued || time.Now().After(deadline) {
			break
		}
	}
	if f.Step != api.StepCodeSent || f.Delivery != api.DeliverySent {
		t.Errorf("flow = %+v, want code_sent and sent", f)
	}
	s.call(t, "POST", "/v1/resets/current/verify", st.ResetToken, api.VerifyRequest{Code: msg.Code}, http.StatusOK, nil)
	var changed api.PasswordResponse
	hdr := s.call(t, "PUT", "/v1/resets/current/password", st.ResetToken, api.PasswordRequest{NewPassword: "Kx7pQ2mZr9vTw4"}, http.StatusOK, &changed)
	if hdr.Get("Cache-Control") != "no-store" {
		t.Error("password answer may be cached")
	}
	s.call(t, "GET", "/v1/resets/current", st.ResetToken, nil, http.StatusUnauthorized, nil)

	if err := s.stop(); err != nil {
		t.Fatalf("serve after SIGTERM: %v", err)
	}
	logs := s.stderr.String()
	for _, secret := range []string{msg.Code, st.ResetToken, "Kx7pQ2mZr9vTw4", "424242"} {
		if strings.Contains(logs, secret) {
			t.Errorf("the log holds a secret (%q)", secret)
		}
	}

	out, _, err = runCmd(t, nil, "audit", "--data", data, "--staff", "12345678")
	if err != nil {
		t.Fatal(err)
	}
	for _, ev := range []string{"authn_token_created", "sensitive_create", "authn_login_success", "authn_password_change"} {
		if !strings.Contains(out, ev) {
			t.Errorf("audit lacks %s:\n%s", ev, out)
		}
	}
	out, _, err = runCmd(t, nil, "accounts", "show", "--data", data, "12345678")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"9*** **34", "c****@example.edu.hk", "yes, through 2032-02-29", "Last change:"} {
		if !strings.Contains(out, want) {
			t.Errorf("accounts show lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "never") {
		t.Errorf("accounts show misses the change:\n%s", out)
	}
}

func TestImportIsAllOrNothing(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	bad := writeFile(t, dir, "bad.csv", testCSV+"33333333,LEE Ka Yan,12345,,\n,No Number,,x@example.edu.hk,\n")
	_, _, err := runCmd(t, nil, "accounts", "import", "--data", data, bad)
	if err == nil {
		t.Fatal("a file with bad lines was imported")
	}
	for _, want := range []string{"line 4:", `mobile "12345"`, "line 5:", "missing staff number", "nothing imported"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
	// The good lines of the file were not imported either.
	if _, _, err := runCmd(t, nil, "accounts", "show", "--data", data, "12345678"); err == nil {
		t.Error("a good line of a rejected file was imported")
	}

	good := writeFile(t, dir, "good.csv", testCSV)
	if _, _, err := runCmd(t, nil, "accounts", "import", "--data", data, good); err != nil {
		t.Fatal(err)
	}
	again := writeFile(t, dir, "again.csv", "staff_number,name,mobile,email,contract_end_date\n12345678,CHAN Tai Man,,,\n99999999,New Person,,n@example.edu.hk,\n")
	out, _, err := runCmd(t, nil, "accounts", "import", "--data", data, again)
	if err != nil || !strings.Contains(out, "1 new, 1 updated") {
		t.Fatalf("upsert: %v %s", err, out)
	}
	out, _, _ = runCmd(t, nil, "accounts", "show", "--data", data, "12345678")
	if !regexp.MustCompile(`Mobile:\s+none`).MatchString(out) {
		t.Errorf("upsert did not replace the contacts:\n%s", out)
	}
}

// recordAudit adds e to the audit log of the database in data.
func recordAudit(t *testing.T, data string, e service.AuditEvent) {
	t.Helper()
	store, _, err := server.OpenStore(t.Context(), data, "", true)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	if err := store.Update(t.Context(), func(tx service.Tx) error { return tx.InsertAudit(e) }); err != nil {
		t.Fatal(err)
	}
}

// TestStaffNumbersAreReadAlikeByEveryCommand imports numbers as HR writes
// them and finds them the way IT types them, under one setting.
func TestStaffNumbersAreReadAlikeByEveryCommand(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	csv := writeFile(t, dir, "staff.csv", "staff_number,name,mobile,email,contract_end_date\n"+
		"t-1234,TAM Ka Ho,,tam@example.edu.hk,\nＴ４８２１３,YIP Wing,91110000,,\n")
	insensitive := env{"RESETD_STAFF_NUMBER_CASE": "insensitive"}
	if out, _, err := runCmd(t, insensitive, "accounts", "import", "--data", data, csv); err != nil || !strings.Contains(out, "2 new") {
		t.Fatalf("import: %v %s", err, out)
	}
	for typed, want := range map[string]string{" T-1234 ": "T-1234", "t48213": "T48213", "Ｔ４８２１３": "T48213"} {
		out, _, err := runCmd(t, insensitive, "accounts", "show", "--data", data, typed)
		if err != nil || !regexp.MustCompile(`Staff number:\s+`+want+`\n`).MatchString(out) {
			t.Errorf("accounts show %q: %v\n%s", typed, err, out)
		}
	}
	if _, _, err := runCmd(t, insensitive, "accounts", "show", "--data", data, "T/1234"); !errors.As(err, new(usageError)) || !strings.Contains(err.Error(), "letters, digits and - _ .") {
		t.Errorf("accounts show T/1234: %v, want a usage error naming the characters", err)
	}
	recordAudit(t, data, service.AuditEvent{Time: time.Now().UTC(), Event: "test_event", StaffNumber: "T48213", Reference: "ref-staffno"})
	if out, _, err := runCmd(t, insensitive, "audit", "--data", data, "--staff", "t 48213"); err != nil || !strings.Contains(out, "ref-staffno") {
		t.Errorf("audit --staff \"t 48213\": %v, want the event of T48213:\n%s", err, out)
	}
	if _, _, err := runCmd(t, insensitive, "audit", "--data", data, "--staff", "<b>"); !errors.As(err, new(usageError)) {
		t.Errorf("audit --staff <b>: %v, want a usage error", err)
	}
	// The default keeps the case: the imported T-1234 is not t-1234.
	if _, _, err := runCmd(t, nil, "accounts", "show", "--data", data, "t-1234"); err == nil || !strings.Contains(err.Error(), "no account") {
		t.Errorf("accounts show t-1234, case sensitive: %v, want no account", err)
	}
	if _, _, err := runCmd(t, env{"RESETD_STAFF_NUMBER_CASE": "upper"}, "accounts", "show", "--data", data, "T-1234"); !errors.As(err, new(usageError)) {
		t.Errorf("an unknown case setting: %v, want a usage error", err)
	}
}

func TestFlagsFallBackToTheEnvironment(t *testing.T) {
	dir := t.TempDir()
	csv := writeFile(t, dir, "staff.csv", testCSV)
	fromEnv := filepath.Join(dir, "env-data")
	if _, _, err := runCmd(t, env{"RESETD_DATA": fromEnv}, "accounts", "import", csv); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(fromEnv, "resetd.db")); err != nil {
		t.Fatalf("RESETD_DATA ignored: %v", err)
	}
	// A flag given on the command line wins over the environment.
	fromFlag := filepath.Join(dir, "flag-data")
	if _, _, err := runCmd(t, env{"RESETD_DATA": fromEnv}, "accounts", "import", "--data", fromFlag, csv); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(fromFlag, "resetd.db")); err != nil {
		t.Fatalf("--data ignored: %v", err)
	}
	_, _, err := runCmd(t, env{"RESETD_MAX_WRONG_CODES": "many"}, "serve")
	if !errors.As(err, new(usageError)) || !strings.Contains(err.Error(), "RESETD_MAX_WRONG_CODES") {
		t.Errorf("a bad environment value: %v", err)
	}
}

func TestServeRefusesTheTestSwitchOffLoopback(t *testing.T) {
	dir := t.TempDir()
	e := env{"RESETD_TEST_CAPTCHA_ANSWER": "424242"}
	_, _, err := runCmd(t, e, "serve", "--addr", "0.0.0.0:0", "--data", dir, "--outbox", dir,
		"--org-name", "Example College", "--help-email", "ithelp@example.edu.hk")
	if err == nil || !strings.Contains(err.Error(), "loopback") {
		t.Fatalf("serve with the test switch on 0.0.0.0: %v", err)
	}
}

func TestServeHelpDocumentsEveryFlagAndItsVariable(t *testing.T) {
	_, stderr, err := runCmd(t, nil, "serve", "--help")
	if !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("serve --help: %v", err)
	}
	for _, name := range []string{"addr", "data", "db", "tls-cert", "tls-key", "tls-min", "outbox",
		"smtp-addr", "smtp-from", "smtp-tls", "smtp-user", "sms-webhook", "sms-header",
		"ldap-url", "ldap-bind-dn", "ldap-base-dn", "ldap-starttls", "ldap-staff-attr", "ldap-mobile-attr",
		"ldap-mail-attr", "ldap-name-attr", "ldap-end-date-attr", "org-name", "help-email", "help-phone",
		"help-hours", "sms-lang", "time-zone", "starts-per-addr", "max-wrong-codes", "resend-cooldown", "staff-number-case",
		"metrics-addr", "sms-header-file", "code-key-file", "helpdesk-group", "ldap-username-attr", "ldap-operator-base-dn"} {
		if !strings.Contains(stderr, "--"+name+" ") && !strings.Contains(stderr, "--"+name+"\n") {
			t.Errorf("--help lacks --%s", name)
		}
		if !strings.Contains(stderr, envName(name)+"\n") {
			t.Errorf("--help lacks %s", envName(name))
		}
	}
	for _, v := range []string{"RESETD_SMTP_PASSWORD", "RESETD_LDAP_BIND_PASSWORD", "RESETD_TEST_CAPTCHA_ANSWER", "RESETD_SMS_HEADERS"} {
		if !strings.Contains(stderr, v) {
			t.Errorf("--help lacks %s", v)
		}
	}
}

func TestSecretsAreNotFlags(t *testing.T) {
	for _, f := range []string{"--smtp-password=x", "--ldap-bind-password=x", "--test-captcha-answer=1"} {
		_, _, err := runCmd(t, nil, "serve", f)
		if err == nil || !strings.Contains(err.Error(), "flag provided but not defined") {
			t.Errorf("%s: %v", f, err)
		}
	}
}

func TestCommandLineMistakes(t *testing.T) {
	for _, args := range [][]string{{}, {"frobnicate"}, {"accounts"}, {"accounts", "delete"}, {"accounts", "import"}, {"serve", "extra"}} {
		_, _, err := runCmd(t, nil, args...)
		if !errors.As(err, new(usageError)) {
			t.Errorf("%q: %v, want a usage error", args, err)
		}
	}
	_, _, err := runCmd(t, nil, "audit", "--data", t.TempDir())
	if err == nil || !strings.Contains(err.Error(), "no database") {
		t.Errorf("audit on an empty directory: %v", err)
	}
}

func TestVersion(t *testing.T) {
	out, _, err := runCmd(t, nil, "version")
	if err != nil || !strings.HasPrefix(out, "resetd ") || !strings.Contains(out, "go1.") {
		t.Fatalf("version: %q %v", out, err)
	}
}
