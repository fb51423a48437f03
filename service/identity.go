package service

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// ContainsIdentity reports whether password, ignoring case, contains the
// account's staff number or a part of its name of at least minLetters
// letters. Name parts are the runs of letters in the name, so
// "CHAN, Tai-man Peter" gives "chan", "tai", "man" and "peter", of which
// only "chan" and "peter" count with minLetters 4.
func ContainsIdentity(password string, a Account, minLetters int) bool {
	lower := strings.ToLower(password)
	if staff := strings.ToLower(strings.TrimSpace(a.StaffNumber)); staff != "" && strings.Contains(lower, staff) {
		return true
	}
	parts := strings.FieldsFunc(a.Name, func(r rune) bool { return !unicode.IsLetter(r) })
	for _, part := range parts {
		if utf8.RuneCountInString(part) < max(minLetters, 1) {
			continue
		}
		if strings.Contains(lower, strings.ToLower(part)) {
			return true
		}
	}
	return false
}
