package embedded

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"casreset/api"
	"casreset/client"
	"casreset/service"
	"casreset/service/delivery"
	"casreset/service/delivery/deliverytest"
	"casreset/service/server"
	"casreset/service/tlsgen"
)

var org = delivery.Org{Name: "Example College", HelpEmail: "ithelp@example.edu.hk"}

// start starts the embedded service with a temporary cache directory and
// records the configuration it would run with, before any test change.
func start(t *testing.T, cache string) (*Demo, server.Config) {
	t.Helper()
	var seen server.Config
	d, err := Start(context.Background(), Options{
		CacheDir: cache, Org: org, Version: "test",
		Configure: func(c *server.Config) {
			seen = *c
			// A cheap hash: these tests are not about Argon2id.
			c.Service.PasswordHash = service.HashParams{MemoryKiB: 64, Time: 1, Threads: 1}
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Shutdown(context.Background()) })
	return d, seen
}

func TestTheProductDefaultIsLoopbackEphemeralAndHonest(t *testing.T) {
	cache := t.TempDir()
	d, cfg := start(t, cache)
	if !server.LoopbackOnly(cfg.Addr) || !strings.HasSuffix(cfg.Addr, ":0") {
		t.Errorf("listens on %q, want a free loopback port", cfg.Addr)
	}
	if !cfg.EphemeralTLS || cfg.TLSCert != "" {
		t.Error("the certificate is not made in memory for this run")
	}
	if cfg.Service.TestCaptchaAnswer != "" {
		t.Error("the embedded default turns on the CAPTCHA test switch")
	}
	if cfg.DB != "" || d.DataDir != filepath.Join(cache, "demo") {
		t.Errorf("database %q in %q, want SQLite in %s", cfg.DB, d.DataDir, filepath.Join(cache, "demo"))
	}
	if _, err := os.Stat(filepath.Join(d.DataDir, server.DatabaseFile)); err != nil {
		t.Errorf("no SQLite database in the cache directory: %v", err)
	}
	if !strings.HasPrefix(d.Client.BaseURL, "https://127.0.0.1:") {
		t.Errorf("client base URL %q", d.Client.BaseURL)
	}
	// Nothing is written beside the database but the database: the CA
	// lives in memory only.
	entries, _ := os.ReadDir(d.DataDir)
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), server.DatabaseFile) {
			t.Errorf("%s written into the data directory", e.Name())
		}
	}
}

