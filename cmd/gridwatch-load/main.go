// Command gridwatch-load is the loopback load test of the dispatcher's
// endpoints: it serves a generated district (scale 20 by default) on
// 127.0.0.1 with live position updates enabled, and runs the load
// generator in child processes held to one core (GOMAXPROCS=1, and
// taskset when the system has it): one sends nearest-responder queries at
// a fixed rate while another PATCHes responder positions at another rate
// (1,000 a second by default); then the queries go as fast as they can,
// still under the update stream. It prints requests per second and
// latency percentiles of each stream, the p99 of the worst 10-s window
// of the fixed-rate queries, and how soon an update is visible to reads.
// It runs for a bounded time (about 4 × (--duration + 3 s) plus the
// dataset's generation).
//
// With --data DIR the server is the production mode: a durable store
// (DIR/gridwatch.gpkg, seeded with the generated district when DIR holds
// no store) and tokens (the queries carry an analyst's, the updates a
// tracker's), so every update goes through the group commit to disk. CPU time is reported for the server and the
// generators of each phase: on a shared machine it says more than
// latencies, which other processes inflate.
//
// Usage:
//
//	gridwatch-load [--scale 20] [--duration 10s] [--qps 500] [--ups 1000] [--conns 8] [--gzip] [--trace FILE] [--data DIR]
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"runtime/pprof"
	"strings"
	"sync"
	"time"

	"gridwatch/api"
	"gridwatch/data"
	"gridwatch/geo"
)

// config is the load test's flags.
type config struct {
	scale    float64
	duration time.Duration
	qps      float64
	ups      float64
	conns    int
	gzip     bool
	profile  string
	memprof  string
	trace    string
	client   string // the server's URL: run as the load generator
	phase    string
	streams  string
	cores    int
	idsFile  string
	bbox     string
	start    int64 // the phase's start, Unix nanoseconds (set by the parent)
	dataDir  string
	linger   time.Duration
}

func main() {
	var c config
	flag.Float64Var(&c.scale, "scale", 20, "scale of the generated district (1 is the default dataset)")
	flag.DurationVar(&c.duration, "duration", 10*time.Second, "length of each phase")
	flag.Float64Var(&c.qps, "qps", 500, "nearest queries per second in the fixed-rate phase")
	flag.Float64Var(&c.ups, "ups", 1000, "position updates per second, in both phases")
	flag.IntVar(&c.conns, "conns", 8, "concurrent connections of the as-fast-as-possible phase")
	flag.StringVar(&c.profile, "cpuprofile", "", "write the server's CPU profile to this file")
	flag.StringVar(&c.memprof, "memprofile", "", "write the server's allocation profile to this file")
	flag.StringVar(&c.trace, "trace", "", "write execution traces of the fixed-rate phase to FILE.server, FILE.client-queries and FILE.client-updates (go tool trace)")
	flag.BoolVar(&c.gzip, "gzip", false, "ask for gzip-compressed answers (as browsers do; wrk does not)")
	flag.StringVar(&c.client, "client", "", "run as the load generator against this server URL (set by the parent)")
	flag.IntVar(&c.cores, "client-cores", 1, "cores of the load generator (GOMAXPROCS; pinned with taskset when 1)")
	flag.StringVar(&c.phase, "phase", "", "the phase the load generator runs (set by the parent)")
	flag.StringVar(&c.streams, "streams", "all", "the streams this generator sends: queries, updates or all (set by the parent)")
	flag.StringVar(&c.idsFile, "ids", "", "file of responder ids, one a line (set by the parent)")
	flag.Int64Var(&c.start, "start", 0, "when the phase starts, Unix nanoseconds (set by the parent)")
	flag.StringVar(&c.bbox, "bbox", "", "minlon,minlat,maxlon,maxlat of the query points (set by the parent)")
	flag.StringVar(&c.dataDir, "data", "", "serve from a durable store in this directory, with tokens (seeded with the generated district when it holds no store)")
	flag.DurationVar(&c.linger, "commit-linger", 0, "the server's --commit-linger (durable mode)")
	flag.Parse()
	var err error
	if c.client != "" {
		err = runClient(c, os.Stdout)
	} else {
		err = runParent(c, os.Stdout, os.Stderr)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "gridwatch-load:", err)
		os.Exit(1)
	}
}

