package wizard

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"math"
	"sync"
	"time"

	"github.com/ebitengine/oto/v3"
)

// outputRate is the sample rate of the sound card context; every WAV is
// converted to it, because oto allows one context per process.
const outputRate = 48000

// soundCard plays WAV files on the default sound output with oto.
type soundCard struct {
	once sync.Once
	ctx  *oto.Context
	err  error
	mu   sync.Mutex // one CAPTCHA at a time
}

func newSoundCard() *soundCard { return &soundCard{} }

// open makes the one oto context, on first use: a computer without sound
// pays nothing until someone asks to listen.
func (s *soundCard) open() error {
	s.once.Do(func() {
		ctx, ready, err := oto.NewContext(&oto.NewContextOptions{
			SampleRate:   outputRate,
			ChannelCount: 2,
			Format:       oto.FormatFloat32LE,
		})
		if err != nil {
			s.err = fmt.Errorf("%w: %v", ErrNoSoundDevice, err)
			return
		}
		<-ready
		// On Linux the device is opened in the background: a missing
		// one shows only here, once the context says it is ready.
		if err := ctx.Err(); err != nil {
			s.err = fmt.Errorf("%w: %v", ErrNoSoundDevice, err)
			return
		}
		s.ctx = ctx
	})
	return s.err
}

// Play decodes wav and plays it, returning when it has finished or ctx is
// done.
func (s *soundCard) Play(ctx context.Context, wav []byte) error {
	audio, err := decodeWAV(wav)
	if err != nil {
		return err
	}
	if err := s.open(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	samples := audio.resample(outputRate)
	p := s.ctx.NewPlayer(bytes.NewReader(stereoFloat32(samples)))
	p.Play()
	// A device that stops taking samples must not leave the CAPTCHA
	// "playing" for ever.
	length := time.Duration(len(samples)) * time.Second / outputRate
	deadline := time.NewTimer(length + 5*time.Second)
	defer deadline.Stop()
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for p.IsPlaying() {
		select {
		case <-ctx.Done():
			p.Pause()
			return ctx.Err()
		case <-deadline.C:
			p.Pause()
			return fmt.Errorf("%w: playback stalled", ErrNoSoundDevice)
		case <-tick.C:
			if err := s.ctx.Err(); err != nil {
				return fmt.Errorf("%w: %v", ErrNoSoundDevice, err)
			}
		}
	}
	if err := p.Err(); err != nil {
		return err
	}
	return s.ctx.Err()
}

// stereoFloat32 lays mono samples out as oto reads them: both channels,
// little-endian 32-bit floats.
func stereoFloat32(mono []float32) []byte {
	out := make([]byte, len(mono)*8)
	for i, v := range mono {
		bits := math.Float32bits(v)
		binary.LittleEndian.PutUint32(out[i*8:], bits)
		binary.LittleEndian.PutUint32(out[i*8+4:], bits)
	}
	return out
}
