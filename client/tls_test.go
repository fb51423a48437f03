package client

import (
	"context"
	"crypto/tls"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// countingPolicy answers GET /v1/policy and counts the requests that reached
// it: a handshake that fails closed must leave the count at zero.
func countingPolicy(n *atomic.Int32) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"min_length":10,"max_length":128}`))
	})
}

func TestTLSFailsClosedWithCertificateError(t *testing.T) {
	ca := newTestCA(t)
	otherCA := newTestCA(t)
	now := time.Now()

	good, goodLeaf := ca.issue(t, leafOptions{})
	untrusted, _ := otherCA.issue(t, leafOptions{})
	expired, _ := ca.issue(t, leafOptions{notBefore: now.Add(-48 * time.Hour), notAfter: now.Add(-24 * time.Hour)})
	notYetValid, _ := ca.issue(t, leafOptions{notBefore: now.Add(24 * time.Hour), notAfter: now.Add(48 * time.Hour)})
	otherHost, _ := ca.issue(t, leafOptions{dnsNames: []string{"reset.other.example"}})
	otherKeyCA := newTestCA(t)

	tests := []struct {
		name   string
		cert   tls.Certificate
		cfg    Config
		reason CertificateReason
	}{
		{"signed by another CA", untrusted, Config{CAPEM: ca.pem}, ReasonUntrusted},
		{"test CA is not among the system roots", good, Config{SystemRoots: true}, ReasonUntrusted},
		{"expired", expired, Config{CAPEM: ca.pem}, ReasonExpired},
		{"not yet valid", notYetValid, Config{CAPEM: ca.pem}, ReasonExpired},
		{"issued for another host name", otherHost, Config{CAPEM: ca.pem}, ReasonHostname},
		{"pin of another key", good, Config{CAPEM: ca.pem, PinSHA256: SPKIPin(otherKeyCA.cert)}, ReasonPin},
		{"pin checked even when the chain is trusted and another pin is empty", good, Config{CAPEM: ca.pem, PinSHA256: " ," + SPKIPin(otherKeyCA.cert)}, ReasonPin},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var hits atomic.Int32
			srv := tlsServer(t, tt.cert, countingPolicy(&hits))
			tt.cfg.BaseURL = srv.URL
			c := newTestClient(t, tt.cfg)

			_, err := c.Policy(context.Background())

			var ce *CertificateError
			if !errors.As(err, &ce) {
				t.Fatalf("Policy error = %T %v, want *CertificateError", err, err)
			}
			if ce.Reason != tt.reason {
				t.Errorf("Reason = %q, want %q (%v)", ce.Reason, tt.reason, ce.Err)
			}
			if !strings.Contains(err.Error(), "the server's certificate is not the one this PC trusts") {
				t.Errorf("message %q does not tell the help desk what is wrong", err)
			}
			if hits.Load() != 0 {
				t.Errorf("the handler saw %d requests; a refused handshake must send nothing", hits.Load())
			}
		})
	}

	// The same server passes with the right trust, so the failures above
	// are the certificates' doing and not the test's.
	t.Run("control: trusted, right host, pinned leaf or CA", func(t *testing.T) {
		var hits atomic.Int32
		srv := tlsServer(t, good, countingPolicy(&hits))
		for _, pin := range []string{"", SPKIPin(goodLeaf), "sha256/" + SPKIPin(ca.cert), SPKIPin(otherKeyCA.cert) + "," + SPKIPin(ca.cert)} {
			c := newTestClient(t, Config{BaseURL: srv.URL, CAPEM: ca.pem, PinSHA256: pin})
			if _, err := c.Policy(context.Background()); err != nil {
				t.Errorf("pin %q: %v", pin, err)
			}
		}
	})
}

func TestTLSRequiresTLS13ByDefault(t *testing.T) {
	ca := newTestCA(t)
	cert, _ := ca.issue(t, leafOptions{})
	var hits atomic.Int32
	srv := httptest.NewUnstartedServer(countingPolicy(&hits))
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{cert}, MaxVersion: tls.VersionTLS12}
	srv.StartTLS()
	t.Cleanup(srv.Close)

	_, err := newTestClient(t, Config{BaseURL: srv.URL, CAPEM: ca.pem}).Policy(context.Background())
	var ce *CertificateError
	if !errors.As(err, &ce) || ce.Reason != ReasonProtocol {
		t.Fatalf("TLS 1.2-only server: error = %T %v, want *CertificateError with ReasonProtocol", err, err)
	}
	if hits.Load() != 0 {
		t.Errorf("the handler saw %d requests", hits.Load())
	}

	c12 := newTestClient(t, Config{BaseURL: srv.URL, CAPEM: ca.pem, TLSMin: tls.VersionTLS12})
	if _, err := c12.Policy(context.Background()); err != nil {
		t.Errorf("with TLSMin 1.2 configured: %v", err)
	}
}

func TestTLSRefusesAPlainHTTPServer(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(countingPolicy(&hits))
	t.Cleanup(srv.Close)
	ca := newTestCA(t)

	c := newTestClient(t, Config{BaseURL: strings.Replace(srv.URL, "http://", "https://", 1), CAPEM: ca.pem})
	_, err := c.Policy(context.Background())
	var ce *CertificateError
	if !errors.As(err, &ce) || ce.Reason != ReasonProtocol {
		t.Fatalf("error = %T %v, want *CertificateError with ReasonProtocol", err, err)
	}
	if hits.Load() != 0 {
		t.Errorf("the handler saw %d requests", hits.Load())
	}
}

func TestNewNeverSkipsVerification(t *testing.T) {
	ca := newTestCA(t)
	for _, cfg := range []Config{
		{BaseURL: "https://127.0.0.1:1", CAPEM: ca.pem},
		{BaseURL: "https://127.0.0.1:1", SystemRoots: true, PinSHA256: SPKIPin(ca.cert)},
		{BaseURL: "https://127.0.0.1:1", CAPEM: ca.pem, TLSMin: tls.VersionTLS12},
	} {
		c := newTestClient(t, cfg)
		tr := c.rc.GetClient().Transport.(*http.Transport)
		tc := tr.TLSClientConfig
		if tc.InsecureSkipVerify {
			t.Errorf("%+v: InsecureSkipVerify is set", cfg)
		}
		want := cfg.TLSMin
		if want == 0 {
			want = tls.VersionTLS13
		}
		if tc.MinVersion != want {
			t.Errorf("MinVersion = %x, want %x", tc.MinVersion, want)
		}
		if cfg.SystemRoots && tc.RootCAs != nil {
			t.Errorf("SystemRoots: RootCAs is set")
		}
		if !cfg.SystemRoots && tc.RootCAs == nil {
			t.Errorf("a configured CA must replace the system roots")
		}
		if (cfg.PinSHA256 != "") != (tc.VerifyConnection != nil) {
			t.Errorf("pin %q: VerifyConnection set = %v", cfg.PinSHA256, tc.VerifyConnection != nil)
		}
	}
}

func TestNewRejectsUnsafeOrIncompleteConfig(t *testing.T) {
	ca := newTestCA(t)
	tests := []struct {
		name string
		cfg  Config
		want string
	}{
		{"no address", Config{CAPEM: ca.pem}, "no server address"},
		{"plain http", Config{BaseURL: "http://reset.example", CAPEM: ca.pem}, "https://"},
		{"no host", Config{BaseURL: "https://", CAPEM: ca.pem}, "https://"},
		{"credentials in the URL", Config{BaseURL: "https://u:p@reset.example", CAPEM: ca.pem}, "credentials"},
		{"no trust", Config{BaseURL: "https://reset.example"}, "no trust"},
		{"two sources of trust", Config{BaseURL: "https://reset.example", CAPEM: ca.pem, SystemRoots: true}, "only one"},
		{"missing CA file", Config{BaseURL: "https://reset.example", CAFile: "/nonexistent/ca.pem"}, "CA file"},
		{"CA bundle without certificates", Config{BaseURL: "https://reset.example", CAPEM: []byte("not pem")}, "no PEM certificate"},
		{"pin not base64", Config{BaseURL: "https://reset.example", CAPEM: ca.pem, PinSHA256: "not base64!"}, "pin"},
		{"pin of the wrong length", Config{BaseURL: "https://reset.example", CAPEM: ca.pem, PinSHA256: "AAAA"}, "pin"},
		{"TLS 1.1", Config{BaseURL: "https://reset.example", CAPEM: ca.pem, TLSMin: tls.VersionTLS11}, "1.2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := New(tt.cfg)
			if err == nil || c != nil {
				t.Fatalf("New = %v, %v; want an error", c, err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not mention %q", err, tt.want)
			}
		})
	}
}

func TestCAFileIsTrusted(t *testing.T) {
	ca := newTestCA(t)
	cert, _ := ca.issue(t, leafOptions{})
	var hits atomic.Int32
	srv := tlsServer(t, cert, countingPolicy(&hits))
	file := t.TempDir() + "/ca.pem"
	if err := os.WriteFile(file, ca.pem, 0o600); err != nil {
		t.Fatal(err)
	}
	c := newTestClient(t, Config{BaseURL: srv.URL, CAFile: file})
	if _, err := c.Policy(context.Background()); err != nil {
		t.Fatalf("Policy with the CA file: %v", err)
	}
}

// listenerAddr is a loopback address nothing listens on.
func listenerAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	_ = l.Close()
	return addr
}
