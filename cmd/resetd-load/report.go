package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"time"
)

// report is the run's figures, written as Markdown for the README.
type report struct {
	opts    options
	started time.Time
	load    string // the machine's load average when the run began
	hash    hashFloor
	floor   stageRun
	engines []engineResult
}

var engineNames = map[string]string{"sqlite": "SQLite", "postgres": "PostgreSQL"}

func (r report) write(w io.Writer) {
	o := r.opts
	fmt.Fprintf(w, "\n### Figures of %s\n\n", r.started.Format("2 January 2006"))
	fmt.Fprintf(w, "Machine: %s, %d cores (GOMAXPROCS %d), %s/%s, %s; load average %s before the run, %s after. resetd in the load generator's process, everything on 127.0.0.1; %d simulated PCs, each with its own TLS 1.3 connection and the real client.\n\n",
		cpuModel(), runtime.NumCPU(), runtime.GOMAXPROCS(0), runtime.GOOS, runtime.GOARCH, runtime.Version(), r.load, loadAverage(), o.users)

	fmt.Fprintf(w, "**Floor.** The smallest Go HTTPS server (TLS 1.3, HTTP/2, a fixed JSON answer) under the same load: **%.0f requests/s** (%d requests). Argon2id alone (m=%d KiB, t=%d, p=%d): **%s ms** per hash (p50 of %d, idle), **%.1f hashes/s** with %d at a time.\n\n",
		r.floor.perSecond(), r.floor.requests, r.hash.params.MemoryKiB, r.hash.params.Time, r.hash.params.Threads,
		ms(r.hash.single.p50), r.hash.single.n, r.hash.throughput, r.hash.parallel)

	// Complete flows.
	fmt.Fprintf(w, "**Complete flows** (%d flows, %d users at once, over %d accounts):\n\n", o.flows, o.users, o.accounts)
	fmt.Fprintln(w, "| database | flows/s | completed | errors by step and code |")
	fmt.Fprintln(w, "| --- | ---: | ---: | --- |")
	for _, e := range r.engines {
		errs := strings.Join(e.flows.rec.errorList(), ", ")
		if errs == "" {
			errs = "none"
		}
		fmt.Fprintf(w, "| %s | %.1f | %d / %d | %s |\n", engineNames[e.engine], float64(e.flows.ok)/e.flows.elapsed.Seconds(), e.flows.ok, e.flows.flows, errs)
	}

	fmt.Fprintln(w, "\nLatency of each step in those flows, milliseconds (p50 / p95 / p99):")
	fmt.Fprintln(w)
	header, rule := "| step |", "| --- |"
	for _, e := range r.engines {
		header += " " + engineNames[e.engine] + " |"
		rule += " ---: |"
	}
	fmt.Fprintln(w, header)
	fmt.Fprintln(w, rule)
	for _, step := range flowSteps {
		line := "| " + stepLabel[step] + " |"
		for _, e := range r.engines {
			l := e.flows.rec.latency(step)
			line += fmt.Sprintf(" %s / %s / %s |", ms(l.p50), ms(l.p95), ms(l.p99))
		}
		fmt.Fprintln(w, line)
	}

	// Each endpoint alone.
	fmt.Fprintf(w, "\n**Each endpoint alone** (GET /v1/policy: %d users × %d requests; the others: one flow per account, every flow through one step before the next, %d users at once). Throughput as a ratio to the floor; the password change also as a ratio to the hashing floor:\n\n", o.users, o.requests, o.users)
	header, rule = "| endpoint |", "| --- |"
	for _, e := range r.engines {
		header += fmt.Sprintf(" %s req/s | × floor |", engineNames[e.engine])
		rule += " ---: | ---: |"
	}
	fmt.Fprintln(w, header)
	fmt.Fprintln(w, rule)
	if len(r.engines) > 0 {
		rows := append([]stageRun{r.engines[0].policy}, r.engines[0].stages...)
		for k := range rows {
			line := "| " + rows[k].name + " |"
			for _, e := range r.engines {
				s := append([]stageRun{e.policy}, e.stages...)[k]
				ratio := fmt.Sprintf("%.3f", s.perSecond()/r.floor.perSecond())
				if strings.HasPrefix(s.name, "PUT") {
					ratio += fmt.Sprintf("; × hash %.2f (%.1f Argon2id runs per change)", s.perSecond()/r.hash.throughput, e.hashRuns)
				}
				okNote := ""
				if s.ok != s.requests {
					okNote = fmt.Sprintf(" (%d of %d ok)", s.ok, s.requests)
				}
				line += fmt.Sprintf(" %.1f%s | %s |", s.perSecond(), okNote, ratio)
			}
			fmt.Fprintln(w, line)
		}
		line := "| password change p50 ÷ one hash |"
		for _, e := range r.engines {
			p := e.staged.latency(stepPassword).p50
			line += fmt.Sprintf(" %s ms | × %.1f |", ms(p), float64(p)/float64(r.hash.single.p50))
		}
		fmt.Fprintln(w, line)
	}

	// Known and unknown staff numbers.
	fmt.Fprintf(w, "\n**Start, known and unknown staff number** (right CAPTCHA, %d of each, alternating, one at a time), milliseconds p50 / p95:\n\n", o.starts)
	fmt.Fprintln(w, "| database | known (201) | unknown (404 account_not_found) | difference of p50 |")
	fmt.Fprintln(w, "| --- | ---: | ---: | ---: |")
	for _, e := range r.engines {
		k, u := e.timing.known, e.timing.unknown
		fmt.Fprintf(w, "| %s | %s / %s | %s / %s | %s |\n", engineNames[e.engine], ms(k.p50), ms(k.p95), ms(u.p50), ms(u.p95), ms(k.p50-u.p50))
	}

	// Nothing lost.
	fmt.Fprintln(w, "\n**Nothing lost or half-applied.** After each run resetd is shut down and every account's stored hash is verified (Argon2id) against the password of its last successful change, and the newest entry of its password history must be that same hash:")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| database | accounts | changed at least once | no answer to the last change | wrong or half-applied | codes accepted / in the outbox |")
	fmt.Fprintln(w, "| --- | ---: | ---: | ---: | ---: | ---: |")
	for _, e := range r.engines {
		i := e.integ
		fmt.Fprintf(w, "| %s | %d | %d | %d | %d | %d / %d |\n", engineNames[e.engine], i.accounts, i.changed, i.uncertain, len(i.problems), i.codesSent, i.codesRead)
	}
	for _, e := range r.engines {
		for _, p := range e.integ.problems {
			fmt.Fprintf(w, "\n- %s: %s", engineNames[e.engine], p)
		}
	}
	fmt.Fprintln(w, "\n\nWarnings and errors resetd logged:")
	fmt.Fprintln(w)
	for _, e := range r.engines {
		fmt.Fprintf(w, "- %s: %s\n", engineNames[e.engine], strings.Join(e.logged, "; "))
	}
	fmt.Fprintf(w, "\nWhole run: %s.\n", time.Since(r.started).Round(time.Second))
}

var stepLabel = map[string]string{
	stepCaptcha:  "POST /v1/captchas",
	stepImage:    "GET /v1/captchas/{id}/image.png",
	stepStart:    "POST /v1/resets",
	stepCode:     "POST /v1/resets/current/code",
	stepDelivery: "code in the outbox (after the 202)",
	stepVerify:   "POST /v1/resets/current/verify",
	stepPassword: "PUT /v1/resets/current/password",
}

// loadAverage is the one-minute load average, or "unknown".
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if f := strings.Fields(string(b)); err == nil && len(f) > 0 {
		return f[0]
	}
	return "unknown"
}

// cpuModel is the processor's name from /proc/cpuinfo, or the
// architecture where there is none.
func cpuModel() string {
	f, err := os.Open("/proc/cpuinfo")
	if err != nil {
		return runtime.GOARCH
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if name, value, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(name) == "model name" {
			return strings.TrimSpace(value)
		}
	}
	return runtime.GOARCH
}
