package wizard

import (
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"runtime"
	"runtime/metrics"
	"strconv"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"casreset/ui/shell"
)

// TestScreenChangesDoNotGrowTheHeap walks 100 screen changes against the
// real service (step 1, the help page and back, step 2, the idle timeout
// back to a new step 1, the language switched each round) and fails when
// the Go heap after a collection is more than 10 % above what it is
// without them: a screen, image, ticker or font kept for each change
// would show.
//
// Fyne's driver drops the renderers of the widgets no longer shown a
// minute after (FYNE_CACHE), when it paints; Fyne's test driver never
// does unless asked. So each count runs in a process of its own with
// FYNE_CACHE=1ns, and asks once, before it measures: the same rounds
// that fill what is filled once (fonts, translations, the service's
// statements), then none or the 100 changes.
func TestScreenChangesDoNotGrowTheHeap(t *testing.T) {
	if walk := os.Getenv("CASRESET_HEAP_WALK"); walk != "" {
		n, err := strconv.Atoi(walk)
		if err != nil {
			t.Fatal(err)
		}
		walkScreens(t, n)
		return
	}
	before := heapAfterWalk(t, 0)
	after := heapAfterWalk(t, 100)
	t.Logf("live heap after 100 screen changes: %.1f MiB, without them %.1f MiB", mib(after), mib(before))
	if float64(after) > 1.10*float64(before) {
		t.Errorf("100 screen changes grew the live heap from %.1f MiB to %.1f MiB (%+.0f %%), more than 10 %%",
			mib(before), mib(after), 100*(float64(after)/float64(before)-1))
	}
}

// heapAfterWalk runs walkScreens(changes) in a new process of this test
// and returns the live heap it measured.
func heapAfterWalk(t *testing.T, changes int) uint64 {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestScreenChangesDoNotGrowTheHeap$", "-test.v", "-test.count=1")
	cmd.Env = append(os.Environ(), fmt.Sprintf("CASRESET_HEAP_WALK=%d", changes), "FYNE_CACHE=1ns")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("the walk of %d screen changes failed: %v\n%s", changes, err, out)
	}
	m := regexp.MustCompile(`live heap: (\d+) bytes`).FindSubmatch(out)
	if m == nil {
		t.Fatalf("the walk of %d screen changes measured nothing:\n%s", changes, out)
	}
	n, _ := strconv.ParseUint(string(m[1]), 10, 64)
	return n
}

// walkScreens makes changes screen changes, after the rounds every count
// has, and logs the live heap once Fyne's caches are cleaned.
func walkScreens(t *testing.T, changes int) {
	s := shell.DefaultSettings()
	s.Language = langEnglish
	s.IdleTimeout = time.Minute
	e := newEnv(t, withSettings(s))
	made := 0
	round := func(i int) {
		s1 := screenAs[*step1](e)
		tapLink(s1.helpLink)
		h := screenAs[*helpPage](e)
		test.Tap(h.back)
		e.toStep2(acctBoth.StaffNumber)
		e.tick(2 * time.Minute) // idle: the flow ends, a new step 1
		screenAs[*step1](e)
		made += 4
		if i%2 == 0 {
			e.chooseLanguage(langChinese)
		} else {
			e.chooseLanguage(langEnglish)
		}
	}
	for i := range 4 {
		round(i)
	}
	made = 0
	for i := 0; made < changes; i++ {
		round(i)
	}
	// Capture paints, cleaning Fyne's caches of what is not shown.
	e.win.Canvas().(test.WindowlessCanvas).Capture()
	t.Logf("live heap: %d bytes", liveHeap())
}

// liveHeap is the heap's live bytes after a full collection.
func liveHeap() uint64 {
	runtime.GC()
	runtime.GC() // the first may leave what finalizers freed
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(sample)
	return sample[0].Value.Uint64()
}

func mib(n uint64) float64 { return float64(n) / (1 << 20) }
