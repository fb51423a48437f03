// Package captchasolver is the attacker of issue 14's finding 1, for tests
// only: a short program that has every committed digit recording of the
// audio CAPTCHA (service/captchaaudio/voices), plays each at several
// speeds, and matches them against a challenge. It knows how many digits
// there are and that the digits are the loudest sounds.
//
// The program that solved dchest/captcha slid the raw recordings along the
// audio; that finds a recording played at some speed, which is all dchest
// changes. This one matches on the spectrum instead (mel cepstra with their
// mean taken out, so that level and a fixed filter do not matter) and lets
// dynamic time warping absorb differences of tempo, so that it needs no
// exact alignment. Told where each digit is, both name about half of the
// English digits of captchaaudio's challenges (measured once, 56 % and
// 58 %); the sliding one is too slow to run on every test.
//
// captchaaudio's own tests and test/evidence (against the built resetd)
// both use it.
package captchasolver

import (
	"fmt"
	"math"
	"math/cmplx"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"casreset/internal/pcm"
)

// rate is the sample rate the analysis is made for: the recordings' and
// the challenges'.
const rate = 8000

// Solver holds one language's recordings, each at every speed of Speeds.
type Solver struct {
	templates []template
}

type template struct {
	digit byte
	voice string // "en/f2"
	feats []frame
}

// frame is one analysis frame's cepstra.
type frame [ceps]float32

// Speeds are the speeds each recording is tried at.
var Speeds = []float64{0.8, 0.9, 1, 1.1, 1.25}

// New reads the recordings of lang (dir/LANG/VARIANT-DIGIT.wav, as
// committed in service/captchaaudio/voices), as anyone can.
func New(dir, lang string) (*Solver, error) {
	files, err := filepath.Glob(filepath.Join(dir, lang, "*.wav"))
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("captchasolver: no recordings for %s in %s", lang, dir)
	}
	a := &Solver{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		s, err := decode(b)
		if err != nil {
			return nil, fmt.Errorf("captchasolver: %s: %w", f, err)
		}
		variant, digit, _ := strings.Cut(strings.TrimSuffix(filepath.Base(f), ".wav"), "-")
		if len(digit) != 1 || digit[0] < '0' || digit[0] > '9' {
			return nil, fmt.Errorf("captchasolver: %s is not named VARIANT-DIGIT.wav", f)
		}
		for _, speed := range Speeds {
			a.templates = append(a.templates, template{
				digit: digit[0] - '0',
				voice: lang + "/" + variant,
				feats: cepstra(resampleLinear(s, speed)),
			})
		}
	}
	return a, nil
}

// decode reads a WAV at the rate the analysis is made for.
func decode(wav []byte) ([]float32, error) {
	s, err := pcm.Decode(wav)
	if err != nil {
		return nil, err
	}
	if s.Rate != rate {
		return nil, fmt.Errorf("%d Hz, want %d Hz", s.Rate, rate)
	}
	return s.Samples, nil
}

// Solve returns the n digits (each 0-9) the attacker hears in wav, or nil
// when wav is not audio it can read or it cannot find n digits in it.
func (a *Solver) Solve(wav []byte, n int) []byte {
	x, err := decode(wav)
	if err != nil {
		return nil
	}
	var out []byte
	for _, seg := range loudestSegments(x, n) {
		out = append(out, a.Classify(x[seg[0]:seg[1]], ""))
	}
	return out
}

// Classify returns the digit of the recording nearest to x, among those of
// the voice named ("en/f2"), or of any voice when voice is "".
func (a *Solver) Classify(x []float32, voice string) byte {
	feats := cepstra(x)
	best, bestDist := byte(0), math.Inf(1)
	for _, t := range a.templates {
		if voice != "" && t.voice != voice {
			continue
		}
		if d := dtw(feats, t.feats, bestDist); d < bestDist {
			best, bestDist = t.digit, d
		}
	}
	return best
}

// resampleLinear plays x at speed (linear interpolation).
func resampleLinear(x []float32, speed float64) []float32 {
	var out []float32
	for pos := 0.0; pos < float64(len(x)-1); pos += speed {
		i := int(pos)
		f := float32(pos - float64(i))
		out = append(out, x[i]*(1-f)+x[i+1]*f)
	}
	return out
}

// Short-time analysis: 32 ms frames every 10 ms.
const (
	frameLen = 256
	frameHop = 80
	melBands = 24
	ceps     = 12
)

