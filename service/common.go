package service

import (
	"bufio"
	_ "embed"
	"strings"
	"sync"
	"unicode"
)

//go:generate go run ./internal/gencommon -o common_passwords.txt

// commonPasswordList is the 30,000 most common passwords of the zxcvbn
// frequency lists, lower case, one a line; lines starting with # are comments.
//
//go:embed common_passwords.txt
var commonPasswordList string

// commonPasswords is the list as a set, built on first use.
var commonPasswords = sync.OnceValue(func() map[string]struct{} {
	set := make(map[string]struct{}, 30000)
	sc := bufio.NewScanner(strings.NewReader(commonPasswordList))
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		set[line] = struct{}{}
	}
	return set
})

// CommonPasswordCount is the number of passwords in the embedded list.
func CommonPasswordCount() int { return len(commonPasswords()) }

// IsCommonPassword reports whether password, ignoring case, is one of the
// most common passwords, or is one of them followed only by digits and
// symbols ("Sunshine2024!" is "sunshine").
//
// The second form is checked because the policy requires a digit, and the
// commonest way to satisfy such a rule is to append a number or a year to a
// common word; guessing tools try exactly that first. Only trailing
// characters are stripped, which keeps the rule simple to explain to users.
func IsCommonPassword(password string) bool {
	set := commonPasswords()
	lower := strings.ToLower(password)
	if _, ok := set[lower]; ok {
		return true
	}
	stem := strings.TrimRightFunc(lower, func(r rune) bool { return !unicode.IsLetter(r) })
	if stem == "" || stem == lower {
		return false
	}
	_, ok := set[stem]
	return ok
}
