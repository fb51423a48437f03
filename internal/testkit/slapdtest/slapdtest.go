// Package slapdtest runs a real OpenLDAP slapd for tests: an mdb database in
// a temporary directory, on free loopback ports (ldap:// with StartTLS and
// ldaps://, with a certificate from a CA made for the test), the schemas of
// inetOrgPerson, the ppolicy overlay with a password history and lockout, a
// people branch, a groups branch and a service account that may write
// userPassword.
//
// It needs Debian's slapd and ldap-utils packages; without them the test
// fails and says so.
package slapdtest

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// The tree every server starts with.
const (
	BaseDN          = "dc=example,dc=edu,dc=hk"
	PeopleDN        = "ou=people," + BaseDN
	GroupsDN        = "ou=groups," + BaseDN
	AdminDN         = "cn=admin," + BaseDN
	AdminPassword   = "admin-secret"
	ServiceDN       = "cn=resetd,ou=services," + BaseDN
	ServicePassword = "service-secret"
	// ReaderDN may read people but not write passwords.
	ReaderDN       = "cn=reader,ou=services," + BaseDN
	ReaderPassword = "reader-secret"
)

// The password policy of the ppolicy overlay: the directory's own rules,
// which a test can trip to see a refusal.
const (
	PolicyMinLength = 10
	PolicyHistory   = 3
	// PolicyMaxFailure wrong passwords in a row lock an entry out
	// (pwdAccountLockedTime) until it is unlocked.
	PolicyMaxFailure = 5
)

// DisabledTime is the pwdAccountLockedTime by which ppolicy marks an entry
// as disabled by an administrator rather than locked out.
const DisabledTime = "000001010000Z"

// Attributes of the test schema for contract end dates, on the auxiliary
// object class casStaff.
const (
	EndDateAttr = "contractEndDate" // a directory string, YYYY-MM-DD
	EndTimeAttr = "contractEndTime" // a generalizedTime
)

// Packages names the Debian packages the server needs.
const Packages = "slapd ldap-utils"

// startupTimeout bounds how long slapd may take to listen.
const startupTimeout = 15 * time.Second

// Server is a running slapd.
type Server struct {
	// URL is ldap://127.0.0.1:port; StartTLS works on it.
	URL string
	// LDAPSURL is ldaps://127.0.0.1:port.
	LDAPSURL string
	// CAFile is the PEM of the CA that signed the server's certificate.
	CAFile string

	tb       testing.TB
	dir      string
	conf     string
	slapd    string
	ldapadd  string
	hostList string

	mu   sync.Mutex
	cmd  *exec.Cmd
	out  *bytes.Buffer
	done chan struct{}
}

// Start runs a new slapd with the base tree loaded and stops it when the
// test ends.
func Start(tb testing.TB) *Server {
	tb.Helper()
	slapd := program(tb, "slapd", "/usr/sbin/slapd")
	ldapadd := program(tb, "ldapadd", "/usr/bin/ldapadd")
	schemaDir := firstDir(tb, "the OpenLDAP schema directory", "/etc/ldap/schema", "/etc/openldap/schema")

	dir := tb.TempDir()
	tlsDir := filepath.Join(dir, "tls")
	for _, sub := range []string{"data", "tls"} {
		if err := os.Mkdir(filepath.Join(dir, sub), 0o700); err != nil {
			tb.Fatal(err)
		}
	}
	writeTLS(tb, tlsDir)
	if err := os.WriteFile(filepath.Join(dir, "cas.schema"), []byte(casSchema), 0o600); err != nil {
		tb.Fatal(err)
	}

	ports := freePorts(tb, 2)
	s := &Server{
		URL:      fmt.Sprintf("ldap://127.0.0.1:%d", ports[0]),
		LDAPSURL: fmt.Sprintf("ldaps://127.0.0.1:%d", ports[1]),
		CAFile:   filepath.Join(tlsDir, caFile),
		tb:       tb,
		dir:      dir,
		conf:     filepath.Join(dir, "slapd.conf"),
		slapd:    slapd,
		ldapadd:  ldapadd,
	}
	s.hostList = s.URL + "/ " + s.LDAPSURL + "/"
	conf := slapdConf(confParams{
		SchemaDir:  schemaDir,
		ModuleDir:  moduleDir(),
		Dir:        dir,
		CACert:     s.CAFile,
		ServerCert: filepath.Join(tlsDir, serverFile),
		ServerKey:  filepath.Join(tlsDir, serverKeyFile),
	})
	if err := os.WriteFile(s.conf, []byte(conf), 0o600); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(s.Stop)
	s.Restart()
	s.Add(baseTree)
	return s
}

