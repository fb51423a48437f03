// Package captchaimage draws the CAPTCHA image: dchest/captcha's digits of
// dots, wave distortion and strike-through line, drawn large, with the
// digits darkened and the scattered circles faded into the background.
//
// dchest/captcha's dotted, skewed digits are what defeat OCR (tesseract
// reads hardly any, see the test); its size and colours are what people
// found hard. At 300×120 its digits are 54 pixels tall rather than 36 at
// 240×80; the digits' colour is at least 7:1 against white, and the
// circles, drawn in random shades of it, are faded to pale tints so that
// they cannot be taken for strokes. The service draws the image; the
// wizard shows it at this size (and its preview draws a sample).
package captchaimage

import (
	"bytes"
	"image/color"
	"image/png"
	"math"

	"github.com/dchest/captcha"

	"casreset/internal/wcag"
)

// Size of the image in pixels.
const (
	Width  = 300
	Height = 120
)

// Contrast against white, as WCAG 2 defines it.
const (
	digitContrast   = 7.0 // at least
	clutterContrast = 1.6 // at most
)

// PNG draws digits (each 0-9) as a PNG with a transparent background. The
// drawing is random, seeded by dchest/captcha from id, the digits and a key
// of its own drawn at start: one id draws the same image until restart.
func PNG(id string, digits []byte) ([]byte, error) {
	img := captcha.NewImage(id, digits, Width, Height)
	recolour(img.Palette)
	var buf bytes.Buffer
	if err := png.Encode(&buf, img.Paletted); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// recolour darkens the digits' colour (palette entry 1, also the line's)
// and fades the circles' (the entries after it). Entry 0 is the
// transparent background.
func recolour(p color.Palette) {
	for i := 1; i < len(p); i++ {
		c := color.RGBAModel.Convert(p[i]).(color.RGBA)
		if i == 1 {
			p[i] = towards(c, color.RGBA{A: 0xff}, func(c color.RGBA) bool { return contrast(c) >= digitContrast })
		} else {
			p[i] = towards(c, color.RGBA{0xff, 0xff, 0xff, 0xff}, func(c color.RGBA) bool { return contrast(c) <= clutterContrast })
		}
	}
}

// towards mixes c with target in steps of 5 % until good(c) holds.
func towards(c, target color.RGBA, good func(color.RGBA) bool) color.RGBA {
	mix := func(a, b uint8, f float64) uint8 { return uint8(math.Round(float64(a) + (float64(b)-float64(a))*f)) }
	out := c
	for f := 0.0; f <= 1 && !good(out); f += 0.05 {
		out = color.RGBA{mix(c.R, target.R, f), mix(c.G, target.G, f), mix(c.B, target.B, f), 0xff}
	}
	return out
}

// contrast is c's contrast ratio against white.
func contrast(c color.Color) float64 { return wcag.Contrast(c, color.White) }
