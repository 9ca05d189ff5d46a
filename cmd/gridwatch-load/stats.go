package main

import (
	"fmt"
	"io"
	"slices"
	"sync"
	"time"
)

// series collects the latencies and errors of one stream of requests.
type series struct {
	mu       sync.Mutex
	lat      []time.Duration
	done     []time.Time // when each request of lat ended
	errors   int
	firstErr string
}

func newSeries() *series { return &series{} }

// record adds one request's latency, or its error.
func (s *series) record(d time.Duration, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err != nil {
		s.errors++
		if s.firstErr == "" {
			s.firstErr = err.Error()
		}
		return
	}
	s.lat = append(s.lat, d)
	s.done = append(s.done, time.Now())
}

// streamReport is the summary of one stream.
type streamReport struct {
	OK        int     `json:"ok"`
	Errors    int     `json:"errors"`
	PerSecond float64 `json:"per_second"`
	P50MS     float64 `json:"p50_ms"`
	P90MS     float64 `json:"p90_ms"`
	P99MS     float64 `json:"p99_ms"`
	MaxMS     float64 `json:"max_ms"`
	// WorstWindowP99MS is the highest p99 of the windows of
	// windowLength (by when requests ended) that hold at least
	// minWindowRequests requests.
	WorstWindowP99MS float64 `json:"worst_window_p99_ms"`
	FirstErr         string  `json:"first_error,omitempty"`
}

// windowLength is the length of the windows of WorstWindowP99MS.
const windowLength = 10 * time.Second

// minWindowRequests is the fewest requests a window needs to count.
const minWindowRequests = 100

// summary returns the stream's figures over a phase of length d.
func (s *series) summary(d time.Duration) streamReport {
	s.mu.Lock()
	defer s.mu.Unlock()
	lat := slices.Clone(s.lat)
	slices.Sort(lat)
	pct := func(lat []time.Duration, p float64) float64 {
		if len(lat) == 0 {
			return 0
		}
		i := min(len(lat)-1, int(p*float64(len(lat))))
		return float64(lat[i].Microseconds()) / 1000
	}
	worst := 0.0
	if len(s.done) > 0 {
		windows := map[int64][]time.Duration{}
		for i, t := range s.done {
			k := int64(t.Sub(s.done[0]) / windowLength)
			windows[k] = append(windows[k], s.lat[i])
		}
		for _, w := range windows {
			if len(w) >= minWindowRequests {
				slices.Sort(w)
				worst = max(worst, pct(w, 0.99))
			}
		}
	}
	return streamReport{OK: len(lat), Errors: s.errors, PerSecond: float64(len(lat)) / d.Seconds(),
		P50MS: pct(lat, 0.5), P90MS: pct(lat, 0.9), P99MS: pct(lat, 0.99), MaxMS: pct(lat, 1),
		WorstWindowP99MS: worst, FirstErr: s.firstErr}
}

// phaseReport is one phase: queries, updates and the visibility probe.
type phaseReport struct {
	Queries streamReport `json:"queries"`
	Updates streamReport `json:"updates"`
	Visible streamReport `json:"visible"`
	// ServerCPUS and ClientCPUS are the CPU seconds the server and the
	// load generator used in the phase.
	ServerCPUS float64 `json:"server_cpu_s"`
	ClientCPUS float64 `json:"client_cpu_s"`
	// InServer is the time nearest queries spent in the server's handler
	// (from the request read to the response written).
	InServer streamReport `json:"in_server"`
}

// report is the whole run.
type report struct {
	Scale      float64     `json:"scale"`
	Responders int         `json:"responders"`
	Duration   string      `json:"duration"`
	QPS        float64     `json:"qps"`
	UPS        float64     `json:"ups"`
	Conns      int         `json:"conns"`
	Cores      int         `json:"client_cores"`
	Batches    uint64      `json:"batches"`
	Baseline   phaseReport `json:"baseline"`
	Fixed      phaseReport `json:"fixed_rate"`
	Alone      phaseReport `json:"max_rate_alone"`
	Durable    bool        `json:"durable"`
	Max        phaseReport `json:"max_rate"`
}

