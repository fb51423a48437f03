package slapdtest_test

import (
	"crypto/tls"
	"crypto/x509"
	"os"
	"testing"

	"github.com/go-ldap/ldap/v3"

	"casreset/internal/testkit/slapdtest"
)

func TestServerServesTheTreeOverEveryTransport(t *testing.T) {
	s := slapdtest.Start(t)
	alice := slapdtest.Person{UID: "alice", StaffNumber: "T0001", Mail: "alice@example.edu.hk", Password: "Alice-Passw0rd"}
	s.AddPeople(alice)

	pemBytes, err := os.ReadFile(s.CAFile)
	if err != nil {
		t.Fatal(err)
	}
	roots := x509.NewCertPool()
	roots.AppendCertsFromPEM(pemBytes)
	tlsConfig := &tls.Config{RootCAs: roots, ServerName: "127.0.0.1"}

	dials := map[string]func() (*ldap.Conn, error){
		"ldap": func() (*ldap.Conn, error) { return ldap.DialURL(s.URL) },
		"starttls": func() (*ldap.Conn, error) {
			c, err := ldap.DialURL(s.URL)
			if err != nil {
				return nil, err
			}
			return c, c.StartTLS(tlsConfig)
		},
		"ldaps": func() (*ldap.Conn, error) { return ldap.DialURL(s.LDAPSURL, ldap.DialWithTLSConfig(tlsConfig)) },
	}
	for name, dial := range dials {
		t.Run(name, func(t *testing.T) {
			c, err := dial()
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			if err := c.Bind(alice.DN(), alice.Password); err != nil {
				t.Fatalf("bind as the person: %v", err)
			}
			if err := c.Bind(slapdtest.ServiceDN, slapdtest.ServicePassword); err != nil {
				t.Fatalf("bind as the service account: %v", err)
			}
			res, err := c.Search(ldap.NewSearchRequest(slapdtest.BaseDN, ldap.ScopeWholeSubtree, ldap.NeverDerefAliases,
				0, 0, false, "(employeeNumber=T0001)", []string{"mail"}, nil))
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Entries) != 1 || res.Entries[0].GetAttributeValue("mail") != alice.Mail {
				t.Fatalf("search found %d entries, want alice", len(res.Entries))
			}
		})
	}
}

func TestServerComesBackWithItsDataAfterAStop(t *testing.T) {
	s := slapdtest.Start(t)
	s.AddPeople(slapdtest.Person{UID: "bob", StaffNumber: "T0002", Password: "Bob-Passw0rd1"})
	s.Stop()
	if c, err := ldap.DialURL(s.URL); err == nil {
		c.Close()
		t.Fatal("dialled a stopped server")
	}
	s.Restart()
	c, err := ldap.DialURL(s.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Bind("uid=bob,"+slapdtest.PeopleDN, "Bob-Passw0rd1"); err != nil {
		t.Fatalf("bind after restart: %v", err)
	}
}
