package main

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"runtime"
	"strings"

	"casreset/service"
)

// envSMSHeaders holds SMS gateway headers ("Name: value", one a line), for
// credentials that must not appear in a process listing.
const envSMSHeaders = "RESETD_SMS_HEADERS"

// readSecretFile reads a file that holds a secret. Like OpenSSH with a
// private key, it refuses a file that group or others may read or write:
// the secret would be as good as shared. (Windows has no such mode bits;
// there the file's ACL is the operator's to set.)
func readSecretFile(flagName, path string) ([]byte, error) {
	info, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("--%s %s: %w", flagName, path, fs.ErrNotExist)
	}
	if err != nil {
		return nil, fmt.Errorf("--%s: %w", flagName, err)
	}
	if !info.Mode().IsRegular() {
		return nil, fmt.Errorf("--%s %s: not a regular file", flagName, path)
	}
	if perm := info.Mode().Perm(); runtime.GOOS != "windows" && perm&0o077 != 0 {
		return nil, fmt.Errorf("--%s %s: group or others may read or write it (mode %04o); "+
			"it holds a secret, so make it the service's alone: chmod 600 %s", flagName, path, perm, path)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("--%s: %w", flagName, err)
	}
	return b, nil
}

// readCodeKey reads --code-key-file: at least service.CodeKeyBytes random
// bytes in base64, as `openssl rand -base64 32` writes them. The file is
// never created here: every instance on one database needs the same key,
// and a key generated on one would silently fail codes sent by another.
func readCodeKey(path string) ([]byte, error) {
	b, err := readSecretFile("code-key-file", path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%w; create it once with\n  (umask 077; openssl rand -base64 32 > %s)\n"+
			"and give every instance of resetd the same file", err, path)
	}
	if err != nil {
		return nil, err
	}
	key, err := base64.StdEncoding.DecodeString(string(bytes.TrimSpace(b)))
	if err != nil || len(key) < service.CodeKeyBytes {
		return nil, fmt.Errorf("--code-key-file %s: must hold at least %d random bytes in base64 (openssl rand -base64 32)", path, service.CodeKeyBytes)
	}
	return key, nil
}

// headerLines splits "Name: value" lines, leaving out blank lines and
// comments (#); the SMS sender checks each line.
func headerLines(text string) []string {
	var out []string
	sc := bufio.NewScanner(strings.NewReader(text))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line != "" && !strings.HasPrefix(line, "#") {
			out = append(out, line)
		}
	}
	return out
}

// smsHeaders gathers the SMS gateway's headers: --sms-header (not for
// credentials), then --sms-header-file, then RESETD_SMS_HEADERS.
func smsHeaders(flagHeaders []string, file string, getenv func(string) string) ([]string, error) {
	out := append([]string(nil), flagHeaders...)
	if file != "" {
		b, err := readSecretFile("sms-header-file", file)
		if err != nil {
			return nil, err
		}
		out = append(out, headerLines(string(b))...)
	}
	return append(out, headerLines(getenv(envSMSHeaders))...), nil
}
