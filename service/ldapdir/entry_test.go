package ldapdir

import (
	"strings"
	"testing"
	"time"

	"casreset/service"
)

func TestContractEnd(t *testing.T) {
	hk := hongKong()
	tests := []struct {
		value, want string
		wantErr     bool
	}{
		{"2024-08-31", "2024-08-31", false},
		{"20240831", "2024-08-31", false},
		{"20240831000000Z", "2024-08-31", false}, // 08:00 in Hong Kong
		{"20240831155959Z", "2024-08-31", false}, // 23:59:59
		{"20240831160000Z", "2024-09-01", false}, // midnight in Hong Kong
		{"20240831235959+0800", "2024-08-31", false},
		{"20240831160000.5Z", "2024-09-01", false},
		{"2024083116Z", "2024-09-01", false},
		{"202408311600Z", "2024-09-01", false},
		{"20241231230000-0500", "2025-01-01", false}, // 04:00 UTC, noon in Hong Kong
		{"2024-02-30", "", true},
		{"31/08/2024", "", true},
		{"20240831160000", "", true}, // generalizedTime needs a time zone
		{"next year", "", true},
		// Active Directory's accountExpires: AD's "end of 31/08/2024" in
		// Hong Kong is midnight starting 1 September, 2024-08-31T16:00Z.
		{"133695936000000000", "2024-08-31", false},
		{"133695936000000001", "2024-09-01", false},
		{"133695935990000000", "2024-08-31", false}, // one second earlier
		{"0", "", false},                   // never expires
		{"00000000000", "", false},         // never expires
		{"9223372036854775807", "", false}, // never expires
		{"99999999999999999999", "", true}, // out of range
		{"10000000000", "", true},          // before 1970
	}
	for _, tt := range tests {
		got, err := contractEnd(tt.value, hk)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("contractEnd(%q) = %q, %v; want %q, error %v", tt.value, got, err, tt.want, tt.wantErr)
		}
	}

	t.Run("in the organisation's time zone", func(t *testing.T) {
		got, err := contractEnd("20240831160000Z", time.UTC)
		if err != nil || got != "2024-08-31" {
			t.Fatalf("in UTC = %q, %v", got, err)
		}
	})
}

func TestMobileFilter(t *testing.T) {
	f := mobileFilter("mobile", "+85291234567")
	for _, want := range []string{
		"(mobile=+85291234567)",
		"(mobile=85291234567)",
		"(mobile=0085291234567)",
		"(mobile=91234567)",
		"(mobile=9123 4567)",
		"(mobile=9123-4567)",
		"(mobile=+852 9123 4567)",
		"(mobile=+852-9123-4567)",
		`(mobile=\28852\29 9123 4567)`, // parentheses escaped
		`(mobile=\28852\29 9123-4567)`,
		`(mobile=\28+852\29 9123 4567)`,
		"(mobile=*91234567)",
	} {
		if !strings.Contains(f, want) {
			t.Errorf("filter %s lacks %s", f, want)
		}
	}
	if !strings.HasPrefix(f, "(|") || !strings.HasSuffix(f, ")") {
		t.Errorf("filter %s is not one OR", f)
	}

	other := mobileFilter("mobile", "+447700900123")
	if strings.Contains(other, "(mobile=00900123)") || !strings.Contains(other, "(mobile=*00900123)") ||
		!strings.Contains(other, "(mobile=00447700900123)") {
		t.Errorf("filter for another country %s", other)
	}
}

// Every form the filter searches for must be one the service reads back
// as the same number, or the entry it finds would be dropped.
func TestEveryFormTheMobileFilterSearchesForNormalisesBack(t *testing.T) {
	for _, e164 := range []string{"+85291234011", "+447700900123"} {
		forms := mobileForms(e164)
		if len(forms) < 2 {
			t.Fatalf("mobileForms(%s) = %q", e164, forms)
		}
		for _, form := range forms {
			t.Run(form, func(t *testing.T) {
				if got, err := service.NormalizeMobile(form); err != nil || got != e164 {
					t.Errorf("NormalizeMobile(%q) = %q, %v; want %s", form, got, err, e164)
				}
			})
		}
	}
}
