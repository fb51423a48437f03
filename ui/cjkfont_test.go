package ui

import (
	"bytes"
	"encoding/binary"
	"testing"

	"github.com/go-text/typesetting/font"
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

// TestSystemChineseFaceIsHongKongs loads the face the Chinese screens use
// and checks Fyne's font loader reads it: it must be a Hong Kong (or
// Traditional Chinese) face that draws the wizard's characters.
func TestSystemChineseFaceIsHongKongs(t *testing.T) {
	regular, bold := findCJKFaces()
	if regular == nil {
		t.Fatal("no Hong Kong or Traditional Chinese font found; install fonts-noto-cjk (scripts/deps.sh does)")
	}
	for name, res := range map[string][]byte{"regular": regular.Content(), "bold": nil} {
		if name == "bold" {
			if bold == nil {
				continue
			}
			res = bold.Content()
		}
		face, err := font.ParseTTF(bytes.NewReader(res))
		if err != nil {
			t.Fatalf("%s face does not parse: %v", name, err)
		}
		family := face.Describe().Family
		found := false
		for _, f := range cjkFamilies {
			found = found || font.NormalizeFamily(f) == font.NormalizeFamily(family)
		}
		if !found {
			t.Errorf("%s face is %q, not one of %v", name, family, cjkFamilies)
		}
		for _, r := range "重設密碼驗證碼港" {
			if _, ok := face.NominalGlyph(r); !ok {
				t.Errorf("%s face %q has no glyph for %c", name, family, r)
			}
		}
	}
}
