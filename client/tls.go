package client

import (
	"crypto/sha256"
	"crypto/subtle"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
)

// SPKIPin returns the pin of cert's public key as Config.PinSHA256 expects
// it: the standard base64 of the SHA-256 of its SubjectPublicKeyInfo.
func SPKIPin(cert *x509.Certificate) string {
	sum := sha256.Sum256(cert.RawSubjectPublicKeyInfo)
	return base64.StdEncoding.EncodeToString(sum[:])
}

// parsePins reads comma-separated pins; the "sha256/" prefix of the HPKP
// notation is accepted so that pins can be copied from common tools.
func parsePins(raw string) ([][]byte, error) {
	var pins [][]byte
	for _, p := range strings.Split(raw, ",") {
		p = strings.TrimPrefix(strings.TrimSpace(p), "sha256/")
		if p == "" {
			continue
		}
		sum, err := base64.StdEncoding.DecodeString(p)
		if err != nil || len(sum) != sha256.Size {
			return nil, fmt.Errorf("client: the pin %q is not a base64 SHA-256", p)
		}
		pins = append(pins, sum)
	}
	return pins, nil
}

// newTLSConfig trusts exactly the configured roots. Verification is never
// skipped: the pin is an extra check after the normal chain and host name
// verification, not a replacement for it.
func newTLSConfig(s settings) (*tls.Config, error) {
	cfg := &tls.Config{MinVersion: s.tlsMin}
	if s.caPEM != nil {
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(s.caPEM) {
			return nil, errors.New("client: the CA bundle holds no PEM certificate")
		}
		cfg.RootCAs = pool
	}
	if len(s.pins) > 0 {
		pins := s.pins
		cfg.VerifyConnection = func(cs tls.ConnectionState) error {
			return checkPins(cs.VerifiedChains, pins)
		}
	}
	return cfg, nil
}

// errPinMismatch is returned by the handshake when no key of the verified
// chain matches a pin.
var errPinMismatch = errors.New("no key of the server's certificate chain matches the configured pin")

// checkPins accepts the connection when any certificate of any verified
// chain (leaf, intermediate or root) carries a pinned key, so that pinning
// the private CA survives the renewal of the server's certificate.
func checkPins(chains [][]*x509.Certificate, pins [][]byte) error {
	for _, chain := range chains {
		for _, cert := range chain {
			sum := sha256.Sum256(cert.RawSubjectPublicKeyInfo)
			for _, pin := range pins {
				if subtle.ConstantTimeCompare(sum[:], pin) == 1 {
					return nil
				}
			}
		}
	}
	return errPinMismatch
}
