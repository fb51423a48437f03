package windows

import (
	"bytes"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestSignatures: scripts/package.sh signs the program and its MSI when
// given a certificate, and the MSI carries the signed program; without
// one nothing is signed. scripts/sign.sh also takes a PKCS#12 file with a
// password, and fails, leaving the file as it was, when the password is
// wrong or the time-stamp authority does not answer.
func TestSignatures(t *testing.T) {
	need(t, "osslsigncode", "osslsigncode")
	need(t, "msitools", "msiextract")
	need(t, "openssl", "openssl")
	signer := testSigner(t)
	older := buildRelease(t, oldVersion, false)
	newer := buildRelease(t, newVersion, true)

	verify := func(file, ca string) (string, error) {
		out, err := exec.Command("osslsigncode", "verify", "-CAfile", ca, "-in", file).CombinedOutput()
		return string(out), err
	}
	signedBy := func(file string) {
		t.Helper()
		if out, err := verify(file, signer.CA); err != nil || !strings.Contains(out, "Signature verification: ok") {
			t.Errorf("%s is not signed with the test's certificate: %v\n%s", filepath.Base(file), err, out)
		}
		// Not by any CA the machine trusts: the signature names its signer.
		if out, err := verify(file, "/etc/ssl/certs/ca-certificates.crt"); err == nil {
			t.Errorf("%s verifies against the system's CAs:\n%s", filepath.Base(file), out)
		}
	}

	signedBy(newer.Exe)
	signedBy(newer.MSI)
	extracted := t.TempDir()
	if out, err := exec.Command("msiextract", "-C", extracted, newer.MSI).CombinedOutput(); err != nil {
		t.Fatalf("msiextract: %v\n%s", err, out)
	}
	inside, _ := filepath.Glob(filepath.Join(extracted, "*", "casreset.exe"))
	if len(inside) != 1 {
		t.Fatalf("the MSI holds %q, want one casreset.exe", inside)
	}
	signedBy(inside[0])

	for _, file := range []string{older.Exe, older.MSI} {
		if out, err := verify(file, signer.CA); err == nil {
			t.Errorf("%s is signed though no certificate was given:\n%s", filepath.Base(file), out)
		}
	}

	// A PKCS#12 file with a password, as IT's certificate often comes.
	dir := t.TempDir()
	p12 := filepath.Join(dir, "signer.p12")
	const password = "correct horse battery staple"
	cmd := exec.Command("openssl", "pkcs12", "-export", "-in", signer.Cert, "-inkey", signer.Key,
		"-certfile", signer.CA, "-out", p12, "-passout", "env:P12_PASSWORD")
	cmd.Env = append(os.Environ(), "P12_PASSWORD="+password)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("openssl pkcs12: %v\n%s", err, out)
	}
	unsigned, err := os.ReadFile(older.Exe)
	if err != nil {
		t.Fatal(err)
	}
	sign := func(env ...string) (string, string, error) {
		file := filepath.Join(t.TempDir(), "casreset.exe")
		if err := os.WriteFile(file, unsigned, 0o644); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command("scripts/sign.sh", file)
		cmd.Dir = repoRoot
		cmd.Env = append(os.Environ(), "SIGN_CERT=", "SIGN_KEY=", "SIGN_PKCS12=", "SIGN_PASSWORD=", "SIGN_TIMESTAMP_URL=")
		cmd.Env = append(cmd.Env, env...)
		out, err := cmd.CombinedOutput()
		return file, string(out), err
	}
	file, out, err := sign("SIGN_PKCS12="+p12, "SIGN_PASSWORD="+password)
	if err != nil {
		t.Fatalf("signing with a PKCS#12 file: %v\n%s", err, out)
	}
	signedBy(file)

	// A signature that cannot be made leaves the file as it was.
	closed, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	tsa := "http://" + closed.Addr().String() + "/"
	closed.Close() // nothing answers there now
	for name, env := range map[string][]string{
		"a wrong password":                    {"SIGN_PKCS12=" + p12, "SIGN_PASSWORD=wrong"},
		"a time-stamp authority that is down": {"SIGN_CERT=" + signer.Cert, "SIGN_KEY=" + signer.Key, "SIGN_TIMESTAMP_URL=" + tsa},
		"no certificate":                      nil,
	} {
		file, out, err := sign(env...)
		if err == nil {
			t.Errorf("signing with %s succeeded:\n%s", name, out)
		}
		if got, _ := os.ReadFile(file); !bytes.Equal(got, unsigned) {
			t.Errorf("signing with %s changed the file", name)
		}
		if left, _ := filepath.Glob(file + ".*"); len(left) > 0 {
			t.Errorf("signing with %s left %q behind", name, left)
		}
	}
}
