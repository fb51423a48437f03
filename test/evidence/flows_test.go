package evidence

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"casreset/api"
	"casreset/client"
	"casreset/service/delivery"
)

// The helpers below return errors, so that goroutines of a test can use
// them (only the test's own goroutine may stop it); the must… forms stop
// the test.

// inbox reads the codes resetd writes into its outbox, as their
// recipients would, remembering which each recipient has read.
type inbox struct {
	dir  string
	mu   sync.Mutex
	read map[string]int // recipient → codes taken
}

func newInbox(dir string) *inbox { return &inbox{dir: dir, read: map[string]int{}} }

// next waits for the next code sent to recipient and takes it.
func (b *inbox) next(recipient string) (string, error) {
	deadline := time.Now().Add(30 * time.Second)
	for {
		msgs, err := delivery.ReadOutbox(b.dir)
		if err != nil {
			return "", err
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
			return codes[n], nil
		}
		b.mu.Unlock()
		if time.Now().After(deadline) {
			return "", fmt.Errorf("no code for %s in the outbox within 30s", recipient)
		}
		time.Sleep(10 * time.Millisecond) // the delivery worker writes it
	}
}

func (b *inbox) mustNext(t *testing.T, recipient string) string {
	t.Helper()
	code, err := b.next(recipient)
	if err != nil {
		t.Fatal(err)
	}
	return code
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
// the code sent by e-mail, and returns its token.
func verifiedFlow(ctx context.Context, c *client.Client, box *inbox, i int) (string, error) {
	token, err := startFlow(ctx, c, staff(i))
	if err != nil {
		return "", fmt.Errorf("start %s: %w", staff(i), err)
	}
	if _, err := c.SendCode(ctx, token, api.SendCodeRequest{Channel: api.ChannelEmail}); err != nil {
		return "", fmt.Errorf("send code %s: %w", staff(i), err)
	}
	code, err := box.next(emailOf(i))
	if err != nil {
		return "", err
	}
	if _, err := c.Verify(ctx, token, code); err != nil {
		return "", fmt.Errorf("verify %s: %w", staff(i), err)
	}
	return token, nil
}

func mustVerifiedFlow(t *testing.T, ctx context.Context, c *client.Client, box *inbox, i int) string {
	t.Helper()
	token, err := verifiedFlow(ctx, c, box, i)
	if err != nil {
		t.Fatal(err)
	}
	return token
}

// changePassword runs a whole flow of account i ending with password.
func changePassword(ctx context.Context, c *client.Client, box *inbox, i int, password string) error {
	token, err := verifiedFlow(ctx, c, box, i)
	if err != nil {
		return err
	}
	if _, err := c.SetPassword(ctx, token, api.PasswordRequest{NewPassword: password}); err != nil {
		return fmt.Errorf("set password %s: %w", staff(i), err)
	}
	return nil
}

func mustChangePassword(t *testing.T, ctx context.Context, c *client.Client, box *inbox, i int, password string) {
	t.Helper()
	if err := changePassword(ctx, c, box, i, password); err != nil {
		t.Fatal(err)
	}
}
