package postgres_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"casreset/api"
	"casreset/internal/testkit/pgtest"
	"casreset/service"
)

// BenchmarkCompleteFlows measures whole resets (CAPTCHA, start, send code,
// verify, new password) per second through the service on PostgreSQL, with
// one instance and with two instances sharing the database, each flow
// alternating between them at every step as behind a load balancer. Flows
// run in parallel for distinct accounts. "argon2=default" hashes with the
// shipped parameters (the cost of a real deployment, where the hash
// dominates); "argon2=cheap" with minimal ones, which shows what the
// database alone allows.
func BenchmarkCompleteFlows(b *testing.B) {
	hashes := []struct {
		name   string
		params service.HashParams
	}{
		{"argon2=default", service.DefaultConfig().PasswordHash},
		{"argon2=cheap", service.HashParams{MemoryKiB: 64, Time: 1, Threads: 1}},
	}
	for _, instances := range []int{1, 2} {
		for _, hash := range hashes {
			b.Run(fmt.Sprintf("instances=%d/%s", instances, hash.name), func(b *testing.B) {
				benchmarkFlows(b, instances, hash.params)
			})
		}
	}
}

// benchCaptchaAnswer is accepted for every CAPTCHA, so that the benchmark
// does not time reading the image back; the CAPTCHA is still looked up
// and consumed as for any answer.
const benchCaptchaAnswer = "000000"

func benchmarkFlows(b *testing.B, instances int, hash service.HashParams) {
	cfg := service.DefaultConfig()
	cfg.PasswordHash = hash
	cfg.TestCaptchaAnswer = benchCaptchaAnswer
	cfg.StartsPerAddr = 1 << 30 // every flow comes from this one process
	cfg.CaptchasPerAddr = 1 << 30
	cfg.MaxSendsDay = 1 << 30

	url := pgtest.Start(b)
	reader := open(b, url)
	clock := service.NewManualClock(time.Now().UTC())
	svcs := make([]*service.Service, instances)
	for i := range svcs {
		svc, err := service.New(cfg, open(b, url), nil, clock, nil)
		if err != nil {
			b.Fatal(err)
		}
		svcs[i] = svc
	}
	const accounts = 256
	err := reader.Update(context.Background(), func(tx service.Tx) error {
		for i := range accounts {
			a := service.Account{StaffNumber: fmt.Sprintf("B%07d", i), Name: "LEE Ka Yan", Mobile: fmt.Sprintf("+8529%07d", i)}
			if err := tx.UpsertAccount(a); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}

	var next atomic.Int64
	b.SetParallelism(4) // hashing and round trips overlap
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			n := next.Add(1)
			staff := fmt.Sprintf("B%07d", n%accounts)
			password := fmt.Sprintf("Harbour-view-%d", n)
			if err := completeFlow(svcs, reader, staff, password); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "flows/s")
}

// completeFlow resets staff's password, step i on instance i modulo their
// number.
func completeFlow(svcs []*service.Service, reader service.Store, staff, password string) error {
	ctx := context.Background()
	on := func(step int) *service.Service { return svcs[step%len(svcs)] }
	c := service.Client{Addr: "192.0.2.10", UserAgent: "bench", Reference: "bench"}

	cp, err := on(0).NewCaptcha(ctx, c)
	if err != nil {
		return fmt.Errorf("captcha: %w", err)
	}
	start, err := on(1).Start(ctx, c, api.StartRequest{StaffNumber: staff, CaptchaID: cp.CaptchaID, CaptchaAnswer: benchCaptchaAnswer})
	if err != nil {
		return fmt.Errorf("start: %w", err)
	}
	if _, err := on(2).SendCode(ctx, c, start.ResetToken, api.SendCodeRequest{Channel: api.ChannelSMS}); err != nil {
		return fmt.Errorf("send code: %w", err)
	}
	code, err := sentCode(reader, start.ResetToken)
	if err != nil {
		return err
	}
	if err := on(3).Verify(ctx, c, start.ResetToken, code); err != nil {
		return fmt.Errorf("verify: %w", err)
	}
	if _, err := on(4).SetPassword(ctx, c, start.ResetToken, api.PasswordRequest{NewPassword: password}); err != nil {
		return fmt.Errorf("set password: %w", err)
	}
	return nil
}

// sentCode reads the code of token's latest message, as its recipient
// would.
func sentCode(reader service.Store, token string) (string, error) {
	sum := sha256.Sum256([]byte(token))
	var code string
	err := reader.View(context.Background(), func(tx service.Tx) error {
		f, err := tx.Flow(hex.EncodeToString(sum[:]))
		if err != nil {
			return err
		}
		m, err := tx.Message(f.MessageID)
		code = m.Params["code"]
		return err
	})
	if err != nil {
		return "", fmt.Errorf("read the code: %w", err)
	}
	return code, nil
}
