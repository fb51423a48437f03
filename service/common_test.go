package service_test

import (
	"testing"

	"casreset/service"
)

func TestCommonPasswordListHasAtLeastTenThousand(t *testing.T) {
	if n := service.CommonPasswordCount(); n < 10000 {
		t.Fatalf("the embedded list has %d passwords, want at least 10000", n)
	}
}

func TestIsCommonPassword(t *testing.T) {
	tests := []struct {
		password string
		want     bool
	}{
		{"123456", true},
		{"password", true},
		{"PASSWORD", true},
		{"Sunshine", true},
		{"qwertyuiop", true},
		{"1qaz2wsx", true},
		{"password123", true},   // common word + digits
		{"Password2024!", true}, // common word + year + symbol
		{"Sunshine!!", true},
		{"iloveyou99", true},
		{"Kx7pQ2mZr9vT", false},
		{"correct-horse-battery-staple9", false},
		{"1234567890123457", false}, // no letters: nothing to strip down to
		{"9password", false},        // only trailing characters are stripped
		{"", false},
	}
	for _, tt := range tests {
		if got := service.IsCommonPassword(tt.password); got != tt.want {
			t.Errorf("IsCommonPassword(%q) = %v, want %v", tt.password, got, tt.want)
		}
	}
}
