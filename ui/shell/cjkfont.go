package shell

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"fyne.io/fyne/v2"
	"github.com/go-text/typesetting/font"
	"github.com/go-text/typesetting/fontscan"
)

type quietLogger struct{}

func (quietLogger) Printf(string, ...any) {}

// faceFiles are where the regular and bold faces of a family are.
type faceFiles struct {
	family        string
	regular, bold *fontscan.Location // bold may be nil
}

// findFaces returns where the regular and bold faces of the first of
// families that this system has are; nil when it has none of them.
func findFaces(families []string) *faceFiles {
	if len(families) == 0 {
		return nil
	}
	// The same index, in the user's cache directory, that Fyne's own
	// fallback lookup builds and reuses.
	footprints, err := fontscan.SystemFonts(quietLogger{}, "")
	if err != nil {
		return nil
	}
	for _, family := range families {
		want := font.NormalizeFamily(family)
		var reg, bld *fontscan.Footprint
		for i := range footprints {
			fp := &footprints[i]
			if fp.Family != want || fp.Aspect.Style == font.StyleItalic {
				continue
			}
			switch w := fp.Aspect.Weight; {
			case w == font.WeightNormal || (reg == nil && w > 350 && w < 500):
				reg = fp
			case w == font.WeightBold || (bld == nil && w >= 600 && w < 800):
				bld = fp
			}
		}
		if reg == nil {
			continue
		}
		f := &faceFiles{family: family, regular: &reg.Location}
		if bld != nil {
			f.bold = &bld.Location
		}
		return f
	}
	return nil
}

// FontsFound reports whether the system has a face of one of families (a
// language's Fonts), which the screens of that language are measured with.
func FontsFound(families []string) bool { return findFaces(families) != nil }

// loadFace reads the face at loc as a standalone font; nil when it
// cannot.
func loadFace(loc *fontscan.Location) fyne.Resource {
	if loc == nil {
		return nil
	}
	data, err := os.ReadFile(loc.File)
	if err != nil {
		return nil
	}
	face, err := faceFromCollection(data, int(loc.Index))
	if err != nil {
		return nil
	}
	return fyne.NewStaticResource(fmt.Sprintf("%s#%d", filepath.Base(loc.File), loc.Index), face)
}

// faceFromCollection returns face index of a font collection (.ttc) as a
// standalone OpenType file, which is what Fyne's font loader reads; a file
// that is not a collection is returned as it is. The new file has the
// face's table directory followed by copies of its tables.
func faceFromCollection(data []byte, index int) ([]byte, error) {
	be := binary.BigEndian
	if len(data) < 12 || string(data[:4]) != "ttcf" {
		if index != 0 {
			return nil, errors.New("not a font collection")
		}
		return data, nil
	}
	count := int(be.Uint32(data[8:]))
	if index < 0 || index >= count || len(data) < 12+4*count {
		return nil, fmt.Errorf("face %d of a collection of %d", index, count)
	}
	start := int(be.Uint32(data[12+4*index:]))
	if start+12 > len(data) {
		return nil, errors.New("truncated collection")
	}
	tables := int(be.Uint16(data[start+4:]))
	dirLen := 12 + 16*tables
	if start+dirLen > len(data) {
		return nil, errors.New("truncated table directory")
	}
	size := dirLen
	for i := range tables {
		rec := data[start+12+16*i:]
		off, n := int(be.Uint32(rec[8:])), int(be.Uint32(rec[12:]))
		if off < 0 || n < 0 || off+n > len(data) {
			return nil, errors.New("table outside the file")
		}
		size += (n + 3) &^ 3
	}
	out := make([]byte, dirLen, size)
	copy(out, data[start:start+dirLen])
	for i := range tables {
		rec := out[12+16*i:]
		off, n := int(be.Uint32(rec[8:])), int(be.Uint32(rec[12:]))
		be.PutUint32(rec[8:], uint32(len(out)))
		out = append(out, data[off:off+n]...)
		for len(out)%4 != 0 {
			out = append(out, 0)
		}
	}
	return out, nil
}
