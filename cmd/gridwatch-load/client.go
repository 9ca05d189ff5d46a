package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/paulmach/orb"
)

// loadClient sends the load: query points in a box, updates of random
// responders.
type loadClient struct {
	base string
	http *http.Client
	ids  []string
	box  orb.Bound
	// reader and tracker are the tokens of the queries and the updates
	// (durable mode; empty in memory).
	reader, tracker string
}

// runClient is the load generator of one phase: "baseline" (queries at a
// fixed rate, no updates), "fixed" (the same under the update stream and
// the visibility probe), "alone" (queries as fast as possible, no
// updates) or "max" (queries as fast as possible under the updates).
// It writes the phase's report as JSON.
func runClient(c config, stdout io.Writer) error {
	lc, err := newLoadClient(c)
	if err != nil {
		return err
	}
	if c.streams != "all" && c.streams != "queries" && c.streams != "updates" {
		return fmt.Errorf("--streams: expected queries, updates or all, got %q", c.streams)
	}
	// Warm up: build caches and connections; then wait for the phase's
	// start, which the generators of a phase share.
	for i := range 200 {
		if c.streams == "updates" {
			_, _ = lc.position(lc.ids[i%len(lc.ids)])
			continue
		}
		_ = lc.query(rand.New(rand.NewPCG(uint64(i), 0)))
	}
	if c.start > 0 {
		time.Sleep(time.Until(time.Unix(0, c.start)))
	}
	cpu0 := cpuSeconds()
	stop, err := startTrace(c.trace, c.phase == "fixed", ".client-"+c.streams)
	if err != nil {
		return err
	}
	var rep phaseReport
	switch c.phase {
	case "baseline":
		rep = lc.phase(c, 0, func(ctx context.Context, s *series) { lc.fixedRate(ctx, c.qps, s) })
	case "fixed":
		rep = lc.phase(c, c.ups, func(ctx context.Context, s *series) { lc.fixedRate(ctx, c.qps, s) })
	case "alone":
		rep = lc.phase(c, 0, func(ctx context.Context, s *series) { lc.closedLoop(ctx, c.conns, s) })
	case "max":
		rep = lc.phase(c, c.ups, func(ctx context.Context, s *series) { lc.closedLoop(ctx, c.conns, s) })
	default:
		return fmt.Errorf("--phase: expected baseline, fixed, alone or max, got %q", c.phase)
	}
	rep.ClientCPUS = cpuSeconds() - cpu0
	if err := stop(); err != nil {
		return err
	}
	return json.NewEncoder(stdout).Encode(rep)
}

func newLoadClient(c config) (*loadClient, error) {
	f, err := os.Open(c.idsFile)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	lc := &loadClient{base: c.client, http: &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{
		MaxIdleConns: 2048, MaxIdleConnsPerHost: 2048, IdleConnTimeout: time.Minute, DisableCompression: !c.gzip}},
		reader: os.Getenv(readerTokenEnv), tracker: os.Getenv(trackerTokenEnv)}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if id := strings.TrimSpace(sc.Text()); id != "" {
			lc.ids = append(lc.ids, id)
		}
	}
	if err := sc.Err(); err != nil || len(lc.ids) == 0 {
		return nil, fmt.Errorf("read responder ids from %s: %v", c.idsFile, err)
	}
	var b [4]float64
	if _, err := fmt.Sscanf(c.bbox, "%f,%f,%f,%f", &b[0], &b[1], &b[2], &b[3]); err != nil {
		return nil, fmt.Errorf("--bbox: %w", err)
	}
	lc.box = orb.Bound{Min: orb.Point{b[0], b[1]}, Max: orb.Point{b[2], b[3]}}
	return lc, nil
}

// phase runs one query phase for c.duration with the update stream (at
// ups a second; none when 0) and the visibility probe running alongside.
func (lc *loadClient) phase(c config, ups float64, queries func(ctx context.Context, s *series)) phaseReport {
	ctx, cancel := context.WithTimeout(context.Background(), c.duration)
	defer cancel()
	q, u, v := newSeries(), newSeries(), newSeries()
	var wg sync.WaitGroup
	if c.streams != "updates" {
		wg.Add(1)
		go func() { defer wg.Done(); queries(ctx, q) }()
	}
	if ups > 0 && c.streams != "queries" {
		wg.Add(2)
		go func() { defer wg.Done(); lc.updates(ctx, ups, u) }()
		go func() { defer wg.Done(); lc.probe(ctx, v) }()
	}
	wg.Wait()
	return phaseReport{Queries: q.summary(c.duration), Updates: u.summary(c.duration), Visible: v.summary(c.duration)}
}

// fixedRate sends queries at rate per second, open loop: each request's
// latency counts from when it was due, so a stalled server is charged for
// the requests that wait behind it.
func (lc *loadClient) fixedRate(ctx context.Context, rate float64, s *series) {
	lc.schedule(ctx, rate, 256, s, func(rng *rand.Rand) error { return lc.query(rng) })
}

// closedLoop sends queries back to back on conns connections.
func (lc *loadClient) closedLoop(ctx context.Context, conns int, s *series) {
	var wg sync.WaitGroup
	for w := range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(w), 7))
			for ctx.Err() == nil {
				start := time.Now()
				err := lc.query(rng)
				s.record(time.Since(start), err)
			}
		}()
	}
	wg.Wait()
}

// updates PATCHes random responders to random positions at rate per
// second, open loop.
func (lc *loadClient) updates(ctx context.Context, rate float64, s *series) {
	lc.schedule(ctx, rate, 512, s, func(rng *rand.Rand) error {
		id := lc.ids[1+rng.IntN(len(lc.ids)-1)] // ids[0] is the probe's
		return lc.patch(id, lc.point(rng), rng.IntN(10) > 0)
	})
}

// schedule calls send at rate per second on a pool of workers; latency
// counts from each call's due time.
func (lc *loadClient) schedule(ctx context.Context, rate float64, workers int, s *series, send func(*rand.Rand) error) {
	due := make(chan time.Time, 1<<16)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(w), uint64(rate)))
			for t := range due {
				err := send(rng)
				s.record(time.Since(t), err)
			}
		}()
	}
	start := time.Now()
	every := time.Duration(float64(time.Second) / rate)
	for i := 0; ; i++ {
		t := start.Add(time.Duration(i) * every)
		if wait := time.Until(t); wait > 0 {
			select {
			case <-ctx.Done():
			case <-time.After(wait):
			}
		}
		if ctx.Err() != nil {
			break
		}
		due <- t
	}
	close(due)
	wg.Wait()
}

// probe measures how soon an update is visible: every 100 ms it moves one
// responder to a fresh position and polls the responder's item from the
// moment the PATCH is sent until a read returns the new position.
func (lc *loadClient) probe(ctx context.Context, s *series) {
	id := lc.ids[0]
	rng := rand.New(rand.NewPCG(99, 99))
	for ctx.Err() == nil {
		p := lc.point(rng)
		sent := time.Now()
		done := make(chan error, 1)
		go func() { done <- lc.patch(id, p, true) }()
		seen := false
		for !seen && time.Since(sent) < 5*time.Second {
			got, err := lc.position(id)
			if err == nil && got.Equal(roundPoint(p)) {
				seen = true
				s.record(time.Since(sent), nil)
				break
			}
			time.Sleep(5 * time.Millisecond)
		}
		if err := <-done; err != nil || !seen {
			s.record(time.Since(sent), fmt.Errorf("update not seen: %v", err))
		}
		select {
		case <-ctx.Done():
		case <-time.After(100 * time.Millisecond):
		}
	}
}
