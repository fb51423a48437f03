package accounts_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"casreset/api"
	"casreset/service"
	"casreset/service/accounts"
)

const header = "staff_number,name,mobile,email,contract_end_date\n"

func TestParseCSVNormalisesContacts(t *testing.T) {
	in := "\uFEFF" + header +
		"12345678,CHAN Tai Man,9123 4534,Chan.Tai.Man@Example.EDU.hk,2024-08-31\n" +
		"T0001, LEE Ka Yan ,+44 7700 900123,,\r\n" +
		"\n" + // blank lines are skipped
		"T0002,\"HO, Wai\",,ho.wai@example.edu.hk,\n"
	got, err := accounts.ParseCSV(strings.NewReader(in), api.StaffNumberCaseSensitive)
	if err != nil {
		t.Fatal(err)
	}
	want := []service.Account{
		{StaffNumber: "12345678", Name: "CHAN Tai Man", Mobile: "+85291234534", Email: "chan.tai.man@example.edu.hk", ContractEnd: "2024-08-31"},
		{StaffNumber: "T0001", Name: "LEE Ka Yan", Mobile: "+447700900123"},
		{StaffNumber: "T0002", Name: "HO, Wai", Email: "ho.wai@example.edu.hk"},
	}
	if !slices.Equal(got, want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
}

// TestParseCSVNormalisesStaffNumbers checks that an import keeps each
// number as step 1 will look it up, so that every imported account can
// start a reset.
func TestParseCSVNormalisesStaffNumbers(t *testing.T) {
	in := header +
		"T-1234,TAM Ka Ho,,tam@example.edu.hk,\n" +
		"Ｔ４８２１３,YIP Wing,,yip@example.edu.hk,\n" +
		"1234 5678,CHAN Tai Man,,chan@example.edu.hk,\n" +
		"s.chan_2,CHAN Siu,,siu@example.edu.hk,\n"
	for _, tt := range []struct {
		caseRule api.StaffNumberCase
		want     []string
	}{
		{api.StaffNumberCaseSensitive, []string{"T-1234", "T48213", "12345678", "s.chan_2"}},
		{api.StaffNumberCaseInsensitive, []string{"T-1234", "T48213", "12345678", "S.CHAN_2"}},
	} {
		got, err := accounts.ParseCSV(strings.NewReader(in), tt.caseRule)
		if err != nil {
			t.Fatalf("%s: %v", tt.caseRule, err)
		}
		var numbers []string
		for _, a := range got {
			numbers = append(numbers, a.StaffNumber)
		}
		if !slices.Equal(numbers, tt.want) {
			t.Errorf("%s: staff numbers %q, want %q", tt.caseRule, numbers, tt.want)
		}
	}

	// Two spellings of one number are one account twice.
	twice := header + "T48213,YIP Wing,,yip@example.edu.hk,\nt48213,Yip Wing,,yip@example.edu.hk,\n"
	_, err := accounts.ParseCSV(strings.NewReader(twice), api.StaffNumberCaseInsensitive)
	var ie *accounts.ImportError
	if !errors.As(err, &ie) || len(ie.Rows) != 1 || ie.Rows[0].Line != 3 || !strings.Contains(ie.Rows[0].Reason, "also on line 2") {
		t.Errorf("insensitive, T48213 and t48213: %v, want line 3 reported as a duplicate of line 2", err)
	}
	if got, err := accounts.ParseCSV(strings.NewReader(twice), api.StaffNumberCaseSensitive); err != nil || len(got) != 2 {
		t.Errorf("sensitive, T48213 and t48213: %d accounts, %v; want two", len(got), err)
	}
}

func TestParseCSVAcceptsColumnsInAnyOrder(t *testing.T) {
	in := "Email,Contract_End_Date,Staff_Number,Name,Mobile\nho@example.edu.hk,,T1,HO Wai,61234567\n"
	got, err := accounts.ParseCSV(strings.NewReader(in), api.StaffNumberCaseSensitive)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0] != (service.Account{StaffNumber: "T1", Name: "HO Wai", Mobile: "+85261234567", Email: "ho@example.edu.hk"}) {
		t.Errorf("got %+v", got)
	}
}

