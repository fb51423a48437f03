package api_test

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"casreset/api"
)

func TestParseStaffNumber(t *testing.T) {
	max := strings.Repeat("9", api.StaffNumberMaxLength)
	tests := []struct {
		name, in    string
		caseRule    api.StaffNumberCase
		want        string
		wantErr     error
		insensitive string // the result under StaffNumberCaseInsensitive, when it differs
	}{
		{name: "digits", in: "12345678", want: "12345678"},
		{name: "letters keep their case", in: "T48213", want: "T48213"},
		{name: "hyphen, as HR writes it", in: "T-1234", want: "T-1234"},
		{name: "underscore and full stop", in: "s.chan_2", want: "s.chan_2", insensitive: "S.CHAN_2"},
		{name: "surrounding space", in: " t48213 ", want: "t48213", insensitive: "T48213"},
		{name: "space typed inside", in: "1234 5678", want: "12345678"},
		{name: "tab and newline of a paste", in: "\t1234\n5678\r\n", want: "12345678"},
		{name: "no-break and ideographic spaces", in: "1234\u00a05678\u3000", want: "12345678"},
		{name: "zero-width space and byte order mark", in: "\ufeff1234\u200b5678", want: "12345678"},
		{name: "full-width letter and digits", in: "Ｔ４８２１３", want: "T48213"},
		{name: "full-width lower case", in: "ｔ４８２１３", want: "t48213", insensitive: "T48213"},
		{name: "full-width hyphen", in: "Ｔ－１２３４", want: "T-1234"},
		{name: "the longest", in: max, want: max},
		{name: "the longest, with spaces around", in: "  " + max + "  ", want: max},

		{name: "empty", in: "", wantErr: api.ErrStaffNumberEmpty},
		{name: "only spaces", in: " \u3000\t ", wantErr: api.ErrStaffNumberEmpty},
		{name: "one too long", in: max + "9", wantErr: api.ErrStaffNumberTooLong},
		{name: "slash", in: "T/1234", wantErr: api.ErrStaffNumberChars},
		{name: "filter metacharacters", in: "*)(uid=*", wantErr: api.ErrStaffNumberChars},
		{name: "markup", in: "<b>1</b>", wantErr: api.ErrStaffNumberChars},
		{name: "accented letter", in: "Té1234", wantErr: api.ErrStaffNumberChars},
		{name: "dotless i is not folded into the set", in: "ı1234", wantErr: api.ErrStaffNumberChars},
		{name: "Kelvin sign is not a K", in: "\u212a1234", wantErr: api.ErrStaffNumberChars},
		{name: "Chinese digits are not digits here", in: "一二三", wantErr: api.ErrStaffNumberChars},
		{name: "Arabic-Indic digits", in: "١٢٣", wantErr: api.ErrStaffNumberChars},
		{name: "NUL", in: "1234\x00", wantErr: api.ErrStaffNumberChars},
		{name: "invalid UTF-8", in: "12\xff34", wantErr: api.ErrStaffNumberChars},
		{name: "a long paste of the wrong thing says the characters first", in: strings.Repeat("pass word! ", 10), wantErr: api.ErrStaffNumberChars},
	}
	for _, tt := range tests {
		for _, c := range []api.StaffNumberCase{api.StaffNumberCaseSensitive, api.StaffNumberCaseInsensitive} {
			want := tt.want
			if c == api.StaffNumberCaseInsensitive && tt.insensitive != "" {
				want = tt.insensitive
			}
			t.Run(tt.name+"/"+c.String(), func(t *testing.T) {
				got, err := api.ParseStaffNumber(tt.in, c)
				if !errors.Is(err, tt.wantErr) || got != want {
					t.Fatalf("ParseStaffNumber(%q, %s) = %q, %v; want %q, %v", tt.in, c, got, err, want, tt.wantErr)
				}
			})
		}
	}
}

