package ldapdir

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/go-ldap/ldap/v3"

	"casreset/api"
	"casreset/service"
)

func ldapErr(code uint16, diagnostic string) error {
	return &ldap.Error{ResultCode: code, Err: errors.New(diagnostic)}
}

func TestPasswordErrorMapsRefusalsToPolicyCodes(t *testing.T) {
	tests := []struct {
		name       string
		ad         bool
		err        error
		want       api.Code // "" for ErrNotFound
		violations []api.RuleID
	}{
		// Active Directory (Windows and Samba wordings).
		{"AD complexity, constraint violation", true, ldapErr(19,
			"0000052D: Constraint violation - check_password_restrictions: the password does not meet the complexity criteria!"), api.CodePasswordPolicy, []api.RuleID{api.RuleNeedsThreeClasses}},
		{"AD too short, Samba wording", true, ldapErr(19,
			"0000052D: Constraint violation - check_password_restrictions: the password is too short. It should be equal or longer than 10 characters!"), api.CodePasswordPolicy, []api.RuleID{api.RuleTooShort}},
		{"AD minimum age, Samba wording", true, ldapErr(19,
			"0000052D: Constraint violation - check_password_restrictions: password is too young to change!"), api.CodePasswordPolicy, []api.RuleID{api.RuleTooSoon}},
		{"AD miscellaneous, Samba wording", true, ldapErr(19,
			"0000052D: Constraint violation - check_password_restrictions: the password doesn't fit due to a miscellaneous restriction!"), api.CodePasswordPolicy, nil},
		{"AD history, Samba wording", true, ldapErr(19,
			"0000052D: Constraint violation - check_password_restrictions: the password was already used (in history)!"), api.CodePasswordReused, nil},
		{"AD policy as unwilling to perform", true, ldapErr(53,
			"0000052D: SvcErr: DSID-031A1248, problem 5003 (WILL_NOT_PERFORM), data 0\n"), api.CodePasswordPolicy, nil},
		{"AD policy as an attribute error", true, ldapErr(19,
			"0000052D: AtrErr: DSID-03191083, #1:\n\t0: 0000052D: DSID-03191083, problem 1005 (CONSTRAINT_ATT_TYPE), data 0, Att 9005a (unicodePwd)\n"), api.CodePasswordPolicy, nil},
		{"AD lower-case code", true, ldapErr(19, "0000052d: Constraint violation"), api.CodePasswordPolicy, nil},
		{"AD access denied", true, ldapErr(50,
			"00000005: SecErr: DSID-031A11EF, problem 4003 (INSUFF_ACCESS_RIGHTS), data 0\n"), api.CodeUnavailable, nil},
		{"AD access denied without the Windows code", true, ldapErr(50, "insufficient access rights"), api.CodeUnavailable, nil},
		{"AD over an unencrypted connection", true, ldapErr(53,
			"0000001F: SvcErr: DSID-031A12D2, problem 5003 (WILL_NOT_PERFORM), data 0\n"), api.CodeInternal, nil},
		{"AD entry gone", true, ldapErr(32,
			"0000208D: NameErr: DSID-0310020A, problem 2001 (NO_OBJECT), data 0, best match of:"), "", nil},
		{"AD other constraint", true, ldapErr(19, "00002082: AtrErr: DSID-03151E6A, #1"), api.CodePasswordPolicy, nil},

		// OpenLDAP ppolicy.
		{"quality", false, ldapErr(19, "Password fails quality checking policy"), api.CodePasswordPolicy, nil},
		{"too short", false, ldapErr(19, "Password is too short for policy"), api.CodePasswordPolicy, []api.RuleID{api.RuleTooShort}},
		{"history", false, ldapErr(19, "Password is in history of old passwords"), api.CodePasswordReused, nil},
		{"unchanged", false, ldapErr(19, "Password is not being changed from existing value"), api.CodePasswordReused, nil},
		{"minimum age", false, ldapErr(19, "Password is too young to change"), api.CodePasswordPolicy, []api.RuleID{api.RuleTooSoon}},
		{"no diagnostic", false, ldapErr(19, ""), api.CodePasswordPolicy, nil},
		{"no write access", false, ldapErr(50, "no write access to parent"), api.CodeUnavailable, nil},
		{"unwilling", false, ldapErr(53, "unwilling to verify old password"), api.CodeInternal, nil},
		{"entry gone", false, ldapErr(32, ""), "", nil},
		// AD's codes mean nothing to other servers.
		{"AD code on a plain server", false, ldapErr(53, "0000052D: SvcErr"), api.CodeInternal, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := passwordError(tt.err, tt.ad)
			if tt.want == "" {
				if !errors.Is(err, service.ErrNotFound) {
					t.Fatalf("passwordError = %v, want ErrNotFound", err)
				}
				return
			}
			if tt.want == api.CodeUnavailable {
				// The service account's rights: unavailable to the person,
				// the right named for the log.
				var missing *service.MissingRightError
				if !errors.As(err, &missing) || !errors.Is(err, service.ErrUnavailable) || missing.Right == "" {
					t.Fatalf("passwordError = %v, want a MissingRightError", err)
				}
				if !strings.Contains(err.Error(), tt.err.Error()) {
					t.Errorf("the error %q lost the directory's message for the log", err)
				}
				return
			}
			if got := api.ErrorCode(err); got != tt.want {
				t.Fatalf("code = %s, want %s (err %v)", got, tt.want, err)
			}
			if !strings.Contains(err.Error(), tt.err.Error()) {
				t.Errorf("the error %q lost the directory's message for the log", err)
			}
			var ae *api.Error
			if errors.As(err, &ae) && ae.Code != api.CodeInternal {
				if ae.Detail == "" || strings.Contains(ae.Detail, "DSID") || strings.Contains(ae.Detail, "0000") ||
					strings.Contains(strings.ToLower(ae.Detail), "policy checking") {
					t.Errorf("detail %q is not a user-safe explanation", ae.Detail)
				}
				if !slices.Equal(ae.Violations, tt.violations) {
					t.Errorf("violations = %v, want %v", ae.Violations, tt.violations)
				}
			}
		})
	}

	if err := passwordError(nil, true); err != nil {
		t.Errorf("passwordError(nil) = %v", err)
	}
	var missing *service.MissingRightError
	if errors.As(passwordError(ldapErr(50, ""), true), &missing); missing == nil || missing.Right != "Reset Password" {
		t.Errorf("AD's missing right = %+v, want Reset Password", missing)
	}
}

