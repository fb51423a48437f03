package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"casreset/service"
	"casreset/service/delivery"
	"casreset/service/httpapi"
	"casreset/service/ldapdir"
)

// Running is a started service.
type Running struct {
	// URL is the service's base URL, e.g. https://127.0.0.1:8443.
	URL string
	// MetricsURL is where the metrics are scraped, e.g.
	// http://127.0.0.1:9464/metrics; empty when the listener is off.
	MetricsURL string
	// Addr is the address actually listened on (useful with port 0).
	Addr net.Addr
	// CAPEM is the CA clients must trust: the generated one, or nil when
	// IT's own certificate is used (its CA is IT's to distribute).
	CAPEM []byte
	// Service and Store are the running domain and its database, for the
	// desktop app's demo accounts and for tests.
	Service *service.Service
	Store   service.Store

	log      *slog.Logger
	srv      *http.Server
	stopBg   context.CancelFunc
	bg       sync.WaitGroup
	closers  []func() error
	stopOnce sync.Once
	stopping chan struct{}
	done     chan struct{}

	mu          sync.Mutex
	serveErr    error
	shutdownErr error
}

// Start opens the store and the directory, starts the delivery worker, the
// purge job and HTTPS on cfg.Addr, and returns once the listener is open.
// Cancelling ctx shuts the service down gracefully (as Shutdown does, within
// cfg.ShutdownTimeout); Wait reports when it has stopped.
func Start(ctx context.Context, cfg Config) (*Running, error) {
	cfg, err := withDefaults(cfg)
	if err != nil {
		return nil, err
	}
	r := &Running{log: cfg.Log, stopping: make(chan struct{}), done: make(chan struct{})}
	ok := false
	defer func() {
		if !ok {
			r.closeAll()
		}
	}()

	certs, err := newCertSource(cfg, cfg.Clock.Now())
	if err != nil {
		return nil, err
	}
	r.CAPEM = certs.caPEM
	if err := r.openService(ctx, cfg); err != nil {
		return nil, err
	}
	worker, err := newWorker(cfg, r.Store)
	if err != nil {
		return nil, err
	}
	reg := httpapi.NewRegistry()
	if err := r.serveMetrics(cfg, reg); err != nil {
		return nil, err
	}
	if r.srv, err = newHTTPServer(ctx, cfg, newAPIHandler(cfg, r.Service, worker, reg), certs); err != nil {
		return nil, err
	}
	ln, err := r.listen(cfg)
	if err != nil {
		return nil, err
	}
	r.startBackground(ctx, cfg, worker, certs)
	r.serve(ctx, cfg, ln)
	ok = true
	return r, nil
}

