// Package sambatest runs a real Active Directory for tests: a Samba AD
// domain controller (Debian 12's Samba 4.17), provisioned from scratch in a
// temporary directory and a network namespace of its own, with the domain's
// password policy set (complexity, history, minimum length, lockout), an
// organisational unit of staff and a least-privilege service account that
// holds only the Reset Password right (and write access to lockoutTime, to
// unlock) on it, beside one that may only reset and one that may do
// neither; and an organisational unit for the groups tests add (groups.go).
//
// Provisioning takes 10–30 s, so a test binary shares one controller: its
// TestMain calls Main, and tests get the controller from Shared and add the
// people they need, each under names of its own.
//
// The controller listens on its usual ports inside the namespace; the test
// process reaches LDAP through forwarders on free ports of the machine's
// loopback (URL, LDAPSURL), and programs such as kinit and ldapsearch run
// inside the namespace (Command). It needs root (or the capabilities to
// create and enter network namespaces) and Debian's packages listed in
// Packages; without them the tests fail and say so, they are never skipped.
package sambatest

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/go-ldap/ldap/v3"
)

// The domain every controller is provisioned with.
const (
	Realm         = "EXAMPLE.EDU.HK"
	DNSDomain     = "example.edu.hk"
	NetBIOSDomain = "EXAMPLE"
	HostName      = "dc1"
	BaseDN        = "DC=example,DC=edu,DC=hk"
	// StaffDN is the organisational unit of staff accounts, where the
	// service account may reset passwords.
	StaffDN    = "OU=Staff," + BaseDN
	ServicesDN = "OU=Services," + BaseDN
	// GroupsDN is the organisational unit of the groups tests add (the
	// help desk's), outside StaffDN as a college's groups usually are.
	GroupsDN = "OU=Groups," + BaseDN
	// ITDN is the organisational unit of IT staff, outside StaffDN, where
	// colleges often keep the help desk's own accounts.
	ITDN = "OU=IT," + BaseDN
	// DomainAdminsDN is the built-in Domain Admins group, one of the
	// groups whose members Active Directory protects (adminCount=1).
	DomainAdminsDN = "CN=Domain Admins,CN=Users," + BaseDN

	AdminAccount  = "Administrator"
	AdminDN       = "CN=Administrator,CN=Users," + BaseDN
	AdminPassword = "Admin-Passw0rd-1"

	// ServiceDN holds the Reset Password right on StaffDN and may write
	// lockoutTime there, nothing more.
	ServiceDN       = "CN=resetd," + ServicesDN
	ServicePassword = "Service-Passw0rd-1"
	// NoRightDN is a service account without any of those rights.
	NoRightDN       = "CN=resetd-noright," + ServicesDN
	NoRightPassword = "NoRight-Passw0rd-1"
	// ResetOnlyDN holds Reset Password on StaffDN but may not write
	// lockoutTime: it cannot unlock.
	ResetOnlyDN       = "CN=resetd-resetonly," + ServicesDN
	ResetOnlyPassword = "ResetOnly-Passw0rd-1"
)

// The domain's password policy (samba-tool domain passwordsettings).
const (
	PolicyMinLength        = 10
	PolicyHistory          = 3
	PolicyLockoutThreshold = 5
)

// StaffAttr is the attribute that holds staff numbers.
const StaffAttr = "employeeNumber"

// Packages names the Debian packages the controller needs.
const Packages = "samba samba-ad-dc samba-ad-provision krb5-user winbind ldb-tools smbclient ldap-utils"

// Windows' GUIDs of the rights the service account holds.
const (
	// resetPasswordRight is the extended right User-Force-Change-Password.
	resetPasswordRight = "00299570-246d-11d0-a768-00aa006e0529"
	// lockoutTimeAttr is the schema GUID of lockoutTime.
	lockoutTimeAttr = "28630ebf-41d5-11d1-a9c1-0000f80367c1"
	// userClass is the schema GUID of the user class: the rights are
	// inherited by user objects only.
	userClass = "bf967aba-0de6-11d0-a285-00aa003049e2"
)

// startupTimeout bounds how long samba may take to answer LDAP.
const startupTimeout = 90 * time.Second

// DC is a running domain controller.
type DC struct {
	// URL is ldap://127.0.0.1:port on the machine's loopback, forwarded to
	// the controller's port 389; StartTLS works on it.
	URL string
	// LDAPSURL is ldaps://127.0.0.1:port, forwarded to port 636.
	LDAPSURL string
	// CAFile is the PEM of the CA that signed the controller's certificate
	// (which covers 127.0.0.1, localhost and dc1.example.edu.hk).
	CAFile string
	// Dir holds the controller's configuration, database and logs.
	Dir string
	// Namespace is the network namespace the controller runs in.
	Namespace string
	// KRB5Config is a krb5.conf for the realm, for programs run with
	// Command (which sets KRB5_CONFIG to it).
	KRB5Config string

	ns      *netns
	bins    programs
	cmd     *exec.Cmd
	done    chan struct{}
	out     *bytes.Buffer
	seq     atomic.Int64
	stopped atomic.Bool
}

