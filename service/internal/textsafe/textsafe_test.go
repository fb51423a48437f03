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

func TestEscape(t *testing.T) {
	tests := []struct{ in, want string }{
		{"casreset/1.0 (Windows NT 10.0)", "casreset/1.0 (Windows NT 10.0)"},
		{"陳大文 Chan　Tai Man", "陳大文 Chan　Tai Man"},   // ideographic space is graphic
		{"evil\u202Egpj.exe", `evil\u202Egpj.exe`}, // right-to-left override
		{"line\u2028break\u2029para", `line\u2028break\u2029para`},
		{"zero\u200Bwidth\u200Djoiner\uFEFF", `zero\u200Bwidth\u200Djoiner\uFEFF`},
		{"isolate\u2066x\u2069 mark\u200F", `isolate\u2066x\u2069 mark\u200F`},
		{"tab\tnew\nline\r\x00\x7f", `tab\u0009new\u000Aline\u000D\u0000\u007F`},
		{"private\uE000 tag\U000E0001 nonchar\uFFFE", `private\uE000 tag\U000E0001 nonchar\uFFFE`},
		{`already \u202E escaped`, `already \\u202E escaped`},
		{"bad \xff byte", "bad \uFFFD byte"},
	}
	for _, tt := range tests {
		if got := Escape(tt.in); got != tt.want {
			t.Errorf("Escape(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
