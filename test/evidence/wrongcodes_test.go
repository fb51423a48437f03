package evidence

import (
	"errors"
	"sort"
	"sync"
	"testing"

	"casreset/api"
)

// TestParallelWrongCodesNeverMakeMoreThanFiveAttempts: 50 wrong codes at
// once against one flow, on each database. The flow's count of wrong codes
// is read and written under one lock, so exactly five are compared with
// the code; the flow then ends, and every later answer, and the right code
// afterwards, says so.
func TestParallelWrongCodesNeverMakeMoreThanFiveAttempts(t *testing.T) {
	for _, e := range engines(t) {
		t.Run(e.name, func(t *testing.T) {
			s := newSetup(t, e)
			s.importAccounts(t, 1)
			wrongCodesAtOnce(t, s.start(t)) // the default limits
		})
	}
}

func wrongCodesAtOnce(t *testing.T, in *instance) {
	ctx := testContext(t)
	box := newInbox(in.outbox)
	c := in.client()
	token, err := startFlow(ctx, c, staff(0))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.SendCode(ctx, token, api.SendCodeRequest{Channel: api.ChannelEmail}); err != nil {
		t.Fatal(err)
	}
	right := box.mustNext(t, emailOf(0))
	wrong := "000000"
	if right == wrong {
		wrong = "111111"
	}

	const attempts = 50
	pcs := clients(in, 10)
	type answer struct {
		code api.Code
		left int
	}
	answers := make([]answer, attempts)
	var wg sync.WaitGroup
	gate := make(chan struct{})
	for k := range attempts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-gate
			_, err := pcs[k%len(pcs)].Verify(ctx, token, wrong)
			var a answer
			if ae, ok := err.(*api.Error); ok {
				a.code = ae.Code
				if ae.AttemptsLeft != nil {
					a.left = *ae.AttemptsLeft
				}
			} else {
				a.code = api.Code("not a problem: " + errString(err))
			}
			answers[k] = a
		}()
	}
	close(gate)
	wg.Wait()

	count := map[api.Code]int{}
	var left []int
	for _, a := range answers {
		count[a.code]++
		if a.code == api.CodeCodeInvalid {
			left = append(left, a.left)
		}
	}
	sort.Ints(left)
	// Five attempts are compared with the code: four answered code_invalid
	// (4, 3, 2, 1 left), the fifth ends the flow; every later one finds
	// the flow ended.
	if len(left) != 4 || left[0] != 1 || left[1] != 2 || left[2] != 3 || left[3] != 4 {
		t.Errorf("code_invalid answers with attempts_left %v, want exactly 1 2 3 4", left)
	}
	if count[api.CodeAttemptsExhausted] != 1 {
		t.Errorf("%d attempts_exhausted answers, want 1", count[api.CodeAttemptsExhausted])
	}
	if n := count[api.CodeTokenInvalid]; n != attempts-5 {
		t.Errorf("%d token_invalid answers, want %d; all answers: %v", n, attempts-5, count)
	}
	if _, err := c.Verify(ctx, token, right); problemCode(err) != api.CodeTokenInvalid {
		t.Errorf("the right code after the attempts: %v, want token_invalid", err)
	}
}

// problemCode is the contract's code of err, or "" for a failure that is
// not an answer of the contract.
func problemCode(err error) api.Code {
	var ae *api.Error
	if errors.As(err, &ae) {
		return ae.Code
	}
	return ""
}
