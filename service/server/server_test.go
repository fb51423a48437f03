package server_test

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"casreset/api"
	"casreset/service"
	"casreset/service/delivery/deliverytest"
	"casreset/service/server"
)

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

// testConfig serves on a free loopback port with a temporary data
// directory and outbox.
func testConfig(t *testing.T, log io.Writer) server.Config {
	t.Helper()
	dir := t.TempDir()
	cfg := server.DefaultConfig()
	cfg.Addr = "127.0.0.1:0"
	cfg.MetricsAddr = "127.0.0.1:0"
	cfg.DataDir = filepath.Join(dir, "data")
	cfg.Outbox = filepath.Join(dir, "outbox")
	cfg.Org.Name = "Example College"
	cfg.Org.HelpEmail = "ithelp@example.edu.hk"
	cfg.Service.PasswordHash = service.HashParams{MemoryKiB: 64, Time: 1, Threads: 1}
	if log != nil {
		cfg.Log = slog.New(slog.NewTextHandler(log, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	return cfg
}

func start(t *testing.T, cfg server.Config) *server.Running {
	t.Helper()
	r, err := server.Start(context.Background(), cfg)
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() { r.Shutdown(context.Background()) })
	return r
}

// client trusts only the running service's CA.
func client(t *testing.T, r *server.Running, tlsCfg *tls.Config) *http.Client {
	t.Helper()
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(r.CAPEM) {
		t.Fatal("CAPEM holds no certificate")
	}
	if tlsCfg == nil {
		tlsCfg = &tls.Config{}
	}
	tlsCfg.RootCAs = pool
	c := &http.Client{Transport: &http.Transport{TLSClientConfig: tlsCfg}, Timeout: 30 * time.Second}
	t.Cleanup(c.CloseIdleConnections)
	return c
}

func get(t *testing.T, c *http.Client, url string) (*http.Response, []byte) {
	t.Helper()
	resp, err := c.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, b
}

func TestServesTheContractOverHTTPSWithTheGeneratedCA(t *testing.T) {
	cfg := testConfig(t, nil)
	r := start(t, cfg)
	if !strings.HasPrefix(r.URL, "https://127.0.0.1:") {
		t.Errorf("URL = %q", r.URL)
	}
	onDisk, err := os.ReadFile(filepath.Join(cfg.DataDir, "ca.pem"))
	if err != nil || !bytes.Equal(onDisk, r.CAPEM) {
		t.Fatalf("DATA/ca.pem differs from CAPEM (%v)", err)
	}
	c := client(t, r, nil)
	for _, path := range []string{"/healthz", "/readyz", "/v1/policy"} {
		if resp, body := get(t, c, r.URL+path); resp.StatusCode != http.StatusOK {
			t.Errorf("%s: %d %s", path, resp.StatusCode, body)
		}
	}
	if resp, _ := get(t, c, r.URL+"/metrics"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("GET /metrics on the public listener: %d, want 404", resp.StatusCode)
	}
	if !strings.HasPrefix(r.MetricsURL, "http://127.0.0.1:") {
		t.Fatalf("MetricsURL = %q", r.MetricsURL)
	}
	resp, body := get(t, http.DefaultClient, r.MetricsURL)
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "resetd_delivery_messages_sent_total") ||
		!strings.Contains(string(body), "resetd_http_requests_total") {
		t.Errorf("the metrics listener lacks the adapter's or the delivery worker's collectors: %d\n%s", resp.StatusCode, body)
	}
	if _, err := os.Stat(filepath.Join(cfg.DataDir, server.DatabaseFile)); err != nil {
		t.Errorf("database not in the data directory: %v", err)
	}
}

func TestMetricsListenerCanBeTurnedOff(t *testing.T) {
	for _, off := range []string{"", server.MetricsOff} {
		cfg := testConfig(t, nil)
		cfg.MetricsAddr = off
		if r := start(t, cfg); r.MetricsURL != "" {
			t.Errorf("MetricsAddr %q: metrics at %q, want none", off, r.MetricsURL)
		}
	}
}

func TestCertificatesAreReusedAcrossRestarts(t *testing.T) {
	cfg := testConfig(t, nil)
	first := start(t, cfg)
	if err := first.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	second := start(t, cfg)
	if !bytes.Equal(first.CAPEM, second.CAPEM) {
		t.Error("a restart generated a new CA; clients trusting ca.pem would break")
	}
}

func TestTLSVersions(t *testing.T) {
	tests := []struct {
		name    string
		min     string
		client  func() *tls.Config
		succeed bool
	}{
		{"1.3 by default", "1.3", func() *tls.Config { return &tls.Config{MinVersion: tls.VersionTLS13} }, true},
		{"1.2 refused by default", "1.3", func() *tls.Config { return &tls.Config{MaxVersion: tls.VersionTLS12} }, false},
		{"1.2 allowed with --tls-min 1.2", "1.2", func() *tls.Config {
			return &tls.Config{MaxVersion: tls.VersionTLS12, CipherSuites: []uint16{tls.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256}}
		}, true},
		{"1.2 ChaCha20 allowed", "1.2", func() *tls.Config {
			return &tls.Config{MaxVersion: tls.VersionTLS12, CipherSuites: []uint16{tls.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256}}
		}, true},
		{"1.2 CBC suite refused", "1.2", func() *tls.Config {
			return &tls.Config{MaxVersion: tls.VersionTLS12, CipherSuites: []uint16{tls.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA}}
		}, false},
		{"1.1 refused", "1.2", func() *tls.Config { return &tls.Config{MinVersion: tls.VersionTLS10, MaxVersion: tls.VersionTLS11} }, false},
		{"1.3 still offered with --tls-min 1.2", "1.2", func() *tls.Config { return &tls.Config{MinVersion: tls.VersionTLS13} }, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := testConfig(t, nil)
			cfg.TLSMin = tt.min
			r := start(t, cfg)
			c := client(t, r, tt.client())
			resp, err := c.Get(r.URL + "/healthz")
			if err == nil {
				resp.Body.Close()
			}
			if tt.succeed && err != nil {
				t.Fatalf("handshake refused: %v", err)
			}
			if !tt.succeed && err == nil {
				t.Fatalf("handshake succeeded with %s", tls.VersionName(resp.TLS.Version))
			}
		})
	}
}

