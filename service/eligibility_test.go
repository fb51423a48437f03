package service_test

import (
	"testing"
	"time"

	"casreset/service"
)

func hongKong(t testing.TB) *time.Location {
	t.Helper()
	loc := service.DefaultConfig().Location
	if loc == nil {
		t.Fatal("the default configuration has no time zone")
	}
	return loc
}

func TestLastEligibleDay(t *testing.T) {
	tests := []struct{ end, want string }{
		{"2024-08-31", "2026-02-28"}, // clamped to February's last day
		{"2022-08-31", "2024-02-29"}, // a leap year
		{"2025-01-15", "2026-07-15"},
		{"2024-06-30", "2025-12-30"},
		{"2024-07-31", "2026-01-31"},
		{"2023-12-31", "2025-06-30"},
	}
	loc := hongKong(t)
	for _, tt := range tests {
		got, err := service.LastEligibleDay(tt.end, 18, loc)
		if err != nil {
			t.Fatalf("LastEligibleDay(%s): %v", tt.end, err)
		}
		if got.Format(service.DateLayout) != tt.want || got.Location() != loc || got.Hour() != 0 {
			t.Errorf("LastEligibleDay(%s) = %v, want %s 00:00 in Hong Kong", tt.end, got, tt.want)
		}
	}
	if _, err := service.LastEligibleDay("31/08/2024", 18, loc); err == nil {
		t.Error("a malformed date was accepted")
	}
}

// TestEligibleAroundMidnightInHongKong checks the day boundary in the
// organisation's time zone, not UTC: midnight in Hong Kong is 16:00 UTC.
func TestEligibleAroundMidnightInHongKong(t *testing.T) {
	loc := hongKong(t)
	tests := []struct {
		end     string
		lastDay string // the last eligible day in Hong Kong
		nextDay string
	}{
		{"2024-08-31", "2026-02-28", "2026-03-01"},
		{"2022-08-31", "2024-02-29", "2024-03-01"},
		{"2025-01-15", "2026-07-15", "2026-07-16"},
	}
	for _, tt := range tests {
		t.Run(tt.end, func(t *testing.T) {
			a := service.Account{StaffNumber: "1", ContractEnd: tt.end}
			next, err := time.ParseInLocation(service.DateLayout, tt.nextDay, loc)
			if err != nil {
				t.Fatal(err)
			}
			last, _ := time.ParseInLocation(service.DateLayout, tt.lastDay, loc)
			cases := []struct {
				at   time.Time
				want bool
			}{
				{last, true},                         // the last day begins
				{next.Add(-time.Second), true},       // 23:59:59 on the last day
				{next.Add(-time.Microsecond), true},  // the last instant
				{next, false},                        // midnight: refused
				{next.Add(time.Second), false},       // 00:00:01 the next day
				{next.Add(-time.Second).UTC(), true}, // the same instants given in UTC
				{next.UTC(), false},
				{next.Add(-8 * time.Hour), true}, // midnight UTC of the next day is still the last day in HK
				{next.AddDate(1, 0, 0), false},
			}
			for _, c := range cases {
				got, err := service.Eligible(a, 18, loc, c.at)
				if err != nil {
					t.Fatal(err)
				}
				if got != c.want {
					t.Errorf("Eligible at %v = %v, want %v", c.at.In(loc), got, c.want)
				}
			}
		})
	}
}

func TestEligibleWithoutEndDate(t *testing.T) {
	ok, err := service.Eligible(service.Account{StaffNumber: "1"}, 18, hongKong(t), time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC))
	if err != nil || !ok {
		t.Errorf("an account without an end date: eligible = %v, %v; want true", ok, err)
	}
}
