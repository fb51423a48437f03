package wcag

import (
	"image/color"
	"math"
	"testing"
)

func TestContrast(t *testing.T) {
	for _, tc := range []struct {
		a, b color.Color
		want float64
	}{
		{color.White, color.Black, 21},
		{color.Black, color.White, 21},
		{color.White, color.White, 1},
		{color.RGBA{0x76, 0x76, 0x76, 0xff}, color.White, 4.54}, // the lightest grey for body text
		{color.RGBA{0xff, 0, 0, 0xff}, color.White, 4.0},
	} {
		if got := Contrast(tc.a, tc.b); math.Abs(got-tc.want) > 0.01 {
			t.Errorf("Contrast(%v, %v) = %.3f, want %.2f", tc.a, tc.b, got, tc.want)
		}
	}
}
