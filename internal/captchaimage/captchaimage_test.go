package captchaimage

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dchest/captcha"
)

func TestPNGIsLargeWithDarkDigitsAndPaleClutter(t *testing.T) {
	for range 20 {
		b, err := PNG(captcha.New(), captcha.RandomDigits(6))
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		p, ok := img.(*image.Paletted)
		if !ok || p.Bounds().Dx() != Width || p.Bounds().Dy() != Height {
			t.Fatalf("a %T of %v, want a %d×%d paletted image", img, img.Bounds(), Width, Height)
		}
		if _, _, _, a := p.Palette[0].RGBA(); a != 0 {
			t.Error("the background is not transparent")
		}
		if c := contrast(p.Palette[1]); c < 7 {
			t.Errorf("digits at %.1f:1 against white, want at least 7:1", c)
		}
		for i, c := range p.Palette[2:] {
			if r := contrast(c); r > 1.6 {
				t.Errorf("circle colour %d at %.2f:1 against white, want at most 1.6:1", i+2, r)
			}
		}
	}
}

// TestTesseractReadsFewImages is the OCR attack of issue 14: 50 fresh
// images, each laid on white, made grey, blurred a little so that the
// dotted strokes join, thresholded (Otsu), doubled in size and framed in
// white, then read by tesseract as one line of digits. At most 1 in 5 may
// come out right. The test needs tesseract (Debian package tesseract-ocr)
// and fails without it.
func TestTesseractReadsFewImages(t *testing.T) {
	bin, err := exec.LookPath("tesseract")
	if err != nil {
		t.Fatalf("tesseract is needed (Debian package tesseract-ocr, installed by scripts/deps.sh): %v", err)
	}
	const images, atMost = 50, 10
	dir := t.TempDir()
	solved := 0
	for i := range images {
		digits := captcha.RandomDigits(6)
		want := ""
		for _, d := range digits {
			want += fmt.Sprint(d)
		}
		b, err := PNG(captcha.New(), digits)
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		file := filepath.Join(dir, fmt.Sprintf("%02d.png", i))
		var out bytes.Buffer
		if err := png.Encode(&out, prepare(img)); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(file, out.Bytes(), 0o600); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(bin, file, "stdout", "--psm", "7", "-c", "tessedit_char_whitelist=0123456789")
		cmd.Env = append(os.Environ(), "OMP_THREAD_LIMIT=1")
		read, err := cmd.Output()
		if err != nil {
			t.Fatalf("tesseract: %v", err)
		}
		got := strings.Join(strings.Fields(string(read)), "")
		if got == want {
			solved++
		}
		t.Logf("%s read as %q", want, got)
	}
	t.Logf("tesseract read %d of %d images", solved, images)
	if solved > atMost {
		t.Errorf("tesseract read %d of %d images, want at most %d", solved, images, atMost)
	}
}

// prepare is the OCR attacker's clean-up of img.
func prepare(img image.Image) *image.Gray {
	const blur, scale, border = 2, 2, 20
	b := img.Bounds()
	white := image.NewRGBA(b)
	draw.Draw(white, b, image.White, image.Point{}, draw.Src)
	draw.Draw(white, b, img, b.Min, draw.Over)
	gray := image.NewGray(b)
	draw.Draw(gray, b, white, b.Min, draw.Src)
	gray = boxBlur(gray, blur)
	threshold := otsu(gray)
	out := image.NewGray(image.Rect(0, 0, b.Dx()*scale+2*border, b.Dy()*scale+2*border))
	draw.Draw(out, out.Bounds(), image.White, image.Point{}, draw.Src)
	for y := range b.Dy() * scale {
		for x := range b.Dx() * scale {
			if gray.GrayAt(b.Min.X+x/scale, b.Min.Y+y/scale).Y <= threshold {
				out.SetGray(x+border, y+border, color.Gray{})
			}
		}
	}
	return out
}

// boxBlur averages each pixel with its neighbours within r.
func boxBlur(g *image.Gray, r int) *image.Gray {
	b := g.Bounds()
	out := image.NewGray(b)
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			sum, n := 0, 0
			for dy := -r; dy <= r; dy++ {
				for dx := -r; dx <= r; dx++ {
					if p := image.Pt(x+dx, y+dy); p.In(b) {
						sum += int(g.GrayAt(p.X, p.Y).Y)
						n++
					}
				}
			}
			out.SetGray(x, y, color.Gray{uint8(sum / n)})
		}
	}
	return out
}

// otsu is the grey level that best splits g's histogram in two.
func otsu(g *image.Gray) uint8 {
	var hist [256]int
	for _, v := range g.Pix {
		hist[v]++
	}
	total, sum := len(g.Pix), 0
	for v, n := range hist {
		sum += v * n
	}
	best, threshold := 0.0, 0
	sumBelow, below := 0, 0
	for v, n := range hist {
		below += n
		if below == 0 || below == total {
			continue
		}
		sumBelow += v * n
		mBelow := float64(sumBelow) / float64(below)
		mAbove := float64(sum-sumBelow) / float64(total-below)
		if between := float64(below) * float64(total-below) * (mBelow - mAbove) * (mBelow - mAbove); between > best {
			best, threshold = between, v
		}
	}
	return uint8(threshold)
}
