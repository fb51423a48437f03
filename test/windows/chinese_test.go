package windows

import (
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestChineseHeaderUnderWine starts the wizard in Traditional Chinese on
// a Windows without any Chinese font (Wine's prefix has none), once
// against a real reset service and once as the demonstration, and finds
// the header above the demo banner (the organisation's name, the
// wizard's title, the language switch) drawn the same in both.
//
// The demonstration builds its Demo inbox's window before the wizard's:
// measured before the app's theme was set, its regular and monospaced
// text stayed in Fyne's own faces, which have no Chinese, and every
// Chinese character of that weight was a box (the title among them)
// while bold text drew. That the embedded faces draw every text is
// ui/shell's test; this one checks that the Windows program, started both
// ways, draws with them.
func TestChineseHeaderUnderWine(t *testing.T) {
	r := buildRelease(t, oldVersion, false)
	display := startXvfb(t)
	p := newPrefix(t, display)
	svc := startService(t)
	ca := filepath.Join(t.TempDir(), "ca.pem")
	writeFile(t, ca, string(svc.CAPEM))

	app := p.start(winPath(r.Exe), "--lang", "zh-HK", "--server", svc.URL, "--ca", winPath(ca))
	svc.waitForRequest(t, "POST /v1/captchas 201", app)
	window := waitForWindow(t, display, windowTitleIn(t, "zh-HK"), app, 3*time.Minute)
	waitForPicture(t, display, window, app, 3*time.Minute)
	withService := settledShot(t, display, window, app)
	app.kill()

	app = p.start(winPath(r.Exe), "--lang", "zh-HK")
	app.waitForLine(5*time.Minute, "INFO request", `route="POST /v1/captchas"`, "status=201")
	window = waitForWindow(t, display, windowTitleIn(t, "zh-HK"), app, 3*time.Minute)
	waitForPicture(t, display, window, app, 3*time.Minute)
	var demo image.Image
	var banner int
	ok := tryPoll(2*time.Minute, app, func() bool {
		demo = screenshot(display, window)
		if demo == nil {
			return false
		}
		banner = firstFilledRow(demo)
		return banner > 0 && sameRows(demo, withService, banner)
	})
	if !ok {
		dir := t.ArtifactDir()
		savePNG(t, filepath.Join(dir, "zh-HK-with-service.png"), withService)
		if demo != nil {
			savePNG(t, filepath.Join(dir, "zh-HK-demo.png"), demo)
		}
		t.Fatalf("in the demonstration the header above the demo banner (rows 0 to %d) is not drawn as against a service: "+
			"a font that lacks Chinese (boxes)? Screenshots in %s", banner, dir)
	}
	app.kill()
}

// settledShot is a screenshot of window once two in a row are the same.
func settledShot(t *testing.T, display, window string, proc *process) image.Image {
	t.Helper()
	var last image.Image
	poll(t, 2*time.Minute, "the same picture twice in window "+window, proc, func() bool {
		shot := screenshot(display, window)
		same := shot != nil && last != nil && shot.Bounds() == last.Bounds() && sameRows(shot, last, shot.Bounds().Dy())
		last = shot
		return same
	})
	return last
}

// firstFilledRow is the first row of img, below the top one, of which more
// than half is not the colour of its top-left corner (the background):
// the demo banner, a coloured bar across the window, where text never
// fills half a row. 0 when there is none.
func firstFilledRow(img image.Image) int {
	b := img.Bounds()
	background := img.At(b.Min.X, b.Min.Y)
	for y := b.Min.Y + 1; y < b.Max.Y; y++ {
		filled := 0
		for x := b.Min.X; x < b.Max.X; x++ {
			if !sameColour(img.At(x, y), background) {
				filled++
			}
		}
		if filled*2 > b.Dx() {
			return y - b.Min.Y
		}
	}
	return 0
}

// sameRows reports whether the first rows of a and b are the same, pixel
// for pixel.
func sameRows(a, b image.Image, rows int) bool {
	ab, bb := a.Bounds(), b.Bounds()
	if ab.Dx() != bb.Dx() || ab.Dy() < rows || bb.Dy() < rows {
		return false
	}
	for y := range rows {
		for x := range ab.Dx() {
			if !sameColour(a.At(ab.Min.X+x, ab.Min.Y+y), b.At(bb.Min.X+x, bb.Min.Y+y)) {
				return false
			}
		}
	}
	return true
}

func sameColour(a, b color.Color) bool {
	ar, ag, ab, aa := a.RGBA()
	br, bg, bb, ba := b.RGBA()
	return ar == br && ag == bg && ab == bb && aa == ba
}

// tryPoll checks cond every 200 ms until it holds or limit passes, and
// reports whether it held; it fails the test when proc ends first.
func tryPoll(limit time.Duration, proc *process, cond func() bool) bool {
	proc.t.Helper()
	deadline := time.Now().Add(limit)
	tick := time.NewTicker(200 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		if time.Now().After(deadline) {
			return false
		}
		select {
		case <-tick.C:
		case <-proc.ended:
			proc.t.Fatalf("the program ended (%v):\n%s", proc.err, proc.output())
		}
	}
	return true
}

func savePNG(t *testing.T, path string, img image.Image) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, img); err != nil {
		t.Fatal(err)
	}
}
