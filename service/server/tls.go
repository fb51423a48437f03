package server

import (
	"crypto/tls"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"casreset/service/tlsgen"
)

// intermediateSuites are the TLS 1.2 suites of Mozilla's "intermediate"
// configuration that Go implements: ECDHE key exchange with AEAD ciphers
// only, so that every session has forward secrecy.
var intermediateSuites = []uint16{
	tls.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
	tls.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
	tls.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
	tls.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
	tls.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
	tls.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
}

// TLSConfig returns the server's TLS settings for minVersion ("1.3" or
// "1.2"): TLS 1.3 only by default, since both ends are ours; TLS 1.2 when
// IT needs it for a proxy or an old client, limited to the suites above.
func TLSConfig(minVersion string) (*tls.Config, error) {
	switch minVersion {
	case TLS13, "":
		return &tls.Config{MinVersion: tls.VersionTLS13}, nil
	case TLS12:
		return &tls.Config{MinVersion: tls.VersionTLS12, CipherSuites: intermediateSuites}, nil
	}
	return nil, fmt.Errorf("TLS version %q: must be %s or %s", minVersion, TLS13, TLS12)
}

// certSource hands the current certificate to each handshake and replaces
// it when refresh finds a newer one, so that a long-running service never
// serves an expired certificate.
type certSource struct {
	current atomic.Pointer[tls.Certificate]
	caPEM   []byte
	mu      sync.Mutex // serialises refreshes
	refresh func(now time.Time) (*tls.Certificate, error)
}

func (s *certSource) get(*tls.ClientHelloInfo) (*tls.Certificate, error) {
	return s.current.Load(), nil
}

// update runs refresh, if any, and installs its certificate.
func (s *certSource) update(now time.Time) error {
	if s.refresh == nil {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c, err := s.refresh(now)
	if err != nil {
		return err
	}
	if c != nil {
		s.current.Store(c)
	}
	return nil
}

// newCertSource picks the certificate: IT's files, an in-memory CA, or the
// CA and certificate kept in the data directory.
func newCertSource(cfg Config, now time.Time) (*certSource, error) {
	s := &certSource{}
	switch {
	case cfg.TLSCert != "":
		var modTimes [2]time.Time
		s.refresh = func(time.Time) (*tls.Certificate, error) {
			// Read the pair again only when a file changed: IT's renewal
			// tooling replaces them in place.
			m := [2]time.Time{modTime(cfg.TLSCert), modTime(cfg.TLSKey)}
			if m == modTimes {
				return nil, nil
			}
			c, err := tls.LoadX509KeyPair(cfg.TLSCert, cfg.TLSKey)
			if err != nil {
				return nil, fmt.Errorf("TLS certificate: %w", err)
			}
			modTimes = m
			return &c, nil
		}
	case cfg.EphemeralTLS:
		b, err := tlsgen.InMemory(nil, now)
		if err != nil {
			return nil, err
		}
		s.caPEM = b.CAPEM
		s.current.Store(&b.Certificate)
		return s, nil
	default:
		s.refresh = func(now time.Time) (*tls.Certificate, error) {
			b, err := tlsgen.Ensure(cfg.DataDir, nil, now)
			if err != nil {
				return nil, err
			}
			s.caPEM = b.CAPEM
			return &b.Certificate, nil
		}
	}
	if err := s.update(now); err != nil {
		return nil, err
	}
	return s, nil
}

func modTime(path string) time.Time {
	fi, err := os.Stat(path)
	if err != nil {
		return time.Time{}
	}
	return fi.ModTime()
}
