package main

import (
	"errors"
	"fmt"
	"runtime"
)

// version is set at build time (-ldflags "-X main.version=…").
var version = "dev"

// errShowVersion is what parseFlags returns for --version: main prints
// versionString and exits without opening a window.
var errShowVersion = errors.New("show version")

// versionString names the release, the Go toolchain that built it (so that
// IT can tell whether a build carries a fixed standard library) and the
// platform.
func versionString() string {
	return fmt.Sprintf("casreset %s (%s, %s/%s)", version, runtime.Version(), runtime.GOOS, runtime.GOARCH)
}
