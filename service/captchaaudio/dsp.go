package captchaaudio

import (
	"math"
	"math/rand/v2"
)

// varispeed plays x faster by factor (above 1: higher and shorter), the
// factor wobbling by ±depth at wobbleHz, as a tape whose speed drifts: no
// single speed matches the whole sound.
func varispeed(x []float32, factor, depth, wobbleHz, phase float64) []float32 {
	const every = 16 // samples between updates of the wobble (2 ms)
	out := make([]float32, 0, int(float64(len(x))/factor*(1+depth))+1)
	step := 2 * math.Pi * wobbleHz / Rate * every
	last := float64(len(x) - 2)
	for pos, n := 1.0, 0; pos < last; n++ {
		speed := factor * (1 + depth*math.Sin(step*float64(n)+phase))
		for k := 0; k < every && pos < last; k++ {
			out = append(out, cubicAt(x, pos))
			pos += speed
		}
	}
	return out
}

// cubicAt interpolates x at pos, 1 <= pos < len(x)-2 (Catmull-Rom).
func cubicAt(x []float32, pos float64) float32 {
	i := int(pos)
	t := float32(pos - float64(i))
	p := x[i-1 : i+3]
	p0, p1, p2, p3 := p[0], p[1], p[2], p[3]
	return p1 + 0.5*t*(p2-p0+t*(2*p0-5*p1+4*p2-p3+t*(3*(p1-p2)+p3-p0)))
}

// backwards plays x reversed at speed factor, interpolating linearly: for
// the murmur and the decoys, where a little dullness does not matter.
func backwards(x []float32, factor float64) []float32 {
	if len(x) < 2 {
		return nil
	}
	out := make([]float32, int(float64(len(x)-1)/factor))
	for n := range out {
		pos := float64(n) * factor
		i := int(pos)
		t := float32(pos - float64(i))
		a, b := x[len(x)-1-i], x[max(0, len(x)-2-i)]
		out[n] = a + t*(b-a)
	}
	return out
}

// WSOLA (waveform-similarity overlap-add) frames: 30 ms Hann windows at
// half overlap, each shifted by up to 6 ms to continue the previous one's
// waveform, so the pitch stays while the length changes.
const (
	stretchWindow = 240
	stretchHop    = stretchWindow / 2
	stretchSeek   = 48
)

var hann = func() []float32 {
	w := make([]float32, stretchWindow)
	for i := range w {
		w[i] = float32(0.5 - 0.5*math.Cos(2*math.Pi*float64(i)/stretchWindow))
	}
	return w
}()

// stretch makes x factor times as long without changing its pitch.
func stretch(x []float32, factor float64) []float32 {
	n := int(float64(len(x)) * factor)
	out := make([]float32, n+stretchWindow)
	analysisHop := stretchHop / factor
	prev := 0
	for k := 0; ; k++ {
		at := k * stretchHop
		pos := 0
		if k > 0 {
			pos = bestContinuation(x, prev+stretchHop, int(float64(k)*analysisHop))
		}
		if pos+stretchWindow > len(x) || at >= n {
			break
		}
		for i, w := range hann {
			out[at+i] += w * x[pos+i]
		}
		prev = pos
	}
	return out[:n]
}

// bestContinuation returns the start near nominal whose first half window
// looks most like x from natural onwards: a coarse search on every other
// sample and lag, then the lags either side of the best.
func bestContinuation(x []float32, natural, nominal int) int {
	if natural+stretchHop > len(x) {
		return nominal
	}
	want := x[natural : natural+stretchHop]
	lo, hi := max(0, nominal-stretchSeek), min(nominal+stretchSeek, len(x)-stretchHop)
	score := func(pos int, stride int) float32 {
		var s float32
		got := x[pos : pos+stretchHop]
		for i := 0; i < len(want); i += stride {
			s += want[i] * got[i]
		}
		return s
	}
	best, bestScore := nominal, float32(math.Inf(-1))
	for pos := lo; pos <= hi; pos += 2 {
		if s := score(pos, 2); s > bestScore {
			best, bestScore = pos, s
		}
	}
	coarse := best
	bestScore = float32(math.Inf(-1))
	for pos := max(lo, coarse-1); pos <= min(hi, coarse+1); pos++ {
		if s := score(pos, 1); s > bestScore {
			best, bestScore = pos, s
		}
	}
	return best
}