func TestStaffNumberCaseReadsTheSetting(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want api.StaffNumberCase
	}{
		{"sensitive", api.StaffNumberCaseSensitive},
		{"insensitive", api.StaffNumberCaseInsensitive},
		{" Insensitive ", api.StaffNumberCaseInsensitive},
	} {
		var c api.StaffNumberCase
		if err := c.UnmarshalText([]byte(tt.in)); err != nil || c != tt.want {
			t.Errorf("UnmarshalText(%q) = %q, %v; want %q", tt.in, c, err, tt.want)
		}
	}
	for _, bad := range []string{"", "upper", "case-insensitive", "true"} {
		c := api.StaffNumberCaseInsensitive
		if err := c.UnmarshalText([]byte(bad)); err == nil {
			t.Errorf("UnmarshalText(%q) was accepted as %q", bad, c)
		}
		if c != api.StaffNumberCaseInsensitive {
			t.Errorf("a refused UnmarshalText(%q) changed the setting to %q", bad, c)
		}
	}
	var zero api.StaffNumberCase
	if !zero.Valid() || zero.String() != "sensitive" {
		t.Errorf("the zero setting: valid %v, %q; want the default, sensitive", zero.Valid(), zero.String())
	}
	if api.StaffNumberCase("upper").Valid() {
		t.Error(`StaffNumberCase("upper") is valid`)
	}
}

// FuzzStaffNumber checks the properties every layer relies on: normalising
// twice changes nothing, a valid number is short, ASCII and of the set, it
// parses to itself, and the case setting changes letters only.
func FuzzStaffNumber(f *testing.F) {
	for _, s := range []string{
		"12345678", " t48213 ", "Ｔ４８２１３", "1234 5678", "T-1234", "s.chan_2",
		"", "\u3000", "\ufeff1\u200b2", "ı", "\u212a", "*)(uid=*", "12\xff34",
		strings.Repeat("9", api.StaffNumberMaxLength+1), "ｱｲｳ", "￠",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		for _, c := range []api.StaffNumberCase{api.StaffNumberCaseSensitive, api.StaffNumberCaseInsensitive} {
			n := api.NormalizeStaffNumber(in, c)
			if again := api.NormalizeStaffNumber(n, c); again != n {
				t.Fatalf("%s: normalising %q gave %q, then %q", c, in, n, again)
			}
			got, err := api.ParseStaffNumber(in, c)
			if err != nil {
				if got != "" {
					t.Fatalf("%s: ParseStaffNumber(%q) = %q with error %v", c, in, got, err)
				}
				if !errors.Is(err, api.ErrStaffNumberEmpty) && !errors.Is(err, api.ErrStaffNumberChars) && !errors.Is(err, api.ErrStaffNumberTooLong) {
					t.Fatalf("%s: ParseStaffNumber(%q): unexpected error %v", c, in, err)
				}
				continue
			}
			if got != n {
				t.Fatalf("%s: ParseStaffNumber(%q) = %q, NormalizeStaffNumber = %q", c, in, got, n)
			}
			if got == "" || len(got) > api.StaffNumberMaxLength || utf8.RuneCountInString(got) != len(got) {
				t.Fatalf("%s: valid number %q is empty, longer than %d or not ASCII", c, got, api.StaffNumberMaxLength)
			}
			if strings.Trim(got, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"+api.StaffNumberPunctuation) != "" {
				t.Fatalf("%s: valid number %q has a character outside the set", c, got)
			}
			if again, err := api.ParseStaffNumber(got, c); err != nil || again != got {
				t.Fatalf("%s: the valid number %q parses to %q, %v", c, got, again, err)
			}
			if c == api.StaffNumberCaseInsensitive && got != strings.ToUpper(got) {
				t.Fatalf("insensitive: %q has lower-case letters", got)
			}
		}
		// The setting decides the case and nothing else.
		if !strings.EqualFold(api.NormalizeStaffNumber(in, api.StaffNumberCaseSensitive), api.NormalizeStaffNumber(in, api.StaffNumberCaseInsensitive)) {
			t.Fatalf("%q: the two settings differ in more than case", in)
		}
	})
}
