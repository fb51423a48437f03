package delivery

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"casreset/api"
	"casreset/service"
)

func renderTest(t *testing.T, kind string, ch api.Channel) Rendered {
	t.Helper()
	r, err := Render(testMessage(kind, ch), testOrg())
	if err != nil {
		t.Fatalf("render: %v", err)
	}
	return r
}

func TestSMTPDeliversTheCodeInBothLanguages(t *testing.T) {
	pki := newTestPKI(t)
	tests := []struct {
		name      string
		tls       string
		user      string
		wantTLS   bool
		wantAuthn string
	}{
		{name: "plain relay", tls: SMTPTLSNone},
		{name: "STARTTLS", tls: SMTPTLSStartTLS, wantTLS: true},
		{name: "implicit TLS", tls: SMTPTLSImplicit, wantTLS: true},
		{name: "STARTTLS with AUTH PLAIN", tls: SMTPTLSStartTLS, user: "resetd", wantTLS: true, wantAuthn: "resetd"},
		{name: "implicit TLS with AUTH PLAIN", tls: SMTPTLSImplicit, user: "resetd", wantTLS: true, wantAuthn: "resetd"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			const password = "correct horse battery staple"
			srv := startMailServer(t, mailServerOptions{TLS: tt.tls, PKI: pki, User: tt.user, Pass: password})
			sender, err := NewSMTP(SMTPConfig{
				Addr: srv.addr, From: "CAS Password Reset <no-reply@example.edu.hk>", TLS: tt.tls,
				User: tt.user, Password: password, CAFile: pki.caFile, Timeout: 5 * time.Second,
			})
			if err != nil {
				t.Fatalf("NewSMTP: %v", err)
			}
			r := renderTest(t, service.MessageCode, api.ChannelEmail)
			if err := sender.Send(context.Background(), r); err != nil {
				t.Fatalf("Send: %v", err)
			}

			mails := srv.Mails()
			if len(mails) != 1 {
				t.Fatalf("server received %d mails, want 1", len(mails))
			}
			got := mails[0]
			if len(got.To) != 1 || got.To[0] != "chan.tai.man@example.edu.hk" {
				t.Errorf("RCPT TO = %v, want chan.tai.man@example.edu.hk", got.To)
			}
			if got.From != "no-reply@example.edu.hk" {
				t.Errorf("MAIL FROM = %q", got.From)
			}
			if got.TLS != tt.wantTLS {
				t.Errorf("TLS = %v, want %v", got.TLS, tt.wantTLS)
			}
			if got.AuthUser != tt.wantAuthn {
				t.Errorf("authenticated as %q, want %q", got.AuthUser, tt.wantAuthn)
			}

			mail := parseMail(t, got.Raw)
			if mail.Subject != r.Subject || !strings.Contains(mail.Subject, "重設密碼驗證碼") {
				t.Errorf("Subject = %q, want %q", mail.Subject, r.Subject)
			}
			if mail.Header.Get("Auto-Submitted") != "auto-generated" {
				t.Errorf("Auto-Submitted = %q", mail.Header.Get("Auto-Submitted"))
			}
			for _, want := range []string{"493027", "Your validation code is", "你的驗證碼是", "(Hong Kong time)", "（香港時間）", "ithelp@example.edu.hk"} {
				if !strings.Contains(mail.Text, want) {
					t.Errorf("text part lacks %q:\n%s", want, mail.Text)
				}
			}
			for _, want := range []string{"493027", `lang="zh-HK"`, "你的驗證碼是"} {
				if !strings.Contains(mail.HTML, want) {
					t.Errorf("HTML part lacks %q", want)
				}
			}
		})
	}
}

