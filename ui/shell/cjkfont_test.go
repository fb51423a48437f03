package shell

import (
	"bytes"
	"encoding/binary"
	"testing"
	"unicode"

	"github.com/go-text/typesetting/font"
	"github.com/go-text/typesetting/fontscan"

	"casreset/assets"
)

// collection builds a font collection of faces, each a table directory
// with the given tables (tag → data).
func collection(faces ...map[string]string) []byte {
	be := binary.BigEndian
	var dirs [][]byte
	var tables bytes.Buffer
	headerLen := 12 + 4*len(faces)
	dirsLen := 0
	for _, f := range faces {
		dirsLen += 12 + 16*len(f)
	}
	for _, f := range faces {
		d := make([]byte, 12+16*len(f))
		copy(d, "OTTO")
		be.PutUint16(d[4:], uint16(len(f)))
		i := 0
		for _, tag := range []string{"cmap", "head", "name"} {
			data, ok := f[tag]
			if !ok {
				continue
			}
			rec := d[12+16*i:]
			copy(rec, tag)
			be.PutUint32(rec[8:], uint32(headerLen+dirsLen+tables.Len()))
			be.PutUint32(rec[12:], uint32(len(data)))
			tables.WriteString(data)
			i++
		}
		dirs = append(dirs, d)
	}
	out := make([]byte, headerLen)
	copy(out, "ttcf")
	be.PutUint32(out[4:], 0x00010000)
	be.PutUint32(out[8:], uint32(len(faces)))
	off := headerLen
	for i, d := range dirs {
		be.PutUint32(out[12+4*i:], uint32(off))
		off += len(d)
	}
	for _, d := range dirs {
		out = append(out, d...)
	}
	return append(out, tables.Bytes()...)
}

func TestFaceFromCollection(t *testing.T) {
	ttc := collection(
		map[string]string{"cmap": "first-cmap", "name": "first"},
		map[string]string{"cmap": "second-cmap", "head": "hd", "name": "second-name"},
	)
	be := binary.BigEndian
	for i, want := range []map[string]string{
		{"cmap": "first-cmap", "name": "first"},
		{"cmap": "second-cmap", "head": "hd", "name": "second-name"},
	} {
		face, err := faceFromCollection(ttc, i)
		if err != nil {
			t.Fatalf("face %d: %v", i, err)
		}
		if string(face[:4]) != "OTTO" || int(be.Uint16(face[4:])) != len(want) {
			t.Fatalf("face %d: header %q with %d tables", i, face[:4], be.Uint16(face[4:]))
		}
		for j := range len(want) {
			rec := face[12+16*j:]
			tag := string(rec[:4])
			off, n := be.Uint32(rec[8:]), be.Uint32(rec[12:])
			if off%4 != 0 {
				t.Errorf("face %d table %s at unaligned offset %d", i, tag, off)
			}
			if got := string(face[off : off+n]); got != want[tag] {
				t.Errorf("face %d table %s = %q, want %q", i, tag, got, want[tag])
			}
		}
	}
	if _, err := faceFromCollection(ttc, 2); err == nil {
		t.Error("a face beyond the collection was returned")
	}
	if _, err := faceFromCollection(ttc[:40], 1); err == nil {
		t.Error("a truncated collection was accepted")
	}
	single := []byte("OTTO\x00\x00rest of a font")
	if got, err := faceFromCollection(single, 0); err != nil || !bytes.Equal(got, single) {
		t.Error("a single font is not returned as it is")
	}
}

// TestEachLanguageIsDrawnInItsFonts loads the faces each language of the
// table is drawn with and checks that Fyne's font loader reads them: they
// must be of the first of the language's fonts that the system has (Hong
// Kong forms for zh-HK, mainland ones for zh-Hans), and draw every
// character of the language's texts.
func TestEachLanguageIsDrawnInItsFonts(t *testing.T) {
	footprints, err := fontscan.SystemFonts(quietLogger{}, "")
	if err != nil {
		t.Fatal(err)
	}
	onSystem := map[string]bool{}
	for _, fp := range footprints {
		onSystem[fp.Family] = true
	}
	for _, l := range assets.Languages() {
		if len(l.Fonts) == 0 {
			continue
		}
		files := findFaces(l.Fonts)
		if files == nil {
			t.Errorf("no font for %s (%v); install fonts-noto-cjk (scripts/deps.sh does)", l.Tag, l.Fonts)
			continue
		}
		for _, f := range l.Fonts {
			if onSystem[font.NormalizeFamily(f)] {
				if f != files.family {
					t.Errorf("%s is drawn in %q, though the system has %q, which comes first", l.Tag, files.family, f)
				}
				break
			}
		}
		texts, err := l.Translations()
		if err != nil {
			t.Fatal(err)
		}
		help, err := l.Help()
		if err != nil {
			t.Fatal(err)
		}
		for name, loc := range map[string]*fontscan.Location{"regular": files.regular, "bold": files.bold} {
			if loc == nil {
				continue
			}
			res := loadFace(loc)
			if res == nil {
				t.Errorf("%s: the %s face of %q cannot be read", l.Tag, name, files.family)
				continue
			}
			face, err := font.ParseTTF(bytes.NewReader(res.Content()))
			if err != nil {
				t.Fatalf("%s: the %s face does not parse: %v", l.Tag, name, err)
			}
			if got := face.Describe().Family; font.NormalizeFamily(got) != font.NormalizeFamily(files.family) {
				t.Errorf("%s: the %s face is of %q, not %q", l.Tag, name, got, files.family)
			}
			missing := map[rune]bool{}
			for _, r := range string(texts) + string(help) {
				if _, ok := face.NominalGlyph(r); !ok && r > unicode.MaxASCII && !missing[r] {
					missing[r] = true
					t.Errorf("%s: the %s face %q has no glyph for %c", l.Tag, name, files.family, r)
				}
			}
		}
	}
}
