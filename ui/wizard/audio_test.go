package wizard

import (
	"bytes"
	"context"
	"errors"
	"testing"
	"time"

	"github.com/dchest/captcha"
)

// TestSoundCardPlaysOrSaysThereIsNone plays a real CAPTCHA on this
// computer's sound output. A computer with a sound card plays it; one
// without (a build server) must say so with ErrNoSoundDevice rather than
// hang or fail some other way.
func TestSoundCardPlaysOrSaysThereIsNone(t *testing.T) {
	var wav bytes.Buffer
	if _, err := captcha.NewAudio("t", []byte{1}, "en").WriteTo(&wav); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	err := newSoundCard().Play(ctx, wav.Bytes())
	switch {
	case err == nil:
		t.Log("played on this computer's sound output")
	case errors.Is(err, ErrNoSoundDevice):
		t.Logf("no sound device, as the wizard will say: %v", err)
	default:
		t.Fatalf("Play failed with %v, which is neither success nor ErrNoSoundDevice", err)
	}
}
