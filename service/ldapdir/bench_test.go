package ldapdir_test

import (
	"fmt"
	"log/slog"
	"testing"
	"time"

	"casreset/internal/testkit/slapdtest"
	"casreset/service/ldapdir"
)

func benchDirectory(b *testing.B, people int) *ldapdir.Directory {
	b.Helper()
	s := slapdtest.Start(b)
	batch := make([]slapdtest.Person, people)
	for i := range batch {
		batch[i] = slapdtest.Person{UID: fmt.Sprintf("b%05d", i), StaffNumber: fmt.Sprintf("B%05d", i),
			Mobiles: []string{fmt.Sprintf("9%07d", i)}, Mail: fmt.Sprintf("b%05d@example.edu.hk", i)}
	}
	s.AddPeople(batch...)
	d, err := ldapdir.New(ldapdir.Config{
		URL: s.URL, BindDN: slapdtest.ServiceDN, BindPassword: slapdtest.ServicePassword, BaseDN: slapdtest.BaseDN,
		Timeout: 5 * time.Second, Logger: slog.New(slog.DiscardHandler),
	})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { d.Close() })
	return d
}

// BenchmarkAccount is a staff-number lookup over the kept connection
// (without an index on employeeNumber, as in a fresh directory).
func BenchmarkAccount(b *testing.B) {
	d := benchDirectory(b, 500)
	for i := 0; b.Loop(); i++ {
		if _, err := d.Account(b.Context(), fmt.Sprintf("B%05d", i%500)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAccountParallel shows what the one shared connection allows
// when lookups arrive together.
func BenchmarkAccountParallel(b *testing.B) {
	d := benchDirectory(b, 500)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			if _, err := d.Account(b.Context(), fmt.Sprintf("B%05d", i%500)); err != nil {
				b.Error(err)
				return
			}
			i++
		}
	})
}

// BenchmarkAccountsByMobile is the reminder's lookup by mobile number.
func BenchmarkAccountsByMobile(b *testing.B) {
	d := benchDirectory(b, 500)
	for i := 0; b.Loop(); i++ {
		if _, err := d.AccountsByContact(b.Context(), fmt.Sprintf("+8529%07d", i%500)); err != nil {
			b.Fatal(err)
		}
	}
}
