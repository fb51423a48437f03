package main

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"

	"casreset/service/delivery"
)

// errNoCode is a code that did not reach the outbox in time.
var errNoCode = errors.New("the validation code did not reach the outbox")

// mailbox hands out the codes the service writes into its outbox, by
// recipient, as a person reads their SMS or e-mail. It learns of each new
// file from inotify (the outbox renames finished files into place) rather
// than re-reading a directory of thousands of files per code.
type mailbox struct {
	dir  string
	file *os.File // the inotify descriptor

	mu      sync.Mutex
	codes   map[string][]string      // recipient → codes not yet taken, oldest first
	sent    int                      // code messages seen
	waiters map[string]chan struct{} // recipient → closed when a code arrives
	err     error                    // why reading stopped
	done    chan struct{}
}

func newMailbox(dir string) (*mailbox, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	fd, err := syscall.InotifyInit1(syscall.IN_CLOEXEC | syscall.IN_NONBLOCK)
	if err != nil {
		return nil, fmt.Errorf("inotify: %w", err)
	}
	if _, err := syscall.InotifyAddWatch(fd, dir, syscall.IN_MOVED_TO|syscall.IN_CLOSE_WRITE); err != nil {
		syscall.Close(fd)
		return nil, fmt.Errorf("inotify watch %s: %w", dir, err)
	}
	m := &mailbox{
		dir:     dir,
		file:    os.NewFile(uintptr(fd), "inotify"),
		codes:   map[string][]string{},
		waiters: map[string]chan struct{}{},
		done:    make(chan struct{}),
	}
	go m.read()
	return m, nil
}

// Close stops reading.
func (m *mailbox) Close() error {
	err := m.file.Close()
	<-m.done
	return err
}

func (m *mailbox) read() {
	defer close(m.done)
	buf := make([]byte, 64<<10)
	for {
		n, err := m.file.Read(buf)
		if err != nil {
			m.stop(err)
			return
		}
		for off := 0; off+syscall.SizeofInotifyEvent <= n; {
			nameLen := int(binary.NativeEndian.Uint32(buf[off+12 : off+16]))
			start := off + syscall.SizeofInotifyEvent
			name := string(bytes.TrimRight(buf[start:start+nameLen], "\x00"))
			off = start + nameLen
			if strings.HasPrefix(name, ".") || !strings.HasSuffix(name, ".json") {
				continue // the outbox's temporary files
			}
			if err := m.deliver(name); err != nil {
				m.stop(err)
				return
			}
		}
	}
}

func (m *mailbox) deliver(name string) error {
	data, err := os.ReadFile(filepath.Join(m.dir, name))
	if err != nil {
		return err
	}
	var msg delivery.OutboxMessage
	if err := json.Unmarshal(data, &msg); err != nil {
		return fmt.Errorf("outbox file %s: %w", name, err)
	}
	if msg.Code == "" {
		return nil // a notice of a change: no code in it
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.codes[msg.To] = append(m.codes[msg.To], msg.Code)
	m.sent++
	if w, ok := m.waiters[msg.To]; ok {
		close(w)
		delete(m.waiters, msg.To)
	}
	return nil
}

func (m *mailbox) stop(err error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.err == nil {
		m.err = err
	}
	for to, w := range m.waiters {
		close(w)
		delete(m.waiters, to)
	}
}

// code waits for a code sent to recipient and takes the newest, dropping
// older ones (of a flow that failed before reading its code). Each
// recipient has one flow at a time in the load, so the newest is that
// flow's.
func (m *mailbox) code(ctx context.Context, recipient string) (string, error) {
	for {
		m.mu.Lock()
		if q := m.codes[recipient]; len(q) > 0 {
			delete(m.codes, recipient)
			m.mu.Unlock()
			return q[len(q)-1], nil
		}
		if m.err != nil {
			err := m.err
			m.mu.Unlock()
			return "", fmt.Errorf("outbox: %w", err)
		}
		w, ok := m.waiters[recipient]
		if !ok {
			w = make(chan struct{})
			m.waiters[recipient] = w
		}
		m.mu.Unlock()
		select {
		case <-w:
		case <-ctx.Done():
			return "", errNoCode
		}
	}
}
