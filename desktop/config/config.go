// Package config reads the desktop app's configuration: the file IT
// deploys (TOML), the command-line flags that override it, and on Windows
// the Group Policy values that override both. It decides
// whether the app talks to the college's reset service or runs its
// embedded demonstration, and what the wizard shows about the
// organisation. Reading is strict: an unknown key, a value of the wrong
// type or a value that cannot work is an error naming the file, the line
// and the key (or the policy value), so that a typo is found on the first
// start, not by staff.
package config

import (
	"time"

	"casreset/client"
)

// FileName is the configuration file's name in every place it is looked for.
const FileName = "casreset.toml"

// The app's modes (Config.Mode).
const (
	ModeWizard   = "wizard"   // staff reset their own password
	ModeHelpdesk = "helpdesk" // IT Help operators help them
)

// Idle timeouts IT may choose.
const (
	MinIdleTimeout = time.Minute
	MaxIdleTimeout = 8 * time.Hour
)

// Config is the app's configuration. Empty fields were not configured:
// the app keeps its defaults for them.
type Config struct {
	// File is the configuration file read; empty when none was found.
	File string
	// Policy names the Group Policy values that were set, which won over
	// the file and the flags.
	Policy []string

	// Server is the reset service's https:// address. Empty means the
	// embedded demonstration service.
	Server string
	// CAFile is the PEM file of the CA that signed the service's
	// certificate (absolute), and CAPEM its contents; empty means the
	// operating system's roots.
	CAFile string
	CAPEM  []byte
	// PinSHA256 pins the service's key or its CA's (base64 SHA-256 of the
	// SubjectPublicKeyInfo; several separated by commas).
	PinSHA256 string

	// Mode is what the app is for: ModeWizard (empty too, the default)
	// on staff-room PCs, ModeHelpdesk on IT Help's workstations.
	Mode string

	// Language is a tag of the language table (assets.Languages); empty
	// follows the system.
	Language string
	// IdleTimeout ends an unfinished reset after this long without
	// activity; zero keeps the wizard's default.
	IdleTimeout time.Duration

	// Org is set when the file has an [organisation] table; its fields
	// replace all of the built-in organisation (a field left out is empty).
	Org *Organisation
	// Help is set when the file has an [it_help] table; it replaces all
	// of the built-in IT Help contacts.
	Help *ITHelp
}

// Organisation is how the wizard names the college.
type Organisation struct {
	// Name is its name in the default language (English), shown in every
	// language that has none in Names, which holds the names by language
	// tag (assets.NameIn says which name a language takes).
	Name  string
	Names map[string]string
	// Copyright is the footer line in every language that has none in
	// Copyrights, which holds the lines by language tag.
	Copyright  string
	Copyrights map[string]string
}

// ITHelp is how staff reach IT Help; any may be empty, not all.
type ITHelp struct {
	Email, Phone, Hours string
}

// Helpdesk reports whether the app runs in help-desk mode.
func (c Config) Helpdesk() bool { return c.Mode == ModeHelpdesk }

// Demo reports whether no server is configured, so that the app runs its
// embedded demonstration service.
func (c Config) Demo() bool { return c.Server == "" }

// Client is the client configuration for the configured server: the CA
// file when one is set, else the system's roots, and the pin on top.
func (c Config) Client(version string) client.Config {
	cc := client.Config{BaseURL: c.Server, PinSHA256: c.PinSHA256, Version: version}
	if len(c.CAPEM) > 0 {
		cc.CAPEM = c.CAPEM
	} else {
		cc.SystemRoots = true
	}
	return cc
}
