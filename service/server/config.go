// Package server assembles a running reset service: the store, the
// directory, the domain, the delivery worker, the HTTP adapter and HTTPS.
// cmd/resetd calls it for `resetd serve`; the desktop app calls it for its
// embedded default.
package server

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"strings"
	"time"

	"casreset/service"
	"casreset/service/delivery"
	"casreset/service/ldapdir"
)

// Config is everything `resetd serve` can be told. DefaultConfig gives the
// defaults of DESIGN.md.
type Config struct {
	// Addr is where HTTPS listens, host:port.
	Addr string
	// DataDir holds the SQLite database and, unless TLSCert/TLSKey are
	// given, the generated CA (DataDir/ca.pem, for clients to trust) and
	// server certificate.
	DataDir string
	// DB selects PostgreSQL with a postgres:// URL; empty means SQLite at
	// DataDir/resetd.db.
	DB string

	// TLSCert and TLSKey are PEM files of IT's own certificate (chain) and
	// key; they are read again when they change on disk.
	TLSCert, TLSKey string
	// TLSMin is the oldest TLS version accepted: "1.3" (the default) or
	// "1.2", which allows only the ECDHE AEAD suites of Mozilla's
	// "intermediate" configuration.
	TLSMin string
	// EphemeralTLS uses a CA and certificate made in memory and never
	// written: the desktop app's embedded service, whose client pins
	// Running.CAPEM.
	EphemeralTLS bool
	// TrustedProxies are reverse proxies whose X-Forwarded-For is
	// believed; none by default.
	TrustedProxies []netip.Prefix
	// MetricsAddr is where GET /metrics listens (plain HTTP), host:port;
	// "" or MetricsOff for no metrics listener.
	MetricsAddr string

	// Delivery: Outbox writes messages as files (demos and tests) for every
	// channel that has no real transport; SMTP is used when SMTP.Addr is
	// set, SMS when SMS.URL is set.
	Outbox string
	SMTP   delivery.SMTPConfig
	SMS    delivery.SMSConfig
	// LDAP, when LDAP.URL is set, is the directory of accounts and
	// passwords instead of the service's database.
	LDAP ldapdir.Config
	// Org is the organisation as messages present it.
	Org delivery.Org

	// Service holds every limit of the rules table, the time zone and the
	// test switch (Service.TestCaptchaAnswer).
	Service service.Config

	// PurgeInterval is how often expired state is deleted; KeepMessages
	// and KeepAudit are how long finished messages and audit events stay.
	PurgeInterval time.Duration
	KeepMessages  time.Duration
	KeepAudit     time.Duration

	// HTTP server limits.
	ReadHeaderTimeout time.Duration
	ReadTimeout       time.Duration
	WriteTimeout      time.Duration
	IdleTimeout       time.Duration
	MaxHeaderBytes    int
	// ShutdownTimeout is how long in-flight requests may take to finish
	// once shutdown begins.
	ShutdownTimeout time.Duration

	// Log receives the service's log (discarded when nil). Clock is the
	// service's clock (the system clock when nil). OnEvent, when set, sees
	// every committed audit event; it must not block.
	Log     *slog.Logger
	Clock   service.Clock
	OnEvent func(service.AuditEvent)
}

// Defaults.
const (
	DefaultAddr = "127.0.0.1:8443"
	TLS13       = "1.3"
	TLS12       = "1.2"
)

// DefaultConfig returns the defaults of DESIGN.md. DataDir, the
// organisation and a delivery channel remain to be set.
func DefaultConfig() Config {
	svc := service.DefaultConfig()
	return Config{
		Addr:              DefaultAddr,
		MetricsAddr:       DefaultMetricsAddr,
		TLSMin:            TLS13,
		Org:               delivery.Org{Location: svc.Location},
		Service:           svc,
		PurgeInterval:     10 * time.Minute,
		KeepMessages:      7 * 24 * time.Hour,
		KeepAudit:         400 * 24 * time.Hour,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		// A password change waits for an Argon2id slot and the directory.
		WriteTimeout:    60 * time.Second,
		IdleTimeout:     120 * time.Second,
		MaxHeaderBytes:  32 << 10,
		ShutdownTimeout: 30 * time.Second,
	}
}

// Validate reports settings that cannot work together. Start calls it;
// the domain, the organisation and each transport check their own parts.
func (c Config) Validate() error {
	var errs []error
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		errs = append(errs, fmt.Errorf("--addr %q is not host:port", c.Addr))
	}
	if metricsEnabled(c.MetricsAddr) {
		if _, _, err := net.SplitHostPort(c.MetricsAddr); err != nil {
			errs = append(errs, fmt.Errorf("--metrics-addr %q is not host:port (or %q)", c.MetricsAddr, MetricsOff))
		}
	}
	if c.TLSMin != TLS13 && c.TLSMin != TLS12 {
		errs = append(errs, fmt.Errorf("--tls-min %q: must be %s or %s", c.TLSMin, TLS13, TLS12))
	}
	if (c.TLSCert == "") != (c.TLSKey == "") {
		errs = append(errs, errors.New("--tls-cert and --tls-key go together"))
	}
	if c.EphemeralTLS && c.TLSCert != "" {
		errs = append(errs, errors.New("an in-memory certificate and --tls-cert exclude each other"))
	}
	needData := c.DB == "" || (c.TLSCert == "" && !c.EphemeralTLS)
	if needData && c.DataDir == "" {
		errs = append(errs, errors.New("--data is required (it holds the database and the generated certificates)"))
	}
	if c.Service.TestCaptchaAnswer != "" && !LoopbackOnly(c.Addr) {
		errs = append(errs, fmt.Errorf("RESETD_TEST_CAPTCHA_ANSWER is set but --addr %q is not a loopback address (127.0.0.0/8, ::1 or localhost): the test switch is for automated tests on this machine only", c.Addr))
	}
	if c.Outbox == "" && c.SMTP.Addr == "" && c.SMS.URL == "" {
		errs = append(errs, errors.New("no way to deliver codes: set --outbox, --smtp-addr or --sms-webhook"))
	}
	if c.PurgeInterval <= 0 || c.KeepMessages <= 0 || c.KeepAudit <= 0 {
		errs = append(errs, errors.New("the purge interval and the retention periods must be positive"))
	}
	if c.ReadHeaderTimeout <= 0 || c.ReadTimeout <= 0 || c.WriteTimeout <= 0 || c.IdleTimeout <= 0 || c.ShutdownTimeout <= 0 || c.MaxHeaderBytes <= 0 {
		errs = append(errs, errors.New("the HTTP timeouts and header limit must be positive"))
	}
	return errors.Join(errs...)
}

// LoopbackOnly reports whether addr (host:port) listens on a loopback
// address only: an address of 127.0.0.0/8, ::1, or the name localhost. An
// empty host, 0.0.0.0 and :: listen everywhere and are not.
func LoopbackOnly(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.Unmap().IsLoopback()
}
