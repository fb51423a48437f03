// Package tlsgen makes the private certificate authority and the server
// certificate that resetd uses when IT gives it no certificate of its own.
// The files live in the service's data directory and are reused across
// restarts, so that clients can trust DIR/ca.pem once; they are regenerated
// only when missing, unreadable or close to expiry.
package tlsgen

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"time"
)

// File names inside the data directory.
const (
	CAFile        = "ca.pem"
	CAKeyFile     = "ca-key.pem"
	ServerFile    = "server.pem"
	ServerKeyFile = "server-key.pem"
)

// Lifetimes. The server certificate stays under the 398 days that browsers
// and TLS libraries accept for leaf certificates; the CA lives long so that
// the ca.pem IT distributes keeps working when the server certificate is
// renewed under it.
const (
	CALifetime     = 10 * 365 * 24 * time.Hour
	ServerLifetime = 397 * 24 * time.Hour
	// RenewBefore is how long before expiry a certificate is replaced.
	RenewBefore = 30 * 24 * time.Hour
)

// Bundle is a server certificate with the CA that signed it.
type Bundle struct {
	// CAPEM is the CA certificate clients must trust.
	CAPEM []byte
	// Certificate is the server's certificate chain and key for tls.Config.
	Certificate tls.Certificate
	// NotAfter is when the server certificate expires.
	NotAfter time.Time
	// Hosts are the names and addresses the server certificate covers.
	Hosts []string
}

// DefaultHosts are the names every generated server certificate covers: the
// loopback addresses, localhost and the machine's host name.
func DefaultHosts() []string {
	hosts := []string{"127.0.0.1", "::1", "localhost"}
	if h, err := os.Hostname(); err == nil && h != "" && h != "localhost" {
		hosts = append(hosts, h)
	}
	return hosts
}

// Ensure returns the bundle kept in dir, generating what is missing or
// about to expire. The CA is kept as long as it is valid for RenewBefore
// more than a new server certificate needs; a new CA always brings a new
// server certificate. hosts are the SANs of the server certificate
// (DefaultHosts when nil); a server certificate that does not cover all of
// them is replaced.
func Ensure(dir string, hosts []string, now time.Time) (*Bundle, error) {
	if hosts == nil {
		hosts = DefaultHosts()
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("tlsgen: %w", err)
	}
	p := paths(dir)

	ca, caKey, err := loadPair(p.ca, p.caKey)
	if err != nil || !stillValid(ca, now) {
		ca, caKey, err = newCA(now)
		if err != nil {
			return nil, err
		}
		if err := writePair(p.ca, p.caKey, ca, caKey); err != nil {
			return nil, err
		}
		// The old server certificate is signed by the old CA.
		_ = os.Remove(p.server)
	}

	leaf, leafKey, err := loadPair(p.server, p.serverKey)
	if err != nil || !stillValid(leaf, now) || leaf.CheckSignatureFrom(ca) != nil || !covers(leaf, hosts) {
		leaf, leafKey, err = newServer(ca, caKey, hosts, now)
		if err != nil {
			return nil, err
		}
		if err := writePair(p.server, p.serverKey, leaf, leafKey); err != nil {
			return nil, err
		}
	}
	return bundle(ca, leaf, leafKey), nil
}

// InMemory generates a fresh CA and server certificate that are never
// written anywhere: the desktop app's embedded service pins this CA for the
// life of the process.
func InMemory(hosts []string, now time.Time) (*Bundle, error) {
	if hosts == nil {
		hosts = DefaultHosts()
	}
	ca, caKey, err := newCA(now)
	if err != nil {
		return nil, err
	}
	leaf, leafKey, err := newServer(ca, caKey, hosts, now)
	if err != nil {
		return nil, err
	}
	return bundle(ca, leaf, leafKey), nil
}

// CertPool returns a pool holding only the bundle's CA.
func (b *Bundle) CertPool() *x509.CertPool {
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(b.CAPEM)
	return pool
}

type filePaths struct{ ca, caKey, server, serverKey string }

func paths(dir string) filePaths {
	join := func(name string) string { return filepath.Join(dir, name) }
	return filePaths{join(CAFile), join(CAKeyFile), join(ServerFile), join(ServerKeyFile)}
}

func bundle(ca, leaf *x509.Certificate, key *ecdsa.PrivateKey) *Bundle {
	hosts := append([]string{}, leaf.DNSNames...)
	for _, ip := range leaf.IPAddresses {
		hosts = append(hosts, ip.String())
	}
	return &Bundle{
		CAPEM: pemCert(ca),
		Certificate: tls.Certificate{
			Certificate: [][]byte{leaf.Raw, ca.Raw},
			PrivateKey:  key,
			Leaf:        leaf,
		},
		NotAfter: leaf.NotAfter,
		Hosts:    hosts,
	}
}

