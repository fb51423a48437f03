package windows

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// repoRoot is the repository, from this package's directory.
const repoRoot = "../.."

// shared holds what every test uses and TestMain removes: the stand-in
// DLL, the test binaries and releases built once.
var shared string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "casreset-windows-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	shared = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// need fails the test when tool is not on PATH, naming the Debian package
// that has it.
func need(t *testing.T, pkg string, tools ...string) {
	t.Helper()
	for _, tool := range tools {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s is missing: install Debian's %s (scripts/deps.sh does)", tool, pkg)
		}
	}
}

// once runs build the first time it is asked for key and hands every
// caller the same result, so that tests share what is slow to make.
type once[T any] struct {
	mu   sync.Mutex
	done map[string]*onceResult[T]
}

type onceResult[T any] struct {
	v   T
	err error
}

func (o *once[T]) get(key string, build func() (T, error)) (T, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if r, ok := o.done[key]; ok {
		return r.v, r.err
	}
	v, err := build()
	if o.done == nil {
		o.done = map[string]*onceResult[T]{}
	}
	o.done[key] = &onceResult[T]{v, err}
	return v, err
}

var shim once[string]

// shimDLL builds testdata/bcryptprimitives.c with mingw-w64, once.
func shimDLL(t *testing.T) string {
	t.Helper()
	need(t, "gcc-mingw-w64-x86-64", "x86_64-w64-mingw32-gcc")
	dll, err := shim.get("", func() (string, error) {
		out := filepath.Join(shared, "bcryptprimitives.dll")
		cmd := exec.Command("x86_64-w64-mingw32-gcc", "-shared", "-O2", "-o", out, "testdata/bcryptprimitives.c", "-ladvapi32")
		if msg, err := cmd.CombinedOutput(); err != nil {
			return "", fmt.Errorf("building the ProcessPrng stand-in: %v\n%s", err, msg)
		}
		return out, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return dll
}

// prefix is a Wine prefix of one test: its own C: drive and registry.
type prefix struct {
	t   *testing.T
	dir string
	env []string
}

// newPrefix makes a Wine prefix in a temporary directory, with the
// ProcessPrng stand-in in its system32, and stops its wineserver when the
// test ends. display is the X display windows go to ("" for none).
func newPrefix(t *testing.T, display string) *prefix {
	t.Helper()
	need(t, "wine and wine64", "wine", "wineserver")
	dll := shimDLL(t)
	p := &prefix{t: t, dir: t.TempDir()}
	p.env = append(os.Environ(),
		"WINEPREFIX="+p.dir,
		"WINEDEBUG=-all",
		// No Mono or Gecko: nothing here needs .NET or a browser, and
		// wineboot would ask to download them.
		"WINEDLLOVERRIDES=mscoree,mshtml=",
		"DISPLAY="+display,
	)
	t.Cleanup(func() {
		cmd := exec.Command("wineserver", "-k")
		cmd.Env = p.env
		_ = cmd.Run()
	})
	// wineboot makes the C: drive and the registry; wineserver -w waits
	// until its work is done.
	for _, args := range [][]string{{"wineboot", "-i"}, {"wineserver", "-w"}} {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		cmd := exec.CommandContext(ctx, args[0], args[1:]...)
		cmd.Env = p.env
		out, err := cmd.CombinedOutput()
		cancel()
		if err != nil {
			t.Fatalf("%s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	system32 := p.path(`C:\windows\system32`)
	if _, err := os.Stat(system32); err != nil {
		t.Fatalf("wineboot made no C:\\windows\\system32: %v", err)
	}
	data, err := os.ReadFile(dll)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(system32, "bcryptprimitives.dll"), string(data))
	return p
}

// command is `wine args...` in the prefix.
func (p *prefix) command(ctx context.Context, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, "wine", args...)
	cmd.Env = p.env
	return cmd
}

// run runs a Windows program to its end and returns its output, failing
// the test when it fails or takes longer than limit.
func (p *prefix) run(limit time.Duration, args ...string) string {
	p.t.Helper()
	out, err := p.try(limit, args...)
	if err != nil {
		p.t.Fatalf("wine %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return out
}

// try runs a Windows program to its end and returns its output and error.
func (p *prefix) try(limit time.Duration, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	out, err := p.command(ctx, args...).CombinedOutput()
	return strings.ReplaceAll(string(out), "\r\n", "\n"), err
}

// path is the Linux path of a path on the prefix's C: drive.
func (p *prefix) path(windows string) string {
	rest, ok := strings.CutPrefix(windows, `C:\`)
	if !ok {
		p.t.Fatalf("%s is not on C:", windows)
	}
	return filepath.Join(p.dir, "drive_c", filepath.FromSlash(strings.ReplaceAll(rest, `\`, "/")))
}

// winPath is a Linux path as Windows programs in Wine see it (drive Z:).
func winPath(linux string) string {
	abs, err := filepath.Abs(linux)
	if err != nil {
		abs = linux
	}
	return `Z:` + strings.ReplaceAll(abs, "/", `\`)
}

// process is a Windows program running in a prefix, with its output read
// line by line as it comes.
type process struct {
	t     *testing.T
	cmd   *exec.Cmd
	mu    sync.Mutex
	lines []string
	added chan struct{} // a line came
	ended chan struct{} // the program exited and all its output was read
	err   error         // its exit status, once ended
}

// start starts a Windows program and kills it, if it still runs, when the
// test ends.
func (p *prefix) start(args ...string) *process {
	p.t.Helper()
	cmd := p.command(context.Background(), args...)
	r, w := io.Pipe()
	cmd.Stdout, cmd.Stderr = w, w
	if err := cmd.Start(); err != nil {
		p.t.Fatalf("wine %s: %v", strings.Join(args, " "), err)
	}
	proc := &process{t: p.t, cmd: cmd, added: make(chan struct{}, 1), ended: make(chan struct{})}
	read := make(chan struct{})
	go func() {
		defer close(read)
		s := bufio.NewScanner(r)
		for s.Scan() {
			proc.mu.Lock()
			proc.lines = append(proc.lines, strings.TrimRight(s.Text(), "\r"))
			proc.mu.Unlock()
			select {
			case proc.added <- struct{}{}:
			default:
			}
		}
		_, _ = io.Copy(io.Discard, r) // a line too long for the scanner
	}()
	go func() {
		proc.err = cmd.Wait()
		w.Close()
		<-read
		close(proc.ended)
	}()
	p.t.Cleanup(proc.kill)
	return proc
}

// output is everything the program wrote so far.
func (proc *process) output() string {
	proc.mu.Lock()
	defer proc.mu.Unlock()
	return strings.Join(proc.lines, "\n")
}

// waitForLine waits until the program writes a line containing every one
// of parts, and returns it; it fails the test when the program ends first
// or limit passes.
func (proc *process) waitForLine(limit time.Duration, parts ...string) string {
	proc.t.Helper()
	deadline := time.NewTimer(limit)
	defer deadline.Stop()
	seen := 0
	find := func() (string, bool) {
		proc.mu.Lock()
		defer proc.mu.Unlock()
		for ; seen < len(proc.lines); seen++ {
			if containsAll(proc.lines[seen], parts) {
				return proc.lines[seen], true
			}
		}
		return "", false
	}
	for {
		if line, ok := find(); ok {
			return line
		}
		select {
		case <-proc.added:
		case <-proc.ended:
			if line, ok := find(); ok {
				return line
			}
			proc.t.Fatalf("the program ended (%v) without writing %q:\n%s", proc.err, parts, proc.output())
		case <-deadline.C:
			proc.t.Fatalf("no line with %q after %s:\n%s", parts, limit, proc.output())
		}
	}
}

func containsAll(s string, parts []string) bool {
	for _, p := range parts {
		if !strings.Contains(s, p) {
			return false
		}
	}
	return true
}

// waitForExit waits until the program ends, failing the test after limit.
func (proc *process) waitForExit(limit time.Duration) error {
	proc.t.Helper()
	select {
	case <-proc.ended:
		return proc.err
	case <-time.After(limit):
		proc.t.Fatalf("the program still runs after %s:\n%s", limit, proc.output())
		return nil
	}
}

// exited reports whether the program ends within limit, without failing
// the test when it does not.
func (proc *process) exited(limit time.Duration) bool {
	select {
	case <-proc.ended:
		return true
	case <-time.After(limit):
		return false
	}
}

// kill ends the program if it still runs.
func (proc *process) kill() {
	select {
	case <-proc.ended:
	default:
		_ = proc.cmd.Process.Kill()
		<-proc.ended
	}
}
