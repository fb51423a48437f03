package pgserver

import (
	"fmt"
	"net"
	"os"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
)

// debianPackage is named in every failure caused by a missing server, so
// that whoever runs the program knows what to install.
const debianPackage = "postgresql"

// ErrNotInstalled is wrapped by New's error when no PostgreSQL server is
// installed, so that callers may add how to do without one.
var ErrNotInstalled = fmt.Errorf("install the Debian package %q (apt-get install %s, or make deps)", debianPackage, debianPackage)

// debianBinaries is where Debian's postgresql packages put the server, one
// directory per major version.
const debianBinaries = "/usr/lib/postgresql/*/bin"

// findBinaries returns the bin directory of the newest PostgreSQL under
// pattern (debianBinaries).
func findBinaries(pattern string) (string, error) {
	found, _ := filepath.Glob(filepath.Join(pattern, "postgres"))
	var dirs []string
	for _, f := range found {
		if _, err := os.Stat(filepath.Join(filepath.Dir(f), "initdb")); err == nil {
			dirs = append(dirs, filepath.Dir(f))
		}
	}
	if len(dirs) == 0 {
		return "", fmt.Errorf("pgserver: no PostgreSQL server under %s: %w", pattern, ErrNotInstalled)
	}
	version := func(dir string) int {
		v, _ := strconv.Atoi(filepath.Base(filepath.Dir(dir)))
		return v
	}
	slices.SortFunc(dirs, func(a, b string) int { return version(a) - version(b) })
	return dirs[len(dirs)-1], nil
}

// serverUser returns the credentials to run the server with. PostgreSQL
// refuses to run as root, so root runs it as the postgres user that the
// Debian package creates.
func serverUser() (*credential, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		return nil, fmt.Errorf("pgserver: running as root needs the postgres user that the Debian package %q creates: %w", debianPackage, err)
	}
	uid, err := strconv.Atoi(u.Uid)
	if err != nil {
		return nil, fmt.Errorf("pgserver: postgres uid %q: %w", u.Uid, err)
	}
	gid, err := strconv.Atoi(u.Gid)
	if err != nil {
		return nil, fmt.Errorf("pgserver: postgres gid %q: %w", u.Gid, err)
	}
	return newCredential(uint32(uid), uint32(gid)), nil
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("pgserver: find a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