func TestUntrustedClientsAreRefused(t *testing.T) {
	r := start(t, testConfig(t, nil))
	c := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: x509.NewCertPool()}}}
	defer c.CloseIdleConnections()
	if _, err := c.Get(r.URL + "/healthz"); err == nil {
		t.Fatal("a client that does not trust the CA connected")
	}
}

func TestTestSwitchOnlyOnLoopback(t *testing.T) {
	tests := []struct {
		addr  string
		allow bool
	}{
		{"127.0.0.1:0", true},
		{"127.0.0.2:0", true},
		{"localhost:0", true},
		{"0.0.0.0:0", false},
		{":0", false},
		{"[::]:0", false},
		{"192.0.2.1:0", false},
		{"example.edu.hk:0", false},
	}
	for _, tt := range tests {
		t.Run(tt.addr, func(t *testing.T) {
			var logs syncBuffer
			cfg := testConfig(t, &logs)
			cfg.Addr = tt.addr
			cfg.Service.TestCaptchaAnswer = "424242"
			r, err := server.Start(context.Background(), cfg)
			if !tt.allow {
				if err == nil {
					r.Shutdown(context.Background())
					t.Fatal("started with the test switch on a non-loopback address")
				}
				if !strings.Contains(err.Error(), "loopback") {
					t.Errorf("error does not say why: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Start: %v", err)
			}
			defer r.Shutdown(context.Background())
			if !strings.Contains(logs.String(), "TEST SWITCH ON") {
				t.Error("no warning logged")
			}
			if strings.Contains(logs.String(), "424242") {
				t.Error("the test answer is in the log")
			}
		})
	}
}

func TestLoopbackOnly(t *testing.T) {
	for addr, want := range map[string]bool{
		"127.0.0.1:8443": true, "127.1.2.3:1": true, "[::1]:8443": true, "localhost:8443": true, "LOCALHOST:1": true,
		"[::ffff:127.0.0.1]:1": true,
		"0.0.0.0:8443":         false, ":8443": false, "[::]:8443": false, "10.0.0.1:8443": false, "host.local:8443": false,
		"127.0.0.1": false, "": false,
	} {
		if got := server.LoopbackOnly(addr); got != want {
			t.Errorf("LoopbackOnly(%q) = %v, want %v", addr, got, want)
		}
	}
}

func TestStartRefusesBadConfigurations(t *testing.T) {
	tests := map[string]struct {
		change func(*server.Config)
		want   string
	}{
		"no data":             {func(c *server.Config) { c.DataDir = "" }, "--data"},
		"no delivery":         {func(c *server.Config) { c.Outbox = "" }, "--outbox"},
		"bad tls-min":         {func(c *server.Config) { c.TLSMin = "1.0" }, "--tls-min"},
		"half a pair":         {func(c *server.Config) { c.TLSCert = "cert.pem" }, "--tls-key"},
		"postgres down":       {func(c *server.Config) { c.DB = "postgres://resetd@127.0.0.1:1/resetd?connect_timeout=2" }, "PostgreSQL"},
		"other database":      {func(c *server.Config) { c.DB = "mysql://x" }, "postgres://"},
		"no org name":         {func(c *server.Config) { c.Org.Name = "" }, "organisation"},
		"bad limits":          {func(c *server.Config) { c.Service.MaxWrongCodes = 0 }, "wrong codes"},
		"bad address":         {func(c *server.Config) { c.Addr = "8443" }, "--addr"},
		"bad metrics address": {func(c *server.Config) { c.MetricsAddr = "9464" }, "--metrics-addr"},
		"metrics address in use": {func(c *server.Config) {
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { ln.Close() })
			c.MetricsAddr = ln.Addr().String()
		}, "--metrics-addr"},
		"address in use": {func(c *server.Config) {
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { ln.Close() })
			c.Addr = ln.Addr().String()
		}, "address already in use"},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			cfg := testConfig(t, nil)
			tt.change(&cfg)
			r, err := server.Start(context.Background(), cfg)
			if err == nil {
				r.Shutdown(context.Background())
				t.Fatal("started")
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not mention %q", err, tt.want)
			}
		})
	}
}

