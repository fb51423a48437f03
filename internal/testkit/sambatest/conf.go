package sambatest

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"time"

	"casreset/service/tlsgen"
)

// writeConfig gives the provisioned controller a TLS certificate that
// covers 127.0.0.1 (Samba's own has no IP SAN), its settings for tests,
// and writes a krb5.conf for the realm.
func writeConfig(dir string) error {
	tlsDir := filepath.Join(dir, "tls")
	if _, err := tlsgen.Ensure(tlsDir, []string{"127.0.0.1", "localhost", HostName + "." + DNSDomain}, time.Now()); err != nil {
		return fmt.Errorf("sambatest: %w", err)
	}
	conf := filepath.Join(dir, "etc", "smb.conf")
	b, err := os.ReadFile(conf)
	if err != nil {
		return fmt.Errorf("sambatest: %w", err)
	}
	b = logFileLine.ReplaceAll(b, nil)
	b = globalSection.ReplaceAll(b, []byte("[global]\n"+globalSettings(dir, tlsDir)))
	if err := os.WriteFile(conf, b, 0o644); err != nil {
		return fmt.Errorf("sambatest: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "krb5.conf"), []byte(krb5Conf), 0o644); err != nil {
		return fmt.Errorf("sambatest: %w", err)
	}
	return nil
}

var (
	globalSection = regexp.MustCompile(`(?m)^\[global\]\n`)
	logFileLine   = regexp.MustCompile(`(?m)^\s*log file = .*\n`)
)

// globalSettings are added to smb.conf's [global] section.
//   - A password that was just replaced stops working at once (Samba lets
//     the previous one log in for an hour by default, NTLM and Kerberos).
//   - Two workers per service are plenty for tests on a shared machine.
//   - Every file samba writes stays in dir: one controller per test binary
//     runs beside the others (and beside an installed Samba).
func globalSettings(dir, tlsDir string) string {
	return fmt.Sprintf(`	tls enabled = yes
	tls keyfile = %[2]s/%[3]s
	tls certfile = %[2]s/%[4]s
	tls cafile = %[2]s/%[5]s
	pid directory = %[1]s/run
	ncalrpc dir = %[1]s/run/ncalrpc
	winbindd socket directory = %[1]s/run/winbindd
	ntp signd socket directory = %[1]s/run/ntp_signd
	old password allowed period = 0
	prefork children = 2
	log file = %[1]s/log.%%m
	log level = 1
`, dir, tlsDir, tlsgen.ServerKeyFile, tlsgen.ServerFile, tlsgen.CAFile)
}

// krb5Conf points Kerberos clients at the controller's KDC on the
// namespace's loopback, with no DNS look-ups.
var krb5Conf = fmt.Sprintf(`[libdefaults]
	default_realm = %[1]s
	dns_lookup_realm = false
	dns_lookup_kdc = false
	rdns = false

[realms]
	%[1]s = {
		kdc = 127.0.0.1
		admin_server = 127.0.0.1
	}

[domain_realm]
	.%[2]s = %[1]s
	%[2]s = %[1]s
`, Realm, DNSDomain)

// TLSConfig trusts the controller's CA alone, for 127.0.0.1.
func (dc *DC) TLSConfig() (*tls.Config, error) {
	pemBytes, err := os.ReadFile(dc.CAFile)
	if err != nil {
		return nil, err
	}
	roots := x509.NewCertPool()
	if !roots.AppendCertsFromPEM(pemBytes) {
		return nil, fmt.Errorf("sambatest: %s holds no certificate", dc.CAFile)
	}
	return &tls.Config{RootCAs: roots, ServerName: "127.0.0.1", MinVersion: tls.VersionTLS12}, nil
}
