package tlsgen

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"os"
	"path/filepath"
	"testing"
	"time"
)

var t0 = time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)

func TestEnsureWritesFilesWithPrivateKeysUnreadableByOthers(t *testing.T) {
	dir := t.TempDir()
	if _, err := Ensure(dir, nil, t0); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]os.FileMode{
		CAFile: 0o644, CAKeyFile: 0o600, ServerFile: 0o644, ServerKeyFile: 0o600,
	} {
		fi, err := os.Stat(filepath.Join(dir, name))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if got := fi.Mode().Perm(); got != want {
			t.Errorf("%s mode = %o, want %o", name, got, want)
		}
	}
}

func TestEnsureReusesExistingCertificates(t *testing.T) {
	dir := t.TempDir()
	first, err := Ensure(dir, nil, t0)
	if err != nil {
		t.Fatal(err)
	}
	second, err := Ensure(dir, nil, t0.Add(200*24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(first.CAPEM, second.CAPEM) {
		t.Error("CA regenerated although still valid")
	}
	if !bytes.Equal(first.Certificate.Certificate[0], second.Certificate.Certificate[0]) {
		t.Error("server certificate regenerated although still valid")
	}
}

func TestEnsureRenewsExpiringServerCertificateUnderTheSameCA(t *testing.T) {
	dir := t.TempDir()
	first, err := Ensure(dir, nil, t0)
	if err != nil {
		t.Fatal(err)
	}
	later := first.NotAfter.Add(-RenewBefore + time.Hour)
	second, err := Ensure(dir, nil, later)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(first.CAPEM, second.CAPEM) {
		t.Error("CA replaced; clients trusting ca.pem would break")
	}
	if !second.NotAfter.After(first.NotAfter) {
		t.Errorf("server certificate not renewed: NotAfter %v", second.NotAfter)
	}
	verify(t, second, "localhost", later)
}

func TestEnsureReplacesExpiringCAAndItsServerCertificate(t *testing.T) {
	dir := t.TempDir()
	first, err := Ensure(dir, nil, t0)
	if err != nil {
		t.Fatal(err)
	}
	later := t0.Add(CALifetime - RenewBefore + time.Hour)
	second, err := Ensure(dir, nil, later)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(first.CAPEM, second.CAPEM) {
		t.Error("expiring CA kept")
	}
	verify(t, second, "127.0.0.1", later)
}

func TestEnsureRepairsDamagedOrMismatchedFiles(t *testing.T) {
	tests := map[string]func(dir string){
		"server key missing": func(dir string) { os.Remove(filepath.Join(dir, ServerKeyFile)) },
		"server cert garbage": func(dir string) {
			os.WriteFile(filepath.Join(dir, ServerFile), []byte("not a certificate"), 0o644)
		},
		"server key of another certificate": func(dir string) {
			other := t.TempDir()
			if _, err := Ensure(other, nil, t0); err != nil {
				t.Fatal(err)
			}
			b, _ := os.ReadFile(filepath.Join(other, ServerKeyFile))
			os.WriteFile(filepath.Join(dir, ServerKeyFile), b, 0o600)
		},
		"CA missing": func(dir string) { os.Remove(filepath.Join(dir, CAFile)) },
	}
	for name, damage := range tests {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			if _, err := Ensure(dir, nil, t0); err != nil {
				t.Fatal(err)
			}
			damage(dir)
			b, err := Ensure(dir, nil, t0)
			if err != nil {
				t.Fatal(err)
			}
			verify(t, b, "localhost", t0)
			onDisk, err := os.ReadFile(filepath.Join(dir, CAFile))
			if err != nil || !bytes.Equal(onDisk, b.CAPEM) {
				t.Error("ca.pem on disk differs from the CA in use")
			}
		})
	}
}

func TestServerCertificateCoversLoopbackLocalhostAndHostName(t *testing.T) {
	b, err := InMemory(nil, t0)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"127.0.0.1", "::1", "localhost"}
	if h, err := os.Hostname(); err == nil && h != "" {
		want = append(want, h)
	}
	for _, h := range want {
		verify(t, b, h, t0)
	}
	if err := b.Certificate.Leaf.VerifyHostname("example.com"); err == nil {
		t.Error("certificate covers example.com")
	}
}

func TestEnsureReplacesServerCertificateMissingANewHost(t *testing.T) {
	dir := t.TempDir()
	if _, err := Ensure(dir, []string{"localhost"}, t0); err != nil {
		t.Fatal(err)
	}
	b, err := Ensure(dir, []string{"localhost", "reset.example.edu.hk"}, t0)
	if err != nil {
		t.Fatal(err)
	}
	verify(t, b, "reset.example.edu.hk", t0)
}

func TestKeysAreECDSAP256(t *testing.T) {
	b, err := InMemory(nil, t0)
	if err != nil {
		t.Fatal(err)
	}
	for name, pub := range map[string]any{
		"server": b.Certificate.Leaf.PublicKey,
		"ca":     mustParseCA(t, b).PublicKey,
	} {
		k, ok := pub.(*ecdsa.PublicKey)
		if !ok || k.Curve != elliptic.P256() {
			t.Errorf("%s key is %T, want ECDSA P-256", name, pub)
		}
	}
}

func mustParseCA(t *testing.T, b *Bundle) *x509.Certificate {
	t.Helper()
	block, _ := pem.Decode(b.CAPEM)
	if block == nil {
		t.Fatal("CAPEM is not PEM")
	}
	c, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	if !c.IsCA {
		t.Fatal("CAPEM is not a CA certificate")
	}
	return c
}

func TestHandshakeTrustingOnlyTheCA(t *testing.T) {
	b, err := Ensure(t.TempDir(), nil, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	ln, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{Certificates: []tls.Certificate{b.Certificate}})
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return // listener closed
			}
			c.(*tls.Conn).Handshake()
			c.Close()
		}
	}()
	conn, err := tls.Dial("tcp", ln.Addr().String(), &tls.Config{RootCAs: b.CertPool(), ServerName: "127.0.0.1"})
	if err != nil {
		t.Fatalf("handshake with the generated CA: %v", err)
	}
	conn.Close()

	_, err = tls.Dial("tcp", ln.Addr().String(), &tls.Config{RootCAs: x509.NewCertPool(), ServerName: "127.0.0.1"})
	if err == nil {
		t.Fatal("handshake succeeded without trusting the CA")
	}
}

func verify(t *testing.T, b *Bundle, host string, at time.Time) {
	t.Helper()
	_, err := b.Certificate.Leaf.Verify(x509.VerifyOptions{
		DNSName:     host,
		Roots:       b.CertPool(),
		CurrentTime: at,
	})
	if err != nil {
		t.Errorf("verify %s at %v: %v", host, at, err)
	}
}
