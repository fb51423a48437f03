package delivery

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"casreset/api"
)

// OutboxMessage is one file of the outbox, as written by Outbox and read
// back by ReadOutbox.
type OutboxMessage = api.OutboxMessage

// Outbox is a Sender that writes each message as one JSON file into a
// directory instead of sending it: for demos (the desktop app's "Demo
// inbox") and tests. It is the only sender that writes the code apart from
// the body. File names sort in the order the messages were written.
type Outbox struct {
	dir string
	mu  sync.Mutex
	seq uint64
}

// NewOutbox returns an outbox writing into dir, creating it (0700) if
// needed.
func NewOutbox(dir string) (*Outbox, error) {
	if dir == "" {
		return nil, errors.New("outbox: no directory given")
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("outbox: %w", err)
	}
	return &Outbox{dir: dir}, nil
}

// Dir is the directory the outbox writes into.
func (o *Outbox) Dir() string { return o.dir }

// Send writes r into the outbox atomically: a reader of the directory sees
// either no file or the whole message, never a part of one.
func (o *Outbox) Send(ctx context.Context, r Rendered) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	data, err := json.MarshalIndent(OutboxMessage{
		Channel: r.Channel, To: r.To, Subject: r.Subject, Body: r.Body, Code: r.Code,
	}, "", "  ")
	if err != nil {
		return Permanent(fmt.Errorf("outbox: %w", err))
	}
	name, err := o.nextName(r.Channel)
	if err != nil {
		return err
	}
	return writeFileAtomic(filepath.Join(o.dir, name), append(data, '\n'))
}

// nextName is the UTC time to the nanosecond, a sequence number that keeps
// the order of messages written within one clock tick, and random bytes so
// that two processes writing into one directory never collide.
func (o *Outbox) nextName(ch api.Channel) (string, error) {
	var rnd [4]byte
	if _, err := rand.Read(rnd[:]); err != nil {
		return "", err
	}
	o.mu.Lock()
	o.seq++
	seq := o.seq
	ts := time.Now().UTC().Format("20060102T150405.000000000Z")
	o.mu.Unlock()
	return fmt.Sprintf("%s-%06d-%s-%s.json", ts, seq%1000000, hex.EncodeToString(rnd[:]), ch), nil
}

// writeFileAtomic writes data into a temporary file beside path (0600,
// hidden from ReadOutbox by its leading dot), syncs it and renames it
// into place.
func writeFileAtomic(path string, data []byte) (err error) {
	f, err := os.CreateTemp(filepath.Dir(path), ".outbox-*.tmp")
	if err != nil {
		return fmt.Errorf("outbox: %w", err)
	}
	defer func() {
		if err != nil {
			_ = os.Remove(f.Name())
		}
	}()
	if err = f.Chmod(0o600); err != nil {
		_ = f.Close()
		return fmt.Errorf("outbox: %w", err)
	}
	if _, err = f.Write(data); err != nil {
		_ = f.Close()
		return fmt.Errorf("outbox: %w", err)
	}
	if err = f.Sync(); err != nil {
		_ = f.Close()
		return fmt.Errorf("outbox: %w", err)
	}
	if err = f.Close(); err != nil {
		return fmt.Errorf("outbox: %w", err)
	}
	if err = os.Rename(f.Name(), path); err != nil {
		return fmt.Errorf("outbox: %w", err)
	}
	return nil
}

// ReadOutbox reads every message of an outbox directory, oldest first. It
// is for tests and for the desktop app's demo inbox, which read the codes
// the service "sent". A directory that does not exist yet holds no
// messages.
func ReadOutbox(dir string) ([]OutboxMessage, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		if e.Type().IsRegular() && !strings.HasPrefix(e.Name(), ".") && strings.HasSuffix(e.Name(), ".json") {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	msgs := make([]OutboxMessage, 0, len(names))
	for _, name := range names {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			return nil, err
		}
		var m OutboxMessage
		if err := json.Unmarshal(data, &m); err != nil {
			return nil, fmt.Errorf("outbox file %s: %w", name, err)
		}
		msgs = append(msgs, m)
	}
	return msgs, nil
}
