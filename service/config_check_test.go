package service_test

import (
	"testing"

	"casreset/service"
)

func TestDefaultConfigIsValid(t *testing.T) {
	if err := service.DefaultConfig().Validate(); err != nil {
		t.Fatal(err)
	}
}

func TestValidateRejectsBrokenLimits(t *testing.T) {
	tests := map[string]func(*service.Config){
		"min length 0":               func(c *service.Config) { c.Policy.MinLength = 0 },
		"max below min":              func(c *service.Config) { c.Policy.MaxLength = 5 },
		"negative history":           func(c *service.Config) { c.Policy.History = -1 },
		"no CAPTCHA digits":          func(c *service.Config) { c.CaptchaLength = 0 },
		"no CAPTCHA lifetime":        func(c *service.Config) { c.CaptchaTTL = 0 },
		"test answer not digits":     func(c *service.Config) { c.TestCaptchaAnswer = "abc" },
		"code too short":             func(c *service.Config) { c.CodeLength = 3 },
		"code too long":              func(c *service.Config) { c.CodeLength = 19 },
		"no code lifetime":           func(c *service.Config) { c.CodeTTL = 0 },
		"no wrong codes":             func(c *service.Config) { c.MaxWrongCodes = 0 },
		"no wrong codes per account": func(c *service.Config) { c.WrongCodesAccount = 0 },
		"no wrong-code window":       func(c *service.Config) { c.WrongCodeWindow = 0 },
		"no sends per flow":          func(c *service.Config) { c.MaxSendsFlow = 0 },
		"no sends per account":       func(c *service.Config) { c.MaxSendsDay = 0 },
		"no send window":             func(c *service.Config) { c.SendWindow = 0 },
		"no password attempts":       func(c *service.Config) { c.MaxPasswordAttempts = 0 },
		"no flow lifetime":           func(c *service.Config) { c.FlowTTL = 0 },
		"no starts":                  func(c *service.Config) { c.StartsPerAddr = 0 },
		"no reminders":               func(c *service.Config) { c.RemindersContact = 0 },
		"no CAPTCHAs":                func(c *service.Config) { c.CaptchasPerAddr = 0 },
		"no CAPTCHA window":          func(c *service.Config) { c.CaptchaWindow = 0 },
		"no wrong CAPTCHAs":          func(c *service.Config) { c.WrongCaptchasPerAddr = 0 },
		"no wrong-CAPTCHA window":    func(c *service.Config) { c.WrongCaptchaWindow = 0 },
		"IPv4 prefix /33":            func(c *service.Config) { c.LimitPrefixIPv4 = 33 },
		"IPv6 prefix /0":             func(c *service.Config) { c.LimitPrefixIPv6 = 0 },
		"short code key":             func(c *service.Config) { c.CodeKey = []byte("short") },
		"no time zone":               func(c *service.Config) { c.Location = nil },
		"Argon2id time 0":            func(c *service.Config) { c.PasswordHash.Time = 0 },
		"Argon2id memory tiny":       func(c *service.Config) { c.PasswordHash.MemoryKiB = 4 },
		"no hash slots":              func(c *service.Config) { c.MaxConcurrentHashes = 0 },
	}
	for name, breakIt := range tests {
		cfg := service.DefaultConfig()
		breakIt(&cfg)
		if err := cfg.Validate(); err == nil {
			t.Errorf("%s: Validate accepted it", name)
		}
		if _, err := service.New(cfg, nil, nil, nil, nil); err == nil {
			t.Errorf("%s: New accepted it", name)
		}
	}
}
