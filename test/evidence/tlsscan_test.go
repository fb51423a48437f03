package evidence

import (
	"bufio"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"
)

// scan is what sslscan found: each protocol enabled or not, and the
// accepted cipher suites by protocol.
type scan struct {
	protocols map[string]bool     // "TLSv1.2" → enabled
	ciphers   map[string][]string // "TLSv1.2" → OpenSSL suite names
	raw       string
}

var (
	protocolLine = regexp.MustCompile(`^(SSLv2|SSLv3|TLSv1\.[0-3])\s+(enabled|disabled)`)
	cipherLine   = regexp.MustCompile(`^(?:Preferred|Accepted)\s+(\S+)\s+\d+ bits\s+(\S+)`)
)

// sslscan runs Debian's sslscan against the instance. It fails the test
// when sslscan is missing rather than passing without a scan.
func sslscan(t *testing.T, in *instance) scan {
	t.Helper()
	bin, err := exec.LookPath("sslscan")
	if err != nil {
		t.Fatal("sslscan is not installed: it comes with the Debian package sslscan (make deps installs it)")
	}
	cmd := exec.Command(bin, "--no-colour", in.hostPort())
	timer := time.AfterFunc(2*time.Minute, func() { cmd.Process.Kill() })
	defer timer.Stop()
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("sslscan: %v\n%s", err, out)
	}
	s := scan{protocols: map[string]bool{}, ciphers: map[string][]string{}, raw: string(out)}
	sc := bufio.NewScanner(strings.NewReader(s.raw))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if m := protocolLine.FindStringSubmatch(line); m != nil {
			s.protocols[m[1]] = m[2] == "enabled"
		}
		if m := cipherLine.FindStringSubmatch(line); m != nil {
			s.ciphers[m[1]] = append(s.ciphers[m[1]], m[2])
		}
	}
	for _, p := range []string{"SSLv2", "SSLv3", "TLSv1.0", "TLSv1.1", "TLSv1.2", "TLSv1.3"} {
		if _, ok := s.protocols[p]; !ok {
			t.Fatalf("sslscan said nothing of %s:\n%s", p, s.raw)
		}
	}
	return s
}

// ecdheAEAD matches the OpenSSL names of TLS 1.2 suites with ECDHE key
// exchange and an AEAD cipher: no CBC, no SHA-1 MAC, no RSA key exchange.
var ecdheAEAD = regexp.MustCompile(`^ECDHE-(ECDSA|RSA)-(AES128-GCM-SHA256|AES256-GCM-SHA384|CHACHA20-POLY1305)$`)

func TestTLSAsAScannerSeesIt(t *testing.T) {
	s := newSetup(t, sqliteOnly)
	t.Run("default: TLS 1.3 only", func(t *testing.T) {
		in := s.start(t)
		sc := sslscan(t, in)
		for p, enabled := range sc.protocols {
			if enabled != (p == "TLSv1.3") {
				t.Errorf("%s enabled = %v", p, enabled)
			}
		}
		if len(sc.ciphers["TLSv1.3"]) == 0 || len(sc.ciphers) != 1 {
			t.Errorf("accepted suites %v, want TLS 1.3 suites only", sc.ciphers)
		}
		in.stop()
	})
	t.Run("--tls-min 1.2: ECDHE AEAD suites only", func(t *testing.T) {
		in := s.start(t, "--tls-min", "1.2")
		sc := sslscan(t, in)
		for p, enabled := range sc.protocols {
			if enabled != (p == "TLSv1.3" || p == "TLSv1.2") {
				t.Errorf("%s enabled = %v", p, enabled)
			}
		}
		if len(sc.ciphers["TLSv1.2"]) == 0 {
			t.Fatalf("no TLS 1.2 suite accepted:\n%s", sc.raw)
		}
		for _, suite := range sc.ciphers["TLSv1.2"] {
			if !ecdheAEAD.MatchString(suite) {
				t.Errorf("TLS 1.2 suite %s is not ECDHE with an AEAD cipher", suite)
			}
		}
		for p := range sc.ciphers {
			if p != "TLSv1.2" && p != "TLSv1.3" {
				t.Errorf("suites accepted for %s: %v", p, sc.ciphers[p])
			}
		}
		in.stop()
	})
}
