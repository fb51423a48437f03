package delivery

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"text/template"
	"time"

	"golang.org/x/net/http/httpguts"
)

// SMSConfig says how to reach an HTTP SMS gateway.
//
// The request is a POST of {"to": "+852…", "message": "…"} as JSON unless
// BodyTemplate is set: a text/template over SMSTemplateData, with the
// helpers json (a JSON string literal, quotes included) and jsonEscape
// (the same without the quotes) and text/template's own urlquery, e.g.
//
//	{"phone": {{json .ToDigits}}, "text": {{json .Message}}, "sender": "ITHELP"}
//
// Headers are "Name: value" lines, typically the gateway's credentials
// ("Authorization: Bearer …"); a Content-Type among them replaces the
// default application/json. Timeout bounds each request (15 s when zero)
// and must stay below the worker's lease. CAFile, when set, holds the CA
// of the gateway's certificate; otherwise the system's roots are used.
type SMSConfig struct {
	URL          string
	Headers      []string
	BodyTemplate string
	Timeout      time.Duration
	CAFile       string
}

// SMSTemplateData is what a body template sees.
type SMSTemplateData struct {
	To       string // E.164, "+85291234567"
	ToDigits string // E.164 without the plus, "85291234567"
	Message  string
}

// SMSWebhook sends SMS through an HTTP gateway. A 2xx answer means the
// gateway accepted the message; 3xx and 4xx answers are permanent
// refusals, except 408 and 429 which, like 5xx answers and network
// failures, are retried. Neither the message nor the header values are ever logged or
// put into an error.
type SMSWebhook struct {
	url     string
	header  http.Header
	tmpl    *template.Template
	client  *http.Client
	display string // the URL without its query, for errors
}

// forbiddenSMSHeaders are set by net/http itself.
var forbiddenSMSHeaders = map[string]bool{
	"Host": true, "Content-Length": true, "Transfer-Encoding": true, "Connection": true,
}

// NewSMSWebhook checks cfg and returns a sender; it does not connect.
func NewSMSWebhook(cfg SMSConfig) (*SMSWebhook, error) {
	u, err := url.Parse(cfg.URL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, errors.New("sms: the webhook URL must be an absolute http or https URL")
	}
	header := http.Header{"Content-Type": {"application/json"}}
	custom := map[string]bool{}
	for i, line := range cfg.Headers {
		name, value, ok := strings.Cut(line, ":")
		name, value = strings.TrimSpace(name), strings.TrimSpace(value)
		// Never quote the line: it usually holds a credential.
		if !ok || !httpguts.ValidHeaderFieldName(name) || !httpguts.ValidHeaderFieldValue(value) {
			return nil, fmt.Errorf("sms: header %d is not \"Name: value\"", i+1)
		}
		name = http.CanonicalHeaderKey(name)
		if forbiddenSMSHeaders[name] {
			return nil, fmt.Errorf("sms: header %d sets %s, which is not allowed", i+1, name)
		}
		if !custom[name] {
			header.Del(name)
			custom[name] = true
		}
		header.Add(name, value)
	}

	w := &SMSWebhook{url: u.String(), header: header, display: u.Scheme + "://" + u.Host + u.Path}
	if cfg.BodyTemplate != "" {
		w.tmpl, err = template.New("sms").Option("missingkey=error").Funcs(smsTemplateFuncs).Parse(cfg.BodyTemplate)
		if err != nil {
			return nil, fmt.Errorf("sms: body template: %w", err)
		}
		// Fail at start, not at the first message.
		if _, err := w.body(SMSTemplateData{To: "+85291234567", ToDigits: "85291234567", Message: "test"}); err != nil {
			return nil, err
		}
	}

	if cfg.Timeout <= 0 {
		cfg.Timeout = 15 * time.Second
	}
	tlsCfg, err := clientTLS(u.Hostname(), cfg.CAFile)
	if err != nil {
		return nil, fmt.Errorf("sms: %w", err)
	}
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.TLSClientConfig = tlsCfg
	w.client = &http.Client{
		Timeout:   cfg.Timeout,
		Transport: transport,
		// A gateway that redirects is misconfigured; following it would
		// send the credentials somewhere else.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	return w, nil
}

var smsTemplateFuncs = template.FuncMap{
	"json": func(s string) (string, error) {
		b, err := json.Marshal(s)
		return string(b), err
	},
	"jsonEscape": func(s string) (string, error) {
		b, err := json.Marshal(s)
		if err != nil {
			return "", err
		}
		return string(b[1 : len(b)-1]), nil
	},
}

func (w *SMSWebhook) body(d SMSTemplateData) ([]byte, error) {
	if w.tmpl == nil {
		return json.Marshal(struct {
			To      string `json:"to"`
			Message string `json:"message"`
		}{d.To, d.Message})
	}
	var buf bytes.Buffer
	if err := w.tmpl.Execute(&buf, d); err != nil {
		return nil, fmt.Errorf("sms: body template: %w", err)
	}
	return buf.Bytes(), nil
}

// Send posts r.Body to the gateway for r.To.
func (w *SMSWebhook) Send(ctx context.Context, r Rendered) error {
	if !strings.HasPrefix(r.To, "+") || len(r.To) < 8 {
		return Permanent(errors.New("sms: the destination is not an E.164 number"))
	}
	body, err := w.body(SMSTemplateData{To: r.To, ToDigits: strings.TrimPrefix(r.To, "+"), Message: r.Body})
	if err != nil {
		return Permanent(err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.url, bytes.NewReader(body))
	if err != nil {
		return Permanent(fmt.Errorf("sms: %w", err))
	}
	req.Header = w.header.Clone()
	resp, err := w.client.Do(req)
	if err != nil {
		// *url.Error repeats the whole URL, whose query may hold a key.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return fmt.Errorf("sms: POST %s: %w", w.display, err)
	}
	// Read a little of the answer so that the connection can be reused;
	// its content is the gateway's business.
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	_ = resp.Body.Close()

	switch code := resp.StatusCode; {
	case code >= 200 && code <= 299:
		return nil
	case code >= 300 && code <= 399:
		// A redirect means the URL is wrong; it will not heal by itself.
		return Permanent(fmt.Errorf("sms: POST %s: redirected with %s; check the webhook URL", w.display, resp.Status))
	case code == http.StatusRequestTimeout || code == http.StatusTooManyRequests:
		return fmt.Errorf("sms: POST %s: %s", w.display, resp.Status)
	case code >= 400 && code <= 499:
		return Permanent(fmt.Errorf("sms: POST %s: refused with %s", w.display, resp.Status))
	default:
		return fmt.Errorf("sms: POST %s: %s", w.display, resp.Status)
	}
}