// stillValid reports whether c is valid now and for RenewBefore more.
func stillValid(c *x509.Certificate, now time.Time) bool {
	return !now.Before(c.NotBefore) && now.Add(RenewBefore).Before(c.NotAfter)
}

func covers(c *x509.Certificate, hosts []string) bool {
	for _, h := range hosts {
		if c.VerifyHostname(h) != nil {
			return false
		}
	}
	return true
}

func newCA(now time.Time) (*x509.Certificate, *ecdsa.PrivateKey, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, fmt.Errorf("tlsgen: CA key: %w", err)
	}
	serial, err := serialNumber()
	if err != nil {
		return nil, nil, err
	}
	host, _ := os.Hostname()
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{Organization: []string{"resetd"}, CommonName: "resetd private CA " + host},
		NotBefore:             now.Add(-time.Hour), // tolerate clocks slightly behind
		NotAfter:              now.Add(CALifetime),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign | x509.KeyUsageDigitalSignature,
		BasicConstraintsValid: true,
		IsCA:                  true,
		MaxPathLenZero:        true,
	}
	cert, err := sign(tmpl, tmpl, &key.PublicKey, key)
	return cert, key, err
}

func newServer(ca *x509.Certificate, caKey *ecdsa.PrivateKey, hosts []string, now time.Time) (*x509.Certificate, *ecdsa.PrivateKey, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, fmt.Errorf("tlsgen: server key: %w", err)
	}
	serial, err := serialNumber()
	if err != nil {
		return nil, nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{Organization: []string{"resetd"}, CommonName: "resetd"},
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.Add(ServerLifetime),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	for _, h := range hosts {
		if ip := net.ParseIP(h); ip != nil {
			tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
		} else {
			tmpl.DNSNames = append(tmpl.DNSNames, h)
		}
	}
	if tmpl.NotAfter.After(ca.NotAfter) {
		tmpl.NotAfter = ca.NotAfter
	}
	cert, err := sign(tmpl, ca, &key.PublicKey, caKey)
	return cert, key, err
}

func sign(tmpl, parent *x509.Certificate, pub *ecdsa.PublicKey, signer *ecdsa.PrivateKey) (*x509.Certificate, error) {
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, pub, signer)
	if err != nil {
		return nil, fmt.Errorf("tlsgen: sign: %w", err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, fmt.Errorf("tlsgen: parse: %w", err)
	}
	return cert, nil
}

func serialNumber() (*big.Int, error) {
	n, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 128))
	if err != nil {
		return nil, fmt.Errorf("tlsgen: serial: %w", err)
	}
	return n, nil
}

func pemCert(c *x509.Certificate) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})
}

// loadPair reads a certificate and its key, and checks that they match.
func loadPair(certPath, keyPath string) (*x509.Certificate, *ecdsa.PrivateKey, error) {
	certPEM, err := os.ReadFile(certPath)
	if err != nil {
		return nil, nil, err
	}
	keyPEM, err := os.ReadFile(keyPath)
	if err != nil {
		return nil, nil, err
	}
	cb, _ := pem.Decode(certPEM)
	kb, _ := pem.Decode(keyPEM)
	if cb == nil || kb == nil {
		return nil, nil, errors.New("tlsgen: not PEM")
	}
	cert, err := x509.ParseCertificate(cb.Bytes)
	if err != nil {
		return nil, nil, err
	}
	key, err := x509.ParseECPrivateKey(kb.Bytes)
	if err != nil {
		return nil, nil, err
	}
	if !key.PublicKey.Equal(cert.PublicKey) {
		return nil, nil, errors.New("tlsgen: key does not match certificate")
	}
	return cert, key, nil
}

// writePair writes the key first with mode 0600 (never readable by others,
// even briefly), then the certificate; each through a temporary file and a
// rename so that a crash leaves either the old or the new file.
func writePair(certPath, keyPath string, cert *x509.Certificate, key *ecdsa.PrivateKey) error {
	der, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		return fmt.Errorf("tlsgen: %w", err)
	}
	if err := writeFile(keyPath, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: der}), 0o600); err != nil {
		return err
	}
	return writeFile(certPath, pemCert(cert), 0o644)
}

func writeFile(path string, data []byte, mode os.FileMode) error {
	tmp := path + ".tmp"
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, mode)
	if err != nil {
		return fmt.Errorf("tlsgen: %w", err)
	}
	// OpenFile honours mode only when it creates the file.
	if err := f.Chmod(mode); err != nil {
		f.Close()
		return fmt.Errorf("tlsgen: %w", err)
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return fmt.Errorf("tlsgen: %w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("tlsgen: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("tlsgen: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("tlsgen: %w", err)
	}
	return nil
}
