package pcm

import (
	"math"
	"testing"
)

func TestEncodeDecodeRoundTrip(t *testing.T) {
	in := Sound{Rate: 8000, Samples: []float32{0, 0.5, -0.5, 1, -1, 0.25, 2, -2, 0.001}}
	for _, tc := range []struct {
		name   string
		encode func(Sound) []byte
		step   float64
	}{
		{"8-bit", Encode8, 1.0 / 127},
		{"16-bit", Encode16, 1.0 / 32767},
	} {
		out, err := Decode(tc.encode(in))
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if out.Rate != in.Rate || len(out.Samples) != len(in.Samples) {
			t.Fatalf("%s: %d samples at %d Hz", tc.name, len(out.Samples), out.Rate)
		}
		for i, v := range in.Samples {
			want := math.Max(-1, math.Min(1, float64(v))) // clipped
			if math.Abs(float64(out.Samples[i])-want) > tc.step {
				t.Errorf("%s: sample %d = %v, want %v", tc.name, i, out.Samples[i], want)
			}
		}
	}
}

func TestEncode8PadsAnOddLength(t *testing.T) {
	b := Encode8(Sound{Rate: 8000, Samples: make([]float32, 3)})
	if len(b) != 44+4 || b[4] != 40 {
		t.Errorf("%d bytes, RIFF size %d; want 48 and 40", len(b), b[4])
	}
}

func TestDecodeRefusesWhatItCannotRead(t *testing.T) {
	stereo := Encode16(Sound{Rate: 8000, Samples: make([]float32, 4)})
	stereo[22] = 2
	float := Encode16(Sound{Rate: 8000, Samples: make([]float32, 4)})
	float[20] = 3
	for name, b := range map[string][]byte{
		"empty":  nil,
		"ID3":    []byte("ID3\x04\x00\x00\x00\x00\x00\x00\x00\x00"),
		"stereo": stereo,
		"float":  float,
	} {
		if _, err := Decode(b); err == nil {
			t.Errorf("%s: decoded", name)
		}
	}
}