func TestADCode(t *testing.T) {
	tests := []struct {
		diagnostic string
		code       uint32
		ok         bool
	}{
		{"0000052D: Constraint violation", 0x52d, true},
		{"  00000005: SecErr", 0x5, true},
		{"80090308: LdapErr: DSID-0C09044E, comment: AcceptSecurityContext error, data 52e, v4563", 0x80090308, true},
		{"Password is in history of old passwords", 0, false},
		{"0000052D Constraint violation", 0, false},
		{"", 0, false},
	}
	for _, tt := range tests {
		code, ok := adCode(tt.diagnostic)
		if code != tt.code || ok != tt.ok {
			t.Errorf("adCode(%q) = %#x, %v, want %#x, %v", tt.diagnostic, code, ok, tt.code, tt.ok)
		}
	}
}

func TestHintedRefusalNamesWhatWindowsLeavesUnsaid(t *testing.T) {
	windows := ldapErr(19, "0000052D: AtrErr: DSID-03191083, #1:\n\t0: 0000052D: DSID-03191083, problem 1005 (CONSTRAINT_ATT_TYPE), data 0, Att 9005a (unicodePwd)\n")
	if got := api.ErrorCode(hintedRefusal(passwordError(windows, true), true)); got != api.CodePasswordReused {
		t.Errorf("with the policy hints: %s, want password_reused (the history is all the service cannot check)", got)
	}
	if got := api.ErrorCode(hintedRefusal(passwordError(windows, true), false)); got != api.CodePasswordPolicy {
		t.Errorf("without the policy hints: %s, want password_policy", got)
	}
	samba := ldapErr(19, "0000052D: Constraint violation - check_password_restrictions: the password does not meet the complexity criteria!")
	var ae *api.Error
	if err := hintedRefusal(passwordError(samba, true), true); !errors.As(err, &ae) || !slices.Equal(ae.Violations, []api.RuleID{api.RuleNeedsThreeClasses}) {
		t.Errorf("a named refusal with the hints: %v, want needs_three_classes", err)
	}
	if err := hintedRefusal(nil, true); err != nil {
		t.Errorf("hintedRefusal(nil) = %v", err)
	}
}
