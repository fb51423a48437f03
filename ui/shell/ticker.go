package shell

import (
	"time"

	"fyne.io/fyne/v2"
)

// realTicker calls fn every interval on the UI goroutine.
type realTicker struct{}

func (realTicker) Every(interval time.Duration, fn func()) (stop func()) {
	t := time.NewTicker(interval)
	done := make(chan struct{})
	go func() {
		for {
			select {
			case <-done:
				return
			case <-t.C:
				fyne.Do(fn)
			}
		}
	}()
	return func() {
		t.Stop()
		close(done)
	}
}
