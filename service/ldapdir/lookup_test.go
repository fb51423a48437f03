package ldapdir_test

import (
	"errors"
	"slices"
	"testing"

	"casreset/api"
	"casreset/internal/testkit/slapdtest"
	"casreset/internal/testkit/storetest"
	"casreset/service"
)

func TestAccountMapsTheEntry(t *testing.T) {
	s := slapdtest.Start(t)
	s.AddPeople(
		slapdtest.Person{UID: "chan", StaffNumber: "T1001", Name: "Chan Tai Man", Mobiles: []string{"9123 4567"},
			Mail: "Chan.Tai.Man@Example.edu.hk", EndDate: "2024-08-31", EndTime: "20240831160000Z"},
		slapdtest.Person{UID: "wong", StaffNumber: "T1002", Name: "Wong Siu Ming", Mobiles: []string{"+852-9123-4568"},
			EndTime: "20240831155959Z"},
		slapdtest.Person{UID: "lee", StaffNumber: "T1003", Mobiles: []string{"(852) 9123 4569"},
			EndDate: "20250101", EndTime: "20241231170000+0100"},
		slapdtest.Person{UID: "ho", StaffNumber: "T1004", Mobiles: []string{"85291234570"}},
		slapdtest.Person{UID: "smith", StaffNumber: "T1005", Mobiles: []string{"ask reception", "+44 7700 900123"}},
		slapdtest.Person{UID: "ng", StaffNumber: "T1006", Mobiles: []string{"12"}, Mail: "not an address"},
		slapdtest.Person{UID: "cheung", StaffNumber: "T1007", Mobiles: []string{"00852 9123 4571"}, EndDate: "31/08/2024"},
	)

	tests := []struct {
		name, staff, endAttr string
		want                 service.Account
	}{
		{"local number with a space, end date as written", "T1001", slapdtest.EndDateAttr, service.Account{
			StaffNumber: "T1001", Name: "Chan Tai Man", Mobile: "+85291234567", Email: "chan.tai.man@example.edu.hk", ContractEnd: "2024-08-31"}},
		{"generalizedTime at midnight in Hong Kong is the next day", "T1001", slapdtest.EndTimeAttr, service.Account{
			StaffNumber: "T1001", Name: "Chan Tai Man", Mobile: "+85291234567", Email: "chan.tai.man@example.edu.hk", ContractEnd: "2024-09-01"}},
		{"generalizedTime a second before midnight in Hong Kong", "T1002", slapdtest.EndTimeAttr, service.Account{
			StaffNumber: "T1002", Name: "Wong Siu Ming", Mobile: "+85291234568", ContractEnd: "2024-08-31"}},
		{"staff numbers match regardless of case", "t1002", "", service.Account{
			StaffNumber: "T1002", Name: "Wong Siu Ming", Mobile: "+85291234568"}},
		{"parenthesised country code, compact date", "T1003", slapdtest.EndDateAttr, service.Account{
			StaffNumber: "T1003", Name: "lee", Mobile: "+85291234569", ContractEnd: "2025-01-01"}},
		{"generalizedTime with an offset", "T1003", slapdtest.EndTimeAttr, service.Account{
			StaffNumber: "T1003", Name: "lee", Mobile: "+85291234569", ContractEnd: "2025-01-01"}},
		{"country code without plus, no end date attribute configured", "T1004", "", service.Account{
			StaffNumber: "T1004", Name: "ho", Mobile: "+85291234570"}},
		{"no end date stored", "T1004", slapdtest.EndTimeAttr, service.Account{
			StaffNumber: "T1004", Name: "ho", Mobile: "+85291234570"}},
		{"first usable of several mobiles, another country", "T1005", "", service.Account{
			StaffNumber: "T1005", Name: "smith", Mobile: "+447700900123"}},
		{"unusable contacts are left out", "T1006", "", service.Account{StaffNumber: "T1006", Name: "ng"}},
		{"00 prefix", "T1007", "", service.Account{StaffNumber: "T1007", Name: "cheung", Mobile: "+85291234571"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, _ := config(t, s)
			cfg.EndDateAttr = tt.endAttr
			got, err := open(t, cfg).Account(t.Context(), tt.staff)
			if err != nil {
				t.Fatalf("Account(%q): %v", tt.staff, err)
			}
			if got != tt.want {
				t.Errorf("Account(%q)\n got %+v\nwant %+v", tt.staff, got, tt.want)
			}
		})
	}

	t.Run("an end date that cannot be read is an internal error", func(t *testing.T) {
		cfg, _ := config(t, s)
		cfg.EndDateAttr = slapdtest.EndDateAttr
		_, err := open(t, cfg).Account(t.Context(), "T1007")
		if err == nil || errors.Is(err, service.ErrNotFound) || api.ErrorCode(err) != api.CodeInternal {
			t.Fatalf("err = %v, want an internal error", err)
		}
	})
}

