// Package api holds the wire types and error codes of the reset service's
// HTTP contract (v1), and the rules both ends apply alike (the staff
// number). It is shared by the service and the client and has no
// dependencies beyond the standard library and golang.org/x/text.
package api

import (
	"slices"
	"time"
)

// Version is the contract version, the first path segment of every call.
const Version = "v1"

// Channel is a way to deliver a validation code.
type Channel string

const (
	ChannelSMS   Channel = "sms"
	ChannelEmail Channel = "email"
)

// Valid reports whether c is a channel of the contract.
func (c Channel) Valid() bool { return slices.Contains(Channels(), c) }

// Channels lists the channels of the contract in the order the wizard
// offers them and the service lists an account's.
func Channels() []Channel { return []Channel{ChannelSMS, ChannelEmail} }

// Step is where a reset flow stands. Steps only move forward.
type Step string

const (
	StepStarted  Step = "started"   // staff number and CAPTCHA accepted
	StepCodeSent Step = "code_sent" // a validation code was sent
	StepVerified Step = "verified"  // the code was verified
	StepChanged  Step = "changed"   // the password was changed; the token is spent
)

// Delivery is the state of the latest validation-code message.
type Delivery string

const (
	DeliveryQueued Delivery = "queued"
	DeliverySent   Delivery = "sent"
	DeliveryFailed Delivery = "failed"
)

// Captcha is the answer to POST /v1/captchas.
type Captcha struct {
	CaptchaID string    `json:"captcha_id"`
	ImageURL  string    `json:"image_url"`
	AudioURL  string    `json:"audio_url"`
	ExpiresAt time.Time `json:"expires_at"`
	Digits    int       `json:"digits"` // how many digits the answer has
}

// CaptchaDigits is how many digits a CAPTCHA has unless the service says
// otherwise (Captcha.Digits).
const CaptchaDigits = 6

// The languages of the audio CAPTCHA: the lang of GET
// /v1/captchas/{id}/audio.wav.
const (
	AudioEnglish   = "en"
	AudioPutonghua = "zh"
	AudioCantonese = "yue"
)

// AudioLanguages lists the audio CAPTCHA's languages.
var AudioLanguages = []string{AudioEnglish, AudioPutonghua, AudioCantonese}

// StartRequest is the body of POST /v1/resets.
type StartRequest struct {
	StaffNumber   string `json:"staff_number"`
	CaptchaID     string `json:"captcha_id"`
	CaptchaAnswer string `json:"captcha_answer"`
	// Language is the BCP 47 tag of the language the person uses ("en",
	// "zh-HK"): the flow's messages go out in it. Empty: not known.
	Language string `json:"language,omitempty"`
}

// ChannelInfo is one way the account can receive a code, masked.
type ChannelInfo struct {
	Channel     Channel `json:"channel"`
	Destination string  `json:"destination"`
}

// StartResponse is the answer to POST /v1/resets.
type StartResponse struct {
	ResetToken string        `json:"reset_token"`
	ExpiresAt  time.Time     `json:"expires_at"`
	Channels   []ChannelInfo `json:"channels"`
	// StaffNumber is the account's number as the service knows it (see
	// NormalizeStaffNumber): what the wizard remembers and shows next time.
	StaffNumber string `json:"staff_number,omitempty"`
}

// Flow is the answer to GET /v1/resets/current.
type Flow struct {
	Step          Step          `json:"step"`
	ExpiresAt     time.Time     `json:"expires_at"`
	Channels      []ChannelInfo `json:"channels"`
	Channel       Channel       `json:"channel,omitempty"`
	Destination   string        `json:"destination,omitempty"`
	CodeExpiresAt *time.Time    `json:"code_expires_at,omitempty"`
	ResendAfter   *time.Time    `json:"resend_after,omitempty"`
	SendsLeft     int           `json:"sends_left"`
	AttemptsLeft  int           `json:"attempts_left"`
	Delivery      Delivery      `json:"delivery,omitempty"`
	// Policy is the password policy of this flow's account. Services
	// older than it leave it out; the global policy applies then.
	Policy *Policy `json:"policy,omitempty"`
}

// SendCodeRequest is the body of POST /v1/resets/current/code.
type SendCodeRequest struct {
	Channel Channel `json:"channel"`
	// Language, when given, becomes the flow's language (the person
	// switched mid-flow), for this code and the messages after it.
	Language string `json:"language,omitempty"`
}

// SendCodeResponse is the answer to POST /v1/resets/current/code.
type SendCodeResponse struct {
	Channel       Channel   `json:"channel"`
	Destination   string    `json:"destination"`
	CodeExpiresAt time.Time `json:"code_expires_at"`
	ResendAfter   time.Time `json:"resend_after"`
	SendsLeft     int       `json:"sends_left"`
}

// VerifyRequest is the body of POST /v1/resets/current/verify: the
// validation code, or in its place a help-desk pass (see NormalizePass),
// never both.
type VerifyRequest struct {
	Code string `json:"code,omitempty"`
	Pass string `json:"pass,omitempty"`
}

// VerifyResponse is the answer to POST /v1/resets/current/verify.
type VerifyResponse struct {
	Verified bool `json:"verified"`
}

// PasswordRequest is the body of PUT /v1/resets/current/password.
type PasswordRequest struct {
	NewPassword string `json:"new_password"`
	// Language, when given, becomes the flow's language (the person
	// switched after the code was sent), for the notice of the change.
	Language string `json:"language,omitempty"`
}

// PasswordResponse is the answer to PUT /v1/resets/current/password.
type PasswordResponse struct {
	ChangedAt time.Time `json:"changed_at"`
	// StillLocked says that the directory had locked the account out
	// after wrong passwords and that the service could not end the
	// lockout: the new password is set, but logins wait for the lockout
	// to end or for IT Help to lift it.
	StillLocked bool `json:"still_locked,omitempty"`
}

// ReminderRequest is the body of POST /v1/staff-number-reminders.
type ReminderRequest struct {
	Contact       string `json:"contact"`
	CaptchaID     string `json:"captcha_id"`
	CaptchaAnswer string `json:"captcha_answer"`
	// Language is the language of the reminder, as in StartRequest.
	Language string `json:"language,omitempty"`
}

// ReminderResponse is the answer to POST /v1/staff-number-reminders. It is
// the same whether or not the contact matched an account.
type ReminderResponse struct {
	Accepted bool `json:"accepted"`
}

// Header names used by the contract beyond the standard ones.
const (
	HeaderRequestID = "X-Request-Id"
	ProblemJSON     = "application/problem+json"
)
