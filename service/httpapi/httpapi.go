// Package httpapi is the HTTP adapter of the reset service: it serves the v1
// contract of DESIGN.md (routes.go lists it) over a *service.Service. The
// handlers only decode requests, call the service and encode answers; every
// failure leaves through one path, an RFC 9457 problem document.
package httpapi

import (
	"log/slog"
	"net/http"
	"net/netip"

	"github.com/prometheus/client_golang/prometheus"

	"casreset/service"
)

// MaxBodyBytes bounds every request body.
const MaxBodyBytes = 16 << 10

// Options configure the handler. The zero value serves the contract with a
// discarding log and a private metrics registry.
type Options struct {
	Log *slog.Logger

	// TrustedProxies are the addresses of reverse proxies whose
	// X-Forwarded-For header is believed. Empty (the default) means the
	// client address is the connection's peer, whatever the headers say.
	TrustedProxies []netip.Prefix

	// Registry receives the adapter's metrics; MetricsHandler serves it on
	// a listener apart from the API's. Nil means a new private registry
	// that nobody serves.
	Registry *prometheus.Registry
	// Collectors are registered too, e.g. the delivery worker's.
	Collectors []prometheus.Collector

	// OnEvent is called with every committed audit event after the
	// adapter has counted it. New installs the service's event hook (the
	// service has one), so whoever else needs the events passes them here:
	// the delivery worker's Poke, for instance. It must not block.
	OnEvent func(service.AuditEvent)
}

// handler holds what the route handlers need.
type handler struct {
	svc     *service.Service
	log     *slog.Logger
	proxies []netip.Prefix
	metrics *metrics
	mux     *http.ServeMux
}

// New returns the handler of the whole v1 contract over svc. It installs
// svc's event hook (see Options.OnEvent) and registers its metrics with
// opts.Registry; it panics if they are registered there already, as a
// second New on one registry is a programming error.
func New(svc *service.Service, opts Options) http.Handler {
	log := opts.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	reg := opts.Registry
	if reg == nil {
		reg = NewRegistry()
	}
	h := &handler{
		svc:     svc,
		log:     log,
		proxies: opts.TrustedProxies,
		metrics: newMetrics(reg, opts.Collectors),
		mux:     http.NewServeMux(),
	}
	h.routes()

	onEvent := opts.OnEvent
	svc.SetEventHook(func(ev service.AuditEvent) {
		h.metrics.observeEvent(ev)
		if onEvent != nil {
			onEvent(ev)
		}
	})
	return h.recoverPanics(h.perRequest(h.dispatch()))
}