// frameDB is the level of each 10 ms frame, in dB.
func frameDB(x []float32) []float64 {
	var out []float64
	for i := 0; i+frameHop <= len(x); i += frameHop {
		out = append(out, 10*math.Log10(sq(x[i:i+frameHop])/frameHop+1e-10))
	}
	return out
}

func sq(x []float32) float64 {
	var s float64
	for _, v := range x {
		s += float64(v) * float64(v)
	}
	return s
}

// loudestSegments finds the n digits as stretches of loud sound. For every
// threshold from 3 dB to 30 dB under the loudest frame, in steps of half a
// dB, it takes the runs of frames above it (runs closer than 100 ms
// merged, runs shorter than 60 ms dropped); of the thresholds that give
// exactly n runs it takes the middle one of the longest range, where the
// count is most stable, and grows each run into its quieter edges. It
// returns sample ranges with 30 ms added at either end, or nil when no
// threshold gives n runs.
func loudestSegments(x []float32, n int) [][2]int {
	db := frameDB(x)
	smooth := make([]float64, len(db))
	for i := range db {
		lo, hi := max(0, i-2), min(len(db), i+3)
		var s float64
		for _, v := range db[lo:hi] {
			s += v
		}
		smooth[i] = s / float64(hi-lo)
	}
	top := slices.Max(smooth)
	runsAbove := func(threshold float64) [][2]int {
		var runs [][2]int
		for i := 0; i < len(smooth); {
			if smooth[i] <= threshold {
				i++
				continue
			}
			j := i
			for j < len(smooth) && smooth[j] > threshold {
				j++
			}
			if k := len(runs) - 1; k >= 0 && i-runs[k][1] < 10 {
				runs[k][1] = j
			} else {
				runs = append(runs, [2]int{i, j})
			}
			i = j
		}
		return slices.DeleteFunc(runs, func(r [2]int) bool { return r[1]-r[0] < 6 })
	}
	bestFrom, bestLen, from := 0.0, 0, 0.0
	streak := 0
	for drop := 3.0; drop <= 30; drop += 0.5 {
		if len(runsAbove(top-drop)) == n {
			if streak == 0 {
				from = drop
			}
			streak++
			if streak > bestLen {
				bestFrom, bestLen = from, streak
			}
		} else {
			streak = 0
		}
	}
	if bestLen == 0 {
		return nil
	}
	threshold := top - bestFrom - 0.5*float64((bestLen-1)/2)
	runs := runsAbove(threshold)
	// Grow each run, by 250 ms at most, while the sound stays within 20 dB
	// of the threshold and 6 dB above the noise floor (the level of the
	// quietest fifth of the frames): a digit's quieter consonants belong
	// to it, the murmur around it does not.
	sorted := slices.Sorted(slices.Values(smooth))
	edge := max(threshold-20, sorted[len(sorted)/5]+6)
	var out [][2]int
	for i, r := range runs {
		lo, hi := 0, len(smooth)
		if i > 0 {
			lo = runs[i-1][1]
		}
		if i+1 < len(runs) {
			hi = runs[i+1][0]
		}
		lo, hi = max(lo, r[0]-25), min(hi, r[1]+25)
		for r[0] > lo && smooth[r[0]-1] > edge {
			r[0]--
		}
		for r[1] < hi && smooth[r[1]] > edge {
			r[1]++
		}
		out = append(out, [2]int{max(0, r[0]*frameHop-240), min(len(x), r[1]*frameHop+240)})
	}
	return out
}

// melFilters are triangular filters from 100 Hz to 3800 Hz, even on the
// mel scale.
var melFilters = func() [][]float64 {
	mel := func(hz float64) float64 { return 2595 * math.Log10(1+hz/700) }
	hz := func(m float64) float64 { return 700 * (math.Pow(10, m/2595) - 1) }
	lo, hi := mel(100), mel(3800)
	edges := make([]float64, melBands+2)
	for i := range edges {
		edges[i] = hz(lo+(hi-lo)*float64(i)/float64(melBands+1)) * frameLen / rate
	}
	f := make([][]float64, melBands)
	for b := range f {
		f[b] = make([]float64, frameLen/2+1)
		for k := range f[b] {
			x := float64(k)
			switch {
			case x > edges[b] && x <= edges[b+1]:
				f[b][k] = (x - edges[b]) / (edges[b+1] - edges[b])
			case x > edges[b+1] && x < edges[b+2]:
				f[b][k] = (edges[b+2] - x) / (edges[b+2] - edges[b+1])
			}
		}
	}
	return f
}()

