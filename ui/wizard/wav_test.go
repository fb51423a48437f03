package wizard

import (
	"bytes"
	"encoding/binary"
	"math"
	"testing"

	"github.com/dchest/captcha"
)

// wavFile builds a RIFF WAVE file around data.
func wavFile(format, channels, rate, bits int, data []byte) []byte {
	var b bytes.Buffer
	le := binary.LittleEndian
	b.WriteString("RIFF")
	binary.Write(&b, le, uint32(4+8+16+8+len(data)))
	b.WriteString("WAVE")
	b.WriteString("LIST") // a chunk to skip
	binary.Write(&b, le, uint32(3))
	b.WriteString("abc\x00") // odd size, padded
	b.WriteString("fmt ")
	binary.Write(&b, le, uint32(16))
	binary.Write(&b, le, uint16(format))
	binary.Write(&b, le, uint16(channels))
	binary.Write(&b, le, uint32(rate))
	binary.Write(&b, le, uint32(rate*channels*bits/8))
	binary.Write(&b, le, uint16(channels*bits/8))
	binary.Write(&b, le, uint16(bits))
	b.WriteString("data")
	binary.Write(&b, le, uint32(len(data)))
	b.Write(data)
	return b.Bytes()
}

func TestDecodeWAV(t *testing.T) {
	le := binary.LittleEndian
	s16 := func(vs ...int16) []byte {
		var b bytes.Buffer
		for _, v := range vs {
			binary.Write(&b, le, v)
		}
		return b.Bytes()
	}
	f32 := func(vs ...float32) []byte {
		var b bytes.Buffer
		for _, v := range vs {
			binary.Write(&b, le, math.Float32bits(v))
		}
		return b.Bytes()
	}
	tests := []struct {
		name string
		wav  []byte
		rate int
		want []float32
	}{
		{"8-bit unsigned mono", wavFile(1, 1, 8000, 8, []byte{128, 255, 0}), 8000, []float32{0, 127.0 / 128, -1}},
		{"16-bit stereo mixed down", wavFile(1, 2, 44100, 16, s16(16384, -16384, 16384, 16384)), 44100, []float32{0, 0.5}},
		{"24-bit mono", wavFile(1, 1, 48000, 24, []byte{0, 0, 0x40, 0, 0, 0xc0}), 48000, []float32{0.5, -0.5}},
		{"32-bit float", wavFile(3, 1, 22050, 32, f32(0.25, -0.75)), 22050, []float32{0.25, -0.75}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := decodeWAV(tt.wav)
			if err != nil {
				t.Fatal(err)
			}
			if p.rate != tt.rate || len(p.samples) != len(tt.want) {
				t.Fatalf("rate %d, %d samples; want %d, %d", p.rate, len(p.samples), tt.rate, len(tt.want))
			}
			for i, w := range tt.want {
				if math.Abs(float64(p.samples[i]-w)) > 1e-4 {
					t.Errorf("sample %d = %v, want %v", i, p.samples[i], w)
				}
			}
		})
	}
}

func TestDecodeWAVRefusesOtherFiles(t *testing.T) {
	for name, b := range map[string][]byte{
		"empty":        nil,
		"not RIFF":     []byte("ID3\x04 an mp3 file......"),
		"no fmt chunk": []byte("RIFF\x04\x00\x00\x00WAVE"),
		"A-law":        wavFile(6, 1, 8000, 8, []byte{1, 2}),
		"12-bit":       wavFile(1, 1, 8000, 12, []byte{1, 2}),
	} {
		if _, err := decodeWAV(b); err == nil {
			t.Errorf("%s: decoded", name)
		}
	}
}

func TestDecodeTheCaptchaAudio(t *testing.T) {
	var b bytes.Buffer
	if _, err := captcha.NewAudio("id", []byte{1, 2, 3, 4, 5, 6}, "zh").WriteTo(&b); err != nil {
		t.Fatal(err)
	}
	p, err := decodeWAV(b.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if p.rate != 8000 || len(p.samples) < 8000 {
		t.Errorf("rate %d, %d samples", p.rate, len(p.samples))
	}
	out := p.resample(outputRate)
	if want := len(p.samples) * outputRate / 8000; len(out) != want {
		t.Errorf("resampled to %d samples, want %d", len(out), want)
	}
	if got := len(stereoFloat32(out)); got != len(out)*8 {
		t.Errorf("stereo bytes %d, want %d", got, len(out)*8)
	}
}

func TestResampleInterpolates(t *testing.T) {
	p := pcm{rate: 2, samples: []float32{0, 1}}
	got := p.resample(4)
	want := []float32{0, 0.5, 1, 1}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("resample = %v, want %v", got, want)
		}
	}
}

func FuzzDecodeWAV(f *testing.F) {
	f.Add(wavFile(1, 1, 8000, 8, []byte{1, 2, 3}))
	f.Add(wavFile(3, 2, 48000, 32, make([]byte, 16)))
	f.Add([]byte("RIFF\xff\xff\xff\xffWAVEfmt \xff\xff\xff\xff"))
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := decodeWAV(b)
		if err == nil && p.rate > 0 && p.rate < 1<<20 && len(p.samples) < 1<<16 {
			_ = p.resample(outputRate)
		}
	})
}
