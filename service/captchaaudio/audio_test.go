package captchaaudio

import (
	"bytes"
	crand "crypto/rand"
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"casreset/internal/pcm"
)

var testLangs = []string{"en", "zh", "yue"}

// seeded gives a test its own fixed random stream, so that a failure can
// be reproduced; Speak itself always seeds from crypto/rand.
func seeded(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 14)) }

func someDigits(rng *rand.Rand) []byte {
	d := make([]byte, 6)
	for i := range d {
		d[i] = byte(rng.IntN(10))
	}
	return d
}

// freshSeed is a seed from crypto/rand, as a fresh CAPTCHA gets.
func freshSeed() (seed [32]byte) {
	crand.Read(seed[:])
	return seed
}

func TestSpeakGivesASmallWAVAtEightKilohertz(t *testing.T) {
	for _, lang := range testLangs {
		wav, err := Speak(lang, []byte{0, 1, 2, 7, 8, 9}, freshSeed())
		if err != nil {
			t.Fatalf("%s: %v", lang, err)
		}
		if string(wav[:4]) != "RIFF" || string(wav[8:16]) != "WAVEfmt " || wav[34] != 8 {
			t.Errorf("%s: header % x, want an 8-bit RIFF WAVE", lang, wav[:36])
		}
		s, err := pcm.Decode(wav)
		if err != nil {
			t.Fatalf("%s: %v", lang, err)
		}
		// dchest/captcha's were 15 to 20 s and about 140 kB.
		if s.Rate != Rate || s.Seconds() < 5 || s.Seconds() > 14 || len(wav) > 120_000 {
			t.Errorf("%s: %.1f s at %d Hz, %d bytes; want 5 to 14 s at 8 kHz, at most 120 kB", lang, s.Seconds(), s.Rate, len(wav))
		}
	}
}

func TestSpeakRefusesWhatItCannotSay(t *testing.T) {
	if _, err := Speak("fr", []byte{1, 2, 3}, freshSeed()); !errors.Is(err, ErrLanguage) {
		t.Errorf("French: %v, want ErrLanguage", err)
	}
	if _, err := Speak("", []byte{1, 2, 3}, freshSeed()); !errors.Is(err, ErrLanguage) {
		t.Errorf("no language: %v, want ErrLanguage", err)
	}
	if _, err := Speak("en", []byte{1, 10, 3}, freshSeed()); err == nil {
		t.Error("10 is spoken as a digit")
	}
}

// TestTheSeedDecidesTheSound: one seed, one sound (a CAPTCHA played
// again); another seed, another sound for the same digits.
func TestTheSeedDecidesTheSound(t *testing.T) {
	digits := []byte{4, 4, 4, 4, 4, 4}
	seed := freshSeed()
	speak := func(seed [32]byte) []byte {
		t.Helper()
		wav, err := Speak("yue", digits, seed)
		if err != nil {
			t.Fatal(err)
		}
		return wav
	}
	a, again, other := speak(seed), speak(seed), speak(freshSeed())
	if !bytes.Equal(a, again) {
		t.Error("one seed gave two sounds")
	}
	if bytes.Equal(a, other) {
		t.Error("two seeds gave the same sound")
	}
}

// TestPlanSaysTheDigitsInOrder checks where the rendering put each sound:
// the digits asked for, in order, apart from each other, with the decoys
// in the pauses between them and never a reversed digit that still sounds
// like a digit; and that the variation is real: every voice of the
// language is used, and speeds and lengths spread over their ranges.
func TestPlanSaysTheDigitsInOrder(t *testing.T) {
	lib, err := library()
	if err != nil {
		t.Fatal(err)
	}
	rng := seeded(1)
	for _, lang := range testLangs {
		voices := map[string]bool{}
		var speeds, lengths []float64
		for range 50 {
			digits := someDigits(rng)
			s, p, err := render(lang, digits, rng, hardened)
			if err != nil {
				t.Fatal(err)
			}
			var said []byte
			end := 0
			for _, d := range p.digits {
				said = append(said, d.digit)
				if d.start < end+Rate/4 || d.end <= d.start || d.end > len(s.Samples) {
					t.Fatalf("%s: digit at %d-%d after one ending at %d (sound of %d)", lang, d.start, d.end, end, len(s.Samples))
				}
				end = d.end
				voices[d.voice] = true
				speeds, lengths = append(speeds, d.speed), append(lengths, d.length)
			}
			if !bytes.Equal(said, digits) {
				t.Fatalf("%s: plan says %v, want %v", lang, said, digits)
			}
			for _, dc := range p.decoys {
				for _, d := range p.digits {
					if dc.start < d.end+Rate/10 && dc.end > d.start-Rate/10 {
						t.Errorf("%s: decoy at %d-%d within 0.1 s of a digit at %d-%d", lang, dc.start, dc.end, d.start, d.end)
					}
				}
				if slices.Contains(palindromes[dc.voice[:len(dc.voice)-len("/xx reversed")]], dc.digit) {
					t.Errorf("%s: decoy %s %d sounds like a digit", lang, dc.voice, dc.digit)
				}
			}
		}
		if len(voices) != len(lib[lang]) {
			t.Errorf("%s: voices used %v, want all %d", lang, voices, len(lib[lang]))
		}
		if lo, hi := slices.Min(speeds), slices.Max(speeds); lo > 0.88 || hi < 1.13 {
			t.Errorf("%s: speeds from %.2f to %.2f only", lang, lo, hi)
		}
		if lo, hi := slices.Min(lengths), slices.Max(lengths); lo > 0.9 || hi < 1.14 {
			t.Errorf("%s: lengths from %.2f to %.2f only", lang, lo, hi)
		}
	}
}

// TestDigitsAreClearlyTheLoudest measures the rendered sound where the
// plan put each thing: every digit about as loud as the others (within
// 3 dB), the sound during each decoy (the decoy and the murmur under it)
// at least 4 dB under the softest digit, and the murmur alone in the
// pauses at least 7 dB under. That is what lets a person tell the digits
// apart.
func TestDigitsAreClearlyTheLoudest(t *testing.T) {
	rng := seeded(2)
	dB := func(x []float32) float64 { return 20 * math.Log10(rms(x)) }
	for _, lang := range testLangs {
		for range 30 {
			s, p, err := render(lang, someDigits(rng), rng, hardened)
			if err != nil {
				t.Fatal(err)
			}
			var digitDB []float64
			quiet := slices.Clone(s.Samples) // the pauses: digits and decoys cut out
			for _, d := range p.digits {
				digitDB = append(digitDB, dB(s.Samples[d.start:d.end]))
				clear(quiet[d.start:d.end])
			}
			softest, loudest := slices.Min(digitDB), slices.Max(digitDB)
			if loudest-softest > 3 {
				t.Errorf("%s: digits from %.1f to %.1f dB", lang, softest, loudest)
			}
			for _, dc := range p.decoys {
				if level := dB(s.Samples[dc.start:dc.end]); level > softest-4 {
					t.Errorf("%s: decoy at %.1f dB, softest digit %.1f dB", lang, level, softest)
				}
				clear(quiet[dc.start:dc.end])
			}
			var murmur []float32
			for _, v := range quiet {
				if v != 0 {
					murmur = append(murmur, v)
				}
			}
			if level := dB(murmur); level > softest-7 {
				t.Errorf("%s: murmur at %.1f dB, softest digit %.1f dB", lang, level, softest)
			}
		}
	}
}
