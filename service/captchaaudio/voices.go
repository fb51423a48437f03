package captchaaudio

import (
	"embed"
	"fmt"
	"io/fs"
	"maps"
	"path"
	"slices"
	"strconv"
	"strings"
	"sync"

	"casreset/internal/pcm"
)

//go:generate go run ./internal/genvoices -o voices

// voiceFiles holds the digit recordings: voices/LANG/VARIANT-DIGIT.wav,
// 8 kHz 16-bit mono, made by internal/genvoices with espeak-ng.
//
//go:embed voices
var voiceFiles embed.FS

// voice is one speaker's ten digits.
type voice struct {
	lang   string // "yue"
	name   string // "yue/f2"
	digits [10][]float32
}

// library is every language's voices, read once.
var library = sync.OnceValues(func() (map[string][]voice, error) { return loadVoices(voiceFiles) })

// loadVoices reads the recordings of fsys and checks that each language
// has all ten digits in every voice.
func loadVoices(fsys fs.FS) (map[string][]voice, error) {
	files, err := fs.Glob(fsys, "voices/*/*.wav")
	if err != nil {
		return nil, err
	}
	byName := map[string]*voice{}
	for _, file := range files {
		lang := path.Base(path.Dir(file))
		variant, digit, ok := strings.Cut(strings.TrimSuffix(path.Base(file), ".wav"), "-")
		d, err := strconv.Atoi(digit)
		if !ok || err != nil || d < 0 || d > 9 {
			return nil, fmt.Errorf("captchaaudio: %s is not named VARIANT-DIGIT.wav", file)
		}
		b, err := fs.ReadFile(fsys, file)
		if err != nil {
			return nil, err
		}
		s, err := pcm.Decode(b)
		if err != nil {
			return nil, fmt.Errorf("captchaaudio: %s: %w", file, err)
		}
		if s.Rate != Rate || len(s.Samples) == 0 {
			return nil, fmt.Errorf("captchaaudio: %s: %d samples at %d Hz, want %d Hz", file, len(s.Samples), s.Rate, Rate)
		}
		name := lang + "/" + variant
		if byName[name] == nil {
			byName[name] = &voice{lang: lang, name: name}
		}
		byName[name].digits[d] = s.Samples
	}
	out := map[string][]voice{}
	for _, name := range slices.Sorted(maps.Keys(byName)) {
		v := byName[name]
		for d, s := range v.digits {
			if s == nil {
				return nil, fmt.Errorf("captchaaudio: voice %s has no digit %d", name, d)
			}
		}
		out[v.lang] = append(out[v.lang], *v)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("captchaaudio: no recordings")
	}
	return out, nil
}
