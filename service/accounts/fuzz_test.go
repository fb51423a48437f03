package accounts_test

import (
	"errors"
	"strings"
	"testing"

	"casreset/api"
	"casreset/service"
	"casreset/service/accounts"
)

func FuzzParseCSV(f *testing.F) {
	for _, s := range []string{
		header + "12345678,CHAN Tai Man,9123 4534,chan@example.edu.hk,2024-08-31\n",
		"\uFEFF" + header + "T1,\"HO, Wai\",+44 7700 900123,,\r\n",
		header + ",,,,\n",
		header + "T1,A,,,\nT1,B,,,\n",
		header + "T1,\"broken,,,\n",
		header + "T1,x,00852-6123-4567,X@Y.Z,2024-02-29\n",
		"email,name,staff_number,mobile,contract_end_date\na@b.cd,N,1,,\n",
		header + "Ｔ－１２３４,x,,,\nt-1234,y,,,\n",
		"", "\n", "staff_number\n", "\xef\xbb",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		got, err := accounts.ParseCSV(strings.NewReader(in), api.StaffNumberCaseInsensitive)
		if err != nil {
			var ie *accounts.ImportError
			if !errors.As(err, &ie) || len(ie.Rows) == 0 {
				t.Fatalf("error %v is not a non-empty *ImportError", err)
			}
			if got != nil {
				t.Fatal("accounts returned with an error")
			}
			for _, r := range ie.Rows {
				if r.Line < 1 || r.Reason == "" {
					t.Fatalf("bad report row %+v", r)
				}
			}
			return
		}
		seen := map[string]bool{}
		for _, a := range got {
			if a.StaffNumber == "" || a.Name == "" || seen[a.StaffNumber] {
				t.Fatalf("bad account %+v", a)
			}
			if n, err := api.ParseStaffNumber(a.StaffNumber, api.StaffNumberCaseInsensitive); err != nil || n != a.StaffNumber {
				t.Fatalf("staff number %q is not one step 1 finds: %q, %v", a.StaffNumber, n, err)
			}
			seen[a.StaffNumber] = true
			if a.Mobile != "" {
				if m, err := service.NormalizeMobile(a.Mobile); err != nil || m != a.Mobile {
					t.Fatalf("mobile %q not in E.164", a.Mobile)
				}
			}
			if a.Email != "" {
				if e, err := service.NormalizeEmail(a.Email); err != nil || e != a.Email {
					t.Fatalf("email %q not normalised", a.Email)
				}
			}
		}
	})
}
