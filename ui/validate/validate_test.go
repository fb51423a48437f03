package validate

import (
	"errors"
	"testing"
)

func TestStaffNumber(t *testing.T) {
	tests := []struct {
		in   string
		want error
	}{
		{"", ErrEmpty},
		{"   ", ErrEmpty},
		{"12345678", nil},
		{" 12345678 ", nil},
		{"T0012345", nil},
		{"１２３４５", nil}, // full-width digits from a Chinese input method
		{"Ｔ４８２１３", nil},
		{"1234 5678", nil}, // typed in groups
		{"T-1234", nil},
		{" t48213 ", nil}, // case is the service's to fold
		{"T/1234", ErrStaffChars},
		{"陳大文", ErrStaffChars},
		{"123456789012345678901234567890123", ErrLength},
	}
	for _, tt := range tests {
		if got := StaffNumber(tt.in); !errors.Is(got, tt.want) {
			t.Errorf("StaffNumber(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestCaptchaAnswer(t *testing.T) {
	tests := []struct {
		in   string
		want error
	}{
		{"", ErrEmpty},
		{"123456", nil},
		{"１２３４５６", nil},
		{"123 456", nil},
		{"12a456", ErrNotDigits},
		{"1234567890123", ErrLength},
	}
	for _, tt := range tests {
		if got := CaptchaAnswer(tt.in); !errors.Is(got, tt.want) {
			t.Errorf("CaptchaAnswer(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestCode(t *testing.T) {
	tests := []struct {
		in   string
		want error
	}{
		{"", ErrEmpty},
		{"123456", nil},
		{" 123 456\n", nil}, // pasted from an SMS
		{"123-456", nil},
		{"１２３４５６", nil},
		{"12345", ErrLength},
		{"1234567", ErrLength},
		{"12345a", ErrNotDigits},
	}
	for _, tt := range tests {
		if got := Code(tt.in); !errors.Is(got, tt.want) {
			t.Errorf("Code(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestNormalizeCode(t *testing.T) {
	tests := map[string]string{
		" 123 456 ":    "123456",
		"123-456":      "123456",
		"１２３ ４５６":      "123456",
		"123\u3000456": "123456",
	}
	for in, want := range tests {
		if got := NormalizeCode(in); got != want {
			t.Errorf("NormalizeCode(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestContact(t *testing.T) {
	tests := []struct {
		in   string
		want error
	}{
		{"", ErrEmpty},
		{"chan.tai.man@example.edu.hk", nil},
		{"CHAN@EXAMPLE.EDU.HK", nil},
		{"9123 4567", nil},
		{"+852 9123 4567", nil},
		{"(852) 9123-4567", nil},
		{"91234", ErrContact},
		{"chan@", ErrContact},
		{"chan@localhost", ErrContact},
		{"chan tai man@example.edu.hk", ErrContact},
		{"9123 4567 ext", ErrContact},
		{"852+91234567", ErrContact},
	}
	for _, tt := range tests {
		if got := Contact(tt.in); !errors.Is(got, tt.want) {
			t.Errorf("Contact(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}
