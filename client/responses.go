package client

import (
	"bytes"
	"encoding/json"
	"math"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/go-resty/resty/v2"

	"casreset/api"
)

// failure turns a non-2xx answer into an *api.Error when it is a problem
// document of the contract, and into an UnexpectedResponseError otherwise.
func (c *Client) failure(resp *resty.Response, reqID string) error {
	status := resp.StatusCode()
	if status >= 300 && status < 400 {
		return c.unexpected(resp, reqID, "redirect")
	}
	if mediaType(resp) != api.ProblemJSON {
		return c.unexpected(resp, reqID, "error page that is not a problem document")
	}
	var p api.Error
	if err := json.Unmarshal(resp.Body(), &p); err != nil || p.Code == "" {
		return c.unexpected(resp, reqID, "malformed problem document")
	}
	if p.Status == 0 {
		p.Status = status
	}
	if p.RetryAfter <= 0 {
		p.RetryAfter = retryAfterSeconds(resp.Header().Get("Retry-After"), time.Now())
	}
	return &p
}

// retryAfterSeconds reads a Retry-After header: delay-seconds or an
// HTTP-date (RFC 9110 10.2.3). 0 means none or unreadable.
func retryAfterSeconds(v string, now time.Time) int {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if n, err := strconv.Atoi(v); err == nil {
		return max(n, 0)
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := t.Sub(now); d > 0 {
			return int(math.Ceil(d.Seconds()))
		}
	}
	return 0
}

// decodeJSON reads a successful JSON answer into out.
func (c *Client) decodeJSON(resp *resty.Response, reqID string, out any) error {
	if mediaType(resp) != "application/json" {
		return c.unexpected(resp, reqID, "answer that is not JSON")
	}
	if err := json.Unmarshal(resp.Body(), out); err != nil {
		return c.unexpected(resp, reqID, "malformed JSON")
	}
	return nil
}

// media checks that a successful answer is one of the wanted media types
// and starts with the format's signature, and returns its bytes.
func (c *Client) media(resp *resty.Response, reqID string, signature []byte, types ...string) ([]byte, error) {
	mt := mediaType(resp)
	for _, t := range types {
		if mt == t {
			body := resp.Body()
			if !bytes.HasPrefix(body, signature) {
				return nil, c.unexpected(resp, reqID, "damaged "+t)
			}
			return body, nil
		}
	}
	return nil, c.unexpected(resp, reqID, "answer that is not "+types[0])
}

func (c *Client) unexpected(resp *resty.Response, reqID, reason string) *UnexpectedResponseError {
	return &UnexpectedResponseError{
		Host:        c.s.base.Host,
		Status:      resp.StatusCode(),
		ContentType: mediaType(resp),
		Reason:      reason,
		RequestID:   reqID,
	}
}

// mediaType is the answer's media type without parameters, lower case and
// bounded, so that a hostile header cannot flood a log line.
func mediaType(resp *resty.Response) string {
	mt, _, err := mime.ParseMediaType(resp.Header().Get("Content-Type"))
	if err != nil {
		return ""
	}
	if len(mt) > 64 {
		mt = mt[:64]
	}
	return mt
}
