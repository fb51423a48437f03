package api

import (
	"strings"
	"testing"
)

func TestPassAlphabetLeavesOutLookAlikes(t *testing.T) {
	for _, r := range "0O1IL" {
		if strings.ContainsRune(PassAlphabet, r) {
			t.Errorf("the pass alphabet holds %q", r)
		}
	}
	seen := map[rune]bool{}
	for _, r := range PassAlphabet {
		if seen[r] || !(r >= '2' && r <= '9' || r >= 'A' && r <= 'Z') {
			t.Errorf("%q is repeated or not an upper-case letter or digit", r)
		}
		seen[r] = true
	}
}

func TestNormalizePass(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		ok       bool
	}{
		{"ABCD-EFGH", "ABCDEFGH", true},
		{"abcd-efgh", "ABCDEFGH", true},
		{" abcd efgh ", "ABCDEFGH", true},
		{"ABCDEFGH", "ABCDEFGH", true},
		{"2345-6789", "23456789", true},
		{"ABCD-EFG", "", false},   // too short
		{"ABCD-EFGHJ", "", false}, // too long
		{"ABCD-EFG0", "", false},  // 0 is not of the alphabet
		{"ABCD-EFGI", "", false},
		{"ABCD-EFGl", "", false}, // l reads as 1
		{"ABCD_EFGH", "", false},
		{"ＡBCD-EFGH", "", false}, // full-width
		{"", "", false},
		{strings.Repeat("-", 100) + "ABCDEFGH", "", false},
	} {
		got, ok := NormalizePass(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("NormalizePass(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestFormatPassGroupsInFours(t *testing.T) {
	if got := FormatPass("ABCDEFGH"); got != "ABCD-EFGH" {
		t.Errorf("FormatPass = %q", got)
	}
	p, ok := NormalizePass(FormatPass("WXYZ2345"))
	if !ok || p != "WXYZ2345" {
		t.Errorf("a formatted pass does not read back: %q %v", p, ok)
	}
}

// FuzzNormalizePass: whatever is typed, an accepted pass is PassLength
// characters of the alphabet, reads back the same, and its grouped form
// is accepted as itself.
func FuzzNormalizePass(f *testing.F) {
	for _, s := range []string{"ABCD-EFGH", "abcd efgh", "ABCD-EFG0", "", "----", "ＡBCD-EFGH"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, ok := NormalizePass(s)
		if !ok {
			return
		}
		if len(p) != PassLength || strings.Trim(p, PassAlphabet) != "" {
			t.Fatalf("NormalizePass(%q) = %q: not %d characters of the alphabet", s, p, PassLength)
		}
		if again, ok := NormalizePass(FormatPass(p)); !ok || again != p {
			t.Fatalf("the grouped form %q reads as %q, %v", FormatPass(p), again, ok)
		}
	})
}