// withDefaults checks cfg and fills what may be left out: the log, the
// clock and the organisation's time zone.
func withDefaults(cfg Config) (Config, error) {
	if err := cfg.Validate(); err != nil {
		return cfg, err
	}
	if err := cfg.Org.Validate(); err != nil {
		return cfg, fmt.Errorf("organisation: %w", err)
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	if cfg.Clock == nil {
		cfg.Clock = service.SystemClock{}
	}
	if cfg.Org.Location == nil {
		cfg.Org.Location = cfg.Service.Location
	}
	return cfg, nil
}

// openService opens the store and, when one is configured, the LDAP
// directory, and builds the domain on them. What it opens is closed by
// closeAll.
func (r *Running) openService(ctx context.Context, cfg Config) error {
	store, desc, err := OpenStore(ctx, cfg.DataDir, cfg.DB, false)
	if err != nil {
		return fmt.Errorf("database: %w", err)
	}
	r.Store = store
	r.closers = append(r.closers, store.Close)
	cfg.Log.Info("database open", "store", desc)

	dir, err := r.openDirectory(cfg)
	if err != nil {
		return err
	}
	svc, err := service.New(cfg.Service, store, dir, cfg.Clock, cfg.Log)
	if err != nil {
		return err
	}
	r.Service = svc
	return nil
}

// openDirectory opens the LDAP directory of cfg.LDAP, or returns nil when
// accounts and passwords are kept in the service's database.
func (r *Running) openDirectory(cfg Config) (service.Directory, error) {
	if cfg.LDAP.URL == "" {
		if cfg.LDAP.HelpdeskGroup != "" {
			return nil, errors.New("directory: --helpdesk-group needs a directory (--ldap-url)")
		}
		return nil, nil
	}
	lc := cfg.LDAP
	if lc.Location == nil {
		lc.Location = cfg.Service.Location
	}
	if lc.Logger == nil {
		lc.Logger = cfg.Log.With("component", "ldap")
	}
	d, err := ldapdir.New(lc)
	if err != nil {
		return nil, fmt.Errorf("directory: %w", err)
	}
	r.closers = append(r.closers, d.Close)
	cfg.Log.Info("accounts and passwords in LDAP", "url", lc.URL, "base", lc.BaseDN)
	if lc.HelpdeskGroup != "" {
		base := lc.OperatorBaseDN
		if base == "" {
			base = lc.BaseDN
		}
		cfg.Log.Info("help-desk operators from the directory", "group", lc.HelpdeskGroup, "base", base)
	}
	return d, nil
}

// newWorker builds the delivery worker with the senders cfg configures.
func newWorker(cfg Config, store service.Store) (*delivery.Worker, error) {
	snd, err := senders(cfg, cfg.Log)
	if err != nil {
		return nil, fmt.Errorf("delivery: %w", err)
	}
	return delivery.NewWorker(store, snd, cfg.Org, cfg.Clock, cfg.Log), nil
}

// newAPIHandler is the HTTP API of svc, with its metrics in reg. Every
// committed audit event pokes the worker and reaches cfg.OnEvent.
func newAPIHandler(cfg Config, svc *service.Service, worker *delivery.Worker, reg *prometheus.Registry) http.Handler {
	onEvent := cfg.OnEvent
	return httpapi.New(svc, httpapi.Options{
		Log:            cfg.Log,
		TrustedProxies: cfg.TrustedProxies,
		Registry:       reg,
		Collectors:     worker.Collectors(),
		OnEvent: func(ev service.AuditEvent) {
			// Any event may have queued a message; a poke is cheap.
			worker.Poke()
			if onEvent != nil {
				onEvent(ev)
			}
		},
	})
}

// newHTTPServer is the HTTPS server of handler, with cfg's limits and
// certificates from certs. Its requests' contexts keep ctx's values but
// are not cancelled with it: shutdown lets them finish.
func newHTTPServer(ctx context.Context, cfg Config, handler http.Handler, certs *certSource) (*http.Server, error) {
	tlsCfg, err := TLSConfig(cfg.TLSMin)
	if err != nil {
		return nil, err
	}
	tlsCfg.GetCertificate = certs.get
	return &http.Server{
		Handler:           handler,
		TLSConfig:         tlsCfg,
		ReadHeaderTimeout: cfg.ReadHeaderTimeout,
		ReadTimeout:       cfg.ReadTimeout,
		WriteTimeout:      cfg.WriteTimeout,
		IdleTimeout:       cfg.IdleTimeout,
		MaxHeaderBytes:    cfg.MaxHeaderBytes,
		// TLS handshake failures (a client that does not trust the CA, a
		// scanner) are the server's own complaints; keep them quiet.
		ErrorLog: slog.NewLogLogger(cfg.Log.With("component", "http").Handler(), slog.LevelDebug),
		BaseContext: func(net.Listener) context.Context {
			return context.WithoutCancel(ctx)
		},
	}, nil
}

// listen opens cfg.Addr and sets r.Addr and r.URL. The CAPTCHA test switch
// is refused on anything but a loopback address, whatever the name in
// cfg.Addr resolved to.
func (r *Running) listen(cfg Config) (net.Listener, error) {
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return nil, err
	}
	tcp := ln.Addr().(*net.TCPAddr)
	if cfg.Service.TestCaptchaAnswer != "" && !tcp.IP.IsLoopback() {
		ln.Close()
		return nil, fmt.Errorf("RESETD_TEST_CAPTCHA_ANSWER is set but %s is not a loopback address", tcp)
	}
	r.Addr = tcp
	host := tcp.IP.String()
	if tcp.IP.IsUnspecified() {
		host = "localhost"
	}
	r.URL = "https://" + net.JoinHostPort(host, strconv.Itoa(tcp.Port))
	return ln, nil
}

