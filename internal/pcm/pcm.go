// Package pcm reads and writes the mono PCM WAV files of the audio CAPTCHA:
// the committed digit recordings (16-bit) and the challenges (8-bit), and
// espeak-ng's output when the recordings are made.
package pcm

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// Sound is mono audio: samples in [-1, 1] at Rate samples a second.
type Sound struct {
	Rate    int
	Samples []float32
}

// Seconds is the sound's length.
func (s Sound) Seconds() float64 { return float64(len(s.Samples)) / float64(s.Rate) }

var errNotWAV = errors.New("pcm: not a RIFF WAVE file")

// Decode reads a WAV of mono 8-bit (unsigned) or 16-bit (signed) integer
// PCM, the only kinds this package writes and espeak-ng produces.
func Decode(b []byte) (Sound, error) {
	le := binary.LittleEndian
	if len(b) < 12 || string(b[:4]) != "RIFF" || string(b[8:12]) != "WAVE" {
		return Sound{}, errNotWAV
	}
	var (
		format, channels, bits, rate int
		data                         []byte
	)
	for p := 12; p+8 <= len(b); {
		id, size := string(b[p:p+4]), int(le.Uint32(b[p+4:]))
		body := b[p+8:]
		// espeak-ng writing to a pipe cannot go back to fill in the sizes:
		// they stay 0x7ffff000 or so; the data runs to the end of the file.
		if size < 0 || size > len(body) {
			size = len(body)
		}
		body = body[:size]
		switch id {
		case "fmt ":
			if size < 16 {
				return Sound{}, errNotWAV
			}
			format, channels = int(le.Uint16(body)), int(le.Uint16(body[2:]))
			rate, bits = int(le.Uint32(body[4:])), int(le.Uint16(body[14:]))
		case "data":
			data = body
		}
		p += 8 + size + size%2
	}
	if format != 1 || channels != 1 || rate <= 0 || data == nil {
		return Sound{}, fmt.Errorf("pcm: want mono integer PCM, have format %d with %d channels at %d Hz", format, channels, rate)
	}
	s := Sound{Rate: rate}
	switch bits {
	case 8:
		s.Samples = make([]float32, len(data))
		for i, v := range data {
			s.Samples[i] = (float32(v) - 128) / 128
		}
	case 16:
		s.Samples = make([]float32, len(data)/2)
		for i := range s.Samples {
			s.Samples[i] = float32(int16(le.Uint16(data[2*i:]))) / 32768
		}
	default:
		return Sound{}, fmt.Errorf("pcm: %d-bit samples; want 8 or 16", bits)
	}
	return s, nil
}

// Encode8 writes s as a WAV of 8-bit unsigned PCM, clipping at ±1.
func Encode8(s Sound) []byte {
	b := header(s.Rate, 8, len(s.Samples))
	for _, v := range s.Samples {
		b = append(b, byte(128+quantize(v, 127)))
	}
	if len(s.Samples)%2 == 1 {
		b = append(b, 0) // RIFF chunks have an even length
	}
	return b
}

// Encode16 writes s as a WAV of 16-bit signed PCM, clipping at ±1.
func Encode16(s Sound) []byte {
	b := header(s.Rate, 16, 2*len(s.Samples))
	for _, v := range s.Samples {
		b = binary.LittleEndian.AppendUint16(b, uint16(int16(quantize(v, 32767))))
	}
	return b
}

// quantize rounds v·scale to an integer in [-scale, scale].
func quantize(v float32, scale float32) int {
	v = max(-1, min(1, v)) * scale
	if v < 0 {
		return int(v - 0.5)
	}
	return int(v + 0.5)
}

// header starts a canonical 44-byte WAV header for n bytes of mono data.
func header(rate, bits, n int) []byte {
	le := binary.LittleEndian
	b := make([]byte, 0, 44+n+1)
	b = append(b, "RIFF"...)
	b = le.AppendUint32(b, uint32(36+n+n%2))
	b = append(b, "WAVEfmt "...)
	b = le.AppendUint32(b, 16)
	b = le.AppendUint16(b, 1) // integer PCM
	b = le.AppendUint16(b, 1) // mono
	b = le.AppendUint32(b, uint32(rate))
	b = le.AppendUint32(b, uint32(rate*bits/8))
	b = le.AppendUint16(b, uint16(bits/8))
	b = le.AppendUint16(b, uint16(bits))
	b = append(b, "data"...)
	return le.AppendUint32(b, uint32(n))
}
