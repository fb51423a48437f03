package httpapi

import (
	"bytes"
	"log/slog"
	"net/http"
	"path"
	"strings"
	"time"

	"casreset/api"
	"casreset/service"
	"casreset/service/internal/textsafe"
)

// hstsValue asks browsers to use HTTPS only for two years, the period the
// HSTS preload list asks for. includeSubDomains is left out: the service
// does not own the organisation's other host names.
const hstsValue = "max-age=63072000"

// perRequest gives each request its reference and client address, and sets
// the headers every answer carries.
func (h *handler) perRequest(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ua := textsafe.Printable(r.UserAgent(), maxUserAgent)
		info := &requestInfo{
			client: service.Client{
				Addr:      clientAddr(r, h.proxies),
				UserAgent: ua,
				Reference: newReference(),
			},
			correlation: saneCorrelation(r.Header.Get(api.HeaderRequestID)),
		}
		hd := w.Header()
		hd.Set(api.HeaderRequestID, info.client.Reference)
		// Every answer is specific to one moment and most carry a token,
		// a flow or a CAPTCHA: nothing may be cached.
		hd.Set("Cache-Control", "no-store")
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("X-Frame-Options", "DENY")
		hd.Set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'")
		hd.Set("Referrer-Policy", "no-referrer")
		hd.Set("Cross-Origin-Resource-Policy", "same-origin")
		// The service speaks only HTTPS; a browser that ever reaches it
		// (a help-desk page, a probe) must not fall back to plain HTTP.
		hd.Set("Strict-Transport-Security", hstsValue)
		next.ServeHTTP(w, r.WithContext(withInfo(r.Context(), info)))
	})
}

// dispatch routes with the mux, and answers requests it has no route for
// (404) or no such method for (405) with problem documents instead of the
// mux's plain-text pages.
func (h *handler) dispatch() http.Handler {
	unmatched := h.instrument("unmatched", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fallback, _ := h.mux.Handler(r)
		rec := &headerRecorder{header: http.Header{}}
		fallback.ServeHTTP(rec, r)
		p := h.problem(infoOf(r), api.Errorf(api.CodeNotFound, "There is no such resource in this API."))
		if rec.status == http.StatusMethodNotAllowed {
			// The contract has no code of its own for this; invalid_request
			// with the true status and the Allow header says enough.
			p = h.problem(infoOf(r), api.Errorf(api.CodeInvalidRequest, "This resource does not accept the %s method.", r.Method))
			p.Status = http.StatusMethodNotAllowed
			w.Header().Set("Allow", rec.header.Get("Allow"))
		}
		writeProblem(w, p)
	}))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// The mux would redirect an unclean path (with "..", "//" or
		// ".") to its clean form with an HTML page; an API client sent
		// such a path by mistake or to probe, so it is simply not found.
		if !isCleanPath(r.URL.Path) {
			unmatched.ServeHTTP(w, r)
			return
		}
		if _, pattern := h.mux.Handler(r); pattern == "" {
			unmatched.ServeHTTP(w, r)
			return
		}
		h.mux.ServeHTTP(w, r)
	})
}

// isCleanPath reports whether p is absolute and already in the form
// path.Clean gives (a trailing slash aside).
func isCleanPath(p string) bool {
	if p == "" || p[0] != '/' {
		return false
	}
	c := path.Clean(p)
	if strings.HasSuffix(p, "/") && c != "/" {
		c += "/"
	}
	return c == p
}

// headerRecorder captures what the mux's fallback handlers would answer.
type headerRecorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (r *headerRecorder) Header() http.Header { return r.header }
func (r *headerRecorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.body.Write(b)
}
func (r *headerRecorder) WriteHeader(status int) {
	if r.status == 0 {
		r.status = status
	}
}

// recoverPanics answers a panicking handler with a generic internal error
// (when nothing was written yet) and logs the panic with the reference.
func (h *handler) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sw := &statusWriter{ResponseWriter: w}
		defer func() {
			v := recover()
			if v == nil {
				return
			}
			if v == http.ErrAbortHandler {
				panic(v)
			}
			ref := w.Header().Get(api.HeaderRequestID)
			h.log.Error("panic in handler", "reference", ref, "method", r.Method, "path", r.URL.Path, "panic", v)
			if sw.status == 0 {
				info := &requestInfo{client: service.Client{Reference: ref}}
				writeProblem(w, h.problem(info, api.Errorf(api.CodeInternal, "")))
			}
		}()
		next.ServeHTTP(sw, r)
	})
}

// instrument counts and times requests by route pattern and status, and
// writes one access-log line per request (never the query or the body).
func (h *handler) instrument(route string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		info := infoOf(r)
		info.route = route
		sw := &statusWriter{ResponseWriter: w}
		h.metrics.inFlight.Inc()
		defer func() {
			h.metrics.inFlight.Dec()
			status := sw.status
			if status == 0 {
				status = http.StatusOK
			}
			elapsed := time.Since(start)
			h.metrics.observeRequest(route, status, elapsed)
			level := slog.LevelInfo
			if status >= 500 {
				level = slog.LevelError
			}
			attrs := []any{
				"route", route,
				"method", r.Method,
				"status", status,
				"duration_ms", elapsed.Milliseconds(),
				"reference", info.client.Reference,
				"client", info.client.Addr,
			}
			if info.correlation != "" {
				attrs = append(attrs, "correlation", info.correlation)
			}
			h.log.Log(r.Context(), level, "request", attrs...)
		}()
		next.ServeHTTP(sw, r)
	})
}

// statusWriter remembers the status written through it.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
	w.ResponseWriter.WriteHeader(status)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
