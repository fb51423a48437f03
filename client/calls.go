package client

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"casreset/api"
)

// The calls of the contract (DESIGN.md, "The HTTP contract (v1)"). Each
// returns the service's problem as an *api.Error, or one of the package's
// error types when no answer of the contract arrived.

// Policy returns the password policy.
func (c *Client) Policy(ctx context.Context) (api.Policy, error) {
	var out api.Policy
	err := c.doJSON(ctx, call{method: http.MethodGet, path: "/v1/policy"}, &out)
	return out, err
}

// NewCaptcha creates a CAPTCHA. Its ImageURL and AudioURL are made absolute
// against the base URL; CaptchaImage and CaptchaAudio fetch them by id.
func (c *Client) NewCaptcha(ctx context.Context) (api.Captcha, error) {
	var out api.Captcha
	if err := c.doJSON(ctx, call{method: http.MethodPost, path: "/v1/captchas"}, &out); err != nil {
		return api.Captcha{}, err
	}
	out.ImageURL = c.absolute(out.ImageURL)
	out.AudioURL = c.absolute(out.AudioURL)
	return out, nil
}

var (
	pngSignature = []byte("\x89PNG\r\n\x1a\n")
	wavSignature = []byte("RIFF")
)

// CaptchaImage returns the CAPTCHA's PNG.
func (c *Client) CaptchaImage(ctx context.Context, captchaID string) ([]byte, error) {
	if err := checkCaptchaID(captchaID); err != nil {
		return nil, err
	}
	resp, reqID, err := c.send(ctx, call{
		method:     http.MethodGet,
		path:       "/v1/captchas/{id}/image.png",
		pathParams: map[string]string{"id": captchaID},
		accept:     "image/png",
		limit:      maxMediaBytes,
	})
	if err != nil {
		return nil, err
	}
	return c.media(resp, reqID, pngSignature, "image/png")
}

// CaptchaAudio returns the CAPTCHA's digits spoken as a WAV, in lang: one
// of api.AudioLanguages ("en", "yue" Cantonese, "zh" Putonghua); "" means
// "en", and any other "zh-…" tag "zh".
func (c *Client) CaptchaAudio(ctx context.Context, captchaID, lang string) ([]byte, error) {
	if err := checkCaptchaID(captchaID); err != nil {
		return nil, err
	}
	resp, reqID, err := c.send(ctx, call{
		method:     http.MethodGet,
		path:       "/v1/captchas/{id}/audio.wav",
		pathParams: map[string]string{"id": captchaID},
		query:      map[string]string{"lang": audioLang(lang)},
		accept:     "audio/wav",
		limit:      maxMediaBytes,
	})
	if err != nil {
		return nil, err
	}
	return c.media(resp, reqID, wavSignature, "audio/wav", "audio/x-wav", "audio/wave", "audio/vnd.wave")
}

// Start checks the staff number and the CAPTCHA answer and begins a reset.
func (c *Client) Start(ctx context.Context, req api.StartRequest) (api.StartResponse, error) {
	var out api.StartResponse
	err := c.doJSON(ctx, call{method: http.MethodPost, path: "/v1/resets", body: req}, &out)
	return out, err
}

// Flow describes the reset that token belongs to.
func (c *Client) Flow(ctx context.Context, token string) (api.Flow, error) {
	var out api.Flow
	err := c.doJSON(ctx, call{method: http.MethodGet, path: "/v1/resets/current", token: token}, &out)
	return out, err
}

// SendCode sends a validation code by req.Channel, in req.Language when
// given (which becomes the flow's); calling it again sends a fresh one.
func (c *Client) SendCode(ctx context.Context, token string, req api.SendCodeRequest) (api.SendCodeResponse, error) {
	var out api.SendCodeResponse
	err := c.doJSON(ctx, call{
		method: http.MethodPost,
		path:   "/v1/resets/current/code",
		token:  token,
		body:   req,
	}, &out)
	return out, err
}

// Verify checks a validation code.
func (c *Client) Verify(ctx context.Context, token, code string) (api.VerifyResponse, error) {
	var out api.VerifyResponse
	err := c.doJSON(ctx, call{
		method: http.MethodPost,
		path:   "/v1/resets/current/verify",
		token:  token,
		body:   api.VerifyRequest{Code: code},
	}, &out)
	return out, err
}

// SetPassword sets req.NewPassword, in req.Language when given (which
// becomes the flow's, for the notice of the change); the token is spent
// afterwards.
func (c *Client) SetPassword(ctx context.Context, token string, req api.PasswordRequest) (api.PasswordResponse, error) {
	var out api.PasswordResponse
	err := c.doJSON(ctx, call{
		method: http.MethodPut,
		path:   "/v1/resets/current/password",
		token:  token,
		body:   req,
	}, &out)
	return out, err
}

// RemindStaffNumber asks the service to send the staff number to the
// registered contact. It succeeds whether or not the contact matched.
func (c *Client) RemindStaffNumber(ctx context.Context, req api.ReminderRequest) error {
	_, _, err := c.send(ctx, call{
		method: http.MethodPost,
		path:   "/v1/staff-number-reminders",
		body:   req,
		accept: "application/json",
		limit:  maxJSONBytes,
	})
	return err
}

// doJSON sends a call that answers with JSON and decodes the answer into out.
func (c *Client) doJSON(ctx context.Context, cl call, out any) error {
	cl.accept = "application/json"
	cl.limit = maxJSONBytes
	resp, reqID, err := c.send(ctx, cl)
	if err != nil {
		return err
	}
	return c.decodeJSON(resp, reqID, out)
}

// absolute resolves a URL of an answer against the base URL. The service
// does not know the path prefix a reverse proxy may add, so a path is taken
// as relative to the base URL, not to the host.
func (c *Client) absolute(ref string) string {
	if ref == "" {
		return ""
	}
	if u, err := url.Parse(ref); err == nil && u.IsAbs() {
		return ref
	}
	return c.s.base.String() + "/" + strings.TrimLeft(ref, "/")
}

// checkCaptchaID refuses ids that would change the path: the service's ids
// are URL-safe tokens.
func checkCaptchaID(id string) error {
	if id == "" || id == "." || id == ".." || url.PathEscape(id) != id {
		return errors.New("client: not a CAPTCHA id")
	}
	return nil
}

func audioLang(lang string) string {
	switch l := strings.ToLower(lang); {
	case l == "":
		return api.AudioEnglish
	case l == api.AudioPutonghua || strings.HasPrefix(l, "zh-") || strings.HasPrefix(l, "zh_"):
		return api.AudioPutonghua
	default:
		return l
	}
}
