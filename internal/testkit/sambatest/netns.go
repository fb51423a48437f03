package sambatest

import (
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// namespacePrefix starts the name of every network namespace the kit
// creates; the test binary's process id follows, so that a namespace left
// by a binary that was killed can be recognised and removed.
const namespacePrefix = "sambatest-"

// netns is a network namespace of its own for the domain controller, with
// only a loopback interface: Samba listens on its fixed ports (389, 636,
// 88, …) there without clashing with anything on the machine, and nothing
// it does leaves loopback.
//
// The test process reaches it through forwarders: listeners on the
// machine's loopback whose connections are dialled inside the namespace by
// one goroutine locked to an OS thread that entered it (setns(2)). Sockets
// keep the namespace they were created in, so the connections work from
// any goroutine. Programs (kinit, ldapsearch, samba itself) run inside it
// with "ip netns exec".
type netns struct {
	name string
	ip   string // the ip program

	dials chan dialRequest

	mu        sync.Mutex
	listeners []net.Listener
	conns     map[net.Conn]struct{}
	closed    bool
}

type dialRequest struct {
	addr  string
	reply chan dialResult
}

type dialResult struct {
	conn net.Conn
	err  error
}

// newNetns creates the namespace, brings its loopback up and starts the
// goroutine that dials inside it.
func newNetns(ip string) (*netns, error) {
	removeStaleNamespaces(ip)
	n := &netns{
		name:  namespacePrefix + strconv.Itoa(os.Getpid()),
		ip:    ip,
		dials: make(chan dialRequest),
		conns: map[net.Conn]struct{}{},
	}
	if out, err := exec.Command(ip, "netns", "add", n.name).CombinedOutput(); err != nil {
		return nil, fmt.Errorf("sambatest: creating the network namespace %s (ip netns add needs root, or CAP_SYS_ADMIN and CAP_NET_ADMIN): %v\n%s", n.name, err, out)
	}
	if out, err := exec.Command(ip, "netns", "exec", n.name, ip, "link", "set", "lo", "up").CombinedOutput(); err != nil {
		n.remove()
		return nil, fmt.Errorf("sambatest: bringing up loopback in %s: %v\n%s", n.name, err, out)
	}
	started := make(chan error)
	go n.dialInside(started)
	if err := <-started; err != nil {
		n.remove()
		return nil, err
	}
	return n, nil
}

// dialInside enters the namespace on a thread of its own and serves dial
// requests until close. The thread is never unlocked: when the goroutine
// returns, the runtime ends the thread rather than let another goroutine
// run in the namespace.
func (n *netns) dialInside(started chan<- error) {
	runtime.LockOSThread()
	f, err := os.Open("/run/netns/" + n.name)
	if err != nil {
		started <- fmt.Errorf("sambatest: opening the network namespace: %w", err)
		return
	}
	err = unix.Setns(int(f.Fd()), unix.CLONE_NEWNET)
	f.Close()
	if err != nil {
		started <- fmt.Errorf("sambatest: entering the network namespace %s (setns needs CAP_SYS_ADMIN): %w", n.name, err)
		return
	}
	close(started)
	for req := range n.dials {
		c, err := net.DialTimeout("tcp", req.addr, 5*time.Second)
		req.reply <- dialResult{c, err}
	}
}

// dial connects to addr inside the namespace.
func (n *netns) dial(addr string) (net.Conn, error) {
	n.mu.Lock()
	closed := n.closed
	n.mu.Unlock()
	if closed {
		return nil, errors.New("sambatest: the network namespace is gone")
	}
	reply := make(chan dialResult, 1)
	n.dials <- dialRequest{addr, reply}
	r := <-reply
	return r.conn, r.err
}

// forward listens on a free port of the machine's loopback and connects
// each connection to target (host:port inside the namespace). It returns
// the address listened on.
func (n *netns) forward(target string) (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", fmt.Errorf("sambatest: listening for %s: %w", target, err)
	}
	n.mu.Lock()
	n.listeners = append(n.listeners, ln)
	n.mu.Unlock()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return // closed
			}
			go n.pipe(c, target)
		}
	}()
	return ln.Addr().String(), nil
}

// pipe copies between the accepted connection and one to target until
// either side ends, then closes both.
func (n *netns) pipe(outside net.Conn, target string) {
	inside, err := n.dial(target)
	if err != nil {
		outside.Close()
		return
	}
	if !n.track(outside, inside) {
		return
	}
	done := make(chan struct{}, 2)
	go func() { _, _ = io.Copy(inside, outside); done <- struct{}{} }()
	go func() { _, _ = io.Copy(outside, inside); done <- struct{}{} }()
	<-done
	outside.Close()
	inside.Close()
	<-done
	n.untrack(outside, inside)
}

func (n *netns) track(conns ...net.Conn) bool {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.closed {
		for _, c := range conns {
			c.Close()
		}
		return false
	}
	for _, c := range conns {
		n.conns[c] = struct{}{}
	}
	return true
}

func (n *netns) untrack(conns ...net.Conn) {
	n.mu.Lock()
	defer n.mu.Unlock()
	for _, c := range conns {
		delete(n.conns, c)
	}
}

// command runs name inside the namespace.
func (n *netns) command(name string, args ...string) *exec.Cmd {
	return exec.Command(n.ip, append([]string{"netns", "exec", n.name, name}, args...)...)
}

// close stops the forwarders, cuts their connections, ends the dialling
// thread and removes the namespace. Processes inside must have ended.
func (n *netns) close() error {
	n.mu.Lock()
	if n.closed {
		n.mu.Unlock()
		return nil
	}
	n.closed = true
	for _, ln := range n.listeners {
		ln.Close()
	}
	for c := range n.conns {
		c.Close()
	}
	n.mu.Unlock()
	close(n.dials)
	return n.remove()
}

func (n *netns) remove() error {
	if out, err := exec.Command(n.ip, "netns", "delete", n.name).CombinedOutput(); err != nil {
		return fmt.Errorf("sambatest: removing the network namespace %s: %v\n%s", n.name, err, out)
	}
	return nil
}

var staleName = regexp.MustCompile(`^` + namespacePrefix + `(\d+)\b`)

// removeStaleNamespaces removes the namespaces of test binaries that were
// killed before they could clean up, ending the Samba processes left in
// them (only those: they run inside a namespace no other program uses).
func removeStaleNamespaces(ip string) {
	out, err := exec.Command(ip, "netns", "list").Output()
	if err != nil {
		return
	}
	for _, line := range strings.Split(string(out), "\n") {
		m := staleName.FindStringSubmatch(strings.TrimSpace(line))
		if m == nil {
			continue
		}
		if pid, _ := strconv.Atoi(m[1]); processExists(pid) {
			continue
		}
		name := namespacePrefix + m[1]
		if pids, err := exec.Command(ip, "netns", "pids", name).Output(); err == nil {
			for _, f := range strings.Fields(string(pids)) {
				if pid, err := strconv.Atoi(f); err == nil {
					_ = syscall.Kill(pid, syscall.SIGKILL)
				}
			}
		}
		_ = exec.Command(ip, "netns", "delete", name).Run()
	}
}

func processExists(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}
