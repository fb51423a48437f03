package slapdtest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// Files of the test's TLS material.
const (
	caFile        = "ca.pem"
	serverFile    = "server.pem"
	serverKeyFile = "server-key.pem"
)

// writeTLS makes a CA for this server alone and a certificate for
// 127.0.0.1 and localhost signed by it, and writes them into dir.
func writeTLS(tb testing.TB, dir string) {
	tb.Helper()
	ca, caKey := newCert(tb, nil, nil)
	leaf, leafKey := newCert(tb, ca, caKey)
	keyDER, err := x509.MarshalECPrivateKey(leafKey)
	if err != nil {
		tb.Fatal(err)
	}
	writePEM(tb, filepath.Join(dir, caFile), "CERTIFICATE", ca.Raw)
	writePEM(tb, filepath.Join(dir, serverFile), "CERTIFICATE", leaf.Raw)
	writePEM(tb, filepath.Join(dir, serverKeyFile), "EC PRIVATE KEY", keyDER)
}

// UntrustedCAFile writes a CA certificate that signed nothing of the
// server's, for tests of a client that must refuse the server.
func UntrustedCAFile(tb testing.TB) string {
	tb.Helper()
	ca, _ := newCert(tb, nil, nil)
	path := filepath.Join(tb.TempDir(), caFile)
	writePEM(tb, path, "CERTIFICATE", ca.Raw)
	return path
}

// newCert makes a CA certificate when parent is nil, else a server
// certificate for the loopback address signed by parent.
func newCert(tb testing.TB, parent *x509.Certificate, parentKey *ecdsa.PrivateKey) (*x509.Certificate, *ecdsa.PrivateKey) {
	tb.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		tb.Fatal(err)
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	if err != nil {
		tb.Fatal(err)
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.Add(24 * time.Hour),
	}
	signer, signerKey := tmpl, key
	if parent == nil {
		tmpl.Subject = pkix.Name{CommonName: "slapdtest CA"}
		tmpl.IsCA, tmpl.BasicConstraintsValid = true, true
		tmpl.KeyUsage = x509.KeyUsageCertSign | x509.KeyUsageCRLSign
	} else {
		tmpl.Subject = pkix.Name{CommonName: "127.0.0.1"}
		tmpl.IPAddresses = []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback}
		tmpl.DNSNames = []string{"localhost"}
		tmpl.KeyUsage = x509.KeyUsageDigitalSignature
		tmpl.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}
		signer, signerKey = parent, parentKey
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, signer, &key.PublicKey, signerKey)
	if err != nil {
		tb.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		tb.Fatal(err)
	}
	return cert, key
}

func writePEM(tb testing.TB, path, blockType string, der []byte) {
	tb.Helper()
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: blockType, Bytes: der}), 0o600); err != nil {
		tb.Fatal(err)
	}
}