// dct turns log mel energies into cepstra 1 to 12.
var dct = func() (m [ceps][melBands]float64) {
	for j := range m {
		for b := range m[j] {
			m[j][b] = math.Cos(math.Pi * float64(j+1) * (float64(b) + 0.5) / melBands)
		}
	}
	return m
}()

// cepstra are x's mel-frequency cepstral coefficients 1 to 12 a frame,
// each with its mean over x subtracted.
func cepstra(x []float32) []frame {
	var out []frame
	buf := make([]complex128, frameLen)
	for i := 0; i+frameLen <= len(x); i += frameHop {
		for k := range frameLen {
			w := 0.54 - 0.46*math.Cos(2*math.Pi*float64(k)/(frameLen-1))
			prev := float32(0)
			if i+k > 0 {
				prev = x[i+k-1]
			}
			buf[k] = complex(w*float64(x[i+k]-0.97*prev), 0)
		}
		fft(buf)
		var logmel [melBands]float64
		for b, f := range melFilters {
			var e float64
			for k, w := range f {
				if w != 0 {
					e += w * (real(buf[k])*real(buf[k]) + imag(buf[k])*imag(buf[k]))
				}
			}
			logmel[b] = math.Log(e + 1e-8)
		}
		var c frame
		for j := range c {
			var sum float64
			for b, v := range logmel {
				sum += v * dct[j][b]
			}
			c[j] = float32(sum)
		}
		out = append(out, c)
	}
	var mean frame
	for _, c := range out {
		for j, v := range c {
			mean[j] += v / float32(len(out))
		}
	}
	for i := range out {
		for j := range out[i] {
			out[i][j] -= mean[j]
		}
	}
	return out
}

// fft transforms x in place (radix 2; len(x) a power of two).
func fft(x []complex128) {
	n := len(x)
	for i, j := 1, 0; i < n; i++ {
		bit := n >> 1
		for ; j&bit != 0; bit >>= 1 {
			j ^= bit
		}
		j |= bit
		if i < j {
			x[i], x[j] = x[j], x[i]
		}
	}
	for size := 2; size <= n; size <<= 1 {
		w := cmplx.Exp(complex(0, -2*math.Pi/float64(size)))
		for start := 0; start < n; start += size {
			wk := complex(1, 0)
			for k := range size / 2 {
				a, b := x[start+k], x[start+k+size/2]*wk
				x[start+k], x[start+k+size/2] = a+b, a-b
				wk *= w
			}
		}
	}
}

// dtw is the dynamic-time-warping distance of a and b (Euclidean frame
// distance, steps right, down and diagonal, within a band around the
// diagonal 30 % of b's length wide either side), over the path's length.
// It gives up, returning +Inf, once every path costs more than limit.
func dtw(a, b []frame, limit float64) float64 {
	n, m := len(a), len(b)
	// Paths may not stretch one side more than 2.5 times the other.
	if n == 0 || m == 0 || 2*n > 5*m || 2*m > 5*n {
		return math.Inf(1)
	}
	norm := float32(n + m)
	inf := float32(math.Inf(1))
	band := m*3/10 + 2
	prev := make([]float32, m+1)
	cur := make([]float32, m+1)
	for j := range prev {
		prev[j], cur[j] = inf, inf
	}
	prev[0] = 0
	for i, fa := range a {
		mid := (i*m + m/2) / n
		lo, hi := max(0, mid-band), min(m, mid+band+1)
		if i == n-1 {
			hi = m // the path must reach the corner
		}
		for j := 0; j <= lo; j++ {
			cur[j] = inf
		}
		for j := hi + 1; j <= m; j++ {
			cur[j] = inf
		}
		rowMin, left, diag := inf, inf, prev[lo]
		for j := lo; j < hi; j++ {
			fb := b[j]
			var d float32
			for k := range fa {
				e := fa[k] - fb[k]
				d += e * e
			}
			up := prev[j+1]
			c := float32(math.Sqrt(float64(d))) + min(diag, up, left)
			cur[j+1] = c
			rowMin = min(rowMin, c)
			left, diag = c, up
		}
		if float64(rowMin/norm) > limit {
			return math.Inf(1)
		}
		prev, cur = cur, prev
	}
	return float64(prev[m] / norm)
}
