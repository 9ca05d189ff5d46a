//go:build loadtest

package api

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"regexp"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// loadStats are the figures of one kind of request in the load test.
type loadStats struct {
	mu        sync.Mutex
	latencies []time.Duration
	byClass   map[int]int // status / 100 → count; 0 for transport errors
}

func (s *loadStats) add(status int, d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.byClass == nil {
		s.byClass = map[int]int{}
	}
	s.byClass[status/100]++
	s.latencies = append(s.latencies, d)
}

func (s *loadStats) summary(name string, secs float64) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	slices.Sort(s.latencies)
	q := func(p float64) time.Duration {
		if len(s.latencies) == 0 {
			return 0
		}
		return s.latencies[int(p*float64(len(s.latencies)-1))]
	}
	return fmt.Sprintf("%-10s %7d requests %7.1f/s  p50 %7.2f ms  p99 %7.2f ms  2xx %d 4xx %d 5xx %d errors %d",
		name, len(s.latencies), float64(len(s.latencies))/secs, ms(q(0.5)), ms(q(0.99)),
		s.byClass[2], s.byClass[4], s.byClass[5], s.byClass[0])
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// TestLoad_LoopbackReadsAndWrites is the loopback load test: the real
// server on a store seeded with the default district, readers and writers
// for GRIDWATCH_LOAD_SECONDS seconds (default 60), then a restart
// that must find every acknowledged write. It fails on any 5xx.
//
//	make load-writes (go test -tags loadtest ./api -run TestLoad_LoopbackReadsAndWrites -v)
func TestLoad_LoopbackReadsAndWrites(t *testing.T) {
	secs, err := strconv.Atoi(os.Getenv("GRIDWATCH_LOAD_SECONDS"))
	if err != nil || secs <= 0 {
		secs = 60
	}
	bin := gridwatchBinary(t)
	dir := t.TempDir()
	p := startServe(t, bin, dir, "--rate", "0")
	c := newClient(p.url, analystSecret)
	admin := newClient(p.url, adminSecret)
	responders := sampleIDs(t, c, "responders", 8)

	stats := map[string]*loadStats{"read": {}, "nearest": {}, "post": {}, "patch": {}}
	log := &ackLog{moves: map[string]float64{}}
	var stop atomic.Bool
	var wg sync.WaitGroup
	start := time.Now()
	for i := range 6 {
		wg.Add(1)
		go func() { defer wg.Done(); loadReader(c, uint64(i), stats, &stop) }()
	}
	for w := range 3 {
		wg.Add(1)
		go func() { defer wg.Done(); loadPoster(admin, w, log, stats["post"], &stop) }()
	}
	for _, id := range responders {
		wg.Add(1)
		go func() { defer wg.Done(); loadMover(admin, id, log, stats["patch"], &stop) }()
	}
	time.Sleep(time.Duration(secs) * time.Second)
	stop.Store(true)
	wg.Wait()
	elapsed := time.Since(start).Seconds()
	_, metricsText, _ := c.do("GET", "/metrics", "", nil)
	p.stop(t)

	p2 := startServe(t, bin, dir, "--rate", "0")
	c2 := newClient(p2.url, adminSecret)
	have := c2.ids(t, "incidents")
	lost := 0
	for _, b := range log.batches {
		for _, id := range b {
			if !have[id] {
				lost++
			}
		}
	}
	for id, lon := range log.moves {
		if got := responderLon(t, c2, id); got < lon-1e-9 {
			lost++
		}
	}
	fiveXX := 0
	for _, name := range []string{"read", "nearest", "post", "patch"} {
		t.Log(stats[name].summary(name, elapsed))
		fiveXX += stats[name].byClass[5]
	}
	commitSecs := metricValue(string(metricsText), "gridwatch_write_commit_seconds_sum")
	groups := metricValue(string(metricsText), "gridwatch_write_group_size_count")
	grouped := metricValue(string(metricsText), "gridwatch_write_group_size_sum")
	t.Logf("%.0f s; %d incidents in %d acknowledged POSTs and %d responders moved; %.0f writes in %.0f commits (%.2f per fsync, %.1f ms per commit); 5xx: %d; lost writes: %d",
		elapsed, log.acked(), len(log.batches), len(log.moves), grouped, groups, grouped/max(groups, 1),
		1000*commitSecs/max(groups, 1), fiveXX, lost)
	require.Zero(t, fiveXX, "5xx answers")
	require.Zero(t, lost, "acknowledged writes missing after the restart")
}