func TestAccountIsNotFoundUnlessExactlyOneEntryMatches(t *testing.T) {
	s := slapdtest.Start(t)
	s.AddPeople(
		slapdtest.Person{UID: "one", StaffNumber: "T2001"},
		slapdtest.Person{UID: "twin1", StaffNumber: "T2002"},
		slapdtest.Person{UID: "twin2", StaffNumber: "T2002"},
		slapdtest.Person{UID: "odd", StaffNumber: `A*(1)\`},
	)
	cfg, _ := config(t, s)
	d := open(t, cfg)

	notFound := []struct{ name, staff string }{
		{"no such number", "T9999"},
		{"empty", ""},
		{"blank", "   "},
		{"two entries share the number", "T2002"},
		// Unescaped, these would find T2001, find everything or be a
		// filter the server rejects (an internal error, not "not found").
		{"wildcard inside", "T20*1"},
		{"wildcard prefix", "*001"},
		{"lone wildcard", "*"},
		{"presence", "*)(uid=*"},
		{"filter injection", "T2001)(|(uid=*"},
		{"open parenthesis", "("},
		{"close parenthesis", ")"},
		{"backslash", `\`},
		{"escaped-looking hex", `\2a`},
		{"NUL", "T2001\x00"},
	}
	for _, tt := range notFound {
		t.Run(tt.name, func(t *testing.T) {
			_, err := d.Account(t.Context(), tt.staff)
			if !errors.Is(err, service.ErrNotFound) {
				t.Fatalf("Account(%q) = %v, want ErrNotFound", tt.staff, err)
			}
		})
	}

	t.Run("a number made of metacharacters is found by its exact value", func(t *testing.T) {
		a, err := d.Account(t.Context(), `A*(1)\`)
		if err != nil || a.StaffNumber != `A*(1)\` {
			t.Fatalf("Account = %+v, %v", a, err)
		}
	})
}

func TestAccountsByContact(t *testing.T) {
	s := slapdtest.Start(t)
	s.AddPeople(
		slapdtest.Person{UID: "a", StaffNumber: "T3001", Mobiles: []string{"9123 4567"}, Mail: "Chan.Tai.Man@Example.edu.hk"},
		slapdtest.Person{UID: "b", StaffNumber: "T3002", Mobiles: []string{"+852-9876-5432"}},
		slapdtest.Person{UID: "c", StaffNumber: "T3003", Mobiles: []string{"(852) 6123 4567"}, Mail: "shared@example.edu.hk"},
		slapdtest.Person{UID: "d", StaffNumber: "T3004", Mobiles: []string{"00852 6123 4567"}, Mail: "SHARED@example.edu.hk"},
		slapdtest.Person{UID: "e", StaffNumber: "T3005", Mobiles: []string{"+44 7700 900123"}},
		// Ends in the same eight digits as T3001 but is another number.
		slapdtest.Person{UID: "f", StaffNumber: "T3006", Mobiles: []string{"+86 139 9123 4567"}},
		// No staff number: not an account.
		slapdtest.Person{UID: "g", Mobiles: []string{"9555 0000"}},
	)
	cfg, _ := config(t, s)
	d := open(t, cfg)

	tests := []struct {
		contact string
		want    []string
	}{
		{"chan.tai.man@example.edu.hk", []string{"T3001"}},
		{"shared@example.edu.hk", []string{"T3003", "T3004"}},
		{"nobody@example.edu.hk", nil},
		{"*@example.edu.hk", nil},
		{"+85291234567", []string{"T3001"}},
		{"+85298765432", []string{"T3002"}},
		{"+85261234567", []string{"T3003", "T3004"}},
		{"+447700900123", []string{"T3005"}},
		{"+8613991234567", []string{"T3006"}},
		{"+85295550000", nil},
		{"+85290000000", nil},
		{"91234567", nil}, // not normalised: the caller's job
		{"", nil},
	}
	for _, tt := range tests {
		t.Run(tt.contact, func(t *testing.T) {
			accounts, err := d.AccountsByContact(t.Context(), tt.contact)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, a := range accounts {
				got = append(got, a.StaffNumber)
			}
			slices.Sort(got)
			if !slices.Equal(got, tt.want) {
				t.Fatalf("AccountsByContact(%q) = %v, want %v", tt.contact, got, tt.want)
			}
		})
	}
}

// TestAccountIsFoundByTheNormalisedNumber types numbers the way people do
// and finds the entry: the number is normalised before the filter is built
// (and still escaped), the service's case setting applies on top, and the
// attribute's own matching rule (employeeNumber ignores case) decides the
// rest.
func TestAccountIsFoundByTheNormalisedNumber(t *testing.T) {
	s := slapdtest.Start(t)
	s.AddPeople(
		slapdtest.Person{UID: "tam", StaffNumber: "T-1234", Mail: "tam@example.edu.hk"},
		slapdtest.Person{UID: "yip", StaffNumber: "T48213", Mail: "yip@example.edu.hk"},
		slapdtest.Person{UID: "chan", StaffNumber: "12345678", Mail: "chan@example.edu.hk"},
	)
	cfg, _ := config(t, s)
	d := open(t, cfg)
	tests := []struct{ typed, want string }{
		{"T-1234", "T-1234"},
		{"Ｔ－１２３４", "T-1234"},
		{" t48213 ", "T48213"},
		{"Ｔ４８２１３", "T48213"},
		{"\u200bT48213\ufeff", "T48213"},
		{"1234 5678", "12345678"},
		{"1234\u30005678", "12345678"},
	}
	for _, tt := range tests {
		t.Run("directory/"+tt.typed, func(t *testing.T) {
			a, err := d.Account(t.Context(), tt.typed)
			if err != nil || a.StaffNumber != tt.want {
				t.Fatalf("Account(%q) = %q, %v; want %q", tt.typed, a.StaffNumber, err, tt.want)
			}
		})
	}
	for _, staffCase := range []api.StaffNumberCase{api.StaffNumberCaseSensitive, api.StaffNumberCaseInsensitive} {
		h := newFlowHarness(t, s, func(c *service.Config) { c.StaffNumberCase = staffCase })
		for _, tt := range tests {
			t.Run("service/"+staffCase.String()+"/"+tt.typed, func(t *testing.T) {
				res, err := h.start(tt.typed)
				if err != nil {
					t.Fatalf("Start(%q): %v", tt.typed, err)
				}
				if got := storetest.FlowOfToken(t, h.store, res.ResetToken).StaffNumber; got != tt.want {
					t.Errorf("Start(%q) began a flow for %q, want %q", tt.typed, got, tt.want)
				}
			})
		}
	}
	// Normalising never takes escaping's place.
	if _, err := d.Account(t.Context(), "T 4 8 2 1 *"); !errors.Is(err, service.ErrNotFound) {
		t.Errorf("a spaced-out wildcard: %v, want ErrNotFound", err)
	}
}
