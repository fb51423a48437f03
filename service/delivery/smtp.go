package delivery

import (
	"context"
	"errors"
	"fmt"
	"net"
	netmail "net/mail"
	"net/textproto"
	"regexp"
	"strconv"
	"time"

	"github.com/wneessen/go-mail"
)

// SMTP TLS modes.
const (
	SMTPTLSNone     = "none"     // plain SMTP, for a relay on the same host or network
	SMTPTLSStartTLS = "starttls" // STARTTLS is required; the default
	SMTPTLSImplicit = "implicit" // TLS from the first byte (port 465)
)

// SMTPConfig says how to reach the mail server. Password comes from the
// environment (RESETD_SMTP_PASSWORD), never from a flag. CAFile, when
// set, holds the CA that signed the server's certificate; otherwise the
// system's roots are used. Timeout bounds each connection (30 s when zero)
// and must stay below the worker's lease.
type SMTPConfig struct {
	Addr     string // host:port; the port defaults to 25, 587 or 465 by TLS mode
	From     string // the sender address, e.g. "IT Help <no-reply@example.edu.hk>"
	TLS      string // none | starttls | implicit ("" means starttls)
	User     string // authenticate when set
	Password string
	CAFile   string
	Timeout  time.Duration
}

// SMTP sends e-mail through one mail server. A 5xx reply is a permanent
// refusal; 4xx replies and connection failures are worth retrying.
type SMTP struct {
	from   string
	client *mail.Client
}

// NewSMTP checks cfg and returns a sender; it does not connect.
func NewSMTP(cfg SMTPConfig) (*SMTP, error) {
	if cfg.TLS == "" {
		cfg.TLS = SMTPTLSStartTLS
	}
	defaultPort := map[string]string{SMTPTLSNone: "25", SMTPTLSStartTLS: "587", SMTPTLSImplicit: "465"}[cfg.TLS]
	if defaultPort == "" {
		return nil, fmt.Errorf("smtp: TLS mode %q is not none, starttls or implicit", cfg.TLS)
	}
	host, portStr, err := net.SplitHostPort(cfg.Addr)
	if err != nil {
		host, portStr = cfg.Addr, defaultPort
	}
	port, err := strconv.Atoi(portStr)
	if host == "" || err != nil || port < 1 || port > 65535 {
		return nil, fmt.Errorf("smtp: address %q is not host:port", cfg.Addr)
	}
	from, err := netmail.ParseAddress(cfg.From)
	if err != nil {
		return nil, fmt.Errorf("smtp: sender address %q: %w", cfg.From, err)
	}
	if cfg.User != "" && cfg.TLS == SMTPTLSNone {
		return nil, errors.New("smtp: refusing to send the SMTP password without TLS; use starttls or implicit")
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 30 * time.Second
	}
	tlsCfg, err := clientTLS(host, cfg.CAFile)
	if err != nil {
		return nil, fmt.Errorf("smtp: %w", err)
	}

	opts := []mail.Option{mail.WithPort(port), mail.WithTimeout(cfg.Timeout), mail.WithTLSConfig(tlsCfg)}
	switch cfg.TLS {
	case SMTPTLSNone:
		opts = append(opts, mail.WithTLSPolicy(mail.NoTLS))
	case SMTPTLSStartTLS:
		opts = append(opts, mail.WithTLSPolicy(mail.TLSMandatory))
	case SMTPTLSImplicit:
		opts = append(opts, mail.WithSSL())
	}
	if cfg.User != "" {
		// The strongest mechanism the server offers; PLAIN and LOGIN
		// only over TLS.
		opts = append(opts, mail.WithSMTPAuth(mail.SMTPAuthAutoDiscover),
			mail.WithUsername(cfg.User), mail.WithPassword(cfg.Password))
	}
	client, err := mail.NewClient(host, opts...)
	if err != nil {
		return nil, fmt.Errorf("smtp: %w", err)
	}
	return &SMTP{from: from.String(), client: client}, nil
}

// Send delivers r over one SMTP connection: a text part and, when r has
// one, an HTML alternative.
func (s *SMTP) Send(ctx context.Context, r Rendered) error {
	msg := mail.NewMsg(mail.WithNoDefaultUserAgent())
	if err := msg.From(s.from); err != nil {
		return Permanent(fmt.Errorf("smtp: sender address: %w", err))
	}
	if err := msg.To(r.To); err != nil {
		return Permanent(errors.New("smtp: the recipient address is not valid"))
	}
	msg.Subject(r.Subject)
	msg.SetDate()
	msg.SetMessageID()
	// RFC 3834: tell mail systems not to auto-reply to this message.
	msg.SetGenHeader("Auto-Submitted", "auto-generated")
	msg.SetGenHeader(mail.HeaderXAutoResponseSuppress, "All")
	msg.SetBodyString(mail.TypeTextPlain, r.Body)
	if r.HTML != "" {
		msg.AddAlternativeString(mail.TypeTextHTML, r.HTML)
	}
	if err := s.client.DialAndSendWithContext(ctx, msg); err != nil {
		return classifySMTP(err)
	}
	return nil
}

var enhancedCode = regexp.MustCompile(`^[245]\.\d{1,3}\.\d{1,3}\b`)

// classifySMTP turns a go-mail error into one that says whether to retry.
// The server's reply text is left out: it often repeats the recipient's
// address, which must not reach the logs.
func classifySMTP(err error) error {
	var se *mail.SendError
	if errors.As(err, &se) {
		code := se.ErrorCode()
		switch {
		case se.Reason == mail.ErrGetSender || se.Reason == mail.ErrGetRcpts:
			return Permanent(fmt.Errorf("smtp: %s", se.Reason))
		case code >= 500 && code <= 599:
			return Permanent(fmt.Errorf("smtp: %s: refused with %d %s", se.Reason, code, se.EnhancedStatusCode()))
		case code >= 400 && code <= 499:
			return fmt.Errorf("smtp: %s: deferred with %d %s", se.Reason, code, se.EnhancedStatusCode())
		default:
			return fmt.Errorf("smtp: %s: connection failed", se.Reason)
		}
	}
	var te *textproto.Error
	if errors.As(err, &te) {
		enhanced := enhancedCode.FindString(te.Msg)
		if te.Code >= 500 && te.Code <= 599 {
			return Permanent(fmt.Errorf("smtp: refused with %d %s", te.Code, enhanced))
		}
		return fmt.Errorf("smtp: server replied %d %s", te.Code, enhanced)
	}
	// Dialling, TLS and time-outs: nothing about the message itself.
	return fmt.Errorf("smtp: %w", err)
}
