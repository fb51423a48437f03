package client

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"
)

// A private D-Bus session bus, optionally with a real gnome-keyring on it,
// for the keyring tests. Each is started at most once per test binary and
// stopped by TestMain; the processes also die with the test binary
// (Pdeathsig), so a crashed run leaves nothing behind.

const missingPackages = "the keyring tests need dbus-daemon and gnome-keyring-daemon: install the Debian packages dbus and gnome-keyring (scripts/deps.sh does)"

// busConfig is a session bus without service activation, so that no call
// can start a keyring daemon that the test does not own.
const busConfig = `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path=%s</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
`

// privateBus is a dbus-daemon and, when keyring is set, a gnome-keyring on it.
type privateBus struct {
	dir     string
	addr    string
	procs   []*exec.Cmd // stopped in reverse order
	stderrs []*bytes.Buffer
}

var (
	busesMu sync.Mutex
	buses   = map[string]*privateBus{} // by purpose
)

// sharedBus returns the private bus for purpose, starting it on first use.
func sharedBus(t *testing.T, purpose string, withKeyring bool) *privateBus {
	t.Helper()
	busesMu.Lock()
	defer busesMu.Unlock()
	if b, ok := buses[purpose]; ok {
		return b
	}
	b, err := startPrivateBus(withKeyring)
	if err != nil {
		t.Fatal(err)
	}
	buses[purpose] = b
	return b
}

// stopSecretServices ends every private bus and keyring started.
func stopSecretServices() {
	busesMu.Lock()
	defer busesMu.Unlock()
	for name, b := range buses {
		b.stop()
		delete(buses, name)
	}
}

func startPrivateBus(withKeyring bool) (_ *privateBus, err error) {
	for _, prog := range []string{"dbus-daemon", "gnome-keyring-daemon"} {
		if _, err := exec.LookPath(prog); err != nil {
			return nil, fmt.Errorf("%s not found: %s", prog, missingPackages)
		}
	}
	dir, err := os.MkdirTemp("", "casreset-keyring-")
	if err != nil {
		return nil, err
	}
	b := &privateBus{dir: dir}
	defer func() {
		if err != nil {
			b.stop()
		}
	}()
	runtimeDir, home := filepath.Join(dir, "run"), filepath.Join(dir, "home")
	for _, d := range []string{runtimeDir, home} {
		if err := os.Mkdir(d, 0o700); err != nil {
			return nil, err
		}
	}
	conf := filepath.Join(dir, "bus.conf")
	if err := os.WriteFile(conf, fmt.Appendf(nil, busConfig, filepath.Join(runtimeDir, "bus")), 0o600); err != nil {
		return nil, err
	}

	daemon := b.command("dbus-daemon", "--config-file="+conf, "--nofork", "--print-address")
	stdout, err := daemon.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := b.start(daemon); err != nil {
		return nil, err
	}
	if b.addr, err = firstLine(stdout, 10*time.Second); err != nil {
		return nil, fmt.Errorf("dbus-daemon gave no address: %v (%s)", err, b.stderrs[0])
	}
	if !withKeyring {
		return b, nil
	}

	keyringd := b.command("gnome-keyring-daemon", "--foreground", "--unlock", "--components=secrets")
	keyringd.Env = []string{
		"HOME=" + home,
		"XDG_RUNTIME_DIR=" + runtimeDir,
		"DBUS_SESSION_BUS_ADDRESS=" + b.addr,
		"PATH=" + os.Getenv("PATH"),
	}
	// An empty line is the (empty) password that creates and unlocks the
	// login keyring.
	keyringd.Stdin = strings.NewReader("\n")
	if err := b.start(keyringd); err != nil {
		return nil, err
	}
	if err := waitForLoginCollection(b.addr, 10*time.Second); err != nil {
		return nil, fmt.Errorf("gnome-keyring did not come up: %v (%s)", err, b.stderrs[1])
	}
	return b, nil
}

func (b *privateBus) command(name string, args ...string) *exec.Cmd {
	cmd := exec.Command(name, args...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	stderr := &bytes.Buffer{}
	cmd.Stderr = stderr
	b.stderrs = append(b.stderrs, stderr)
	return cmd
}

func (b *privateBus) start(cmd *exec.Cmd) error {
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("starting %s: %w", cmd.Path, err)
	}
	b.procs = append(b.procs, cmd)
	return nil
}

func (b *privateBus) stop() {
	for i := len(b.procs) - 1; i >= 0; i-- {
		_ = b.procs[i].Process.Kill()
		_ = b.procs[i].Wait()
	}
	b.procs = nil
	_ = os.RemoveAll(b.dir)
}

// firstLine reads one line from r, giving up after limit.
func firstLine(r interface{ Read([]byte) (int, error) }, limit time.Duration) (string, error) {
	line := make(chan string, 1)
	go func() {
		s, _ := bufio.NewReader(r).ReadString('\n')
		line <- strings.TrimSpace(s)
	}()
	select {
	case s := <-line:
		if s == "" {
			return "", errors.New("empty output")
		}
		return s, nil
	case <-time.After(limit):
		return "", errors.New("timed out")
	}
}

// waitForLoginCollection polls the bus until the Secret Service answers and
// has a default collection: the daemon's start-up has no other signal.
func waitForLoginCollection(addr string, limit time.Duration) error {
	conn, err := dbus.Connect(addr)
	if err != nil {
		return err
	}
	defer conn.Close()
	secrets := conn.Object("org.freedesktop.secrets", "/org/freedesktop/secrets")
	deadline := time.Now().Add(limit)
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		var path dbus.ObjectPath
		err = secrets.Call("org.freedesktop.Secret.Service.ReadAlias", 0, "default").Store(&path)
		if err == nil && path != "/" {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("no default collection after %s (last error: %v)", limit, err)
		}
		<-tick.C
	}
}

// hungSecretService claims the Secret Service's name on a bus of its own and
// never answers a call, as a Secret Service waiting on an unlock prompt that
// nobody sees would. It returns the bus address.
func hungSecretService(t *testing.T) string {
	t.Helper()
	b := sharedBus(t, "hung", false)
	stop := make(chan struct{})
	conn, err := dbus.Connect(b.addr, dbus.WithHandler(blackHole{stop}))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		close(stop)
		_ = conn.Close()
	})
	reply, err := conn.RequestName("org.freedesktop.secrets", dbus.NameFlagDoNotQueue)
	if err != nil || reply != dbus.RequestNameReplyPrimaryOwner {
		t.Fatalf("claiming org.freedesktop.secrets: %v %v", reply, err)
	}
	return b.addr
}

// blackHole holds every incoming call until stop is closed.
type blackHole struct{ stop chan struct{} }

func (h blackHole) LookupObject(dbus.ObjectPath) (dbus.ServerObject, bool) {
	<-h.stop
	return nil, false
}
