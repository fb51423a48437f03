package client

import (
	"crypto/tls"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"
	"time"
)

// Defaults of Config.
const (
	DefaultConnectTimeout = 5 * time.Second
	DefaultTimeout        = 15 * time.Second
	DefaultTLSMin         = tls.VersionTLS13
)

// Config says where the reset service is and how far to trust it.
type Config struct {
	// BaseURL is the service's https:// address, optionally with a path
	// prefix (https://reset.example.edu.hk/casreset).
	BaseURL string

	// Exactly one source of trust: a PEM bundle file, a PEM bundle, or the
	// operating system's roots.
	CAFile      string
	CAPEM       []byte
	SystemRoots bool

	// PinSHA256 optionally pins the server's key: the standard base64 of
	// the SHA-256 of a SubjectPublicKeyInfo in the verified chain (see
	// SPKIPin). Several pins, for a key rollover, are separated by commas.
	PinSHA256 string

	// TLSMin is the lowest TLS version accepted; 0 means TLS 1.3.
	TLSMin uint16

	// ConnectTimeout bounds the TCP connect and the TLS handshake; 0
	// means DefaultConnectTimeout. Timeout bounds one call, retries
	// included; 0 means DefaultTimeout.
	ConnectTimeout, Timeout time.Duration

	// Version of the program, for the User-Agent.
	Version string
}

// settings is a checked Config with the defaults filled in.
type settings struct {
	base           *url.URL
	caPEM          []byte // nil when the system roots are used
	pins           [][]byte
	tlsMin         uint16
	connectTimeout time.Duration
	timeout        time.Duration
	version        string
}

func (cfg Config) check() (settings, error) {
	var s settings

	base, err := parseBaseURL(cfg.BaseURL)
	if err != nil {
		return s, err
	}
	s.base = base

	sources := 0
	for _, set := range []bool{cfg.CAFile != "", len(cfg.CAPEM) > 0, cfg.SystemRoots} {
		if set {
			sources++
		}
	}
	switch {
	case sources == 0:
		return s, errors.New("client: no trust configured: set a CA file, a CA bundle or the system roots")
	case sources > 1:
		return s, errors.New("client: set only one of the CA file, the CA bundle and the system roots")
	case cfg.CAFile != "":
		pem, err := os.ReadFile(cfg.CAFile)
		if err != nil {
			return s, fmt.Errorf("client: reading the CA file: %w", err)
		}
		s.caPEM = pem
	case len(cfg.CAPEM) > 0:
		s.caPEM = cfg.CAPEM
	}

	if s.pins, err = parsePins(cfg.PinSHA256); err != nil {
		return s, err
	}

	s.tlsMin = cfg.TLSMin
	if s.tlsMin == 0 {
		s.tlsMin = DefaultTLSMin
	}
	if s.tlsMin < tls.VersionTLS12 {
		return s, errors.New("client: TLS versions below 1.2 are not accepted")
	}

	s.connectTimeout = positiveOr(cfg.ConnectTimeout, DefaultConnectTimeout)
	s.timeout = positiveOr(cfg.Timeout, DefaultTimeout)
	s.version = strings.TrimSpace(cfg.Version)
	if s.version == "" {
		s.version = "dev"
	}
	return s, nil
}

// parseBaseURL accepts only https: plain HTTP would carry the reset token and
// the new password in the clear.
func parseBaseURL(raw string) (*url.URL, error) {
	if raw == "" {
		return nil, errors.New("client: no server address configured")
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("client: the server address %q is not a URL", raw)
	}
	if u.Scheme != "https" || u.Host == "" {
		return nil, fmt.Errorf("client: the server address %q must start with https://", raw)
	}
	if u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("client: the server address %q must not hold credentials, a query or a fragment", raw)
	}
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = ""
	return u, nil
}

func positiveOr(d, def time.Duration) time.Duration {
	if d > 0 {
		return d
	}
	return def
}
