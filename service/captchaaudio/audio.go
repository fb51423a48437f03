// Package captchaaudio speaks a CAPTCHA's digits, in English (en),
// Putonghua (zh) or Cantonese (yue), as a WAV.
//
// The digits come from recordings made with espeak-ng (voices/, committed
// with the command that makes them, internal/genvoices). Those recordings
// are public, so every challenge changes every digit its own way: another
// voice, its own pitch, formants and tempo (changed apart from each other,
// and drifting within the digit), its own timbre and a little room echo,
// and random gaps; a murmur of reversed speech runs under everything and
// louder reversed syllables sit between the digits. A person hears clear
// digits over a murmur; a program that matches the recordings against the
// audio at a few speeds mostly does not (see attacker_test.go).
//
// The package knows nothing of HTTP or of the store: the service hands it
// the digits and a seed, and sends what it returns.
package captchaaudio

import (
	"errors"
	"maps"
	"math/rand/v2"
	"slices"

	"casreset/internal/pcm"
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

// Speak returns a challenge that says digits (each 0-9) in lang, as a WAV
// of 8 kHz 8-bit mono PCM. seed decides every random choice, so that one
// seed always gives the same sound: it must be secret and unpredictable
// (from crypto/rand, or a MAC of the CAPTCHA under a server key), and the
// same for every play of one CAPTCHA, or a program could ask for many
// renderings of it and vote digit by digit.
func Speak(lang string, digits []byte, seed [32]byte) ([]byte, error) {
	s, _, err := render(lang, digits, rand.New(rand.NewChaCha8(seed)), hardened)
	if err != nil {
		return nil, err
	}
	return pcm.Encode8(s), nil
}
