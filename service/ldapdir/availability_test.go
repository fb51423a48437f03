package ldapdir_test

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"casreset/api"
	"casreset/internal/testkit/slapdtest"
	"casreset/service"
	"casreset/service/ldapdir"
)

func wantUnavailable(t *testing.T, what string, err error) {
	t.Helper()
	if !errors.Is(err, service.ErrUnavailable) {
		t.Fatalf("%s = %v, want service.ErrUnavailable", what, err)
	}
	var ae *api.Error
	if errors.As(err, &ae) {
		t.Fatalf("%s = %v: an *api.Error would hide the cause from the domain's log", what, err)
	}
}

func TestStoppedDirectoryIsUnavailableUntilItComesBack(t *testing.T) {
	s := slapdtest.Start(t)
	p := slapdtest.Person{UID: "avail", StaffNumber: "T5001", Password: "First-Passw0rd-1"}
	s.AddPeople(p)
	cfg, _ := config(t, s)
	d := open(t, cfg)
	if _, err := d.Account(t.Context(), p.StaffNumber); err != nil {
		t.Fatalf("before the stop: %v", err)
	}

	s.Stop()
	_, err := d.Account(t.Context(), p.StaffNumber)
	wantUnavailable(t, "Account", err)
	wantUnavailable(t, "Ping", d.Ping(t.Context()))
	wantUnavailable(t, "SetPassword", d.SetPassword(t.Context(), p.StaffNumber, "Second-Passw0rd-2"))
	_, err = d.AccountsByContact(t.Context(), "+85291234567")
	wantUnavailable(t, "AccountsByContact", err)

	s.Restart()
	if err := d.Ping(t.Context()); err != nil {
		t.Fatalf("Ping after the restart: %v", err)
	}
	if _, err := d.Account(t.Context(), p.StaffNumber); err != nil {
		t.Fatalf("Account after the restart: %v", err)
	}
	if err := d.SetPassword(t.Context(), p.StaffNumber, "Second-Passw0rd-2"); err != nil {
		t.Fatalf("SetPassword after the restart: %v", err)
	}
	if err := bind(t, s, p.DN(), "Second-Passw0rd-2"); err != nil {
		t.Fatalf("bind with the password set after the restart: %v", err)
	}
}

func TestHungDirectoryTimesOutAndRecovers(t *testing.T) {
	s := slapdtest.Start(t)
	s.AddPeople(slapdtest.Person{UID: "hung", StaffNumber: "T5002"})
	cfg, _ := config(t, s)
	cfg.Timeout = 300 * time.Millisecond
	d := open(t, cfg)
	if _, err := d.Account(t.Context(), "T5002"); err != nil {
		t.Fatal(err)
	}

	s.Pause() // the kept connection now gets no answers
	_, err := d.Account(t.Context(), "T5002")
	wantUnavailable(t, "Account on a hung connection", err)
	wantUnavailable(t, "Ping on a hung server", d.Ping(t.Context()))

	s.Resume()
	if _, err := d.Account(t.Context(), "T5002"); err != nil {
		t.Fatalf("after the server resumed: %v", err)
	}
}

func TestSilentServerTimesOut(t *testing.T) {
	// Accepts connections and never answers: the bind must not wait forever.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var held []net.Conn
	var mu sync.Mutex
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			held = append(held, c)
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		l.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range held {
			c.Close()
		}
	})

	d := open(t, ldapdir.Config{
		URL: "ldap://" + l.Addr().String(), BindDN: "cn=x", BindPassword: "x", BaseDN: "dc=x",
		Timeout: 200 * time.Millisecond,
		Logger:  slog.New(slog.NewTextHandler(t.Output(), nil)),
	})
	_, err = d.Account(t.Context(), "T1")
	wantUnavailable(t, "Account", err)

	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	wantUnavailable(t, "Ping with a cancelled context", d.Ping(ctx))
}

func TestConnectionFailuresAreUnavailable(t *testing.T) {
	s := slapdtest.Start(t)
	s.AddPeople(slapdtest.Person{UID: "x", StaffNumber: "T5003"})
	otherCA := slapdtest.UntrustedCAFile(t)

	tests := []struct {
		name   string
		change func(*ldapdir.Config)
	}{
		{"ldaps signed by a CA we do not trust", func(c *ldapdir.Config) {
			c.URL, c.CAFile = s.LDAPSURL, otherCA
		}},
		{"StartTLS signed by a CA we do not trust", func(c *ldapdir.Config) {
			c.StartTLS, c.CAFile = true, otherCA
		}},
		{"ldaps without the CA file, against the system roots", func(c *ldapdir.Config) { c.URL = s.LDAPSURL }},
		{"wrong service password", func(c *ldapdir.Config) { c.BindPassword = "not-the-password" }},
		{"nothing listening", func(c *ldapdir.Config) { c.URL = "ldap://127.0.0.1:1" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, logs := config(t, s)
			tt.change(&cfg)
			d := open(t, cfg)
			_, err := d.Account(t.Context(), "T5003")
			wantUnavailable(t, "Account", err)
			wantUnavailable(t, "Ping", d.Ping(t.Context()))
			if strings.Contains(logs.String(), cfg.BindPassword) {
				t.Error("the log holds the service account's password")
			}
		})
	}
}

func TestConcurrentLookupsShareTheDirectory(t *testing.T) {
	s := slapdtest.Start(t)
	s.AddPeople(slapdtest.Person{UID: "c1", StaffNumber: "T6001"}, slapdtest.Person{UID: "c2", StaffNumber: "T6002"})
	cfg, _ := config(t, s)
	d := open(t, cfg)

	var wg sync.WaitGroup
	errs := make(chan error, 40)
	for i := range 40 {
		wg.Go(func() {
			staff := []string{"T6001", "T6002", "T6999"}[i%3]
			a, err := d.Account(t.Context(), staff)
			switch {
			case staff == "T6999" && !errors.Is(err, service.ErrNotFound):
				errs <- err
			case staff != "T6999" && (err != nil || a.StaffNumber != staff):
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("concurrent lookup: %v", err)
	}
}