// sampleIDs returns the first n ids of a collection.
func sampleIDs(t *testing.T, c *client, collection string, n int) []string {
	status, raw, err := c.do("GET", fmt.Sprintf("/collections/%s/items?limit=%d", collection, n), "", nil)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, status)
	var page struct {
		Features []struct {
			ID string `json:"id"`
		} `json:"features"`
	}
	require.NoError(t, json.Unmarshal(raw, &page))
	var out []string
	for _, f := range page.Features {
		out = append(out, f.ID)
	}
	return out
}

func responderLon(t *testing.T, c *client, id string) float64 {
	status, raw, err := c.do("GET", "/collections/responders/items/"+id, "", nil)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, status)
	var f struct {
		Geometry struct{ Coordinates []float64 } `json:"geometry"`
	}
	require.NoError(t, json.Unmarshal(raw, &f))
	return f.Geometry.Coordinates[0]
}

// loadReader reads pages, features, bbox queries and nearest responders.
func loadReader(c *client, seed uint64, stats map[string]*loadStats, stop *atomic.Bool) {
	rng := rand.New(rand.NewPCG(seed, 1))
	for !stop.Load() {
		lon, lat := 105.9+0.35*rng.Float64(), 37.2+0.45*rng.Float64()
		kind, path := "read", ""
		switch rng.IntN(5) {
		case 0:
			path = fmt.Sprintf("/collections/grids/items?limit=50&offset=%d", rng.IntN(450))
		case 1:
			path = fmt.Sprintf("/collections/incidents/items?bbox=%.4f,%.4f,%.4f,%.4f&limit=200", lon, lat, lon+0.05, lat+0.05)
		case 2:
			path = fmt.Sprintf("/collections/cameras/items?limit=100&offset=%d", rng.IntN(4000))
		case 3:
			path = "/collections/responders/items?limit=100"
		default:
			kind, path = "nearest", fmt.Sprintf("/responders/nearest?lon=%.5f&lat=%.5f&k=5", lon, lat)
		}
		t0 := time.Now()
		status, _, err := c.do("GET", path, "", nil)
		if err != nil {
			status = 0
		}
		stats[kind].add(status, time.Since(t0))
	}
}

// loadPoster POSTs new incidents, one to three at a time.
func loadPoster(c *client, w int, log *ackLog, st *loadStats, stop *atomic.Bool) {
	for n := 0; !stop.Load(); n++ {
		size := 1 + n%3
		ids := make([]string, size)
		features := make([]string, size)
		for k := range size {
			ids[k] = fmt.Sprintf("L%d-%d-%d", w, n, k)
			features[k] = fmt.Sprintf(`{"type":"Feature","id":%q,"geometry":{"type":"Point","coordinates":[%.5f,%.5f]},`+
				`"properties":{"time":"2026-01-05T08:00:00+08:00","category":"dispute","source":"110","resolved_level":"grid"}}`,
				ids[k], 106.0+0.001*float64((n*3+k)%100), 37.4+0.001*float64(w))
		}
		t0 := time.Now()
		status, _, err := c.do("POST", "/collections/incidents/items", mediaGeoJSON, []byte(featureCollection(features...)))
		if err != nil {
			status = 0
		}
		st.add(status, time.Since(t0))
		if status == http.StatusCreated {
			log.mu.Lock()
			log.batches = append(log.batches, ids)
			log.mu.Unlock()
		}
	}
}

// loadMover moves a responder east in small steps.
func loadMover(c *client, id string, log *ackLog, st *loadStats, stop *atomic.Bool) {
	for n := 1; !stop.Load(); n++ {
		lon := 106.05 + float64(n)*1e-6
		body := fmt.Sprintf(`{"geometry":{"type":"Point","coordinates":[%.7f,37.42]},"properties":{"available":true}}`, lon)
		t0 := time.Now()
		status, _, err := c.do("PATCH", "/collections/responders/items/"+id, mediaMergePatch, []byte(body))
		if err != nil {
			status = 0
		}
		st.add(status, time.Since(t0))
		if status == http.StatusOK {
			log.mu.Lock()
			log.moves[id] = lon
			log.mu.Unlock()
		}
	}
}

// metricValue reads an unlabelled sample from Prometheus text.
func metricValue(text, name string) float64 {
	m := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(name) + ` ([0-9.e+]+)$`).FindStringSubmatch(text)
	if m == nil {
		return 0
	}
	v, _ := strconv.ParseFloat(m[1], 64)
	return v
}
