package wizard

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
)

// pcm is decoded audio: mono samples in [-1, 1] at rate samples a second.
type pcm struct {
	rate    int
	samples []float32
}

var errNotWAV = errors.New("not a WAV file")

// decodeWAV reads a RIFF WAVE file of integer PCM (8, 16, 24 or 32 bits)
// or 32-bit float samples, mixing its channels down to one. The CAPTCHA
// audio is small, so it is decoded whole.
func decodeWAV(b []byte) (pcm, error) {
	le := binary.LittleEndian
	if len(b) < 12 || string(b[:4]) != "RIFF" || string(b[8:12]) != "WAVE" {
		return pcm{}, errNotWAV
	}
	var (
		format, channels, bits int
		rate                   int
		data                   []byte
		haveFmt                bool
	)
	for p := 12; p+8 <= len(b); {
		id, size := string(b[p:p+4]), int(le.Uint32(b[p+4:]))
		body := b[p+8:]
		if size < 0 || size > len(body) {
			size = len(body) // a truncated last chunk: take what is there
		}
		body = body[:size]
		switch id {
		case "fmt ":
			if size < 16 {
				return pcm{}, errNotWAV
			}
			format = int(le.Uint16(body))
			channels = int(le.Uint16(body[2:]))
			rate = int(le.Uint32(body[4:]))
			bits = int(le.Uint16(body[14:]))
			if format == 0xFFFE && size >= 26 { // WAVE_FORMAT_EXTENSIBLE: the sub-format's first two bytes
				format = int(le.Uint16(body[24:]))
			}
			haveFmt = true
		case "data":
			data = body
		}
		p += 8 + size + size%2
	}
	if !haveFmt || data == nil || channels < 1 || rate < 1 {
		return pcm{}, errNotWAV
	}
	width := bits / 8
	switch {
	case format == 1 && (bits == 8 || bits == 16 || bits == 24 || bits == 32):
	case format == 3 && bits == 32:
	default:
		return pcm{}, fmt.Errorf("unsupported WAV encoding (format %d, %d bits)", format, bits)
	}
	frame := width * channels
	n := len(data) / frame
	out := make([]float32, n)
	for i := range n {
		var sum float32
		for ch := range channels {
			s := data[i*frame+ch*width:]
			sum += sample(s, format, bits)
		}
		out[i] = sum / float32(channels)
	}
	return pcm{rate: rate, samples: out}, nil
}

func sample(s []byte, format, bits int) float32 {
	le := binary.LittleEndian
	switch {
	case format == 3:
		return math.Float32frombits(le.Uint32(s))
	case bits == 8: // unsigned
		return (float32(s[0]) - 128) / 128
	case bits == 16:
		return float32(int16(le.Uint16(s))) / (1 << 15)
	case bits == 24:
		v := int32(uint32(s[0])<<8|uint32(s[1])<<16|uint32(s[2])<<24) >> 8
		return float32(v) / (1 << 23)
	default:
		return float32(int32(le.Uint32(s))) / (1 << 31)
	}
}

// resample converts p to rate by linear interpolation: good enough for
// speech, which is all the CAPTCHA says.
func (p pcm) resample(rate int) []float32 {
	if p.rate == rate || len(p.samples) == 0 {
		return p.samples
	}
	n := int(int64(len(p.samples)) * int64(rate) / int64(p.rate))
	out := make([]float32, n)
	step := float64(p.rate) / float64(rate)
	last := len(p.samples) - 1
	for i := range out {
		pos := float64(i) * step
		j := int(pos)
		if j >= last {
			out[i] = p.samples[last]
			continue
		}
		f := float32(pos - float64(j))
		out[i] = p.samples[j]*(1-f) + p.samples[j+1]*f
	}
	return out
}
