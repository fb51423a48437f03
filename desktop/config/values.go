package config

import (
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"net/mail"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"casreset/assets"
)

// The checks of each kind of value, shared by the file and the flags.
// Each returns a message for a person, without the key or the place.

func checkServer(s string) (string, error) {
	s = strings.TrimSpace(s)
	u, err := url.Parse(s)
	switch {
	case s == "":
		return "", errors.New("is empty; leave it out to run the demonstration service instead")
	case err != nil:
		return "", fmt.Errorf("%q is not an address; write it as https://reset.example.edu.hk", s)
	case u.Scheme == "http":
		return "", fmt.Errorf("%q must start with https:// (plain http:// would send passwords unencrypted)", s)
	case u.Scheme != "https" || u.Host == "":
		return "", fmt.Errorf("%q must be an https:// address such as https://reset.example.edu.hk", s)
	case u.User != nil || u.RawQuery != "" || u.Fragment != "":
		return "", fmt.Errorf("%q must not hold a user name, a query (?…) or a fragment (#…)", s)
	}
	return strings.TrimRight(s, "/"), nil
}

// readCA reads a PEM file that must hold at least one certificate.
func readCA(path string) ([]byte, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, fmt.Errorf("the CA file %s cannot be read: %v", path, err)
	}
	rest := data
	for {
		var b *pem.Block
		b, rest = pem.Decode(rest)
		if b == nil {
			return nil, fmt.Errorf("the CA file %s holds no PEM certificate (-----BEGIN CERTIFICATE-----)", path)
		}
		if b.Type != "CERTIFICATE" {
			continue
		}
		if _, err := x509.ParseCertificate(b.Bytes); err != nil {
			return nil, fmt.Errorf("the CA file %s holds a certificate that cannot be read: %v", path, err)
		}
		return data, nil
	}
}

// checkPin accepts one or more base64 SHA-256 pins separated by commas,
// with or without the "sha256/" prefix, as the client does.
func checkPin(s string) (string, error) {
	n := 0
	for _, p := range strings.Split(s, ",") {
		p = strings.TrimPrefix(strings.TrimSpace(p), "sha256/")
		if p == "" {
			continue
		}
		sum, err := base64.StdEncoding.DecodeString(p)
		if err != nil || len(sum) != sha256.Size {
			return "", fmt.Errorf("%q is not a base64 SHA-256 (44 characters ending in =, as `openssl x509 -pubkey -noout | openssl pkey -pubin -outform der | openssl dgst -sha256 -binary | base64` prints)", p)
		}
		n++
	}
	if n == 0 {
		return "", errors.New("is empty; leave it out to pin nothing")
	}
	return strings.TrimSpace(s), nil
}

// checkLanguage accepts the tag of a language of the table, written as
// the table writes it.
func checkLanguage(s string) (string, error) {
	if l, ok := assets.Lookup(s); ok && l.Tag == s {
		return s, nil
	}
	return "", fmt.Errorf("%q is not a language of the app: use one of %s", s, languageList())
}

// languageList is the table's tags, quoted: "en", "zh-HK".
func languageList() string {
	var quoted []string
	for _, tag := range assets.Tags() {
		quoted = append(quoted, strconv.Quote(tag))
	}
	return strings.Join(quoted, ", ")
}

// checkMode accepts the app's modes.
func checkMode(s string) (string, error) {
	switch m := strings.TrimSpace(s); m {
	case ModeWizard, ModeHelpdesk:
		return m, nil
	}
	return "", fmt.Errorf("%q is not a mode of the app: use %q (staff reset their password) or %q (IT Help)", s, ModeWizard, ModeHelpdesk)
}

func checkIdleTimeout(s string) (time.Duration, error) {
	d, err := time.ParseDuration(strings.TrimSpace(s))
	if err != nil {
		return 0, fmt.Errorf("%q is not a duration: write it like \"5m\" or \"90s\"", s)
	}
	if d < MinIdleTimeout || d > MaxIdleTimeout {
		return 0, fmt.Errorf("%q is outside %v to %v", s, MinIdleTimeout, MaxIdleTimeout)
	}
	return d, nil
}

func checkEmail(s string) (string, error) {
	a, err := mail.ParseAddress(s)
	if err != nil || a.Name != "" || !strings.Contains(a.Address, "@") {
		return "", fmt.Errorf("%q is not an e-mail address such as ithelp@example.edu.hk", s)
	}
	return a.Address, nil
}

// checkText accepts any text that is not blank and fits on a screen.
func checkText(s string) (string, error) {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return "", errors.New("is empty; leave the key out instead")
	case len(s) > 200:
		return "", errors.New("is longer than 200 bytes")
	case strings.ContainsAny(s, "\n\r"):
		return "", errors.New("must be on one line")
	}
	return s, nil
}
