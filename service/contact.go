package service

import (
	"errors"
	"strings"
	"unicode"
)

// Hong Kong, the default country of mobile numbers without one.
const (
	hkCountryCode = "852"
	hkDigits      = 8 // subscriber digits
)

// E.164 allows at most 15 digits after the +; fewer than 8 is no real
// mobile number anywhere.
const (
	e164MinDigits = 8
	e164MaxDigits = 15
)

// Limits of RFC 5321 on an address and its local part.
const (
	maxEmailLength = 254
	maxLocalLength = 64
)

// ErrInvalidMobile and ErrInvalidEmail are returned for contacts that cannot
// be normalised.
var (
	ErrInvalidMobile = errors.New("not a mobile number")
	ErrInvalidEmail  = errors.New("not an e-mail address")
)

// NormalizeMobile turns a mobile number as people write it into E.164.
// Spaces, dashes, dots and parentheses are ignored; a plus may come only
// before the first digit. "+852 9123 4567", "(+852) 9123 4567",
// "00852 9123 4567", "852-9123-4567" and "9123 4567" all give
// "+85291234567"; a number with another country code ("+44 7700 900123",
// "0044…") keeps it. Anything else is ErrInvalidMobile.
func NormalizeMobile(s string) (string, error) {
	var b strings.Builder
	for _, r := range strings.TrimSpace(s) {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == '+' && b.Len() == 0:
			// Before any digit, also inside a parenthesis: "(+852) …".
			b.WriteRune(r)
		case unicode.IsSpace(r), r == '-', r == '.', r == '(', r == ')':
		default:
			return "", ErrInvalidMobile
		}
	}
	n := b.String()
	international := false
	switch {
	case strings.HasPrefix(n, "+"):
		n, international = n[1:], true
	case strings.HasPrefix(n, "00"):
		n, international = n[2:], true
	}
	switch {
	case !international && len(n) == hkDigits:
		n = hkCountryCode + n
	case !international && len(n) == len(hkCountryCode)+hkDigits && strings.HasPrefix(n, hkCountryCode):
	case international:
	default:
		return "", ErrInvalidMobile
	}
	if strings.HasPrefix(n, hkCountryCode) && (len(n) != len(hkCountryCode)+hkDigits || n[len(hkCountryCode)] == '0') {
		return "", ErrInvalidMobile
	}
	if len(n) < e164MinDigits || len(n) > e164MaxDigits || n[0] == '0' {
		return "", ErrInvalidMobile
	}
	return "+" + n, nil
}

// EmailKey is the form in which the stores match e-mail addresses. It is
// folded here, not with SQL lower(), which differs between databases
// (SQLite folds ASCII letters only, PostgreSQL follows its locale), so that
// every store finds an address the same way.
func EmailKey(email string) string { return strings.ToLower(email) }

// NormalizeEmail trims and lower-cases an e-mail address and checks its
// basic syntax: one @, a local part of printable ASCII without the
// characters that need quoting, and a domain of at least two dot-separated
// labels of letters, digits and hyphens. Quoted local parts and
// internationalised addresses are refused; staff addresses do not use them.
func NormalizeEmail(s string) (string, error) {
	addr := EmailKey(strings.TrimSpace(s))
	local, domain, ok := strings.Cut(addr, "@")
	if !ok || len(addr) > maxEmailLength || len(local) == 0 || len(local) > maxLocalLength {
		return "", ErrInvalidEmail
	}
	if !validLocal(local) || !validDomain(domain) {
		return "", ErrInvalidEmail
	}
	return addr, nil
}

func validLocal(local string) bool {
	if strings.HasPrefix(local, ".") || strings.HasSuffix(local, ".") || strings.Contains(local, "..") {
		return false
	}
	for _, r := range local {
		if r <= ' ' || r > '~' || strings.ContainsRune(`"(),:;<>@[\]`, r) {
			return false
		}
	}
	return true
}

func validDomain(domain string) bool {
	labels := strings.Split(domain, ".")
	if len(labels) < 2 {
		return false
	}
	for _, l := range labels {
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
		for _, r := range l {
			if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
				return false
			}
		}
	}
	return true
}

// MaskMobile shows enough of an E.164 number for its owner to recognise it:
// a Hong Kong number "+85291234534" becomes "9*** **34" (the country code
// left out, as people write local numbers); another country's keeps its
// first two digits after the + and its last two.
func MaskMobile(e164 string) string {
	digits := strings.TrimPrefix(e164, "+")
	if len(digits) == len(hkCountryCode)+hkDigits && strings.HasPrefix(digits, hkCountryCode) {
		local := digits[len(hkCountryCode):]
		return local[:1] + "*** **" + local[hkDigits-2:]
	}
	if len(digits) < e164MinDigits {
		return "****"
	}
	return "+" + digits[:2] + strings.Repeat("*", len(digits)-4) + digits[len(digits)-2:]
}

// MaskEmail keeps the first character of the local part and the whole
// domain: "chan.tai.man@example.edu.hk" becomes "c****@example.edu.hk". The
// number of stars is fixed so that it does not tell the local part's length.
func MaskEmail(addr string) string {
	local, domain, ok := strings.Cut(addr, "@")
	if !ok || local == "" || domain == "" {
		return "****"
	}
	first := []rune(local)[0]
	return string(first) + "****@" + domain
}