// Stop stops slapd and waits for it to exit; the data stays for Restart.
func (s *Server) Stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd == nil {
		return
	}
	_ = s.cmd.Process.Signal(syscall.SIGCONT) // a paused slapd cannot stop
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.done:
	case <-time.After(startupTimeout):
		_ = s.cmd.Process.Kill()
		<-s.done
	}
	s.cmd = nil
}

// Pause freezes slapd (SIGSTOP): it keeps its connections and answers
// nothing, like a hung server. Resume undoes it; cleanup resumes too.
func (s *Server) Pause() {
	s.tb.Helper()
	s.signal(syscall.SIGSTOP)
	s.tb.Cleanup(s.Resume)
	// The signal is delivered asynchronously: wait until every thread is
	// stopped, or a request sent now could still be answered.
	s.mu.Lock()
	pid := s.cmd.Process.Pid
	s.mu.Unlock()
	deadline := time.Now().Add(startupTimeout)
	for !allThreadsStopped(pid) {
		if time.Now().After(deadline) {
			s.tb.Fatalf("slapdtest: slapd (pid %d) did not stop within %v", pid, startupTimeout)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// allThreadsStopped reports whether every thread of pid is in the stopped
// state ("T" in /proc/PID/task/TID/stat).
func allThreadsStopped(pid int) bool {
	tasks, err := filepath.Glob(fmt.Sprintf("/proc/%d/task/*/stat", pid))
	if err != nil || len(tasks) == 0 {
		return false
	}
	for _, task := range tasks {
		stat, err := os.ReadFile(task)
		if err != nil {
			return false
		}
		// The state follows the parenthesised command name.
		i := bytes.LastIndexByte(stat, ')')
		if i < 0 || i+2 >= len(stat) || stat[i+2] != 'T' {
			return false
		}
	}
	return true
}

// Resume lets a paused slapd run again.
func (s *Server) Resume() { s.signal(syscall.SIGCONT) }

func (s *Server) signal(sig syscall.Signal) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd != nil {
		_ = s.cmd.Process.Signal(sig)
	}
}

// Restart starts slapd (again) on the same ports with the same data, and
// returns once it accepts connections.
func (s *Server) Restart() {
	s.tb.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd != nil {
		return
	}
	out := &bytes.Buffer{}
	cmd := exec.Command(s.slapd, "-f", s.conf, "-h", s.hostList, "-d", "none")
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		s.tb.Fatalf("slapdtest: starting %s: %v", s.slapd, err)
	}
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	s.cmd, s.out, s.done = cmd, out, done

	addrs := []string{strings.TrimPrefix(s.URL, "ldap://"), strings.TrimPrefix(s.LDAPSURL, "ldaps://")}
	deadline := time.Now().Add(startupTimeout)
	for _, addr := range addrs {
		for {
			c, err := net.DialTimeout("tcp", addr, time.Second)
			if err == nil {
				c.Close()
				break
			}
			select {
			case <-done:
				s.cmd = nil
				s.tb.Fatalf("slapdtest: slapd exited at start:\n%s%s", out.String(), hint(out.String()))
			default:
			}
			if time.Now().After(deadline) {
				s.tb.Fatalf("slapdtest: slapd did not listen on %s within %v:\n%s", addr, startupTimeout, out.String())
			}
			// Polling a child process that is starting up: there is no
			// event to wait for.
			time.Sleep(20 * time.Millisecond)
		}
	}
}

// Add loads LDIF as the administrator with ldapadd.
func (s *Server) Add(ldif string) {
	s.tb.Helper()
	cmd := exec.Command(s.ldapadd, "-x", "-H", s.URL, "-D", AdminDN, "-w", AdminPassword)
	cmd.Stdin = strings.NewReader(ldif)
	if out, err := cmd.CombinedOutput(); err != nil {
		s.tb.Fatalf("slapdtest: ldapadd: %v\n%s", err, out)
	}
}

// SetLockedTime sets the pwdAccountLockedTime of the entry dn: a time
// ("20250303015000Z") locks it out, DisabledTime disables it.
func (s *Server) SetLockedTime(dn, value string) {
	s.tb.Helper()
	// ldapadd applies a change record as it says.
	s.Add(fmt.Sprintf("dn: %s\nchangetype: modify\nreplace: pwdAccountLockedTime\npwdAccountLockedTime: %s\n", dn, value))
}

// Person is an entry under PeopleDN. Empty fields are left out.
type Person struct {
	UID         string // the RDN: uid=UID,ou=people,…
	StaffNumber string // employeeNumber
	Name        string // cn
	Mobiles     []string
	Mail        string
	EndDate     string // contractEndDate, as stored
	EndTime     string // contractEndTime, as stored
	Password    string // userPassword, hashed by the server
}

// DN is the entry's DN.
func (p Person) DN() string { return "uid=" + p.UID + "," + PeopleDN }

// AddPeople loads people with ldapadd.
func (s *Server) AddPeople(people ...Person) {
	s.tb.Helper()
	var b strings.Builder
	for _, p := range people {
		fmt.Fprintf(&b, "dn: %s\nobjectClass: inetOrgPerson\nobjectClass: casStaff\nuid: %s\n", p.DN(), p.UID)
		name := p.Name
		if name == "" {
			name = p.UID
		}
		fmt.Fprintf(&b, "cn: %s\nsn: %s\n", name, name)
		ldifLine(&b, "employeeNumber", p.StaffNumber)
		for _, m := range p.Mobiles {
			ldifLine(&b, "mobile", m)
		}
		ldifLine(&b, "mail", p.Mail)
		ldifLine(&b, EndDateAttr, p.EndDate)
		ldifLine(&b, EndTimeAttr, p.EndTime)
		ldifLine(&b, "userPassword", p.Password)
		b.WriteString("\n")
	}
	s.Add(b.String())
}

// AddGroup adds the groupOfNames cn=CN under GroupsDN with members (DNs of
// people or other groups; at least one, as the schema wants) and returns
// its DN.
func (s *Server) AddGroup(cn string, members ...string) string {
	s.tb.Helper()
	dn := "cn=" + cn + "," + GroupsDN
	var b strings.Builder
	fmt.Fprintf(&b, "dn: %s\nobjectClass: groupOfNames\ncn: %s\n", dn, cn)
	for _, m := range members {
		ldifLine(&b, "member", m)
	}
	s.Add(b.String())
	return dn
}

// ldifLine writes "attr: value", base64 when LDIF needs it (a value that
// starts with a space, colon or '<', or holds non-ASCII bytes).
func ldifLine(b *strings.Builder, attr, value string) {
	if value == "" {
		return
	}
	safe := !strings.ContainsAny(value[:1], " :<")
	for i := 0; i < len(value); i++ {
		if value[i] < 0x20 || value[i] > 0x7e {
			safe = false
		}
	}
	if safe {
		fmt.Fprintf(b, "%s: %s\n", attr, value)
		return
	}
	fmt.Fprintf(b, "%s:: %s\n", attr, base64.StdEncoding.EncodeToString([]byte(value)))
}

func program(tb testing.TB, name, fallback string) string {
	tb.Helper()
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	if _, err := os.Stat(fallback); err == nil {
		return fallback
	}
	tb.Fatalf("slapdtest: %s is not installed; the LDAP tests need Debian's packages %q "+
		"(apt-get install %s, or make deps)", name, Packages, Packages)
	return ""
}

func firstDir(tb testing.TB, what string, candidates ...string) string {
	tb.Helper()
	for _, d := range candidates {
		if fi, err := os.Stat(d); err == nil && fi.IsDir() {
			return d
		}
	}
	tb.Fatalf("slapdtest: %s is not at %s; install Debian's packages %q", what, strings.Join(candidates, " or "), Packages)
	return ""
}

// moduleDir is where Debian keeps slapd's loadable modules; "" when the
// backends are built in (other builds of OpenLDAP).
func moduleDir() string {
	for _, d := range []string{"/usr/lib/ldap", "/usr/lib64/openldap", "/usr/lib/openldap"} {
		if _, err := os.Stat(filepath.Join(d, "back_mdb.la")); err == nil {
			return d
		}
	}
	return ""
}

func freePorts(tb testing.TB, n int) []int {
	tb.Helper()
	var ports []int
	var listeners []net.Listener
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			tb.Fatalf("slapdtest: finding a free port: %v", err)
		}
		listeners = append(listeners, l)
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	for _, l := range listeners {
		l.Close()
	}
	return ports
}

// hint explains the usual reason slapd cannot read its temporary files.
func hint(out string) string {
	if strings.Contains(out, "Permission denied") {
		return "\n(an AppArmor profile for slapd, as on Ubuntu, may forbid the temporary directory: aa-complain /usr/sbin/slapd)"
	}
	return ""
}
