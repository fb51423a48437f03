package api

import (
	"errors"
	"fmt"
	"strings"
	"unicode"

	"golang.org/x/text/width"
)

// The staff / teacher number: the one definition that the wizard, the
// keyring, the service, the account import and the directory look-ups all
// apply, so that a number accepted in one place is accepted in every other.
//
// A staff number is 1 to StaffNumberMaxLength characters, each an ASCII
// letter, an ASCII digit or one of StaffNumberPunctuation ("T-1234",
// "12345678", "t.chan_2"). What people type is normalised first (see
// NormalizeStaffNumber), so " Ｔ４８２１３ " and "1234 5678" are numbers too.

// StaffNumberMaxLength is the longest staff number, in characters.
const StaffNumberMaxLength = 32

// StaffNumberPunctuation are the characters besides ASCII letters and
// digits that a staff number may hold: HR systems and directories write
// numbers such as "T-1234", "2024_0001" or "S.1234".
const StaffNumberPunctuation = "-_."

// Why a staff number is refused. The wizard shows each as its own message.
var (
	ErrStaffNumberEmpty   = errors.New("api: no staff number")
	ErrStaffNumberChars   = fmt.Errorf("api: a staff number has only letters, digits and the characters %q", StaffNumberPunctuation)
	ErrStaffNumberTooLong = fmt.Errorf("api: a staff number has at most %d characters", StaffNumberMaxLength)
)

// StaffNumberCase says whether a college's staff numbers tell upper from
// lower case. It is a setting of the service (resetd --staff-number-case).
type StaffNumberCase string

const (
	// StaffNumberCaseSensitive keeps letters as typed: "t48213" and
	// "T48213" are two numbers. It is the default, and matches the
	// service's database, which compares numbers exactly. (An LDAP
	// directory compares with its attribute's own matching rule;
	// employeeNumber's is case-insensitive.) The wizard and the keyring,
	// which do not know the service's setting, always keep the case and
	// leave folding to the service.
	StaffNumberCaseSensitive StaffNumberCase = "sensitive"
	// StaffNumberCaseInsensitive turns ASCII letters to upper case, so
	// " t48213 " finds the account imported as "T48213".
	StaffNumberCaseInsensitive StaffNumberCase = "insensitive"
)

// Valid reports whether c is a known setting; empty counts as the default.
func (c StaffNumberCase) Valid() bool {
	return c == "" || c == StaffNumberCaseSensitive || c == StaffNumberCaseInsensitive
}

// String is the setting's name; empty is the default, "sensitive".
func (c StaffNumberCase) String() string {
	if c == "" {
		return string(StaffNumberCaseSensitive)
	}
	return string(c)
}

// MarshalText and UnmarshalText let flags and configuration files carry
// the setting ("sensitive" or "insensitive").
func (c StaffNumberCase) MarshalText() ([]byte, error) { return []byte(c.String()), nil }

// UnmarshalText reads "sensitive" or "insensitive", in any case.
func (c *StaffNumberCase) UnmarshalText(b []byte) error {
	v := StaffNumberCase(strings.ToLower(strings.TrimSpace(string(b))))
	if v == "" || !v.Valid() {
		return fmt.Errorf("staff number case %q: want %s or %s", b, StaffNumberCaseSensitive, StaffNumberCaseInsensitive)
	}
	*c = v
	return nil
}

// NormalizeStaffNumber returns s as every layer compares it:
//   - full-width letters, digits and punctuation (typed with a Chinese input
//     method left in full-width mode) become ASCII: "Ｔ４８２１３" is "T48213";
//   - white space is dropped wherever it is, so surrounding space and the
//     spaces people type in groups go ("1234 5678" is "12345678"), and so
//     are invisible format characters that come along with a paste
//     (zero-width space, byte order mark, direction marks);
//   - with StaffNumberCaseInsensitive, ASCII letters become upper case.
//
// Nothing else changes: a character outside the staff-number set stays, for
// ParseStaffNumber to refuse. NormalizeStaffNumber is idempotent.
func NormalizeStaffNumber(s string, c StaffNumberCase) string {
	return strings.Map(func(r rune) rune {
		if folded := width.LookupRune(r).Folded(); folded != 0 {
			r = folded
		}
		switch {
		case unicode.IsSpace(r) || unicode.Is(unicode.Cf, r):
			return -1
		case c == StaffNumberCaseInsensitive && r >= 'a' && r <= 'z':
			// ASCII only: unicode.ToUpper would turn "ı" (dotless i) or
			// the Kelvin sign into letters of the set.
			return r - 'a' + 'A'
		}
		return r
	}, s)
}

// ParseStaffNumber normalises s (NormalizeStaffNumber) and checks the
// result: ErrStaffNumberEmpty, ErrStaffNumberChars or ErrStaffNumberTooLong,
// in that order. On success it returns the normalised number.
func ParseStaffNumber(s string, c StaffNumberCase) (string, error) {
	n := NormalizeStaffNumber(s, c)
	if n == "" {
		return "", ErrStaffNumberEmpty
	}
	for _, r := range n {
		if !isStaffNumberChar(r) {
			return "", ErrStaffNumberChars
		}
	}
	if len(n) > StaffNumberMaxLength { // ASCII only by now: bytes are characters
		return "", ErrStaffNumberTooLong
	}
	return n, nil
}

func isStaffNumberChar(r rune) bool {
	return r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' ||
		strings.ContainsRune(StaffNumberPunctuation, r)
}