func TestSMTPClassifiesFailures(t *testing.T) {
	pki := newTestPKI(t)
	tests := []struct {
		name          string
		server        *mailServerOptions // nil: nothing listens
		cfg           SMTPConfig
		wantPermanent bool
	}{
		{
			name:          "mailbox refused with 550",
			server:        &mailServerOptions{TLS: SMTPTLSNone, RejectRcpt: &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "no such user chan.tai.man@example.edu.hk"}},
			cfg:           SMTPConfig{TLS: SMTPTLSNone},
			wantPermanent: true,
		},
		{
			name:   "greylisted with 451",
			server: &mailServerOptions{TLS: SMTPTLSNone, RejectRcpt: &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 7, 1}, Message: "try again later"}},
			cfg:    SMTPConfig{TLS: SMTPTLSNone},
		},
		{
			name:          "wrong password refused with 535",
			server:        &mailServerOptions{TLS: SMTPTLSStartTLS, PKI: pki, User: "resetd", Pass: "right"},
			cfg:           SMTPConfig{TLS: SMTPTLSStartTLS, User: "resetd", Password: "wrong", CAFile: pki.caFile},
			wantPermanent: true,
		},
		{
			name: "server down",
			cfg:  SMTPConfig{TLS: SMTPTLSNone},
		},
		{
			name:   "certificate not trusted",
			server: &mailServerOptions{TLS: SMTPTLSStartTLS, PKI: pki},
			cfg:    SMTPConfig{TLS: SMTPTLSStartTLS}, // system roots do not know the test CA
		},
		{
			name:   "STARTTLS required but not offered",
			server: &mailServerOptions{TLS: SMTPTLSNone},
			cfg:    SMTPConfig{TLS: SMTPTLSStartTLS, CAFile: pki.caFile},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			addr := freeAddr(t)
			var srv *testMailServer
			if tt.server != nil {
				srv = startMailServer(t, *tt.server)
				addr = srv.addr
			}
			cfg := tt.cfg
			cfg.Addr, cfg.From, cfg.Timeout = addr, "no-reply@example.edu.hk", 5*time.Second
			sender, err := NewSMTP(cfg)
			if err != nil {
				t.Fatalf("NewSMTP: %v", err)
			}
			r := renderTest(t, service.MessageCode, api.ChannelEmail)
			err = sender.Send(context.Background(), r)
			if err == nil {
				t.Fatal("Send succeeded, want an error")
			}
			t.Logf("error: %v", err)
			if IsPermanent(err) != tt.wantPermanent {
				t.Errorf("IsPermanent(%v) = %v, want %v", err, IsPermanent(err), tt.wantPermanent)
			}
			if strings.Contains(err.Error(), r.To) || strings.Contains(err.Error(), r.Code) {
				t.Errorf("error %q repeats the recipient or the code", err)
			}
			if srv != nil && len(srv.Mails()) != 0 {
				t.Errorf("server accepted %d mails", len(srv.Mails()))
			}
		})
	}
}

func TestNewSMTPRefusesBadConfiguration(t *testing.T) {
	good := SMTPConfig{Addr: "mail.example.edu.hk:587", From: "no-reply@example.edu.hk", TLS: SMTPTLSStartTLS}
	tests := []struct {
		name   string
		change func(*SMTPConfig)
	}{
		{"unknown TLS mode", func(c *SMTPConfig) { c.TLS = "ssl" }},
		{"no address", func(c *SMTPConfig) { c.Addr = "" }},
		{"bad port", func(c *SMTPConfig) { c.Addr = "mail.example.edu.hk:99999" }},
		{"bad sender", func(c *SMTPConfig) { c.From = "not an address" }},
		{"password without TLS", func(c *SMTPConfig) { c.TLS, c.User, c.Password = SMTPTLSNone, "u", "p" }},
		{"missing CA file", func(c *SMTPConfig) { c.CAFile = "/nonexistent/ca.pem" }},
	}
	if _, err := NewSMTP(good); err != nil {
		t.Fatalf("good configuration refused: %v", err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := good
			tt.change(&cfg)
			if _, err := NewSMTP(cfg); err == nil {
				t.Error("NewSMTP accepted it")
			}
		})
	}
}

func TestNewSMTPDefaultsThePortByTLSMode(t *testing.T) {
	tests := []struct{ tls, want string }{
		{SMTPTLSNone, "mail.example.edu.hk:25"},
		{SMTPTLSStartTLS, "mail.example.edu.hk:587"},
		{"", "mail.example.edu.hk:587"},
		{SMTPTLSImplicit, "mail.example.edu.hk:465"},
	}
	for _, tt := range tests {
		s, err := NewSMTP(SMTPConfig{Addr: "mail.example.edu.hk", From: "no-reply@example.edu.hk", TLS: tt.tls})
		if err != nil {
			t.Fatalf("%q: %v", tt.tls, err)
		}
		if got := s.client.ServerAddr(); got != tt.want {
			t.Errorf("TLS %q: server address %q, want %q", tt.tls, got, tt.want)
		}
	}
}
