package evidence

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestHeaderFloods: headers past --max-header-bytes are refused with 431
// before any handler runs; many small headers within it are served.
func TestHeaderFloods(t *testing.T) {
	s := newSetup(t, sqliteOnly)
	in := s.start(t) // the default limit, 32 KiB
	request := func(headers string) string {
		return "GET /v1/policy HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n" + headers + "\r\n"
	}
	many := func(n, size int) string {
		var b strings.Builder
		for i := range n {
			fmt.Fprintf(&b, "X-Flood-%d: %s\r\n", i, strings.Repeat("v", size))
		}
		return b.String()
	}
	tests := []struct {
		name    string
		headers string
		want    int
	}{
		{"one 64 KiB header", "X-Big: " + strings.Repeat("a", 64<<10) + "\r\n", http.StatusRequestHeaderFieldsTooLarge},
		{"5000 small headers", many(5000, 10), http.StatusRequestHeaderFieldsTooLarge},
		{"one 1 MiB cookie", "Cookie: " + strings.Repeat("c=1; ", 200<<10) + "\r\n", http.StatusRequestHeaderFieldsTooLarge},
		// Since Go 1.27 net/http also refuses more than 500 header values
		// (http.DefaultMaxHeaderValueCount), whatever their size.
		{"600 small headers, over the count", many(600, 10), http.StatusRequestHeaderFieldsTooLarge},
		{"400 small headers, within the limits", many(400, 10), http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			conn := in.dial()
			conn.SetDeadline(time.Now().Add(30 * time.Second))
			// The server may answer and close before reading everything
			// sent: a write error after that is expected.
			go io.WriteString(conn, request(tt.headers))
			resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
			if err != nil {
				t.Fatalf("no answer: %v", err)
			}
			resp.Body.Close()
			if resp.StatusCode != tt.want {
				t.Fatalf("status %d, want %d", resp.StatusCode, tt.want)
			}
		})
	}
	if !in.running() {
		t.Fatalf("resetd exited:\n%s", in.stderr.String())
	}
}

// TestSlowClientsAreCutOff: a client that never finishes its TLS
// handshake or its headers holds a connection only for
// --read-header-timeout.
func TestSlowClientsAreCutOff(t *testing.T) {
	s := newSetup(t, sqliteOnly)
	in := s.start(t, "--read-header-timeout", "1s")
	tests := []struct {
		name string
		open func(t *testing.T) net.Conn
	}{
		{"silent after TCP connect", func(t *testing.T) net.Conn {
			conn, err := net.Dial("tcp", in.hostPort())
			if err != nil {
				t.Fatal(err)
			}
			return conn
		}},
		{"half a request line", func(t *testing.T) net.Conn {
			conn := in.dial()
			io.WriteString(conn, "GET /v1/pol")
			return conn
		}},
		{"headers without their end", func(t *testing.T) net.Conn {
			conn := in.dial()
			io.WriteString(conn, "GET /v1/policy HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: 1\r\n")
			return conn
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			conn := tt.open(t)
			defer conn.Close()
			// Far longer than the timeout: the server, not this deadline,
			// must end the connection.
			conn.SetReadDeadline(time.Now().Add(20 * time.Second))
			data, err := io.ReadAll(conn)
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				t.Fatalf("the connection was still open after 20s")
			}
			// Closing may come with a last word: a plain 4xx, or a TLS
			// alert to a client still in its handshake.
			if len(data) > 0 && !strings.HasPrefix(string(data), "HTTP/1.1 4") && data[0] != 0x15 {
				t.Errorf("answer before closing: %.100q", data)
			}
		})
	}
}
