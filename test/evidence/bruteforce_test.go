package evidence

import (
	"net/http"
	"sync"
	"testing"

	"casreset/api"
	"casreset/client"
	"casreset/service"
)

// TestParallelStartsFromOneAddressStopAtTheLimit: 100 starts at once from
// one address, each with a right CAPTCHA, on each database, under the
// default limit. The per-address count is read and written under one lock
// whatever the interleaving, so exactly the limit are accepted.
func TestParallelStartsFromOneAddressStopAtTheLimit(t *testing.T) {
	for _, e := range engines(t) {
		t.Run(e.name, func(t *testing.T) {
			s := newSetup(t, e)
			s.importAccounts(t, 1)
			startsAtOnce(t, s.start(t)) // the default limits
		})
	}
}

// clients are n PCs, each with a connection of its own.
func clients(in *instance, n int) []*client.Client {
	out := make([]*client.Client, n)
	for i := range out {
		out[i] = in.client()
	}
	return out
}

func startsAtOnce(t *testing.T, in *instance) {
	ctx := testContext(t)
	limit := service.DefaultConfig().StartsPerAddr
	const starts = 100
	pcs := clients(in, 10)
	ids := make([]string, starts)
	for k := range ids {
		cp, err := pcs[0].NewCaptcha(ctx)
		if err != nil {
			t.Fatal(err)
		}
		ids[k] = cp.CaptchaID
	}
	codes := make([]api.Code, starts)
	retry := make([]int, starts)
	var wg sync.WaitGroup
	gate := make(chan struct{})
	for k := range starts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-gate
			_, err := pcs[k%len(pcs)].Start(ctx, api.StartRequest{StaffNumber: staff(0), CaptchaID: ids[k], CaptchaAnswer: captchaAnswer})
			switch ae := err.(type) {
			case nil:
				codes[k] = "created"
			case *api.Error:
				codes[k], retry[k] = ae.Code, ae.RetryAfter
			default:
				codes[k] = api.Code("not a problem: " + errString(err))
			}
		}()
	}
	close(gate)
	wg.Wait()

	count := map[api.Code]int{}
	for k, c := range codes {
		count[c]++
		if c == api.CodeRateLimited && retry[k] <= 0 {
			t.Errorf("a rate_limited answer without retry_after")
		}
	}
	if count["created"] != limit || count[api.CodeRateLimited] != starts-limit {
		t.Errorf("answers %v, want %d created and %d rate_limited (%d)", count, limit, starts-limit, http.StatusTooManyRequests)
	}
}

func errString(err error) string {
	if err == nil {
		return "success"
	}
	return err.Error()
}