// runParent serves the district and runs the load generator against it.
func runParent(c config, stdout, stderr io.Writer) error {
	fmt.Fprintf(stderr, "generating the district at scale %g...\n", c.scale)
	start := time.Now()
	d, err := data.Generate(data.GenerateOptions{Seed: data.DefaultSeed, Scale: c.scale})
	if err != nil {
		return err
	}
	a, err := geo.NewAtlas(d, geo.Options{})
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "%d responders, %d grids, ready in %s\n", a.Responders.Len(), a.Grids.Len(), time.Since(start).Round(time.Millisecond))
	ids, err := os.CreateTemp("", "gridwatch-load-ids-*.txt")
	if err != nil {
		return err
	}
	defer os.Remove(ids.Name())
	for _, r := range a.Responders.Items() {
		fmt.Fprintln(ids, r.ID)
	}
	if err := ids.Close(); err != nil {
		return err
	}

	fmt.Fprintf(stderr, "server's garbage collector target GOGC=%d (api.SetServerGC, as gridwatch serve)\n", api.SetServerGC())
	// The audit log goes to a file, as gridwatch serve --data DIR writes
	// DIR/audit.log: one JSON line per read of responders and per update.
	auditFile, err := os.CreateTemp("", "gridwatch-load-audit-*.log")
	if err != nil {
		return err
	}
	defer os.Remove(auditFile.Name())
	defer auditFile.Close()
	ls, err := newLoadServer(c, d, a, slog.New(slog.NewJSONHandler(auditFile, nil)), stderr)
	if err != nil {
		return err
	}
	defer ls.close()
	holder := ls.holder
	a = holder.Load()
	timing := &serverTiming{next: ls.handler}
	srv := &http.Server{Handler: timing, ReadHeaderTimeout: 5 * time.Second, IdleTimeout: 2 * time.Minute}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	go func() { _ = srv.Serve(ln) }()
	defer srv.Shutdown(context.Background()) //nolint:errcheck

	if c.profile != "" {
		f, err := os.Create(c.profile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	b := a.Grids.Bound()
	v0 := a.Responders.Version()
	rep := report{Duration: c.duration.String(), QPS: c.qps, UPS: c.ups, Conns: c.conns, Cores: max(c.cores, 1), Durable: c.dataDir != ""}
	for _, ph := range []struct {
		name string
		into *phaseReport
	}{{"baseline", &rep.Baseline}, {"fixed", &rep.Fixed}, {"alone", &rep.Alone}, {"max", &rep.Max}} {
		// The generators warm up, then start together; the server's
		// figures count from the same moment.
		c.start = time.Now().Add(phaseLead).UnixNano()
		cpu0 := make(chan float64, 1)
		started := time.AfterFunc(time.Until(time.Unix(0, c.start)), func() {
			timing.reset()
			cpu0 <- cpuSeconds()
		})
		stop, err := startTrace(c.trace, ph.name == "fixed", ".server")
		if err != nil {
			started.Stop()
			return err
		}
		into, err := runPhase(c, ph.name, "http://"+ln.Addr().String(), ids.Name(),
			fmt.Sprintf("%f,%f,%f,%f", b.Min[0], b.Min[1], b.Max[0], b.Max[1]), stderr)
		if terr := stop(); err == nil {
			err = terr
		}
		if err != nil {
			return err
		}
		*ph.into = into
		ph.into.ServerCPUS = cpuSeconds() - <-cpu0
		ph.into.InServer = timing.summary(c.duration)
	}
	if c.memprof != "" {
		f, err := os.Create(c.memprof)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.Lookup("allocs").WriteTo(f, 0); err != nil {
			return err
		}
	}
	rep.Scale, rep.Responders = c.scale, a.Responders.Len()
	rep.Batches = holder.Load().Responders.Version() - v0
	rep.print(stdout)
	return nil
}

// phaseLead is the time between launching a phase's generators and the
// phase's start: long enough for them to start and warm up.
const phaseLead = 3 * time.Second

// generatorMemLimit is the heap at which the load generator collects
// garbage (GOMEMLIMIT); it allocates about 70 MB a second at the fixed
// rates.
const generatorMemLimit = "2GiB"

// runPhase runs the load generators of one phase and merges their
// reports. Under position updates, the queries and the updates come from
// two generator processes held to the same core, as a dispatcher's
// queries and the trackers' reports come from different clients: one
// process would charge the queries for the time it spends answering its
// own burst of update responses after each commit.
func runPhase(c config, phase, url, ids, bbox string, stderr io.Writer) (phaseReport, error) {
	streams := []string{"queries", "updates"}
	if phase == "baseline" || phase == "alone" {
		streams = streams[:1]
	}
	reps := make([]phaseReport, len(streams))
	errs := make([]error, len(streams))
	var wg sync.WaitGroup
	for i, st := range streams {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out, err := runChild(c, phase, st, url, ids, bbox, stderr)
			if err == nil {
				err = json.Unmarshal(out, &reps[i])
				if err != nil {
					err = fmt.Errorf("read the load generator's report: %w", err)
				}
			}
			errs[i] = err
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return phaseReport{}, err
	}
	rep := reps[0]
	for _, r := range reps[1:] {
		rep.Updates, rep.Visible = r.Updates, r.Visible
		rep.ClientCPUS += r.ClientCPUS
	}
	return rep, nil
}

// runChild runs this program as the load generator of one phase's
// streams, held to one core, and returns its report.
func runChild(c config, phase, streams, url, ids, bbox string, stderr io.Writer) ([]byte, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	args := []string{"--client", url, "--phase", phase, "--streams", streams, "--ids", ids, "--bbox", bbox, "--duration", c.duration.String(),
		fmt.Sprintf("--qps=%g", c.qps), fmt.Sprintf("--ups=%g", c.ups), fmt.Sprintf("--conns=%d", c.conns), fmt.Sprintf("--gzip=%v", c.gzip), "--trace=" + c.trace, fmt.Sprintf("--start=%d", c.start)}
	name := self
	if ts, err := exec.LookPath("taskset"); err == nil && c.cores == 1 {
		args = append([]string{"-c", "0", self}, args...)
		name = ts
	}
	cmd := exec.Command(name, args...)
	// The generator's own garbage collector would pause it on its one
	// core and charge the pauses to the server; it is held off until the
	// generator's heap reaches generatorMemLimit (a C generator such as
	// wrk has no collector at all).
	cmd.Env = append(os.Environ(), fmt.Sprintf("GOMAXPROCS=%d", max(c.cores, 1)), "GOGC=off", "GOMEMLIMIT="+generatorMemLimit)
	cmd.Stderr = stderr
	var out bytes.Buffer
	cmd.Stdout = &out
	fmt.Fprintf(stderr, "load generator: %s %s\n", name, strings.Join(args, " "))
	if err := cmd.Run(); err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return nil, fmt.Errorf("the load generator failed: %w", err)
		}
		return nil, err
	}
	return out.Bytes(), nil
}