// sweep boosts (gain dB > 0) or cuts a band of x in place, the band's
// centre gliding from fromHz to toHz over the sound: an RBJ peaking-EQ
// biquad whose coefficients follow the centre every 4 ms. A fixed filter
// would change the timbre too, but a matcher that subtracts each sound's
// mean spectrum undoes a fixed filter exactly; a moving one it cannot.
func sweep(x []float32, fromHz, toHz, gain, q float64) {
	const every = 32
	a := math.Pow(10, gain/40)
	var b0, b1, b2, a1, a2 float64
	var x1, x2, y1, y2 float64
	for i, v := range x {
		if i%every == 0 {
			hz := fromHz * math.Pow(toHz/fromHz, float64(i)/float64(len(x)))
			w := 2 * math.Pi * hz / Rate
			alpha := math.Sin(w) / (2 * q)
			a0 := 1 + alpha/a
			b0, b1, b2 = (1+alpha*a)/a0, -2*math.Cos(w)/a0, (1-alpha*a)/a0
			a1, a2 = b1, (1-alpha/a)/a0
		}
		in := float64(v)
		y := b0*in + b1*x1 + b2*x2 - a1*y1 - a2*y2
		x2, x1, y2, y1 = x1, in, y1, y
		x[i] = float32(y)
	}
}

func rms(x []float32) float64 {
	var sum float64
	for _, v := range x {
		sum += float64(v) * float64(v)
	}
	return math.Sqrt(sum / float64(max(1, len(x))))
}

// setLevel scales x so that its RMS is dB under full scale.
func setLevel(x []float32, dB float64) {
	g := float32(math.Pow(10, dB/20) / max(rms(x), 1e-9))
	for i := range x {
		x[i] *= g
	}
}

// mix adds src into dst from at, as far as dst reaches.
func mix(dst []float32, at int, src []float32) {
	for i, v := range src {
		if at+i >= 0 && at+i < len(dst) {
			dst[at+i] += v
		}
	}
}

// hiss adds noise that falls off towards high frequencies (uniform white
// noise through a one-pole low-pass) with an RMS dB under full scale.
func hiss(dst []float32, dB float64, rng *rand.Rand) {
	const pole = 0.85
	// Uniform noise in [-1, 1) has an RMS of 1/√3; the filter's gain on
	// white noise is √((1-p)²/(1-p²)).
	amp := float32(math.Pow(10, dB/20) * math.Sqrt(3) * math.Sqrt((1-pole*pole)/((1-pole)*(1-pole))))
	var y float32
	var bits uint64
	for i := range dst {
		if i%4 == 0 {
			bits = rng.Uint64()
		}
		white := float32(int16(bits)) / 32768
		bits >>= 16
		y = pole*y + (1-pole)*white
		dst[i] += amp * y
	}
}

// uniform draws from [lo, hi).
func uniform(rng *rand.Rand, lo, hi float64) float64 { return lo + (hi-lo)*rng.Float64() }

// logUniform draws a factor from [lo, hi) evenly on a log scale, so that
// 0.8 is as likely as 1.25.
func logUniform(rng *rand.Rand, lo, hi float64) float64 {
	return math.Exp(uniform(rng, math.Log(lo), math.Log(hi)))
}

// reverb adds the echo of a small room to x (a Schroeder reverberator:
// four feedback combs in parallel, then two all-passes), wet dB under the
// dry sound, decaying by 60 dB in rt60 seconds; x grows by the tail.
func reverb(x []float32, rt60, wet float64, rng *rand.Rand) []float32 {
	tail := int(rt60 * Rate / 2)
	out := make([]float32, len(x)+tail)
	copy(out, x)
	wetSum := make([]float32, len(out))
	for range 4 {
		delay := 200 + rng.IntN(150) // 25 to 44 ms
		g := float32(math.Pow(10, -3*float64(delay)/(rt60*Rate)))
		buf := make([]float32, delay)
		for i := range out {
			y := buf[i%delay]
			in := float32(0)
			if i < len(x) {
				in = x[i]
			}
			buf[i%delay] = in + g*y
			wetSum[i] += y
		}
	}
	for _, delay := range []int{40 + rng.IntN(15), 13 + rng.IntN(5)} {
		buf := make([]float32, delay)
		const g = 0.7
		for i, v := range wetSum {
			d := buf[i%delay]
			y := -g*v + d
			buf[i%delay] = v + g*y
			wetSum[i] = y
		}
	}
	level := float32(math.Pow(10, wet/20) * rms(x) / max(rms(wetSum), 1e-9))
	for i, v := range wetSum {
		out[i] += level * v
	}
	return out
}
