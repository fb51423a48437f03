package service_test

import (
	"errors"
	"testing"

	"casreset/service"
)

func TestNormalizeMobile(t *testing.T) {
	tests := []struct{ in, want string }{
		{"91234567", "+85291234567"},
		{"9123 4567", "+85291234567"},
		{"9123-4567", "+85291234567"},
		{"9123.4567", "+85291234567"},
		{" (852) 9123 4567 ", "+85291234567"},
		{"852 9123 4567", "+85291234567"},
		{"+852 9123 4567", "+85291234567"},
		{"+852-9123-4567", "+85291234567"},
		{"(+852) 9123 4011", "+85291234011"},
		{"(852) 9123-4011", "+85291234011"},
		{"+852-9123-4011", "+85291234011"},
		{"+(852) 9123 4011", "+85291234011"},
		{"00852 91234567", "+85291234567"},
		{"+44 7700 900123", "+447700900123"},
		{"0044 7700 900123", "+447700900123"},
		{"+86 139 1234 5678", "+8613912345678"},
		{"+1 (415) 555-0100", "+14155550100"},
	}
	for _, tt := range tests {
		got, err := service.NormalizeMobile(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("NormalizeMobile(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
	for _, bad := range []string{
		"", "abc", "9123456", "912345678", "+852 9123 456", "+852 9123 45678", "852912345",
		"+85201234567", "9123 4567 ext 1", "++85291234567", "+0123456789", "+1234567",
		"+1234567890123456", "9123_4567", "91234567+", "(852) +9123 4011", "(+)852 9123 4011 +",
	} {
		if got, err := service.NormalizeMobile(bad); !errors.Is(err, service.ErrInvalidMobile) {
			t.Errorf("NormalizeMobile(%q) = %q, %v; want ErrInvalidMobile", bad, got, err)
		}
	}
}

func TestNormalizeEmail(t *testing.T) {
	tests := []struct{ in, want string }{
		{"chan.tai.man@example.edu.hk", "chan.tai.man@example.edu.hk"},
		{"  Chan.Tai.Man@Example.EDU.hk ", "chan.tai.man@example.edu.hk"},
		{"a+tag@sub.example.com", "a+tag@sub.example.com"},
		{"o'brien@example.ie", "o'brien@example.ie"},
	}
	for _, tt := range tests {
		got, err := service.NormalizeEmail(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("NormalizeEmail(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
	for _, bad := range []string{
		"", "chan", "@example.com", "chan@", "chan@localhost", "chan@@example.com", "chan@exa mple.com",
		"chan tai@example.com", ".chan@example.com", "chan.@example.com", "ch..an@example.com",
		"chan@-example.com", "chan@example..com", "chan@example.com.", "<chan@example.com>",
		"Chan <chan@example.com>", "陳@example.com", "chan@例子.香港",
	} {
		if got, err := service.NormalizeEmail(bad); !errors.Is(err, service.ErrInvalidEmail) {
			t.Errorf("NormalizeEmail(%q) = %q, %v; want ErrInvalidEmail", bad, got, err)
		}
	}
}

func TestMaskMobile(t *testing.T) {
	tests := []struct{ in, want string }{
		{"+85291234534", "9*** **34"},
		{"+85261234567", "6*** **67"},
		{"+447700900123", "+44********23"},
		{"", "****"},
		{"123", "****"},
	}
	for _, tt := range tests {
		if got := service.MaskMobile(tt.in); got != tt.want {
			t.Errorf("MaskMobile(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestMaskEmail(t *testing.T) {
	tests := []struct{ in, want string }{
		{"chan.tai.man@example.edu.hk", "c****@example.edu.hk"},
		{"c@example.edu.hk", "c****@example.edu.hk"},
		{"wong@example.com", "w****@example.com"},
		{"", "****"},
		{"no-at-sign", "****"},
	}
	for _, tt := range tests {
		if got := service.MaskEmail(tt.in); got != tt.want {
			t.Errorf("MaskEmail(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