func TestOwnCertificateFiles(t *testing.T) {
	// IT's certificate: here one made by tlsgen in another directory.
	src := testConfig(t, nil)
	gen := start(t, src)
	gen.Shutdown(context.Background())

	cfg := testConfig(t, nil)
	cfg.TLSCert = filepath.Join(src.DataDir, "server.pem")
	cfg.TLSKey = filepath.Join(src.DataDir, "server-key.pem")
	r := start(t, cfg)
	if r.CAPEM != nil {
		t.Error("CAPEM set although IT's own certificate is used")
	}
	if _, err := os.Stat(filepath.Join(cfg.DataDir, "ca.pem")); !os.IsNotExist(err) {
		t.Error("a CA was generated although a certificate was given")
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(gen.CAPEM)
	c := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	defer c.CloseIdleConnections()
	if _, body := get(t, c, r.URL+"/healthz"); !bytes.Contains(body, []byte("ok")) {
		t.Errorf("healthz: %s", body)
	}
}

func TestEphemeralTLSWritesNoCertificates(t *testing.T) {
	cfg := testConfig(t, nil)
	cfg.EphemeralTLS = true
	r := start(t, cfg)
	if len(r.CAPEM) == 0 {
		t.Fatal("no CA to pin")
	}
	if _, err := os.Stat(filepath.Join(cfg.DataDir, "ca.pem")); !os.IsNotExist(err) {
		t.Error("an in-memory CA was written to disk")
	}
	get(t, client(t, r, nil), r.URL+"/healthz")
}

// TestGracefulShutdownLetsInFlightRequestsFinish holds a request inside the
// service (in the event hook), starts the shutdown, and checks that the
// listener closes at once while the request still completes.
func TestGracefulShutdownLetsInFlightRequestsFinish(t *testing.T) {
	entered, release := make(chan struct{}), make(chan struct{})
	var once sync.Once
	cfg := testConfig(t, nil)
	cfg.OnEvent = func(ev service.AuditEvent) {
		if ev.Event == service.EventInputValidationFailed {
			once.Do(func() { close(entered); <-release })
		}
	}
	r := start(t, cfg)
	c := client(t, r, nil)

	type result struct {
		status int
		err    error
	}
	done := make(chan result, 1)
	go func() {
		body := `{"staff_number":"12345678","captcha_id":"none","captcha_answer":"000000"}`
		resp, err := c.Post(r.URL+"/v1/resets", "application/json", strings.NewReader(body))
		if err != nil {
			done <- result{err: err}
			return
		}
		resp.Body.Close()
		done <- result{status: resp.StatusCode}
	}()
	<-entered

	stopped := make(chan error, 1)
	go func() { stopped <- r.Shutdown(context.Background()) }()

	// Wait until the listener is closed: the shutdown has begun.
	deadline := time.Now().Add(10 * time.Second)
	for {
		conn, err := net.Dial("tcp", r.Addr.String())
		if err != nil {
			break
		}
		conn.Close()
		if time.Now().After(deadline) {
			t.Fatal("the listener stayed open after Shutdown")
		}
	}
	select {
	case err := <-stopped:
		t.Fatalf("Shutdown returned (%v) while a request was in flight", err)
	default:
	}

	close(release)
	res := <-done
	if res.err != nil || res.status != api.CodeCaptchaInvalid.Status() {
		t.Fatalf("in-flight request: status %d, error %v", res.status, res.err)
	}
	if err := <-stopped; err != nil {
		t.Fatalf("Shutdown: %v", err)
	}
	if err := r.Wait(); err != nil {
		t.Fatalf("Wait: %v", err)
	}
}

func TestCancellingTheContextStopsTheService(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	r, err := server.Start(ctx, testConfig(t, nil))
	if err != nil {
		t.Fatal(err)
	}
	cancel()
	if err := r.Wait(); err != nil {
		t.Fatalf("Wait: %v", err)
	}
	if _, err := net.Dial("tcp", r.Addr.String()); err == nil {
		t.Fatal("still listening")
	}
}

// TestCodesReachTheOutbox walks to a sent code and reads it back from the
// outbox the delivery worker writes.
func TestCodesReachTheOutbox(t *testing.T) {
	cfg := testConfig(t, nil)
	cfg.Service.TestCaptchaAnswer = "424242"
	r := start(t, cfg)
	err := r.Store.Update(context.Background(), func(tx service.Tx) error {
		return tx.UpsertAccount(service.Account{StaffNumber: "12345678", Name: "CHAN Tai Man", Email: "chan.tai.man@example.edu.hk"})
	})
	if err != nil {
		t.Fatal(err)
	}
	c := client(t, r, nil)

	var cp api.Captcha
	call(t, c, "POST", r.URL+"/v1/captchas", "", nil, http.StatusCreated, &cp)
	var st api.StartResponse
	call(t, c, "POST", r.URL+"/v1/resets", "", api.StartRequest{StaffNumber: "12345678", CaptchaID: cp.CaptchaID, CaptchaAnswer: "424242"}, http.StatusCreated, &st)
	call(t, c, "POST", r.URL+"/v1/resets/current/code", st.ResetToken, api.SendCodeRequest{Channel: api.ChannelEmail}, http.StatusAccepted, nil)

	msg := deliverytest.WaitForOutbox(t, cfg.Outbox, 1, 10*time.Second)[0]
	if msg.Channel != api.ChannelEmail || msg.To != "chan.tai.man@example.edu.hk" || len(msg.Code) != 6 {
		t.Fatalf("outbox message = %+v", msg)
	}
	call(t, c, "POST", r.URL+"/v1/resets/current/verify", st.ResetToken, api.VerifyRequest{Code: msg.Code}, http.StatusOK, nil)
}

func call(t *testing.T, c *http.Client, method, url, token string, body any, want int, out any) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, url, rd)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		t.Fatalf("%s %s: %d %s", method, url, resp.StatusCode, b)
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			t.Fatal(err)
		}
	}
}
