package main

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"

	"casreset/client"
	"casreset/service"
	"casreset/service/tlsgen"
)

// The floor is what the machine does with no reset service at all: the
// smallest Go HTTPS server (TLS 1.3, HTTP/2 as resetd serves it, a fixed
// JSON answer) under the same load, and the Argon2id hash alone. Each
// endpoint's throughput is reported as a fraction of the first, the
// password change as a fraction of the second.

// floorServer answers every request with the service's policy document,
// marshalled once, so that the client's Policy call reads it as it reads
// resetd's.
type floorServer struct {
	URL   string
	CAPEM []byte
	srv   *http.Server
}

func startFloor(policy any) (*floorServer, error) {
	body, err := json.Marshal(policy)
	if err != nil {
		return nil, err
	}
	bundle, err := tlsgen.InMemory(nil, time.Now())
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	srv := &http.Server{
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.Write(body)
		}),
		TLSConfig:         &tls.Config{MinVersion: tls.VersionTLS13, Certificates: []tls.Certificate{bundle.Certificate}},
		ReadHeaderTimeout: 10 * time.Second,
	}
	go srv.ServeTLS(ln, "", "")
	return &floorServer{URL: "https://" + ln.Addr().String(), CAPEM: bundle.CAPEM, srv: srv}, nil
}

func (f *floorServer) Close() error { return f.srv.Close() }

// hashFloor is the cost of Argon2id alone with the service's parameters:
// the latency of one hash on an idle machine, and the throughput of
// `parallel` hashes at a time (the service's bound on concurrent hashes).
type hashFloor struct {
	params     service.HashParams
	parallel   int
	single     latency
	throughput float64 // hashes per second
}

func measureHash(ctx context.Context, p service.HashParams, parallel, n int) (hashFloor, error) {
	out := hashFloor{params: p, parallel: parallel}
	var singles []time.Duration
	for range min(n, 20) {
		start := time.Now()
		if _, err := service.HashPassword("Floor2Measure9x", p); err != nil {
			return out, err
		}
		singles = append(singles, time.Since(start))
	}
	rec := newRecorder()
	rec.samples["hash"] = singles
	out.single = rec.latency("hash")

	jobs := make(chan struct{}, n)
	for range n {
		jobs <- struct{}{}
	}
	close(jobs)
	var wg sync.WaitGroup
	errs := make(chan error, parallel)
	start := time.Now()
	for range parallel {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range jobs {
				if ctx.Err() != nil {
					return
				}
				if _, err := service.HashPassword("Floor2Measure9x", p); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	out.throughput = float64(n) / time.Since(start).Seconds()
	close(errs)
	if err := <-errs; err != nil {
		return out, err
	}
	return out, ctx.Err()
}

// measureFloor runs the stateless load (every user o.requests calls of
// the client's Policy) against the floor server.
func measureFloor(ctx context.Context, cfg service.Config, o options) (stageRun, error) {
	f, err := startFloor(cfg.Policy.API())
	if err != nil {
		return stageRun{}, err
	}
	defer f.Close()
	users := make([]*user, o.users)
	for i := range users {
		c, err := client.New(client.Config{BaseURL: f.URL, CAPEM: f.CAPEM, Version: "load"})
		if err != nil {
			return stageRun{}, err
		}
		users[i] = &user{c: c, rec: newRecorder()}
	}
	run := runRepeated(ctx, "floor: fixed JSON over HTTPS", users, o.requests, func(u *user) error {
		_, err := u.c.Policy(ctx)
		return err
	})
	if run.ok != run.requests {
		return run, fmt.Errorf("%d of %d requests to the floor server failed", run.requests-run.ok, run.requests)
	}
	return run, nil
}