// startBackground starts the delivery worker and the maintenance job;
// closeAll stops them.
func (r *Running) startBackground(ctx context.Context, cfg Config, worker *delivery.Worker, certs *certSource) {
	bgCtx, stopBg := context.WithCancel(context.WithoutCancel(ctx))
	r.stopBg = stopBg
	r.goBackground(func() {
		if err := worker.Run(bgCtx); err != nil {
			cfg.Log.Error("delivery worker stopped", "error", err)
		}
	})
	r.goBackground(func() { maintain(bgCtx, r.Service, certs, cfg.Clock, cfg, cfg.Log) })
	r.goBackground(func() { checkReadyAtStart(bgCtx, r.Service, cfg.Log) })
}

// checkReadyAtStart asks once what /readyz asks (the database and the
// directory reachable, the directory's service account holding the rights
// it needs), so that a missing right is in the log from the start, not
// only once monitoring asks. Ready logs what fails.
func checkReadyAtStart(ctx context.Context, svc *service.Service, log *slog.Logger) {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := svc.Ready(ctx); err == nil {
		log.Info("ready: database and directory reachable")
	}
}

// serve serves HTTPS on ln until Shutdown, which a failure of the server
// or the end of ctx (within cfg.ShutdownTimeout) also calls.
func (r *Running) serve(ctx context.Context, cfg Config, ln net.Listener) {
	if cfg.Service.TestCaptchaAnswer != "" {
		r.log.Warn("TEST SWITCH ON: every CAPTCHA accepts the answer set in RESETD_TEST_CAPTCHA_ANSWER; for automated tests only, never in production", "addr", r.Addr.String())
	}
	r.log.Info("resetd listening", "url", r.URL, "tls_min", cfg.TLSMin)

	go func() {
		err := r.srv.ServeTLS(ln, "", "")
		if !errors.Is(err, http.ErrServerClosed) {
			r.log.Error("HTTPS server stopped", "error", err)
			r.mu.Lock()
			r.serveErr = err
			r.mu.Unlock()
			r.Shutdown(context.Background())
		}
	}()
	go func() {
		select {
		case <-ctx.Done():
			sctx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
			defer cancel()
			r.Shutdown(sctx)
		case <-r.stopping:
		}
	}()
}

func (r *Running) goBackground(fn func()) {
	r.bg.Add(1)
	go func() {
		defer r.bg.Done()
		fn()
	}()
}

// Shutdown stops accepting connections, lets in-flight requests finish
// until ctx is done (then closes them), stops the worker and the purge
// job, and closes the database and the directory. It may be called more
// than once; every call waits for the first to finish.
func (r *Running) Shutdown(ctx context.Context) error {
	r.stopOnce.Do(func() {
		close(r.stopping)
		r.log.Info("shutting down")
		err := r.srv.Shutdown(ctx)
		if err != nil {
			r.log.Warn("in-flight requests cut short", "error", err)
			r.srv.Close()
		}
		r.mu.Lock()
		r.shutdownErr = err
		r.mu.Unlock()
		r.closeAll()
		r.log.Info("stopped")
		close(r.done)
	})
	<-r.done
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.shutdownErr
}

// Wait blocks until the service has stopped and returns why, if it was not
// a requested shutdown that completed in time.
func (r *Running) Wait() error {
	<-r.done
	r.mu.Lock()
	defer r.mu.Unlock()
	return errors.Join(r.serveErr, r.shutdownErr)
}

// closeAll stops the background jobs and closes what Start opened, newest
// first.
func (r *Running) closeAll() {
	if r.stopBg != nil {
		r.stopBg()
	}
	r.bg.Wait()
	for i := len(r.closers) - 1; i >= 0; i-- {
		if err := r.closers[i](); err != nil {
			r.log.Warn("close", "error", err)
		}
	}
	r.closers = nil
}