// TestParseCSVReportsEveryBadRowAndImportsNothing checks the all-or-nothing
// rule: one file with good and bad rows gives no accounts and one reason
// per bad line, with its line number.
func TestParseCSVReportsEveryBadRowAndImportsNothing(t *testing.T) {
	in := header +
		"12345678,CHAN Tai Man,91234534,,\n" + // 2: good
		",No Number,91234567,,\n" + // 3
		"12345678,Again,,again@example.edu.hk,\n" + // 4: duplicate of 2
		"T3,Bad Mobile,12345,,\n" + // 5
		"T4,Bad Mail,,not-an-address,\n" + // 6
		"T5,Bad Date,,t5@example.edu.hk,2024-02-30\n" + // 7
		"T6,Day First,,t6@example.edu.hk,31/08/2024\n" + // 8
		"T7,Too Few,,\n" + // 9
		"T/8,Slash,,t8@example.edu.hk,\n" + // 10
		"T9,,,t9@example.edu.hk,\n" + // 11
		"T10,Good Too,,t10@example.edu.hk,\n" // 12: good
	got, err := accounts.ParseCSV(strings.NewReader(in), api.StaffNumberCaseSensitive)
	if got != nil {
		t.Errorf("accounts returned despite bad rows: %+v", got)
	}
	var ie *accounts.ImportError
	if !errors.As(err, &ie) {
		t.Fatalf("error %v is not an *ImportError", err)
	}
	want := map[int]string{
		3:  "missing staff number",
		4:  "also on line 2",
		5:  `mobile "12345"`,
		6:  `email "not-an-address"`,
		7:  `contract_end_date "2024-02-30"`,
		8:  `contract_end_date "31/08/2024"`,
		9:  "4 fields, want 5",
		10: `staff number "T/8": only letters, digits, - _ .`,
		11: "missing name",
	}
	if len(ie.Rows) != len(want) {
		t.Errorf("%d bad rows reported, want %d:\n%v", len(ie.Rows), len(want), err)
	}
	for _, r := range ie.Rows {
		if !strings.Contains(r.Reason, want[r.Line]) || want[r.Line] == "" {
			t.Errorf("line %d: reason %q, want one containing %q", r.Line, r.Reason, want[r.Line])
		}
	}
	if !strings.Contains(err.Error(), "line 6: ") {
		t.Errorf("message lacks line numbers: %v", err)
	}
}

func TestParseCSVRefusesBadHeaders(t *testing.T) {
	tests := map[string]string{
		"empty file":      "",
		"missing column":  "staff_number,name,mobile,email\n",
		"unknown column":  "staff_number,name,mobile,email,contract_end_date,role\n",
		"repeated column": "staff_number,name,mobile,email,email\n",
		"no header":       "12345678,CHAN Tai Man,91234534,,\n",
	}
	for name, in := range tests {
		t.Run(name, func(t *testing.T) {
			got, err := accounts.ParseCSV(strings.NewReader(in), api.StaffNumberCaseSensitive)
			var ie *accounts.ImportError
			if got != nil || !errors.As(err, &ie) || len(ie.Rows) != 1 || ie.Rows[0].Line != 1 {
				t.Fatalf("got %v, %v; want one error on line 1", got, err)
			}
			if !strings.Contains(ie.Rows[0].Reason, "staff_number,name,mobile,email,contract_end_date") {
				t.Errorf("reason %q does not show the expected header", ie.Rows[0].Reason)
			}
		})
	}
}

func TestParseCSVStopsAtBrokenQuoting(t *testing.T) {
	in := header + "T1,\"unterminated,,,\nT2,Fine,,t2@example.edu.hk,\n"
	got, err := accounts.ParseCSV(strings.NewReader(in), api.StaffNumberCaseSensitive)
	var ie *accounts.ImportError
	if got != nil || !errors.As(err, &ie) || len(ie.Rows) != 1 || !strings.Contains(ie.Rows[0].Reason, "not valid CSV") {
		t.Fatalf("got %v, %v", got, err)
	}
}

func TestParseCSVRefusesInvalidUTF8(t *testing.T) {
	in := header + "T1,CHAN \xe9,,t1@example.edu.hk,\n"
	_, err := accounts.ParseCSV(strings.NewReader(in), api.StaffNumberCaseSensitive)
	var ie *accounts.ImportError
	if !errors.As(err, &ie) || len(ie.Rows) != 1 || ie.Rows[0].Line != 2 || !strings.Contains(ie.Rows[0].Reason, "UTF-8") {
		t.Fatalf("got %v", err)
	}
}

func TestParseCSVHeaderOnlyIsNoAccounts(t *testing.T) {
	got, err := accounts.ParseCSV(strings.NewReader(header), api.StaffNumberCaseSensitive)
	if err != nil || len(got) != 0 {
		t.Fatalf("got %v, %v", got, err)
	}
}

func TestParseCSVBoundsTheReport(t *testing.T) {
	var b strings.Builder
	b.WriteString(header)
	for range 5000 {
		b.WriteString(",nobody,,,\n")
	}
	_, err := accounts.ParseCSV(strings.NewReader(b.String()), api.StaffNumberCaseSensitive)
	var ie *accounts.ImportError
	if !errors.As(err, &ie) || !ie.Truncated || len(ie.Rows) >= 5000 {
		t.Fatalf("report of %d rows, truncated %v", len(ie.Rows), ie.Truncated)
	}
}
