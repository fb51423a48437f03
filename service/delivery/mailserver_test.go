package delivery

import (
	"bytes"
	"crypto/tls"
	"errors"
	"io"
	"log"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// mailServerOptions configure a real SMTP server (emersion/go-smtp) run
// in-process by a test.
type mailServerOptions struct {
	TLS        string          // none | starttls | implicit
	PKI        testPKI         // the certificate for starttls and implicit
	User, Pass string          // when User is set, AUTH PLAIN is required
	RejectRcpt *smtp.SMTPError // every RCPT TO is answered with this
	Addr       string          // listen here; 127.0.0.1:0 when empty
}

// testMailServer records every message it accepts.
type testMailServer struct {
	opts mailServerOptions
	srv  *smtp.Server
	addr string

	mu    sync.Mutex
	mails []receivedMail
}

// receivedMail is one message as the server accepted it.
type receivedMail struct {
	From     string
	To       []string
	Raw      []byte
	TLS      bool
	AuthUser string
}

func startMailServer(t *testing.T, opts mailServerOptions) *testMailServer {
	t.Helper()
	s := &testMailServer{opts: opts}
	s.srv = smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		return &testSession{server: s, conn: c}, nil
	}))
	s.srv.Domain = "localhost"
	s.srv.ReadTimeout = 10 * time.Second
	s.srv.WriteTimeout = 10 * time.Second
	s.srv.ErrorLog = log.New(io.Discard, "", 0)
	if opts.TLS != SMTPTLSNone {
		s.srv.TLSConfig = opts.PKI.server
	}
	addr := opts.Addr
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	l, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatalf("SMTP server: %v", err)
	}
	if opts.TLS == SMTPTLSImplicit {
		l = tls.NewListener(l, opts.PKI.server)
	}
	s.addr = l.Addr().String()
	go func() { _ = s.srv.Serve(l) }()
	t.Cleanup(func() { _ = s.srv.Close() })
	return s
}

// Mails returns what the server accepted so far.
func (s *testMailServer) Mails() []receivedMail {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]receivedMail(nil), s.mails...)
}

type testSession struct {
	server   *testMailServer
	conn     *smtp.Conn
	authUser string
	from     string
	to       []string
}

func (ss *testSession) AuthMechanisms() []string {
	if ss.server.opts.User == "" {
		return nil
	}
	return []string{sasl.Plain}
}

func (ss *testSession) Auth(mech string) (sasl.Server, error) {
	if mech != sasl.Plain {
		return nil, smtp.ErrAuthUnknownMechanism
	}
	return sasl.NewPlainServer(func(identity, username, password string) error {
		if username != ss.server.opts.User || password != ss.server.opts.Pass {
			return smtp.ErrAuthFailed
		}
		ss.authUser = username
		return nil
	}), nil
}

func (ss *testSession) Mail(from string, _ *smtp.MailOptions) error {
	if ss.server.opts.User != "" && ss.authUser == "" {
		return smtp.ErrAuthRequired
	}
	ss.from = from
	return nil
}

func (ss *testSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	if ss.server.opts.RejectRcpt != nil {
		return ss.server.opts.RejectRcpt
	}
	ss.to = append(ss.to, to)
	return nil
}

func (ss *testSession) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	_, isTLS := ss.conn.TLSConnectionState()
	ss.server.mu.Lock()
	defer ss.server.mu.Unlock()
	ss.server.mails = append(ss.server.mails, receivedMail{
		From: ss.from, To: append([]string(nil), ss.to...), Raw: raw, TLS: isTLS, AuthUser: ss.authUser,
	})
	return nil
}

func (ss *testSession) Reset()        { ss.from, ss.to = "", nil }
func (ss *testSession) Logout() error { return nil }

// parsedMail is a received message decoded as a mail reader would.
type parsedMail struct {
	Header mail.Header
	Subject,
	Text,
	HTML string
}

func parseMail(t *testing.T, raw []byte) parsedMail {
	t.Helper()
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("parse mail: %v", err)
	}
	var dec mime.WordDecoder
	subject, err := dec.DecodeHeader(msg.Header.Get("Subject"))
	if err != nil {
		t.Fatalf("decode subject: %v", err)
	}
	p := parsedMail{Header: msg.Header, Subject: subject}
	mediaType, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil {
		t.Fatalf("content type: %v", err)
	}
	if !strings.HasPrefix(mediaType, "multipart/") {
		p.Text = decodePart(t, msg.Header.Get("Content-Transfer-Encoding"), msg.Body)
		return p
	}
	mr := multipart.NewReader(msg.Body, params["boundary"])
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("multipart: %v", err)
		}
		ct, _, _ := mime.ParseMediaType(part.Header.Get("Content-Type"))
		// multipart.Reader already undoes quoted-printable; keep the
		// header check for other encodings.
		body := decodePart(t, part.Header.Get("Content-Transfer-Encoding"), part)
		switch ct {
		case "text/plain":
			p.Text = body
		case "text/html":
			p.HTML = body
		}
	}
	return p
}

func decodePart(t *testing.T, encoding string, r io.Reader) string {
	t.Helper()
	if strings.EqualFold(encoding, "quoted-printable") {
		r = quotedprintable.NewReader(r)
	}
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("read part: %v", err)
	}
	return string(b)
}
