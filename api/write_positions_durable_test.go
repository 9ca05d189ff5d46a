package api

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// promSample reads an unlabelled sample from Prometheus text.
func promSample(t testing.TB, text, name string) float64 {
	t.Helper()
	m := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(name) + ` ([0-9.e+]+)$`).FindStringSubmatch(text)
	require.NotNil(t, m, "no sample %s", name)
	v, err := strconv.ParseFloat(m[1], 64)
	require.NoError(t, err)
	return v
}

// responderPositions returns the position of each of the first n
// responders of the server.
func responderPositions(t testing.TB, c *client, n int) map[string][2]float64 {
	t.Helper()
	status, raw, err := c.do("GET", fmt.Sprintf("/collections/responders/items?limit=%d", n), "", nil)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, status, string(raw))
	var page struct {
		Features []struct {
			ID       string `json:"id"`
			Geometry struct {
				Coordinates [2]float64 `json:"coordinates"`
			} `json:"geometry"`
		} `json:"features"`
	}
	require.NoError(t, json.Unmarshal(raw, &page))
	out := map[string][2]float64{}
	for _, f := range page.Features {
		out[f.ID] = f.Geometry.Coordinates
	}
	return out
}

// TestDurable_PositionReportsShareCommitsAndSurviveKill runs the real
// server on a durable store (the embedded district, tokens): 32 trackers
// report positions back to back, each for its own responder; the reports
// must share commits (far fewer commits than reports: they wait up to the
// position linger for each other), and after SIGKILL and a restart each
// responder must be at its last acknowledged position or a later one.
func TestDurable_PositionReportsShareCommitsAndSurviveKill(t *testing.T) {
	t.Parallel()
	bin := gridwatchBinary(t)
	dir := t.TempDir()
	p := startServe(t, bin, dir, "--rate", "0")
	reader := newClient(p.url, analystSecret)
	start := responderPositions(t, reader, 32)
	require.Len(t, start, 32)

	tracker := newClient(p.url, trackerSecret)
	var mu sync.Mutex
	acked := map[string]int{} // responder → the last acknowledged step
	var total atomic.Int64
	var stop atomic.Bool
	var wg sync.WaitGroup
	for id, p0 := range start {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := 1; !stop.Load(); n++ {
				body := fmt.Sprintf(`{"geometry":{"type":"Point","coordinates":[%.7f,%.7f]}}`, p0[0]+float64(n)*1e-6, p0[1])
				status, raw, err := tracker.do("PATCH", "/collections/responders/items/"+id, mediaMergePatch, []byte(body))
				if err != nil {
					return // killed
				}
				if status != http.StatusOK {
					t.Errorf("%s: %d %s", id, status, raw)
					return
				}
				mu.Lock()
				acked[id] = n
				mu.Unlock()
				total.Add(1)
			}
		}()
	}
	// Measure the sharing once a good number of reports is in.
	deadline := time.Now().Add(time.Minute)
	for time.Now().Before(deadline) && total.Load() < 600 {
		time.Sleep(10 * time.Millisecond)
	}
	seen := total.Load() // before the metrics: reports go on meanwhile
	status, raw, err := reader.do("GET", "/metrics", "", nil)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, status)
	commits := promSample(t, string(raw), "gridwatch_write_commit_seconds_count")
	written := promSample(t, string(raw), "gridwatch_write_group_size_sum")
	require.GreaterOrEqual(t, seen, int64(600), "reports acknowledged within a minute")
	require.GreaterOrEqual(t, written, float64(seen), "every acknowledged report was committed")
	require.Less(t, 3*commits, written, "reports share commits: %v reports in %v commits", written, commits)

	// More reports, then SIGKILL in the middle of them.
	for time.Now().Before(deadline) && total.Load() < seen+300 {
		time.Sleep(5 * time.Millisecond)
	}
	p.kill()
	stop.Store(true)
	wg.Wait()

	p2 := startServe(t, bin, dir, "--rate", "0")
	after := responderPositions(t, newClient(p2.url, analystSecret), 32)
	for id, p0 := range start {
		n := acked[id]
		require.Positive(t, n, "%s had an acknowledged report", id)
		got := after[id]
		step := (got[0] - p0[0]) / 1e-6
		require.GreaterOrEqual(t, step, float64(n)-0.5, "%s: at its last acknowledged report (step %d) or a later one, found step %.1f", id, n, step)
	}
	t.Logf("%v reports in %v commits (%.1f a commit) before the kill; %d acknowledged in all, every one found after the restart",
		written, commits, written/commits, total.Load())
}