// print writes the report for people.
func (r report) print(w io.Writer) {
	mode := "in memory (--dev-positions)"
	if r.Durable {
		mode = "durable store (--data) with tokens"
	}
	fmt.Fprintf(w, "loopback load test: scale %g (%d responders), %s, %s per phase, load generator on %d core(s)\n",
		r.Scale, r.Responders, mode, r.Duration, r.Cores)
	line := func(name string, s streamReport) {
		fmt.Fprintf(w, "  %-34s %7.0f/s  p50 %6.2f ms  p90 %6.2f ms  p99 %6.2f ms  max %7.2f ms  errors %d\n",
			name, s.PerSecond, s.P50MS, s.P90MS, s.P99MS, s.MaxMS, s.Errors)
		if s.FirstErr != "" {
			fmt.Fprintf(w, "    first error: %s\n", s.FirstErr)
		}
	}
	cpu := func(p phaseReport) {
		line("  the same, time in the server", p.InServer)
		d, _ := time.ParseDuration(r.Duration)
		n := p.Queries.OK + p.Updates.OK + p.Visible.OK
		if n == 0 || d <= 0 {
			return
		}
		fmt.Fprintf(w, "  server CPU %.0f%% of one core (%.0f µs per request); load generator %.0f%%\n",
			100*p.ServerCPUS/d.Seconds(), 1e6*p.ServerCPUS/float64(n), 100*p.ClientCPUS/d.Seconds())
	}
	fmt.Fprintf(w, "baseline: %g nearest queries/s, no position updates\n", r.QPS)
	line("GET /responders/nearest", r.Baseline.Queries)
	cpu(r.Baseline)
	fmt.Fprintf(w, "fixed rate: %g nearest queries/s with %g position updates/s\n", r.QPS, r.UPS)
	line("GET /responders/nearest", r.Fixed.Queries)
	fmt.Fprintf(w, "    p99 of the worst %s window: %.2f ms (without updates: %.2f ms)\n",
		windowLength, r.Fixed.Queries.WorstWindowP99MS, r.Baseline.Queries.WorstWindowP99MS)
	line("PATCH responder position", r.Fixed.Updates)
	line("update visible to reads after", r.Fixed.Visible)
	cpu(r.Fixed)
	fmt.Fprintf(w, "as fast as possible on %d connections, no position updates\n", r.Conns)
	line("GET /responders/nearest", r.Alone.Queries)
	cpu(r.Alone)
	fmt.Fprintf(w, "as fast as possible on %d connections, with %g position updates/s\n", r.Conns, r.UPS)
	line("GET /responders/nearest", r.Max.Queries)
	line("PATCH responder position", r.Max.Updates)
	line("update visible to reads after", r.Max.Visible)
	cpu(r.Max)
	total := r.Fixed.Updates.OK + r.Max.Updates.OK + r.Fixed.Visible.OK + r.Max.Visible.OK
	if r.Batches > 0 {
		fmt.Fprintf(w, "%d position updates committed in %d batches (%.1f per batch)\n", total, r.Batches, float64(total)/float64(r.Batches))
	}
	if r.Max.Updates.OK > 0 {
		// The server's CPU for the updates: the max phase's CPU less what
		// its queries cost at the alone phase's CPU per query.
		perQuery := 0.0
		if r.Alone.Queries.OK > 0 {
			perQuery = r.Alone.ServerCPUS / float64(r.Alone.Queries.OK)
		}
		upd := r.Max.ServerCPUS - perQuery*float64(r.Max.Queries.OK)
		fmt.Fprintf(w, "server CPU per position update (max phase less its queries at the alone phase's cost): %.3f ms\n",
			1e3*upd/float64(r.Max.Updates.OK+r.Max.Visible.OK))
	}
	if fr := r.Fixed.Updates.OK + r.Fixed.Visible.OK; fr > 0 && r.Baseline.Queries.OK > 0 {
		perQuery := r.Baseline.ServerCPUS / float64(r.Baseline.Queries.OK)
		upd := r.Fixed.ServerCPUS - perQuery*float64(r.Fixed.Queries.OK)
		fmt.Fprintf(w, "server CPU per position update (fixed phase less its queries at the baseline's cost): %.3f ms\n", 1e3*upd/float64(fr))
	}
	if b := r.Alone.Queries.PerSecond; b > 0 {
		fmt.Fprintf(w, "nearest rate with updates / without: %.2f\n", r.Max.Queries.PerSecond/b)
	}
	if b := r.Baseline.Queries.P99MS; b > 0 {
		fmt.Fprintf(w, "query p99 with updates / without: %.2f\n", r.Fixed.Queries.P99MS/b)
	}
	ok := r.Fixed.Queries.P99MS < 5 && r.Fixed.Visible.MaxMS < 1000 && r.Fixed.Queries.Errors+r.Fixed.Updates.Errors == 0
	fmt.Fprintf(w, "target (fixed-rate query p99 < 5 ms, updates visible within 1 s, no errors): %s\n", map[bool]string{true: "met", false: "NOT met"}[ok])
}