func TestTheClientTrustsOnlyThisRunsCA(t *testing.T) {
	d, _ := start(t, t.TempDir())
	ctx := context.Background()

	c, err := client.New(d.Client)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Policy(ctx); err != nil {
		t.Fatalf("the pinned client cannot reach the service: %v", err)
	}
	if d.Client.PinSHA256 == "" || len(d.Client.CAPEM) == 0 {
		t.Fatal("the client configuration neither trusts nor pins the run's CA")
	}

	other, err := tlsgen.InMemory(nil, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	for name, cfg := range map[string]client.Config{
		"another CA":          {BaseURL: d.Client.BaseURL, CAPEM: other.CAPEM},
		"the system's roots":  {BaseURL: d.Client.BaseURL, SystemRoots: true},
		"the CA, another pin": {BaseURL: d.Client.BaseURL, CAPEM: d.Client.CAPEM, PinSHA256: "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="},
	} {
		c, err := client.New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.Policy(ctx); err == nil {
			t.Errorf("a client trusting %s reached the embedded service", name)
		}
	}
}

func TestDemoAccountsAreThere(t *testing.T) {
	d, _ := start(t, t.TempDir())
	var both, mailOnly, ended bool
	err := d.Store().View(context.Background(), func(tx service.Tx) error {
		for _, want := range Accounts {
			a, err := tx.Account(want.StaffNumber)
			if err != nil {
				return err
			}
			both = both || a.Mobile != "" && a.Email != ""
			mailOnly = mailOnly || a.Mobile == "" && a.Email != ""
			ended = ended || a.ContractEnd != "" && a.ContractEnd < time.Now().AddDate(-2, 0, 0).Format(time.DateOnly)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if !both || !mailOnly || !ended {
		t.Errorf("demo accounts: both channels %v, e-mail only %v, contract ended long ago %v; want all", both, mailOnly, ended)
	}
}

// TestAFlowThroughTheService walks a reset through the embedded service
// with the client, the code read from the outbox.
func TestAFlowThroughTheService(t *testing.T) {
	d, _ := start(t, t.TempDir())
	ctx := context.Background()
	c := newClient(t, d)
	resp, err := startFlow(t, c, d, "33333333")
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.Channels) != 1 || resp.Channels[0].Channel != api.ChannelEmail {
		t.Fatalf("channels %+v, want e-mail only", resp.Channels)
	}
	if _, err := c.SendCode(ctx, resp.ResetToken, api.SendCodeRequest{Channel: api.ChannelEmail}); err != nil {
		t.Fatal(err)
	}
	msgs := deliverytest.WaitForOutbox(t, d.Outbox, 1, 10*time.Second)
	if msgs[0].To != "lee.ka.yan@example.edu.hk" || len(msgs[0].Code) != 6 || !strings.Contains(msgs[0].Body, "Example College") {
		t.Fatalf("outbox message %+v", msgs[0])
	}
	if _, err := c.Verify(ctx, resp.ResetToken, msgs[0].Code); err != nil {
		t.Fatal(err)
	}
	if _, err := c.SetPassword(ctx, resp.ResetToken, api.PasswordRequest{NewPassword: "Kx7pQ2mZr9vTw4"}); err != nil {
		t.Fatal(err)
	}

	// The account that ended long ago is refused.
	_, err = startFlow(t, c, d, "55555555")
	var apiErr *api.Error
	if !errors.As(err, &apiErr) || apiErr.Code != api.CodeAccountExpired {
		t.Errorf("ended contract: %v, want %s", err, api.CodeAccountExpired)
	}
}

func TestTheOutboxIsInTheCacheDirectory(t *testing.T) {
	cache := t.TempDir()
	d, cfg := start(t, cache)
	if want := filepath.Join(cache, OutboxDir); d.Outbox != want || cfg.Outbox != want {
		t.Errorf("outbox %q (service: %q), want %q", d.Outbox, cfg.Outbox, want)
	}
	if fi, err := os.Stat(d.Outbox); err != nil || !fi.IsDir() {
		t.Errorf("no outbox directory: %v", err)
	}
}

func TestShutdownRemovesTheOutboxAndKeepsTheDatabase(t *testing.T) {
	cache := t.TempDir()
	d, _ := start(t, cache)
	if err := os.WriteFile(filepath.Join(d.Outbox, "x.json"), []byte("{}"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := d.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(d.Outbox); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("outbox left behind: %v", err)
	}
	if err := d.Shutdown(context.Background()); err != nil {
		t.Errorf("a second Shutdown: %v", err)
	}
	// The next run opens the same database.
	again, _ := start(t, cache)
	if again.DataDir != d.DataDir {
		t.Errorf("second run: data %s (first %s)", again.DataDir, d.DataDir)
	}
}

// TestStartEmptiesWhatAnEarlierRunLeft: a run that was killed, or whose
// outbox could not be removed at quit, left codes behind; the next start
// removes them before the Demo inbox can show them.
func TestStartEmptiesWhatAnEarlierRunLeft(t *testing.T) {
	cache := t.TempDir()
	left := filepath.Join(cache, OutboxDir)
	for _, f := range []string{"20260101T000000.000000000Z-000001-0a0b0c0d-sms.json", ".outbox-1.tmp", "sub/old.json"} {
		path := filepath.Join(left, f)
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(`{"code":"123456"}`), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	d, _ := start(t, cache)
	entries, err := os.ReadDir(d.Outbox)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		t.Errorf("an earlier run's %s is still in the outbox", e.Name())
	}
}

func TestStartFailsCleanlyWithoutAnOrganisation(t *testing.T) {
	cache := t.TempDir()
	_, err := Start(context.Background(), Options{CacheDir: cache})
	if err == nil {
		t.Fatal("started without an organisation name or IT Help contact")
	}
	if _, err := os.Stat(filepath.Join(cache, OutboxDir)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a failed start left its outbox behind: %v", err)
	}
}

// captchaAnswer reads the CAPTCHA's digits from the database, as the
// person would read them from the image.
// newClient is a client of the embedded service d.
func newClient(t *testing.T, d *Demo) *client.Client {
	t.Helper()
	c, err := client.New(d.Client)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// startFlow starts a reset of staff through c, answering the CAPTCHA as
// the person would read it.
func startFlow(t *testing.T, c *client.Client, d *Demo, staff string) (api.StartResponse, error) {
	t.Helper()
	ctx := context.Background()
	cp, err := c.NewCaptcha(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return c.Start(ctx, api.StartRequest{StaffNumber: staff, CaptchaID: cp.CaptchaID, CaptchaAnswer: captchaAnswer(t, d, cp.CaptchaID)})
}

func captchaAnswer(t *testing.T, d *Demo, id string) string {
	t.Helper()
	var cp service.Captcha
	err := d.Store().View(context.Background(), func(tx service.Tx) error {
		var err error
		cp, err = tx.Captcha(id)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, digit := range cp.Digits {
		b.WriteByte('0' + digit)
	}
	return b.String()
}
