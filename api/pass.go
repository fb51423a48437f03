package api

import "strings"

// A help-desk pass is what IT Help gives a person who cannot receive a
// validation code: PassLength characters of PassAlphabet, which leaves out
// 0, O, 1, I and L so that nothing read over the phone or from a note can
// be mistaken for something else. It is shown grouped ("ABCD-EFGH") and
// accepted with or without the dash and spaces, in any case.
const (
	PassAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
	PassLength   = 8
)

// NormalizePass reads a pass as a person types it: dashes and spaces
// dropped, letters in upper case. It reports false unless the rest is
// PassLength characters of PassAlphabet.
func NormalizePass(s string) (string, bool) {
	if len(s) > 4*PassLength {
		return "", false
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '-' || r == ' ':
			continue
		case r >= 'a' && r <= 'z':
			r = r - 'a' + 'A'
		}
		if !strings.ContainsRune(PassAlphabet, r) {
			return "", false
		}
		b.WriteRune(r)
	}
	if b.Len() != PassLength {
		return "", false
	}
	return b.String(), true
}

// FormatPass groups a normalised pass in fours: "ABCDEFGH" is "ABCD-EFGH".
func FormatPass(p string) string {
	if len(p) != PassLength {
		return p
	}
	return p[:PassLength/2] + "-" + p[PassLength/2:]
}
