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

	"casreset/service"
	"casreset/service/delivery"
	"casreset/service/httpapi"
	"casreset/service/ldapdir"
)

// Running is a started service.
type Running struct {
	// URL is the service's base URL, e.g. https://127.0.0.1:8443.
	URL string
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
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if err := cfg.Org.Validate(); err != nil {
		return nil, fmt.Errorf("organisation: %w", err)
	}
	log := cfg.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	clock := cfg.Clock
	if clock == nil {
		clock = service.SystemClock{}
	}
	if cfg.Org.Location == nil {
		cfg.Org.Location = cfg.Service.Location
	}

	r := &Running{log: log, stopping: make(chan struct{}), done: make(chan struct{})}
	ok := false
	defer func() {
		if !ok {
			r.closeAll()
		}
	}()

	certs, err := newCertSource(cfg, clock.Now())
	if err != nil {
		return nil, err
	}
	r.CAPEM = certs.caPEM

	store, desc, err := OpenStore(ctx, cfg.DataDir, cfg.DB, false)
	if err != nil {
		return nil, fmt.Errorf("database: %w", err)
	}
	r.Store = store
	r.closers = append(r.closers, store.Close)
	log.Info("database open", "store", desc)

	var dir service.Directory
	if cfg.LDAP.URL != "" {
		lc := cfg.LDAP
		if lc.Location == nil {
			lc.Location = cfg.Service.Location
		}
		if lc.Logger == nil {
			lc.Logger = log.With("component", "ldap")
		}
		d, err := ldapdir.New(lc)
		if err != nil {
			return nil, fmt.Errorf("directory: %w", err)
		}
		r.closers = append(r.closers, d.Close)
		dir = d
		log.Info("accounts and passwords in LDAP", "url", lc.URL, "base", lc.BaseDN)
	}

	svc, err := service.New(cfg.Service, store, dir, clock, log)
	if err != nil {
		return nil, err
	}
	r.Service = svc

	snd, err := senders(cfg, log)
	if err != nil {
		return nil, fmt.Errorf("delivery: %w", err)
	}
	worker := delivery.NewWorker(store, snd, cfg.Org, clock, log)

	onEvent := cfg.OnEvent
	handler := httpapi.New(svc, httpapi.Options{
		Log:            log,
		TrustedProxies: cfg.TrustedProxies,
		Collectors:     worker.Collectors(),
		OnEvent: func(ev service.AuditEvent) {
			// Any event may have queued a message; a poke is cheap.
			worker.Poke()
			if onEvent != nil {
				onEvent(ev)
			}
		},
	})

	tlsCfg, err := TLSConfig(cfg.TLSMin)
	if err != nil {
		return nil, err
	}
	tlsCfg.GetCertificate = certs.get

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

	r.srv = &http.Server{
		Handler:           handler,
		TLSConfig:         tlsCfg,
		ReadHeaderTimeout: cfg.ReadHeaderTimeout,
		ReadTimeout:       cfg.ReadTimeout,
		WriteTimeout:      cfg.WriteTimeout,
		IdleTimeout:       cfg.IdleTimeout,
		MaxHeaderBytes:    cfg.MaxHeaderBytes,
		// TLS handshake failures (a client that does not trust the CA, a
		// scanner) are the server's own complaints; keep them quiet.
		ErrorLog: slog.NewLogLogger(log.With("component", "http").Handler(), slog.LevelDebug),
		BaseContext: func(net.Listener) context.Context {
			return context.WithoutCancel(ctx)
		},
	}

	bgCtx, stopBg := context.WithCancel(context.WithoutCancel(ctx))
	r.stopBg = stopBg
	r.goBackground(func() {
		if err := worker.Run(bgCtx); err != nil {
			log.Error("delivery worker stopped", "error", err)
		}
	})
	r.goBackground(func() { maintain(bgCtx, svc, certs, clock, cfg, log) })

	if cfg.Service.TestCaptchaAnswer != "" {
		log.Warn("TEST SWITCH ON: every CAPTCHA accepts the answer set in RESETD_TEST_CAPTCHA_ANSWER; for automated tests only, never in production", "addr", tcp.String())
	}
	log.Info("resetd listening", "url", r.URL, "tls_min", cfg.TLSMin)

	go func() {
		err := r.srv.ServeTLS(ln, "", "")
		if !errors.Is(err, http.ErrServerClosed) {
			log.Error("HTTPS server stopped", "error", err)
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
	ok = true
	return r, nil
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
