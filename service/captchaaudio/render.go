package captchaaudio

import (
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"slices"

	"casreset/internal/pcm"
)

// style says what a rendering varies and mixes in. The service always uses
// hardened; the tests also render without noise, or without variation, to
// show what each part does.
type style struct {
	vary  bool // each digit's voice, pitch, formants, tempo, timbre and level drawn afresh
	noise bool // murmur, hiss and decoys
}

var hardened = style{vary: true, noise: true}

// Loudness, as RMS in dB under full scale. The digits are clearly the
// loudest thing, and all equally loud; decoys are quieter, the murmur
// quieter still.
const (
	digitLevel  = -18.0
	decoyLevel  = digitLevel - 10 // and up to 2 dB quieter
	murmurLevel = digitLevel - 11
	hissLevel   = digitLevel - 24
)

// How each digit's sound is changed, beyond speed and length.
const (
	sweepGain = 10.0 // dB boost or cut of each of two moving bands
	reverbWet = -6.0 // dB of room echo under the digit
)

// part is one sound placed in a rendering: a digit, or a decoy (a reversed
// digit, so never a digit).
type part struct {
	digit      byte
	voice      string
	start, end int     // samples
	speed      float64 // varispeed: pitch and formants up, length down
	length     float64 // length against the recording
}

// plan is where a rendering put its digits and decoys.
type plan struct {
	digits []part
	decoys []part
}

// render speaks digits in lang as s says, drawing from rng.
func render(lang string, digits []byte, rng *rand.Rand, s style) (pcm.Sound, plan, error) {
	lib, err := library()
	if err != nil {
		return pcm.Sound{}, plan{}, err
	}
	voices := lib[lang]
	if len(voices) == 0 {
		return pcm.Sound{}, plan{}, ErrLanguage
	}
	var p plan
	var sounds [][]float32
	for _, d := range digits {
		if d > 9 {
			return pcm.Sound{}, plan{}, fmt.Errorf("captchaaudio: %d is not a digit", d)
		}
		v := voices[0]
		pt := part{digit: d, speed: 1, length: 1}
		if s.vary {
			v = voices[rng.IntN(len(voices))]
		}
		pt.voice = v.name
		snd := v.digits[d]
		if s.vary {
			snd, pt.speed, pt.length = varyDigit(snd, rng)
		} else {
			snd = append([]float32(nil), snd...)
		}
		setLevel(snd, digitLevel+jitter(rng, s.vary, 1))
		softClip(snd)
		p.digits = append(p.digits, pt)
		sounds = append(sounds, snd)
	}

	// The gaps: before the first digit, between digits and after the
	// last. With noise, a gap is long enough for a decoy with a clear
	// pause on either side of it.
	decoyRoom := 0.0
	if s.noise {
		decoyRoom = 0.5
	}
	seconds := func(lo, hi float64) int {
		if !s.vary && !s.noise {
			return int((lo + hi) / 2 * Rate)
		}
		return int(uniform(rng, lo, hi) * Rate)
	}
	gaps := make([]int, len(digits)+1)
	for i := range gaps {
		gaps[i] = seconds(0.35+decoyRoom, 0.7+decoyRoom)
	}
	gaps[0] = seconds(0.5, 0.8) + int(decoyRoom*Rate)
	gaps[len(digits)] = seconds(0.3, 0.4)
	total := 0
	for i, snd := range sounds {
		total += gaps[i]
		p.digits[i].start, p.digits[i].end = total, total+len(snd)
		total += len(snd)
	}
	total += gaps[len(digits)]

	out := make([]float32, total)
	for i, snd := range sounds {
		mix(out, p.digits[i].start, snd)
	}
	if s.noise {
		all := voicesOf(lib)
		murmur(out, all, rng)
		p.decoys = placeDecoys(out, p.digits, all, rng)
		hiss(out, hissLevel, rng)
	}
	limit(out)
	return pcm.Sound{Rate: Rate, Samples: out}, p, nil
}

// varyDigit changes one digit's sound: speed (pitch with formants) and
// length drawn apart, the speed drifting within the digit, and a band of
// the spectrum boosted or cut.
func varyDigit(x []float32, rng *rand.Rand) (out []float32, speed, length float64) {
	speed = logUniform(rng, 0.84, 1.19)
	length = logUniform(rng, 0.85, 1.2)
	y := varispeed(x, speed, uniform(rng, 0.02, 0.05), uniform(rng, 2.5, 6), uniform(rng, 0, 2*math.Pi))
	y = stretch(y, length*float64(len(x))/float64(len(y)))
	sweep(y, logUniform(rng, 300, 3000), logUniform(rng, 300, 3000), sweepGain*sign(rng), 1.5)
	sweep(y, logUniform(rng, 300, 3000), logUniform(rng, 300, 3000), sweepGain*sign(rng), 1.5)
	y = reverb(y, uniform(rng, 0.25, 0.45), reverbWet, rng)
	return y, speed, length
}

