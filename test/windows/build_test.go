package windows

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// wineFallback, added to a package's tests for Windows, makes os.RemoveAll
// take Go's fallback for Windows before 10 1607 (the switch that
// internal/syscall/windows keeps for its own tests): Wine 8 does not
// implement the FileDispositionInformationEx of the normal path, and
// t.TempDir's clean-up would fail every test that uses it.
const wineFallback = `package %s

import _ "unsafe"

//go:linkname deleteatFallback internal/syscall/windows.TestDeleteatFallback
var deleteatFallback bool

func init() { deleteatFallback = true }
`

var testBinaries once[string]

// windowsTestBinary cross-compiles the tests of pkg (an import path) for
// Windows x86-64, once, and returns the .exe and the package's directory,
// where the tests must run.
func windowsTestBinary(t *testing.T, pkg string) (exe, dir string) {
	t.Helper()
	list, err := exec.Command("go", "list", "-f", "{{.Dir}} {{.Name}}", pkg).Output()
	if err != nil {
		t.Fatalf("go list %s: %v", pkg, err)
	}
	dir, name, _ := strings.Cut(strings.TrimSpace(string(list)), " ")
	exe, err = testBinaries.get(pkg, func() (string, error) {
		out := filepath.Join(shared, strings.ReplaceAll(pkg, "/", "_")+".test.exe")
		fallback := out + ".fallback_test.go"
		if err := os.WriteFile(fallback, fmt.Appendf(nil, wineFallback, name), 0o644); err != nil {
			return "", err
		}
		overlay, err := json.Marshal(map[string]any{"Replace": map[string]string{
			filepath.Join(dir, "zz_wine_fallback_test.go"): fallback,
		}})
		if err != nil {
			return "", err
		}
		if err := os.WriteFile(out+".overlay.json", overlay, 0o644); err != nil {
			return "", err
		}
		// -checklinkname=0 lets the fallback switch be reached.
		cmd := exec.Command("go", "test", "-c", "-o", out, "-overlay", out+".overlay.json", "-ldflags=-checklinkname=0", pkg)
		cmd.Env = append(os.Environ(), "GOOS=windows", "GOARCH=amd64", "CGO_ENABLED=0")
		if msg, err := cmd.CombinedOutput(); err != nil {
			return "", fmt.Errorf("go test -c %s for Windows: %v\n%s", pkg, err, msg)
		}
		return out, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return exe, dir
}

// release is what scripts/package.sh windows wrote for one version.
type release struct {
	Version string
	Exe     string // casreset-VERSION-windows-amd64.exe
	MSI     string // casreset-VERSION-x64.msi
}

var releases once[release]

// buildRelease runs scripts/package.sh windows for version, once, signed
// with the test's certificate when signed is true.
func buildRelease(t *testing.T, version string, signed bool) release {
	t.Helper()
	need(t, "gcc-mingw-w64-x86-64", "x86_64-w64-mingw32-gcc", "x86_64-w64-mingw32-objdump")
	need(t, "wixl", "wixl")
	need(t, "msitools", "msibuild", "msiinfo")
	need(t, "osslsigncode", "osslsigncode")
	var signer codeSigner
	if signed {
		signer = testSigner(t)
	}
	r, err := releases.get(fmt.Sprintf("%s %v", version, signed), func() (release, error) {
		dist := filepath.Join(shared, "dist-"+version)
		cmd := exec.Command("scripts/package.sh", "windows")
		cmd.Dir = repoRoot
		cmd.Env = append(os.Environ(), "VERSION="+version, "DIST="+dist,
			"SIGN_CERT=", "SIGN_KEY=", "SIGN_PKCS12=", "SIGN_PASSWORD=", "SIGN_TIMESTAMP_URL=")
		if signed {
			cmd.Env = append(cmd.Env, "SIGN_CERT="+signer.Cert, "SIGN_KEY="+signer.Key)
		}
		if out, err := cmd.CombinedOutput(); err != nil {
			return release{}, fmt.Errorf("scripts/package.sh windows (VERSION=%s): %v\n%s", version, err, out)
		}
		return release{
			Version: version,
			Exe:     filepath.Join(dist, "casreset-"+version+"-windows-amd64.exe"),
			MSI:     filepath.Join(dist, "casreset-"+version+"-x64.msi"),
		}, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// The releases the tests install: an older one, and a later build of the
// same x.y.z (the case Windows Installer's three-field versions miss),
// signed.
const (
	oldVersion = "v1.0.0"
	newVersion = "v1.0.0-2-g0123abc"
)

// codeSigner is a code-signing certificate made for the test, with the
// CA that issued it, as PEM files.
type codeSigner struct {
	CA, Cert, Key string
}

var signers once[codeSigner]

// testSigner makes a CA and a code-signing certificate from it, once.
func testSigner(t *testing.T) codeSigner {
	t.Helper()
	s, err := signers.get("", func() (codeSigner, error) {
		dir := filepath.Join(shared, "signer")
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return codeSigner{}, err
		}
		now := time.Now()
		caKey, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			return codeSigner{}, err
		}
		caTmpl := &x509.Certificate{
			SerialNumber:          big.NewInt(1),
			Subject:               pkix.Name{CommonName: "casreset test code-signing CA"},
			NotBefore:             now.Add(-time.Hour),
			NotAfter:              now.Add(24 * time.Hour),
			IsCA:                  true,
			BasicConstraintsValid: true,
			KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		}
		caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
		if err != nil {
			return codeSigner{}, err
		}
		ca, _ := x509.ParseCertificate(caDER)
		key, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			return codeSigner{}, err
		}
		tmpl := &x509.Certificate{
			SerialNumber: big.NewInt(2),
			Subject:      pkix.Name{CommonName: "Example College IT Services", Organization: []string{"Example College"}},
			NotBefore:    now.Add(-time.Hour),
			NotAfter:     now.Add(24 * time.Hour),
			KeyUsage:     x509.KeyUsageDigitalSignature,
			ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageCodeSigning},
		}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &key.PublicKey, caKey)
		if err != nil {
			return codeSigner{}, err
		}
		s := codeSigner{CA: filepath.Join(dir, "ca.pem"), Cert: filepath.Join(dir, "cert.pem"), Key: filepath.Join(dir, "key.pem")}
		files := map[string]*pem.Block{
			s.CA:   {Type: "CERTIFICATE", Bytes: caDER},
			s.Cert: {Type: "CERTIFICATE", Bytes: der},
			s.Key:  {Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)},
		}
		for path, block := range files {
			if err := os.WriteFile(path, pem.EncodeToMemory(block), 0o600); err != nil {
				return codeSigner{}, err
			}
		}
		return s, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return s
}
