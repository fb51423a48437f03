package ldapdir

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestNewChecksTheConfig(t *testing.T) {
	valid := Config{URL: "ldap://dir.example.edu.hk", BindDN: "cn=resetd", BindPassword: "x", BaseDN: "dc=example"}
	notPEM := filepath.Join(t.TempDir(), "not.pem")
	if err := os.WriteFile(notPEM, []byte("hello"), 0o600); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name    string
		change  func(*Config)
		wantErr string // "" for accepted
	}{
		{"plain ldap", func(*Config) {}, ""},
		{"ldaps", func(c *Config) { c.URL = "ldaps://dir.example.edu.hk:1636" }, ""},
		{"AD over ldaps", func(c *Config) { c.URL, c.AD = "ldaps://dc.example.edu.hk", true }, ""},
		{"AD with StartTLS", func(c *Config) { c.AD, c.StartTLS = true, true }, ""},
		{"AD unencrypted", func(c *Config) { c.AD = true }, "encrypted"},
		{"StartTLS on ldaps", func(c *Config) { c.URL, c.StartTLS = "ldaps://dir", true }, "StartTLS"},
		{"other scheme", func(c *Config) { c.URL = "http://dir" }, "scheme"},
		{"no host", func(c *Config) { c.URL = "ldap://" }, "URL"},
		{"no bind DN", func(c *Config) { c.BindDN = "" }, "bind"},
		{"no bind password", func(c *Config) { c.BindPassword = "" }, "bind"},
		{"no base DN", func(c *Config) { c.BaseDN = "" }, "base DN"},
		{"missing CA file", func(c *Config) { c.URL, c.CAFile = "ldaps://dir", "/nonexistent/ca.pem" }, "CA file"},
		{"CA file without certificates", func(c *Config) { c.URL, c.CAFile = "ldaps://dir", notPEM }, "no PEM"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := valid
			tt.change(&cfg)
			_, err := New(cfg)
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("New: %v", err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Fatalf("New = %v, want an error about %q", err, tt.wantErr)
			}
		})
	}
}

func TestNewFillsInDefaults(t *testing.T) {
	d, err := New(Config{URL: "ldaps://dir", BindDN: "cn=resetd", BindPassword: "x", BaseDN: "dc=example"})
	if err != nil {
		t.Fatal(err)
	}
	c := d.cfg
	if c.StaffAttr != "employeeNumber" || c.MobileAttr != "mobile" || c.MailAttr != "mail" || c.NameAttr != "cn" || c.EndDateAttr != "" {
		t.Errorf("attributes = %q %q %q %q %q", c.StaffAttr, c.MobileAttr, c.MailAttr, c.NameAttr, c.EndDateAttr)
	}
	if c.Timeout != 5*time.Second {
		t.Errorf("timeout = %v", c.Timeout)
	}
	if c.Location.String() != "Asia/Hong_Kong" && c.Location.String() != "HKT" {
		t.Errorf("location = %v", c.Location)
	}
	if d.conn.ep.addr != "dir:636" || !d.conn.ep.implicitTLS {
		t.Errorf("endpoint = %+v", d.conn.ep)
	}
}
