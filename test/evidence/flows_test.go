package evidence

import (
	"context"
	"sync"
	"testing"
	"time"

	"casreset/api"
	"casreset/client"
	"casreset/service/delivery"
)

// inbox reads the codes resetd writes into its outbox, as their
// recipients would, remembering which each recipient has read.
type inbox struct {
	dir  string
	mu   sync.Mutex
	read map[string]int // recipient → codes taken
}

func newInbox(dir string) *inbox { return &inbox{dir: dir, read: map[string]int{}} }

// next waits for the next code sent to recipient and takes it.
func (b *inbox) next(t *testing.T, recipient string) string {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		msgs, err := delivery.ReadOutbox(b.dir)
		if err != nil {
			t.Fatal(err)
		}
		var codes []string
		for _, m := range msgs {
			if m.To == recipient && m.Code != "" {
				codes = append(codes, m.Code)
			}
		}
		b.mu.Lock()
		n := b.read[recipient]
		if len(codes) > n {
			b.read[recipient] = n + 1
			b.mu.Unlock()
			return codes[n]
		}
		b.mu.Unlock()
		if time.Now().After(deadline) {
			t.Fatalf("no code for %s in the outbox within 30s", recipient)
		}
		time.Sleep(10 * time.Millisecond) // the delivery worker writes it
	}
}

// startFlow solves a CAPTCHA with the test answer and starts a flow.
func startFlow(ctx context.Context, c *client.Client, staffNumber string) (string, error) {
	cp, err := c.NewCaptcha(ctx)
	if err != nil {
		return "", err
	}
	st, err := c.Start(ctx, api.StartRequest{StaffNumber: staffNumber, CaptchaID: cp.CaptchaID, CaptchaAnswer: captchaAnswer})
	return st.ResetToken, err
}

// verifiedFlow walks account i's new flow up to the verified step, with
// the code sent by e-mail.
func verifiedFlow(t *testing.T, ctx context.Context, c *client.Client, box *inbox, i int) string {
	t.Helper()
	token, err := startFlow(ctx, c, staff(i))
	if err != nil {
		t.Fatalf("start %s: %v", staff(i), err)
	}
	if _, err := c.SendCode(ctx, token, api.ChannelEmail); err != nil {
		t.Fatalf("send code %s: %v", staff(i), err)
	}
	if _, err := c.Verify(ctx, token, box.next(t, emailOf(i))); err != nil {
		t.Fatalf("verify %s: %v", staff(i), err)
	}
	return token
}

// changePassword runs a whole flow of account i ending with password.
func changePassword(t *testing.T, ctx context.Context, c *client.Client, box *inbox, i int, password string) {
	t.Helper()
	token := verifiedFlow(t, ctx, c, box, i)
	if _, err := c.SetPassword(ctx, token, password); err != nil {
		t.Fatalf("set password %s: %v", staff(i), err)
	}
}