// voicesOf gathers the recordings of every language: the murmur and the
// decoys speak any of them, backwards.
func voicesOf(lib map[string][]voice) []voice {
	var all []voice
	for _, lang := range slices.Sorted(maps.Keys(lib)) { // in order: a seeded rendering is the same every time
		all = append(all, lib[lang]...)
	}
	return all
}

// palindromes are the digits whose recording, reversed, still sounds like
// a digit: "nine"; Putonghua yi (一), er (二 with a rising tone) and wu
// (五); Cantonese ji (二) and ng (五). They are never used backwards.
var palindromes = map[string][]byte{"en": {9}, "zh": {1, 2, 5}, "yue": {2, 5}}

// syllable is a random recording reversed, at a random speed: speech-like,
// but no digit in any language.
func syllable(all []voice, rng *rand.Rand) ([]float32, voice, byte) {
	v := all[rng.IntN(len(all))]
	d := byte(rng.IntN(10))
	for slices.Contains(palindromes[v.lang], d) {
		d = byte(rng.IntN(10))
	}
	return backwards(v.digits[d], logUniform(rng, 0.8, 1.25)), v, d
}

// murmur lays two streams of reversed syllables under the whole sound.
func murmur(out []float32, all []voice, rng *rand.Rand) {
	for range 2 {
		at := -rng.IntN(Rate / 4)
		for at < len(out) {
			x, _, _ := syllable(all, rng)
			setLevel(x, murmurLevel-uniform(rng, 0, 3))
			mix(out, at, x)
			at += len(x) + rng.IntN(Rate/8)
		}
	}
}

// placeDecoys puts a louder reversed syllable in the middle of most gaps
// between digits (and before the first), and returns where.
func placeDecoys(out []float32, digits []part, all []voice, rng *rand.Rand) []part {
	var decoys []part
	prevEnd := 0
	for _, d := range digits {
		gapFrom, gapTo := prevEnd, d.start
		prevEnd = d.end
		if rng.Float64() < 0.2 {
			continue
		}
		x, v, digit := syllable(all, rng)
		room := gapTo - gapFrom - Rate/5 // a pause of 0.1 s at least either side
		if room <= 0 {
			continue
		}
		if len(x) > room {
			x = x[:room]
			fadeOut(x)
		}
		setLevel(x, decoyLevel-uniform(rng, 0, 2))
		at := gapFrom + Rate/10 + rng.IntN(room-len(x)+1)
		mix(out, at, x)
		decoys = append(decoys, part{digit: digit, voice: v.name + " reversed", start: at, end: at + len(x), length: 1, speed: 1})
	}
	return decoys
}

// fadeOut ends x in 10 ms rather than with a click.
func fadeOut(x []float32) {
	n := min(len(x), Rate/100)
	for i := range n {
		x[len(x)-1-i] *= float32(i) / float32(n)
	}
}

// jitter is a random change of up to ±dB, or none.
func jitter(rng *rand.Rand, on bool, dB float64) float64 {
	if !on {
		return 0
	}
	return uniform(rng, -dB, dB)
}

// softClip rounds off the few peaks of a sound above 0.6 so that none
// reaches 0.9: speech at the digits' level peaks 15 to 20 dB above it, and
// scaling the whole challenge down for one peak would make it quieter.
func softClip(x []float32) {
	const knee, room = 0.6, 0.3
	for i, v := range x {
		if a := max(v, -v); a > knee {
			c := float32(knee + room*math.Tanh(float64(a-knee)/room))
			if v < 0 {
				c = -c
			}
			x[i] = c
		}
	}
}

// limit scales x down when its peaks would clip.
func limit(x []float32) {
	var peak float32
	for _, v := range x {
		peak = max(peak, v, -v)
	}
	if peak > 0.95 {
		g := 0.95 / peak
		for i := range x {
			x[i] *= g
		}
	}
}

func sign(rng *rand.Rand) float64 {
	if rng.IntN(2) == 0 {
		return -1
	}
	return 1
}
