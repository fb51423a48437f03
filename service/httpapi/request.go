package httpapi

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"net"
	"net/http"
	"net/netip"
	"strings"

	"casreset/api"
	"casreset/service"
)

// requestInfo is what the adapter learns about a request before routing it.
type requestInfo struct {
	client service.Client
	// correlation is the caller's own X-Request-Id when it looked sane; it
	// goes to the log beside the reference, never in its place, so that a
	// caller cannot choose the id the help desk searches the audit for.
	correlation string
	route       string // the matched pattern, set by instrument
}

type infoKey struct{}

func withInfo(ctx context.Context, info *requestInfo) context.Context {
	return context.WithValue(ctx, infoKey{}, info)
}

func infoOf(r *http.Request) *requestInfo {
	if info, ok := r.Context().Value(infoKey{}).(*requestInfo); ok {
		return info
	}
	return &requestInfo{}
}

// referenceEncoding is upper-case base32 without padding: easy to read out
// over the phone, and no character that needs escaping anywhere.
var referenceEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// newReference returns a random request reference of 80 bits (16
// characters), unique enough to find one request in years of audit.
func newReference() string {
	var b [10]byte
	rand.Read(b[:]) // never fails (crypto/rand panics rather than return an error)
	return referenceEncoding.EncodeToString(b[:])
}

// maxCorrelation bounds an incoming X-Request-Id.
const maxCorrelation = 64

// saneCorrelation returns v when it is a short token of safe characters,
// and "" otherwise, so that a hostile header cannot forge log lines.
func saneCorrelation(v string) string {
	if v == "" || len(v) > maxCorrelation {
		return ""
	}
	for _, r := range v {
		if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '-' || r == '_' || r == '.' || r == ':') {
			return ""
		}
	}
	return v
}

// maxUserAgent bounds the User-Agent carried into the service (which
// bounds it again for the audit).
const maxUserAgent = 512

// clientAddr is the address the limits and the audit see: the connection's
// peer, or, when the peer is a trusted proxy, the right-most address of
// X-Forwarded-For that is not itself a trusted proxy.
func clientAddr(r *http.Request, trusted []netip.Prefix) string {
	peer, ok := parseAddr(r.RemoteAddr)
	if !ok {
		// Not a TCP peer (tests, unix sockets): keep what there is.
		return r.RemoteAddr
	}
	if !isTrusted(peer, trusted) {
		return peer.String()
	}
	hops := forwardedFor(r.Header.Values("X-Forwarded-For"))
	for i := len(hops) - 1; i >= 0; i-- {
		a, err := netip.ParseAddr(hops[i])
		if err != nil {
			break // a damaged header: stop believing it here
		}
		a = a.Unmap()
		if !isTrusted(a, trusted) {
			return a.String()
		}
		peer = a
	}
	return peer.String()
}

func parseAddr(remote string) (netip.Addr, bool) {
	host, _, err := net.SplitHostPort(remote)
	if err != nil {
		host = remote
	}
	a, err := netip.ParseAddr(host)
	if err != nil {
		return netip.Addr{}, false
	}
	return a.Unmap().WithZone(""), true
}

func isTrusted(a netip.Addr, trusted []netip.Prefix) bool {
	for _, p := range trusted {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

func forwardedFor(values []string) []string {
	var hops []string
	for _, v := range values {
		for _, h := range strings.Split(v, ",") {
			hops = append(hops, strings.TrimSpace(h))
		}
	}
	return hops
}

// bearerToken reads "Authorization: Bearer <token>" (RFC 6750). A missing
// or malformed header is token_invalid, like an unknown token.
func bearerToken(r *http.Request) (string, error) {
	const scheme = "bearer "
	v := r.Header.Get("Authorization")
	if len(v) <= len(scheme) || !strings.EqualFold(v[:len(scheme)], scheme) {
		return "", api.Errorf(api.CodeTokenInvalid, "The reset session is missing. Please start again.")
	}
	tok := strings.TrimSpace(v[len(scheme):])
	if !isB64Token(tok) {
		return "", api.Errorf(api.CodeTokenInvalid, "The reset session is not valid. Please start again.")
	}
	return tok, nil
}

// maxToken bounds a bearer token; ours are 43 characters.
const maxToken = 256

// isB64Token reports whether s is an RFC 6750 b64token.
func isB64Token(s string) bool {
	if s == "" || len(s) > maxToken {
		return false
	}
	body := strings.TrimRight(s, "=")
	if body == "" {
		return false
	}
	for _, r := range body {
		if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || strings.ContainsRune("-._~+/", r)) {
			return false
		}
	}
	return true
}