var (
	// mainRunning tells Shared that Main will stop the controller.
	mainRunning atomic.Bool

	sharedOnce sync.Once
	sharedDC   *DC
	sharedErr  error
)

// Main runs the tests of m and then stops the shared controller, if a test
// started it. Call it from TestMain:
//
//	func TestMain(m *testing.M) { sambatest.Main(m) }
func Main(m *testing.M) {
	mainRunning.Store(true)
	code := m.Run()
	if sharedDC != nil {
		if err := sharedDC.destroy(); err != nil {
			fmt.Fprintln(os.Stderr, err)
			code = max(code, 1)
		}
	}
	os.Exit(code)
}

// Shared returns the test binary's controller, provisioning it on first use.
func Shared(tb testing.TB) *DC {
	tb.Helper()
	if !mainRunning.Load() {
		tb.Fatal("sambatest: Shared needs the controller to be stopped at the end: add\n\tfunc TestMain(m *testing.M) { sambatest.Main(m) }\nto the package's tests")
	}
	bins, err := findPrograms()
	if err != nil {
		tb.Fatal(err)
	}
	sharedOnce.Do(func() {
		start := time.Now()
		sharedDC, sharedErr = provision(bins)
		if sharedErr == nil {
			fmt.Fprintf(os.Stderr, "sambatest: Samba AD DC for %s ready in %v (namespace %s)\n", Realm, time.Since(start).Round(100*time.Millisecond), sharedDC.Namespace)
		}
	})
	if sharedErr != nil {
		tb.Fatal(sharedErr)
	}
	return sharedDC
}

// programs are the paths of the programs the kit runs.
type programs struct {
	ip, samba, sambaTool, kinit string
}

// findPrograms finds what the kit runs, and fails naming what is missing.
func findPrograms() (programs, error) {
	var missing []string
	look := func(name string, fallbacks ...string) string {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
		for _, f := range fallbacks {
			if _, err := os.Stat(f); err == nil {
				return f
			}
		}
		missing = append(missing, name)
		return ""
	}
	p := programs{
		ip:        look("ip", "/usr/sbin/ip", "/sbin/ip"),
		samba:     look("samba", "/usr/sbin/samba"),
		sambaTool: look("samba-tool", "/usr/bin/samba-tool"),
		kinit:     look("kinit", "/usr/bin/kinit"),
	}
	look("ldapsearch", "/usr/bin/ldapsearch")
	if _, err := os.Stat(schemaDir); err != nil {
		missing = append(missing, schemaDir)
	}
	if len(missing) > 0 {
		return p, missingError(missing)
	}
	return p, nil
}

// schemaDir holds the AD schema that provisioning loads (samba-ad-provision).
const schemaDir = "/usr/share/samba/setup/ad-schema"

func missingError(missing []string) error {
	return fmt.Errorf("sambatest: %s not installed; the Active Directory tests need Debian's packages %q "+
		"(scripts/deps.sh installs them, or apt-get install %s)", strings.Join(missing, ", "), Packages, Packages)
}

// provision makes a new domain and starts its controller.
func provision(bins programs) (dc *DC, err error) {
	dir, err := os.MkdirTemp("", "sambatest-")
	if err != nil {
		return nil, err
	}
	ns, err := newNetns(bins.ip)
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	dc = &DC{Dir: dir, Namespace: ns.name, ns: ns, bins: bins,
		CAFile: filepath.Join(dir, "tls", "ca.pem"), KRB5Config: filepath.Join(dir, "krb5.conf")}
	defer func() {
		if err != nil {
			if derr := dc.destroy(); derr != nil {
				err = errors.Join(err, derr)
			}
		}
	}()

	if err := dc.run(dc.ns.command(bins.sambaTool, provisionArgs(dir)...)); err != nil {
		return dc, fmt.Errorf("sambatest: provisioning the domain: %w", err)
	}
	if err := writeConfig(dir); err != nil {
		return dc, err
	}
	if err := dc.run(exec.Command(bins.sambaTool, "domain", "passwordsettings", "set", "-s", dc.smbConf(),
		fmt.Sprintf("--history-length=%d", PolicyHistory), "--complexity=on",
		fmt.Sprintf("--min-pwd-length=%d", PolicyMinLength), "--min-pwd-age=0",
		fmt.Sprintf("--account-lockout-threshold=%d", PolicyLockoutThreshold))); err != nil {
		return dc, fmt.Errorf("sambatest: setting the password policy: %w", err)
	}
	if err := dc.startSamba(); err != nil {
		return dc, err
	}
	if err := dc.addBaseTree(); err != nil {
		return dc, err
	}
	return dc, nil
}

