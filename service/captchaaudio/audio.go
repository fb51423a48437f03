// Package captchaaudio speaks a CAPTCHA's digits, in English (en),
// Putonghua (zh) or Cantonese (yue), as a WAV.
//
// The digits come from recordings made with espeak-ng (voices/, committed
// with the command that makes them, internal/genvoices). Those recordings
// are public, so every challenge changes every digit afresh: another voice,
// its own pitch, formants and tempo (changed apart from each other, and
// drifting within the digit), its own timbre, and random gaps; a murmur of
// reversed speech runs under everything and louder reversed syllables sit
// between the digits. A person hears six clear digits over a murmur; a
// program that slides the recordings along the audio at a few speeds finds
// nothing that matches well (see attack_test.go).
//
// The package knows nothing of HTTP: the service hands it the digits and
// sends what it returns.
package captchaaudio

import (
	crand "crypto/rand"
	"errors"
	"maps"
	"math/rand/v2"
	"slices"

	"casreset/service/captchaaudio/internal/pcm"
)

// Rate is the sample rate of the recordings and the challenges, in Hz.
const Rate = 8000

// ErrLanguage is returned for a language without recordings.
var ErrLanguage = errors.New("captchaaudio: no recordings in that language")

// Languages lists the languages there are recordings for, sorted.
func Languages() ([]string, error) {
	lib, err := library()
	if err != nil {
		return nil, err
	}
	return slices.Sorted(maps.Keys(lib)), nil
}

// Speak returns a fresh challenge that says digits (each 0-9) in lang, as
// a WAV of 8 kHz 8-bit mono PCM. Its randomness comes from crypto/rand, so
// two challenges for the same digits differ, and neither can be predicted.
func Speak(lang string, digits []byte) ([]byte, error) {
	var seed [32]byte
	crand.Read(seed[:])
	s, _, err := render(lang, digits, rand.New(rand.NewChaCha8(seed)), hardened)
	if err != nil {
		return nil, err
	}
	return pcm.Encode8(s), nil
}
