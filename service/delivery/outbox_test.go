package delivery

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"casreset/api"
	"casreset/service"
)

func TestOutboxWritesOneJSONFilePerMessage(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "outbox") // created by NewOutbox
	ob, err := NewOutbox(dir)
	if err != nil {
		t.Fatal(err)
	}
	r := renderTest(t, service.MessageCode, api.ChannelEmail)
	if err := ob.Send(context.Background(), r); err != nil {
		t.Fatalf("Send: %v", err)
	}

	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 {
		t.Fatalf("outbox holds %d files, want 1 (no temporary file left)", len(entries))
	}
	path := filepath.Join(dir, entries[0].Name())
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if perm := info.Mode().Perm(); perm != 0o600 {
		t.Errorf("file mode %v, want 0600", perm)
	}
	if !strings.HasSuffix(path, ".json") {
		t.Errorf("file name %q", path)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var fields map[string]string
	if err := json.Unmarshal(data, &fields); err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	want := map[string]string{
		"channel": "email", "to": r.To, "subject": r.Subject, "body": r.Body, "code": "493027",
	}
	if len(fields) != len(want) {
		t.Errorf("fields %v, want exactly %v", slices.Sorted(maps.Keys(fields)), slices.Sorted(maps.Keys(want)))
	}
	for k, v := range want {
		if fields[k] != v {
			t.Errorf("%s = %q, want %q", k, fields[k], v)
		}
	}
}

func TestOutboxOmitsTheCodeOfOtherMessages(t *testing.T) {
	dir := t.TempDir()
	ob, err := NewOutbox(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := ob.Send(context.Background(), renderTest(t, service.MessageReminder, api.ChannelSMS)); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	if len(files) != 1 {
		t.Fatalf("%d files", len(files))
	}
	data, _ := os.ReadFile(files[0])
	if strings.Contains(string(data), `"code"`) {
		t.Errorf("a reminder has a code field: %s", data)
	}
}

func TestReadOutboxReturnsMessagesInWriteOrder(t *testing.T) {
	dir := t.TempDir()
	ob, err := NewOutbox(dir)
	if err != nil {
		t.Fatal(err)
	}
	const n = 50
	for i := range n {
		r := Rendered{Channel: api.ChannelSMS, To: "+85291234534", Body: fmt.Sprint(i), Code: fmt.Sprintf("%06d", i)}
		if err := ob.Send(context.Background(), r); err != nil {
			t.Fatal(err)
		}
	}
	// Files that are not messages are left alone.
	if err := os.WriteFile(filepath.Join(dir, ".outbox-123.tmp"), []byte("{"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "README.txt"), []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	msgs, err := ReadOutbox(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) != n {
		t.Fatalf("ReadOutbox read %d messages, want %d", len(msgs), n)
	}
	for i, m := range msgs {
		if m.Body != fmt.Sprint(i) || m.Code != fmt.Sprintf("%06d", i) || m.Channel != api.ChannelSMS {
			t.Fatalf("message %d is %+v", i, m)
		}
	}
}

func TestReadOutboxOfAMissingDirectoryIsEmpty(t *testing.T) {
	msgs, err := ReadOutbox(filepath.Join(t.TempDir(), "never-created"))
	if err != nil || len(msgs) != 0 {
		t.Errorf("ReadOutbox = %v, %v; want nothing", msgs, err)
	}
}
