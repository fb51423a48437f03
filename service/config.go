package service

import (
	"time"

	"casreset/api"
)

// Config holds every limit of the rules table. DefaultConfig gives the
// values of DESIGN.md.
type Config struct {
	Policy PolicyConfig

	CaptchaLength int
	CaptchaTTL    time.Duration
	// TestCaptchaAnswer, when set, is accepted for every CAPTCHA. Only
	// automated end-to-end tests set it (RESETD_TEST_CAPTCHA_ANSWER).
	TestCaptchaAnswer string

	CodeLength int
	CodeTTL    time.Duration
	// CodeKey, when set, is the HMAC key of validation codes (at least
	// CodeKeyBytes), kept out of the database: a copy of the database then
	// holds the codes' HMACs without the key to test guesses against them.
	// Every instance must have the same. Empty means a key generated once
	// and kept in the store.
	CodeKey       []byte
	MaxWrongCodes int // per flow, then the flow ends
	// WrongCodesAccount counts wrong codes per account, all its flows
	// together, per WrongCodeWindow; at the limit every flow of the
	// account ends at its next code and no code is sent until the oldest
	// wrong one has left the window.
	WrongCodesAccount int
	WrongCodeWindow   time.Duration
	ResendCooldown    time.Duration // between two sends in a flow
	MaxSendsFlow      int           // per flow
	MaxSendsDay       int           // per account per SendWindow
	SendWindow        time.Duration

	FlowTTL time.Duration
	// MaxPasswordAttempts counts new passwords submitted per flow, whatever
	// their outcome; past it the flow ends.
	MaxPasswordAttempts int

	// StartsPerAddr counts starts with a right CAPTCHA per client address
	// per StartWindow.
	StartsPerAddr int
	StartWindow   time.Duration
	// CaptchasPerAddr counts CAPTCHAs created per client address per
	// CaptchaWindow.
	CaptchasPerAddr int
	CaptchaWindow   time.Duration
	// WrongCaptchasPerAddr counts wrong answers to live CAPTCHAs (of starts
	// and reminders) per client address per WrongCaptchaWindow; at the
	// limit, every CAPTCHA answer from the address is refused.
	WrongCaptchasPerAddr int
	WrongCaptchaWindow   time.Duration
	// The per-address limits count an IPv4 address within its first
	// LimitPrefixIPv4 bits (32: the address itself) and an IPv6 address
	// within its first LimitPrefixIPv6 bits (64: its subnet).
	LimitPrefixIPv4 int
	LimitPrefixIPv6 int

	RemindersPerAddr    int // reminders per client address per ReminderWindow
	RemindersContact    int // reminders per contact per ReminderWindow
	ReminderWindow      time.Duration
	EligibilityMonths   int            // after the contract end date
	Location            *time.Location // the organisation's time zone
	PasswordHash        HashParams
	MaxConcurrentHashes int

	// StaffNumberCase says whether staff numbers tell upper from lower
	// case (api.NormalizeStaffNumber); the default keeps the case.
	StaffNumberCase api.StaffNumberCase

	// OperatorAuth holds IT Help operators' sign-in and session rules.
	OperatorAuth OperatorAuthConfig
}

// PolicyConfig is the password policy.
type PolicyConfig struct {
	MinLength      int    // in Unicode code points
	MaxLength      int    // in Unicode code points
	ForbiddenChars string // each character is forbidden
	History        int    // differ from the last N passwords
	RejectCommon   bool
	RejectIdentity bool
	// IdentityMinLength is the shortest part of the account's name (in
	// letters) that the password may not contain; shorter parts such as
	// "Tai" or "Li" would reject too many good passwords.
	IdentityMinLength int
	AdviceMinLength   int

	// Complexity and MinAge come from a directory's policy (Merge); the
	// service's own configuration leaves them off.
	Complexity bool          // needs_three_classes and contains_account_name
	MinAge     time.Duration // too_soon: how long a password must be kept
}

// Merge is p with the directory's policy d on top: the stricter of each
// limit, and the directory's rules added.
func (p PolicyConfig) Merge(d DirectoryPolicy) PolicyConfig {
	p.MinLength = max(p.MinLength, d.MinLength)
	p.History = max(p.History, d.History)
	p.Complexity = p.Complexity || d.Complexity
	p.MinAge = max(p.MinAge, d.MinAge)
	return p
}

// HashParams are Argon2id parameters.
type HashParams struct {
	MemoryKiB uint32
	Time      uint32
	Threads   uint8
}

// DefaultConfig returns the rules of DESIGN.md.
func DefaultConfig() Config {
	hk, err := time.LoadLocation("Asia/Hong_Kong")
	if err != nil {
		hk = time.FixedZone("HKT", 8*3600) // Hong Kong has no daylight saving
	}
	return Config{
		Policy: PolicyConfig{
			MinLength:         10,
			MaxLength:         128,
			ForbiddenChars:    "$\"\\/`",
			History:           3,
			RejectCommon:      true,
			RejectIdentity:    true,
			IdentityMinLength: 4,
			AdviceMinLength:   14,
		},
		CaptchaLength:        6,
		CaptchaTTL:           10 * time.Minute,
		CodeLength:           6,
		CodeTTL:              10 * time.Minute,
		MaxWrongCodes:        5,
		WrongCodesAccount:    10,
		WrongCodeWindow:      24 * time.Hour,
		ResendCooldown:       60 * time.Second,
		MaxSendsFlow:         5,
		MaxSendsDay:          10,
		SendWindow:           24 * time.Hour,
		FlowTTL:              30 * time.Minute,
		MaxPasswordAttempts:  10,
		StartsPerAddr:        30,
		StartWindow:          10 * time.Minute,
		CaptchasPerAddr:      120,
		CaptchaWindow:        10 * time.Minute,
		WrongCaptchasPerAddr: 30,
		WrongCaptchaWindow:   10 * time.Minute,
		LimitPrefixIPv4:      32,
		LimitPrefixIPv6:      64,
		RemindersPerAddr:     10,
		RemindersContact:     3,
		ReminderWindow:       time.Hour,
		EligibilityMonths:    18,
		Location:             hk,
		PasswordHash:         HashParams{MemoryKiB: 19 * 1024, Time: 2, Threads: 1},
		MaxConcurrentHashes:  4,
		StaffNumberCase:      api.StaffNumberCaseSensitive,
		OperatorAuth:         DefaultOperatorAuthConfig(),
	}
}
