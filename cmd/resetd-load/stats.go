package main

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"sync"
	"time"

	"casreset/api"
	"casreset/client"
)

// Steps of a flow, in order, as reported.
const (
	stepCaptcha  = "captcha"  // POST /v1/captchas
	stepImage    = "image"    // GET /v1/captchas/{id}/image.png
	stepStart    = "start"    // POST /v1/resets
	stepCode     = "code"     // POST /v1/resets/current/code
	stepDelivery = "delivery" // from the 202 to the code in the outbox
	stepVerify   = "verify"   // POST /v1/resets/current/verify
	stepPassword = "password" // PUT /v1/resets/current/password
)

var flowSteps = []string{stepCaptcha, stepImage, stepStart, stepCode, stepDelivery, stepVerify, stepPassword}

// recorder collects the latency of each step and the errors by code. It is
// safe for concurrent use.
type recorder struct {
	mu      sync.Mutex
	samples map[string][]time.Duration
	errors  map[string]int
}

func newRecorder() *recorder {
	return &recorder{samples: map[string][]time.Duration{}, errors: map[string]int{}}
}

// observe records one call of step that took d and failed with err (nil
// for success). Only successful calls count towards the latencies.
func (r *recorder) observe(step string, d time.Duration, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if err != nil {
		r.errors[step+": "+errorCode(err)]++
		return
	}
	r.samples[step] = append(r.samples[step], d)
}

// errorCode names err as the report counts it: the contract's code for the
// service's answers, the kind of failure otherwise.
func errorCode(err error) string {
	var ae *api.Error
	var te *client.TimeoutError
	var ne *client.NetworkError
	var ce *client.CertificateError
	switch {
	case errors.As(err, &ae):
		return string(ae.Code)
	case errors.As(err, &te):
		return "timeout"
	case errors.As(err, &ne):
		return "network"
	case errors.As(err, &ce):
		return "certificate"
	case errors.Is(err, errNoCode):
		return "code not delivered"
	}
	return "other: " + err.Error()
}

// latency summarises the samples of one step.
type latency struct {
	n             int
	p50, p95, p99 time.Duration
}

func (r *recorder) latency(step string) latency {
	r.mu.Lock()
	s := slices.Clone(r.samples[step])
	r.mu.Unlock()
	slices.Sort(s)
	return latency{n: len(s), p50: percentile(s, 50), p95: percentile(s, 95), p99: percentile(s, 99)}
}

// percentile of sorted samples, nearest-rank.
func percentile(sorted []time.Duration, p int) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	rank := (p*len(sorted) + 99) / 100
	return sorted[max(rank, 1)-1]
}

// errorList is the errors by step and code, sorted.
func (r *recorder) errorList() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for k, n := range r.errors {
		out = append(out, fmt.Sprintf("%s ×%d", k, n))
	}
	sort.Strings(out)
	return out
}

// ms formats a duration in milliseconds with one decimal.
func ms(d time.Duration) string {
	return fmt.Sprintf("%.1f", float64(d)/float64(time.Millisecond))
}
