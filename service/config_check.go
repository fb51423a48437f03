package service

import (
	"errors"
	"fmt"

	"casreset/api"
)

// Validate reports the settings that would make the service misbehave:
// limits that are zero or negative, lengths that contradict each other,
// Argon2id parameters the algorithm rejects.
func (c Config) Validate() error {
	var errs []error
	check := func(ok bool, format string, args ...any) {
		if !ok {
			errs = append(errs, fmt.Errorf(format, args...))
		}
	}
	p := c.Policy
	check(p.MinLength >= 1, "password minimum length %d: must be at least 1", p.MinLength)
	check(p.MaxLength >= p.MinLength, "password maximum length %d: below the minimum %d", p.MaxLength, p.MinLength)
	check(p.History >= 0, "password history %d: must not be negative", p.History)
	check(p.IdentityMinLength >= 1, "identity minimum length %d: must be at least 1", p.IdentityMinLength)
	check(p.AdviceMinLength >= 0, "advised length %d: must not be negative", p.AdviceMinLength)

	check(c.CaptchaLength >= 1, "CAPTCHA length %d: must be at least 1", c.CaptchaLength)
	check(c.CaptchaTTL > 0, "CAPTCHA lifetime %v: must be positive", c.CaptchaTTL)
	check(c.TestCaptchaAnswer == "" || isDigits(c.TestCaptchaAnswer, len(c.TestCaptchaAnswer)), "test CAPTCHA answer: digits only")
	// 18 digits still fit in an int64 for the uniform draw.
	check(c.CodeLength >= 4 && c.CodeLength <= 18, "code length %d: must be 4 to 18", c.CodeLength)
	check(c.CodeTTL > 0, "code lifetime %v: must be positive", c.CodeTTL)
	check(c.CodeKey == nil || len(c.CodeKey) >= CodeKeyBytes, "code key of %d bytes: must have at least %d", len(c.CodeKey), CodeKeyBytes)
	check(c.MaxWrongCodes >= 1, "wrong codes %d: must be at least 1", c.MaxWrongCodes)
	check(c.WrongCodesAccount >= 1, "wrong codes per account %d: must be at least 1", c.WrongCodesAccount)
	check(c.WrongCodeWindow > 0, "wrong-code window %v: must be positive", c.WrongCodeWindow)
	check(c.ResendCooldown >= 0, "resend cool-down %v: must not be negative", c.ResendCooldown)
	check(c.MaxSendsFlow >= 1, "sends per flow %d: must be at least 1", c.MaxSendsFlow)
	check(c.MaxSendsDay >= 1, "sends per account %d: must be at least 1", c.MaxSendsDay)
	check(c.SendWindow > 0, "send window %v: must be positive", c.SendWindow)
	check(c.FlowTTL > 0, "flow lifetime %v: must be positive", c.FlowTTL)
	check(c.MaxPasswordAttempts >= 1, "password attempts per flow %d: must be at least 1", c.MaxPasswordAttempts)
	check(c.StartsPerAddr >= 1, "starts per address %d: must be at least 1", c.StartsPerAddr)
	check(c.StartWindow > 0, "start window %v: must be positive", c.StartWindow)
	check(c.CaptchasPerAddr >= 1, "CAPTCHAs per address %d: must be at least 1", c.CaptchasPerAddr)
	check(c.CaptchaWindow > 0, "CAPTCHA window %v: must be positive", c.CaptchaWindow)
	check(c.WrongCaptchasPerAddr >= 1, "wrong CAPTCHAs per address %d: must be at least 1", c.WrongCaptchasPerAddr)
	check(c.WrongCaptchaWindow > 0, "wrong-CAPTCHA window %v: must be positive", c.WrongCaptchaWindow)
	check(c.LimitPrefixIPv4 >= 1 && c.LimitPrefixIPv4 <= 32, "IPv4 prefix of the limits /%d: must be 1 to 32", c.LimitPrefixIPv4)
	check(c.LimitPrefixIPv6 >= 1 && c.LimitPrefixIPv6 <= 128, "IPv6 prefix of the limits /%d: must be 1 to 128", c.LimitPrefixIPv6)
	check(c.RemindersPerAddr >= 1, "reminders per address %d: must be at least 1", c.RemindersPerAddr)
	check(c.RemindersContact >= 1, "reminders per contact %d: must be at least 1", c.RemindersContact)
	check(c.ReminderWindow > 0, "reminder window %v: must be positive", c.ReminderWindow)
	check(c.EligibilityMonths >= 0, "eligibility months %d: must not be negative", c.EligibilityMonths)
	check(c.Location != nil, "time zone: not set")

	h := c.PasswordHash
	check(h.Time >= 1 && h.Time <= maxStoredTime, "Argon2id time %d: must be 1 to %d", h.Time, maxStoredTime)
	check(h.Threads >= 1, "Argon2id threads %d: must be at least 1", h.Threads)
	check(h.MemoryKiB >= 8*uint32(h.Threads) && h.MemoryKiB <= maxStoredMemoryKiB,
		"Argon2id memory %d KiB: must be at least 8 KiB per thread and at most %d KiB", h.MemoryKiB, maxStoredMemoryKiB)
	check(c.MaxConcurrentHashes >= 1, "concurrent hashes %d: must be at least 1", c.MaxConcurrentHashes)
	check(c.StaffNumberCase.Valid(), "staff number case %q: must be %s or %s", string(c.StaffNumberCase), api.StaffNumberCaseSensitive, api.StaffNumberCaseInsensitive)
	errs = append(errs, c.OperatorAuth.validate())
	return errors.Join(errs...)
}
