// Package service is the domain of the password reset: the flow as a state
// machine, the password policy, CAPTCHAs, validation codes, limits and
// eligibility. It knows nothing of HTTP; adapters call the methods below.
package service

import (
	"context"
	"errors"
	"log/slog"

	"casreset/api"
)

// Client describes who is calling, for limits and the audit log.
type Client struct {
	Addr      string // the client's IP address, without port
	UserAgent string
	// Reference identifies the request; error answers and audit events
	// carry it so that the help desk can find one from the other.
	Reference string
}

// Service carries out the reset flow.
type Service struct {
	cfg   Config
	store Store
	dir   Directory
	clock Clock
	log   *slog.Logger
}

// New returns a service over store and dir. A nil dir means accounts live in
// store (NewStoreDirectory).
func New(cfg Config, store Store, dir Directory, clock Clock, log *slog.Logger) (*Service, error) {
	return nil, errors.New("not built yet")
}

// Policy is the password policy for GET /v1/policy.
func (s *Service) Policy() api.Policy { return api.Policy{} }

// Config returns the service's configuration.
func (s *Service) Config() Config { return s.cfg }

// NewCaptcha creates a CAPTCHA. The URLs of the answer are left for the
// HTTP adapter to fill in.
func (s *Service) NewCaptcha(ctx context.Context, c Client) (api.Captcha, error) {
	return api.Captcha{}, errors.New("not built yet")
}

// CaptchaImage renders the CAPTCHA as a PNG (CodeNotFound when unknown or
// expired).
func (s *Service) CaptchaImage(ctx context.Context, id string) ([]byte, error) {
	return nil, errors.New("not built yet")
}

// CaptchaAudio speaks the CAPTCHA's digits as a WAV in lang ("en" or "zh").
func (s *Service) CaptchaAudio(ctx context.Context, id, lang string) ([]byte, error) {
	return nil, errors.New("not built yet")
}

// Start checks the CAPTCHA and the account and begins a flow.
func (s *Service) Start(ctx context.Context, c Client, req api.StartRequest) (api.StartResponse, error) {
	return api.StartResponse{}, errors.New("not built yet")
}

// Flow describes the flow of token.
func (s *Service) Flow(ctx context.Context, c Client, token string) (api.Flow, error) {
	return api.Flow{}, errors.New("not built yet")
}

// SendCode sends a (new) validation code by channel.
func (s *Service) SendCode(ctx context.Context, c Client, token string, channel api.Channel) (api.SendCodeResponse, error) {
	return api.SendCodeResponse{}, errors.New("not built yet")
}

// Verify checks a validation code.
func (s *Service) Verify(ctx context.Context, c Client, token, code string) error {
	return errors.New("not built yet")
}

// SetPassword changes the password and spends the token.
func (s *Service) SetPassword(ctx context.Context, c Client, token, password string) (api.PasswordResponse, error) {
	return api.PasswordResponse{}, errors.New("not built yet")
}

// RemindStaffNumber sends the staff number to contact when it matches exactly
// one eligible account. It reports success whether or not it matched.
func (s *Service) RemindStaffNumber(ctx context.Context, c Client, req api.ReminderRequest) error {
	return errors.New("not built yet")
}

// Ready reports whether the store and the directory are reachable.
func (s *Service) Ready(ctx context.Context) error { return errors.New("not built yet") }
