package textsafe

import "testing"

func TestPrintableKeepsTextOnly(t *testing.T) {
	for _, tc := range []struct {
		in   string
		max  int
		want string
	}{
		{"casreset/1.0 (linux)", 64, "casreset/1.0 (linux)"},
		{"a\xff\xfeb", 64, "a\uFFFDb"},
		{"a\x00b\x1bc\x7fd\r\ne", 64, "abcde"},
		{"日本語", 7, "日本"}, // 7 bytes cut into the third character
		{"abcdef", 3, "abc"},
	} {
		if got := Printable(tc.in, tc.max); got != tc.want {
			t.Errorf("Printable(%q, %d) = %q, want %q", tc.in, tc.max, got, tc.want)
		}
	}
}
