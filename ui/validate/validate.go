// Package validate holds the checks the wizard runs on what a person types,
// as plain func(string) error values that work as widget.Entry validators.
// It knows nothing of Fyne: errors are sentinel values (or *Violation) that
// the screens translate, so the same check reads well in every language.
package validate

import (
	"errors"
	"strings"
	"unicode"
	"unicode/utf8"

	"casreset/api"
)

// Errors returned by the field validators. Screens map each to a message.
var (
	ErrEmpty        = errors.New("empty")
	ErrNotDigits    = errors.New("not digits")
	ErrLength       = errors.New("wrong length")
	ErrStaffChars   = api.ErrStaffNumberChars
	ErrContact      = errors.New("neither a mobile number nor an e-mail address")
	ErrEmailAddress = errors.New("not an e-mail address")
)

// Field limits. The service decides what is valid; these only catch typing
// slips before a request is made.
const (
	MaxCaptchaAnswer = 12
	CodeLength       = 6
	MaxContact       = 254 // the longest e-mail address SMTP allows
	minMobileDigits  = 8   // a Hong Kong number without its country code
	maxMobileDigits  = 15  // E.164
)

// Normalize trims surrounding space and turns full-width digits and letters
// (typed with a Chinese input method left in full-width mode) into ASCII.
func Normalize(s string) string {
	s = strings.TrimSpace(s)
	return strings.Map(func(r rune) rune {
		if r >= '！' && r <= '～' { // U+FF01..U+FF5E mirror U+0021..U+007E
			return r - '！' + '!'
		}
		if r == '\u3000' { // ideographic space
			return ' '
		}
		return r
	}, s)
}

// NormalizeCode is Normalize that also drops the spaces and hyphens people
// paste along with a code ("123 456", "123-456").
func NormalizeCode(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '-' || unicode.IsSpace(r) {
			return -1
		}
		return r
	}, Normalize(s))
}

// StaffNumber checks a staff number by its one definition,
// api.ParseStaffNumber: ErrEmpty, ErrStaffChars or ErrLength. Letter case
// never makes a number invalid; it is the service's to fold.
func StaffNumber(s string) error {
	_, err := api.ParseStaffNumber(s, api.StaffNumberCaseSensitive)
	switch {
	case errors.Is(err, api.ErrStaffNumberEmpty):
		return ErrEmpty
	case errors.Is(err, api.ErrStaffNumberTooLong):
		return ErrLength
	}
	return err
}

// CaptchaAnswer accepts 1 to MaxCaptchaAnswer digits.
func CaptchaAnswer(s string) error {
	return digits(NormalizeCode(s), 1, MaxCaptchaAnswer)
}

// Code accepts exactly CodeLength digits, after NormalizeCode.
func Code(s string) error {
	return digits(NormalizeCode(s), CodeLength, CodeLength)
}

func digits(s string, minLen, maxLen int) error {
	if s == "" {
		return ErrEmpty
	}
	for _, r := range s {
		if !isASCIIDigit(r) {
			return ErrNotDigits
		}
	}
	if n := len(s); n < minLen || n > maxLen {
		return ErrLength
	}
	return nil
}

// Contact accepts what looks like an e-mail address or a mobile phone
// number (digits with optional +, spaces, hyphens and brackets). The
// service normalises and decides; this catches the obvious slips.
func Contact(s string) error {
	s = Normalize(s)
	if s == "" {
		return ErrEmpty
	}
	if utf8.RuneCountInString(s) > MaxContact {
		return ErrLength
	}
	if strings.Contains(s, "@") {
		if Email(s) != nil {
			return ErrContact
		}
		return nil
	}
	if !looksLikeMobile(s) {
		return ErrContact
	}
	return nil
}

// Email accepts local@domain.tld without spaces.
func Email(s string) error {
	s = Normalize(s)
	if s == "" {
		return ErrEmpty
	}
	local, domain, ok := strings.Cut(s, "@")
	if !ok || local == "" || domain == "" || strings.Contains(domain, "@") {
		return ErrEmailAddress
	}
	if strings.IndexFunc(s, unicode.IsSpace) >= 0 {
		return ErrEmailAddress
	}
	dot := strings.LastIndex(domain, ".")
	if dot <= 0 || dot == len(domain)-1 {
		return ErrEmailAddress
	}
	return nil
}

func looksLikeMobile(s string) bool {
	n := 0
	for i, r := range s {
		switch {
		case isASCIIDigit(r):
			n++
		case r == '+' && i == 0:
		case r == ' ' || r == '-' || r == '(' || r == ')':
		default:
			return false
		}
	}
	return n >= minMobileDigits && n <= maxMobileDigits
}

func isASCIIDigit(r rune) bool { return r >= '0' && r <= '9' }
