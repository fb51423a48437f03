package windows

import (
	"bufio"
	"bytes"
	"context"
	"image"
	"image/png"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// startXvfb starts an X server of its own for the test and returns its
// display (":N"); it stops when the test ends.
func startXvfb(t *testing.T) string {
	t.Helper()
	need(t, "xvfb", "Xvfb")
	need(t, "x11-utils", "xwininfo")
	need(t, "imagemagick", "import")
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	// -displayfd: Xvfb picks a free display and writes its number on fd 3
	// once it accepts clients.
	cmd := exec.Command("Xvfb", "-displayfd", "3", "-screen", "0", "1280x1024x24", "-nolisten", "tcp")
	cmd.ExtraFiles = []*os.File{w}
	var log bytes.Buffer
	cmd.Stderr = &log
	if err := cmd.Start(); err != nil {
		t.Fatalf("Xvfb: %v", err)
	}
	w.Close()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	number, err := bufio.NewReader(r).ReadString('\n')
	if err != nil {
		t.Fatalf("Xvfb did not start: %v\n%s", err, log.String())
	}
	return ":" + strings.TrimSpace(number)
}

// waitForWindow waits until the display has a window titled title and
// returns its id, failing the test after limit or when proc ends first.
func waitForWindow(t *testing.T, display, title string, proc *process, limit time.Duration) string {
	t.Helper()
	var id string
	poll(t, limit, "a window titled "+title, proc, func() bool {
		out, _ := x11(display, "xwininfo", "-root", "-tree")
		for _, line := range strings.Split(out, "\n") {
			fields := strings.Fields(line)
			if len(fields) > 1 && strings.Contains(line, `"`+title+`"`) {
				id = fields[0]
				return true
			}
		}
		return false
	})
	return id
}

// waitForPicture waits until the window shows more than a blank or
// single-coloured surface (the first frames of an OpenGL window are), and
// returns the screenshot.
func waitForPicture(t *testing.T, display, window string, proc *process, limit time.Duration) image.Image {
	t.Helper()
	var shot image.Image
	poll(t, limit, "a picture in window "+window, proc, func() bool {
		shot = screenshot(display, window)
		return shot != nil && !blank(shot)
	})
	return shot
}

// screenshot is window's picture; nil when it cannot be taken.
func screenshot(display, window string) image.Image {
	out, err := x11(display, "import", "-window", window, "png:-")
	if err != nil {
		return nil
	}
	img, err := png.Decode(strings.NewReader(out))
	if err != nil {
		return nil
	}
	return img
}

// blank reports whether an image is one colour, or nearly: fewer than 16
// colours, or one colour on more than 97% of it.
func blank(img image.Image) bool {
	counts := map[[4]uint32]int{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, a := img.At(x, y).RGBA()
			counts[[4]uint32{r, g, bl, a}]++
		}
	}
	most := 0
	for _, n := range counts {
		most = max(most, n)
	}
	return len(counts) < 16 || most*100 > b.Dx()*b.Dy()*97
}

// x11 runs an X client on display and returns its output.
func x11(display, name string, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = append(os.Environ(), "DISPLAY="+display)
	out, err := cmd.Output()
	return string(out), err
}

// poll checks cond every 200 ms until it holds, failing the test when
// limit passes or proc (if any) ends first.
func poll(t *testing.T, limit time.Duration, what string, proc *process, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(limit)
	tick := time.NewTicker(200 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("no %s after %s", what, limit)
		}
		var ended <-chan struct{}
		if proc != nil {
			ended = proc.ended
		}
		select {
		case <-tick.C:
		case <-ended:
			t.Fatalf("the program ended (%v) before %s:\n%s", proc.err, what, proc.output())
		}
	}
}
