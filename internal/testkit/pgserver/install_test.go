package pgserver

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestMissingBinariesNameTheDebianPackage(t *testing.T) {
	_, err := findBinaries(filepath.Join(t.TempDir(), "*", "bin"))
	if err == nil {
		t.Fatal("found a server in an empty directory")
	}
	if !strings.Contains(err.Error(), `"postgresql"`) {
		t.Errorf("the error %q does not name the Debian package postgresql", err)
	}
	if !errors.Is(err, ErrNotInstalled) {
		t.Errorf("the error %q does not wrap ErrNotInstalled", err)
	}
}

func TestFindBinariesPicksTheNewestMajorVersion(t *testing.T) {
	root := t.TempDir()
	for _, version := range []string{"9", "15", "13"} {
		bin := filepath.Join(root, version, "bin")
		if err := os.MkdirAll(bin, 0o755); err != nil {
			t.Fatal(err)
		}
		for _, name := range []string{"postgres", "initdb"} {
			if err := os.WriteFile(filepath.Join(bin, name), nil, 0o755); err != nil {
				t.Fatal(err)
			}
		}
	}
	got, err := findBinaries(filepath.Join(root, "*", "bin"))
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(root, "15", "bin"); got != want {
		t.Errorf("findBinaries = %s, want %s", got, want)
	}
}
