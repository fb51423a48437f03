package server

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"casreset/service/httpapi"
)

// DefaultMetricsAddr is where /metrics listens unless configured: loopback,
// so that only a scraper on the same host (or a tunnel) reaches it.
const DefaultMetricsAddr = "127.0.0.1:9464"

// MetricsOff disables the metrics listener, as an empty MetricsAddr does.
const MetricsOff = "off"

// metricsEnabled reports whether addr asks for a metrics listener.
func metricsEnabled(addr string) bool { return addr != "" && addr != MetricsOff }

// serveMetrics serves reg on cfg.MetricsAddr unless that is off, and sets
// r.MetricsURL; closeAll closes the listener.
func (r *Running) serveMetrics(cfg Config, reg *prometheus.Registry) error {
	if !metricsEnabled(cfg.MetricsAddr) {
		return nil
	}
	srv, url, err := metricsServer(cfg.MetricsAddr, reg, cfg.Log)
	if err != nil {
		return err
	}
	r.closers = append(r.closers, srv.Close)
	r.MetricsURL = url
	cfg.Log.Info("metrics listening", "url", url)
	return nil
}

// metricsServer serves reg at GET /metrics, in plain HTTP as Prometheus
// scrapes by default, on a listener apart from the API's: the public
// listener answers /metrics 404. It returns the server, serving, and its
// URL.
func metricsServer(addr string, reg *prometheus.Registry, log *slog.Logger) (*http.Server, string, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, "", fmt.Errorf("--metrics-addr: %w", err)
	}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", httpapi.MetricsHandler(reg, log))
	srv := &http.Server{
		Handler:           mux,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    8 << 10,
		ErrorLog:          slog.NewLogLogger(log.With("component", "metrics").Handler(), slog.LevelDebug),
	}
	go func() {
		if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			log.Error("metrics listener stopped", "error", err)
		}
	}()
	return srv, "http://" + ln.Addr().String() + "/metrics", nil
}
