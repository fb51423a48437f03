package ldapdir

import (
	"bytes"
	"testing"
)

func TestUnicodePwdIsQuotedUTF16LittleEndian(t *testing.T) {
	tests := []struct {
		name, password string
		want           []byte
	}{
		{"ascii", "Ab1", []byte{'"', 0, 'A', 0, 'b', 0, '1', 0, '"', 0}},
		// Microsoft's documented example: "newPassword" in quotes.
		{"documented example", "newPassword", []byte{
			0x22, 0, 0x6e, 0, 0x65, 0, 0x77, 0, 0x50, 0, 0x61, 0, 0x73, 0, 0x73, 0,
			0x77, 0, 0x6f, 0, 0x72, 0, 0x64, 0, 0x22, 0}},
		{"latin-1 letter", "é", []byte{'"', 0, 0xe9, 0x00, '"', 0}},
		{"chinese", "密碼", []byte{'"', 0, 0xc6, 0x5b, 0xbc, 0x78, '"', 0}},
		{"outside the BMP is a surrogate pair", "😀", []byte{'"', 0, 0x3d, 0xd8, 0x00, 0xde, '"', 0}},
		{"quotes inside stay as they are", `a"b`, []byte{'"', 0, 'a', 0, '"', 0, 'b', 0, '"', 0}},
		{"empty", "", []byte{'"', 0, '"', 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := unicodePwd(tt.password); !bytes.Equal(got, tt.want) {
				t.Errorf("unicodePwd(%q) = % x, want % x", tt.password, got, tt.want)
			}
		})
	}
}
