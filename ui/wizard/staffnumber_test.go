package wizard

import (
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"casreset/api"
	"casreset/service"
	"casreset/service/accounts"
)

// staffCSV is the account list of a college whose numbers are written
// with a hyphen or a letter, imported as `resetd accounts import` does.
const staffCSV = "staff_number,name,mobile,email,contract_end_date\n" +
	"T-1234,TAM Ka Ho,,tam.ka.ho@example.edu.hk,\n" +
	"T48213,YIP Wing,+85291110000,,\n"

// importStaff imports staffCSV under staffCase into the test service.
func (e *env) importStaff(staffCase api.StaffNumberCase) {
	e.t.Helper()
	list, err := accounts.ParseCSV(strings.NewReader(staffCSV), staffCase)
	if err != nil {
		e.t.Fatalf("import: %v", err)
	}
	e.addAccounts(list...)
}

func withStaffNumberCase(c api.StaffNumberCase) envOption {
	return withConfig(func(cfg *service.Config) { cfg.StaffNumberCase = c })
}

// TestStaffNumbersAsPeopleTypeThemReachTheirAccount types staff numbers the
// way people do at step 1 and follows each through the real client and
// service to step 2 of the right account; the number remembered, and shown
// at step 1 the next time, is the number as the service reads it.
func TestStaffNumbersAsPeopleTypeThemReachTheirAccount(t *testing.T) {
	tests := []struct {
		name, typed, want string
		channels          []api.Channel
	}{
		{"hyphen, as imported", "T-1234", "T-1234", []api.Channel{api.ChannelEmail}},
		{"spaces around, lower case", " t48213 ", "T48213", []api.Channel{api.ChannelSMS}},
		{"full width", "Ｔ４８２１３", "T48213", []api.Channel{api.ChannelSMS}},
		{"digits typed in groups", "1234 5678", acctBoth.StaffNumber, []api.Channel{api.ChannelSMS, api.ChannelEmail}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mem := &fakeMemory{available: true}
			e := newEnv(t, withStaffNumberCase(api.StaffNumberCaseInsensitive), withMemory(mem))
			e.importStaff(api.StaffNumberCaseInsensitive)

			s1 := screenAs[*step1](e)
			if err := s1.staff.Validator(tt.typed); err != nil {
				t.Errorf("the field refuses %q: %v", tt.typed, err)
			}
			e.typeIn(s1.staff, tt.typed)
			tickRemember(e, s1)
			e.typeIn(s1.captcha.answer, testCaptcha)
			e.enter()

			s2 := screenAs[*step2](e)
			if got := e.flow().StaffNumber; got != tt.want {
				t.Fatalf("%q began a flow for %q, want %q", tt.typed, got, tt.want)
			}
			var got []api.Channel
			for _, ch := range s2.channels {
				got = append(got, ch.Channel)
			}
			if !slices.Equal(got, tt.channels) {
				t.Errorf("step 2 offers %v, want %v (the account's own)", got, tt.channels)
			}
			if mem.remembered() != tt.want || e.c.staff != tt.want {
				t.Errorf("remembered %q, flow's number %q; want %q", mem.remembered(), e.c.staff, tt.want)
			}

			// Back at step 1 on this computer, the number shows as read.
			next := newEnv(t, withStaffNumberCase(api.StaffNumberCaseInsensitive), withMemory(mem))
			if s := screenAs[*step1](next); s.staff.Text != tt.want {
				t.Errorf("step 1 shows the remembered number as %q, want %q", s.staff.Text, tt.want)
			}
		})
	}
}

// tickRemember ticks "remember my staff number" on step 1.
func tickRemember(e *env, s1 *step1) {
	e.t.Helper()
	if !s1.remember.Visible() {
		e.t.Fatal("no remember box with a keyring")
	}
	test.Tap(s1.remember)
}

// TestStaffNumberCaseIsTheServicesSetting: by default the service keeps
// the case, and the wizard does not fold it on its own.
func TestStaffNumberCaseIsTheServicesSetting(t *testing.T) {
	e := newEnv(t)
	e.importStaff(api.StaffNumberCaseSensitive)
	s1 := screenAs[*step1](e)
	e.step1(" t48213 ", testCaptcha)
	if screenAs[*step1](e) != s1 || !strings.Contains(s1.staffErr.Text, "We cannot find this staff / teacher number.") {
		t.Fatalf("t48213 with case-sensitive numbers: step 1 says %q", s1.staffErr.Text)
	}
	e.step1("Ｔ４８２１３", testCaptcha)
	if got := e.flow().StaffNumber; got != "T48213" {
		t.Fatalf("full-width T48213 began a flow for %q", got)
	}
}

// TestStaffNumberWithOtherCharactersIsRefusedInEveryLanguage checks the
// message for a number with a character outside the set, before any call.
func TestStaffNumberWithOtherCharactersIsRefusedInEveryLanguage(t *testing.T) {
	for _, tt := range []struct {
		lang string
		want []string
	}{
		{langEnglish, []string{"only letters, digits, hyphens (-), underscores (_) and full stops (.)"}},
		{langChinese, []string{"只可包含英文字母、數字、連字號（-）、底線（_）及句點（.）"}},
	} {
		t.Run(tt.lang, func(t *testing.T) {
			e := newEnv(t)
			e.c.setLanguage(tt.lang)
			s1 := screenAs[*step1](e)
			captcha := s1.captcha.id
			e.step1("T/1234", testCaptcha)
			if screenAs[*step1](e) != s1 {
				t.Fatal("left step 1")
			}
			for _, w := range tt.want {
				if !strings.Contains(s1.staffErr.Text, w) {
					t.Errorf("message %q does not contain %q", s1.staffErr.Text, w)
				}
			}
			if s1.captcha.id != captcha {
				t.Error("the CAPTCHA was used up: the number went to the service")
			}
			if s1.staff.Text != "T/1234" {
				t.Errorf("the field holds %q, want what was typed, to be corrected", s1.staff.Text)
			}
		})
	}
}
