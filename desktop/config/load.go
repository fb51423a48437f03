package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
)

// Flags are the command-line settings; an empty field was not given.
type Flags struct {
	Config string // --config FILE: this file and no other
	Server string // --server URL
	CA     string // --ca FILE (relative to the working directory)
	Pin    string // --pin SHA256
	Lang   string // --lang TAG, a language of the table (assets.Languages)
	// Helpdesk is --helpdesk: the app in help-desk mode, over the
	// file's mode.
	Helpdesk bool
}

// Locations are the places the configuration file is looked for when
// --config is not given, in order; the first file that exists is read and
// the others are not.
//
//  1. beside the executable (a portable install IT copies to a share);
//  2. the machine's configuration directory: %ProgramData%\casreset on
//     Windows, /etc/casreset elsewhere;
//  3. on Linux and macOS, the user's configuration directory
//     (os.UserConfigDir()/casreset).
func Locations(goos, exeDir string, getenv func(string) string, userConfigDir string) []string {
	var out []string
	if exeDir != "" {
		out = append(out, filepath.Join(exeDir, FileName))
	}
	if goos == "windows" {
		programData := getenv("ProgramData")
		if programData == "" {
			programData = `C:\ProgramData`
		}
		// filepath.Join would use the build's separator; this list is
		// also computed for Windows in tests on Linux.
		out = append(out, programData+`\casreset\`+FileName)
		return out
	}
	out = append(out, "/etc/casreset/"+FileName)
	if userConfigDir != "" {
		out = append(out, filepath.Join(userConfigDir, "casreset", FileName))
	}
	return out
}

// DefaultLocations are the Locations of this computer and executable.
func DefaultLocations() []string {
	exeDir := ""
	if exe, err := os.Executable(); err == nil {
		if real, err := filepath.EvalSymlinks(exe); err == nil {
			exe = real
		}
		exeDir = filepath.Dir(exe)
	}
	userDir, _ := os.UserConfigDir() // none (no $HOME) is fine: skip it
	return Locations(runtime.GOOS, exeDir, os.Getenv, userDir)
}

// Load reads the configuration: the file given with --config, else the
// first of locations that exists (none is fine: every setting has a
// default), then the flags over it, then the values of policy (nil for
// none: SystemPolicy gives the computer's) over both, so that what an
// administrator enforces cannot be changed by a file or a shortcut. A
// configuration that cannot be used is an *Error listing every problem
// with its file, line and key, or its policy value.
func Load(f Flags, locations []string, policy PolicySource) (Config, error) {
	var c Config
	var problems []Problem

	path, err := find(f.Config, locations)
	if err != nil {
		problems = append(problems, *err)
	} else if path != "" {
		data, rerr := os.ReadFile(path)
		if rerr != nil {
			problems = append(problems, Problem{File: path, Message: "cannot be read: " + pathErr(rerr)})
		} else {
			var fp []Problem
			c, fp = parse(path, data)
			problems = append(problems, fp...)
		}
	}

	problems = append(problems, applyFlags(&c, f)...)
	problems = append(problems, applyPolicy(&c, policy)...)

	if c.Server == "" && len(problems) == 0 {
		// Trust settings without a server would be silently ignored by
		// the demonstration service: a sign of a half-done setup. The
		// problem is where the setting came from.
		for _, k := range []struct {
			set       bool
			file      string
			flag      string
			flagGiven bool
		}{{c.CAFile != "", "ca_file", "--ca", f.CA != ""}, {c.PinSHA256 != "", "pin_sha256", "--pin", f.Pin != ""}} {
			if !k.set {
				continue
			}
			var p Problem
			switch value := policyName(k.file); {
			case slices.Contains(c.Policy, value):
				p = Problem{Policy: policy.Name() + `\` + value, Message: fmt.Sprintf("is set but %s is not; set %s too, or neither to run the demonstration service", policyName("server"), policyName("server"))}
			case k.flagGiven:
				p = Problem{Key: k.flag, Message: "is given but no server is; give --server too"}
			default:
				p = Problem{File: c.File, Key: k.file, Message: "is set but server is not; set server too, or leave both out to run the demonstration service"}
			}
			problems = append(problems, p)
		}
	}
	if len(problems) > 0 {
		return Config{}, &Error{Problems: problems}
	}
	return c, nil
}

// find returns the configuration file to read: explicit, which must
// exist, else the first of locations that does; "" when there is none.
func find(explicit string, locations []string) (string, *Problem) {
	if explicit != "" {
		abs, err := filepath.Abs(explicit)
		if err == nil {
			explicit = abs
		}
		if _, err := os.Stat(explicit); err != nil {
			return "", &Problem{Key: "--config", Message: fmt.Sprintf("%s cannot be read: %s", explicit, pathErr(err))}
		}
		return explicit, nil
	}
	for _, p := range locations {
		_, err := os.Stat(p)
		switch {
		case err == nil:
			return p, nil
		case errors.Is(err, fs.ErrNotExist):
			continue
		default:
			// There is something, but not readable: better say so than
			// fall through to another file IT did not mean.
			return "", &Problem{File: p, Message: "cannot be read: " + pathErr(err)}
		}
	}
	return "", nil
}

// applyFlags puts the flags over the file's settings.
func applyFlags(c *Config, f Flags) []Problem {
	var problems []Problem
	bad := func(flag string, err error) {
		problems = append(problems, Problem{Key: flag, Message: err.Error()})
	}
	if f.Server != "" {
		if s, err := checkServer(f.Server); err != nil {
			bad("--server", err)
		} else {
			c.Server = s
		}
	}
	if f.CA != "" {
		path, err := filepath.Abs(f.CA)
		if err != nil {
			path = f.CA
		}
		if pem, err := readCA(path); err != nil {
			bad("--ca", err)
		} else {
			c.CAFile, c.CAPEM = path, pem
		}
	}
	if f.Pin != "" {
		if s, err := checkPin(f.Pin); err != nil {
			bad("--pin", err)
		} else {
			c.PinSHA256 = s
		}
	}
	if f.Helpdesk {
		c.Mode = ModeHelpdesk
	}
	if f.Lang != "" {
		if s, err := checkLanguage(f.Lang); err != nil {
			bad("--lang", err)
		} else {
			c.Language = s
		}
	}
	return problems
}

// pathErr is an I/O error without the path, which the message already
// names.
func pathErr(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}
