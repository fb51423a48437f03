package service

import (
	"fmt"
	"time"
)

// DateLayout is the layout of Account.ContractEnd.
const DateLayout = "2006-01-02"

// LastEligibleDay returns the last day on which an account whose contract
// ended on contractEnd (YYYY-MM-DD) may still reset its password: the same
// day of the month, months later, clamped to that month's last day
// (2024-08-31 plus 18 months is 2026-02-28). The result is midnight at the
// start of that day in loc.
func LastEligibleDay(contractEnd string, months int, loc *time.Location) (time.Time, error) {
	end, err := time.ParseInLocation(DateLayout, contractEnd, loc)
	if err != nil {
		return time.Time{}, fmt.Errorf("contract end date %q: %w", contractEnd, err)
	}
	// Month arithmetic on the first of the month never overflows into the
	// next month, unlike time.AddDate on the 31st.
	first := time.Date(end.Year(), end.Month()+time.Month(months), 1, 0, 0, 0, 0, loc)
	lastOfMonth := first.AddDate(0, 1, -1).Day()
	return time.Date(first.Year(), first.Month(), min(end.Day(), lastOfMonth), 0, 0, 0, 0, loc), nil
}

// Eligible reports whether account a may reset its password at now: through
// the whole of its last eligible day in loc, and refused from the next
// day's midnight. An account with no contract end date is always eligible.
func Eligible(a Account, months int, loc *time.Location, now time.Time) (bool, error) {
	if a.ContractEnd == "" {
		return true, nil
	}
	last, err := LastEligibleDay(a.ContractEnd, months, loc)
	if err != nil {
		return false, err
	}
	refusedFrom := last.AddDate(0, 0, 1)
	return now.Before(refusedFrom), nil
}
