// Package wcag computes the contrast of colours as WCAG 2 defines it, for
// the checks that text, controls and the CAPTCHA image can be read.
package wcag

import (
	"image/color"
	"math"
)

// Luminance is the relative luminance of c, from 0 (black) to 1 (white).
func Luminance(c color.Color) float64 {
	r, g, b, _ := c.RGBA()
	lin := func(v uint32) float64 {
		s := float64(v) / 0xffff
		if s <= 0.03928 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(r) + 0.7152*lin(g) + 0.0722*lin(b)
}

// Contrast is the contrast ratio of a and b, from 1:1 to 21:1.
func Contrast(a, b color.Color) float64 {
	la, lb := Luminance(a), Luminance(b)
	return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)
}