func provisionArgs(dir string) []string {
	return []string{"domain", "provision",
		"--realm=" + Realm, "--domain=" + NetBIOSDomain, "--host-name=" + HostName,
		"--server-role=dc", "--dns-backend=NONE", "--use-rfc2307",
		"--adminpass=" + AdminPassword, "--targetdir=" + dir, "--host-ip=127.0.0.1",
		"--option=interfaces=lo", "--option=bind interfaces only=yes", "--option=disable netbios=yes",
		"--option=server services = s3fs, rpc, ldap, cldap, kdc, drepl, winbindd, kcc",
	}
}

func (dc *DC) smbConf() string { return filepath.Join(dc.Dir, "etc", "smb.conf") }

// run runs cmd and returns its output with the error when it fails.
func (dc *DC) run(cmd *exec.Cmd) error {
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("%s: %v\n%s", strings.Join(cmd.Args, " "), err, tail(out, 40))
	}
	return nil
}

// startSamba starts samba inside the namespace, opens the forwarders and
// waits until the administrator can bind over LDAPS.
func (dc *DC) startSamba() error {
	ldapAddr, err := dc.ns.forward("127.0.0.1:389")
	if err != nil {
		return err
	}
	ldapsAddr, err := dc.ns.forward("127.0.0.1:636")
	if err != nil {
		return err
	}
	dc.URL, dc.LDAPSURL = "ldap://"+ldapAddr, "ldaps://"+ldapsAddr

	dc.out = &bytes.Buffer{}
	cmd := dc.ns.command(dc.bins.samba, "-i", "-s", dc.smbConf())
	cmd.Stdout, cmd.Stderr = dc.out, dc.out
	// samba makes itself a process group; stopping it ends the group.
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("sambatest: starting samba: %w", err)
	}
	dc.cmd, dc.done = cmd, make(chan struct{})
	go func() { _ = cmd.Wait(); close(dc.done) }()

	deadline := time.Now().Add(startupTimeout)
	for {
		c, err := dc.dialAdmin()
		if err == nil {
			c.Close()
			return nil
		}
		select {
		case <-dc.done:
			return fmt.Errorf("sambatest: samba exited at start:\n%s%s", dc.out.String(), dc.logTail())
		default:
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("sambatest: samba did not answer LDAPS within %v: %v\n%s", startupTimeout, err, dc.logTail())
		}
		// Polling a child process that is starting up: there is no event
		// to wait for.
		time.Sleep(200 * time.Millisecond)
	}
}

// logTail is the end of samba's main log, for failure messages.
func (dc *DC) logTail() string {
	b, err := os.ReadFile(filepath.Join(dc.Dir, "log.samba"))
	if err != nil {
		return ""
	}
	return "log.samba:\n" + tail(b, 30)
}

func tail(b []byte, lines int) string {
	ls := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(ls) > lines {
		ls = ls[len(ls)-lines:]
	}
	return strings.Join(ls, "\n")
}

// destroy stops samba, removes the namespace and the directory.
func (dc *DC) destroy() error {
	if dc.stopped.Swap(true) {
		return nil
	}
	var errs []error
	if dc.cmd != nil {
		pid := dc.cmd.Process.Pid
		// samba's process group: the root process and its workers.
		_ = syscall.Kill(-pid, syscall.SIGTERM)
		select {
		case <-dc.done:
		case <-time.After(15 * time.Second):
			_ = syscall.Kill(-pid, syscall.SIGKILL)
			<-dc.done
		}
		// Workers that outlive the root process for a moment.
		_ = syscall.Kill(-pid, syscall.SIGKILL)
	}
	if dc.ns != nil {
		if err := dc.ns.close(); err != nil {
			errs = append(errs, err)
		}
	}
	if err := os.RemoveAll(dc.Dir); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// dialAdmin connects over LDAPS and binds as the administrator.
func (dc *DC) dialAdmin() (*ldap.Conn, error) {
	c, err := dc.DialLDAPS()
	if err != nil {
		return nil, err
	}
	if err := c.Bind(AdminDN, AdminPassword); err != nil {
		c.Close()
		return nil, err
	}
	return c, nil
}

// DialLDAPS connects to the controller over LDAPS, trusting its CA.
func (dc *DC) DialLDAPS() (*ldap.Conn, error) {
	tlsConfig, err := dc.TLSConfig()
	if err != nil {
		return nil, err
	}
	return ldap.DialURL(dc.LDAPSURL, ldap.DialWithTLSConfig(tlsConfig), ldap.DialWithDialer(&net.Dialer{Timeout: 5 * time.Second}))
}
