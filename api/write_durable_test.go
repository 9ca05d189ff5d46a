package api

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// ackLog records what the server acknowledged.
type ackLog struct {
	mu      sync.Mutex
	batches [][]string         // ids of acknowledged POSTs (each all or nothing)
	sent    [][]string         // ids of every POST sent, acknowledged or not
	moves   map[string]float64 // responder id → the last acknowledged longitude
}

// TestDurable_KillDashNineLosesNoAcknowledgedWrite starts the real server
// on a store, streams writes at it from several clients, SIGKILLs it in the
// middle, restarts it on the same directory and checks that every
// acknowledged write is there and that no write is there in part.
func TestDurable_KillDashNineLosesNoAcknowledgedWrite(t *testing.T) {
	t.Parallel()
	bin := gridwatchBinary(t)
	dir := t.TempDir()
	out, err := runGridwatch(t, bin, "import", "--data", dir, "../testdata/tiny")
	require.NoError(t, err, out)

	p := startServe(t, bin, dir, "--rate", "0")
	c := newClient(p.url, adminSecret)
	log := &ackLog{moves: map[string]float64{}}
	var stop atomic.Bool
	var wg sync.WaitGroup
	for w := range 6 {
		wg.Add(1)
		go func() { defer wg.Done(); postIncidents(c, w, log, &stop) }()
	}
	for _, id := range []string{"R1", "R2", "R3", "R4"} {
		wg.Add(1)
		go func() { defer wg.Done(); moveResponder(c, id, log, &stop) }()
	}
	// Kill the server once it has acknowledged a good number of writes.
	deadline := time.Now().Add(time.Minute)
	for time.Now().Before(deadline) && log.acked() < 150 {
		time.Sleep(10 * time.Millisecond)
	}
	p.kill()
	stop.Store(true)
	wg.Wait()
	require.GreaterOrEqual(t, log.acked(), 150, "the server acknowledged writes before it was killed")

	p2 := startServe(t, bin, dir, "--rate", "0")
	c2 := newClient(p2.url, adminSecret)
	have := c2.ids(t, "incidents")
	lost, partial := 0, 0
	for _, b := range log.batches {
		for _, id := range b {
			if !have[id] {
				lost++
			}
		}
	}
	for _, b := range log.sent {
		n := 0
		for _, id := range b {
			if have[id] {
				n++
			}
		}
		if n != 0 && n != len(b) {
			partial++
		}
	}
	require.Zero(t, lost, "acknowledged incidents missing after the restart")
	require.Zero(t, partial, "writes stored in part")
	for id, lon := range log.moves {
		status, raw, err := c2.do("GET", "/collections/responders/items/"+id, "", nil)
		require.NoError(t, err)
		require.Equal(t, http.StatusOK, status)
		var f struct {
			Geometry struct{ Coordinates []float64 } `json:"geometry"`
		}
		require.NoError(t, json.Unmarshal(raw, &f))
		require.GreaterOrEqual(t, f.Geometry.Coordinates[0], lon-1e-9, "%s: the last acknowledged position (or a later one)", id)
	}
	t.Logf("acknowledged %d POSTs (%d incidents) and %d position updates before SIGKILL; all found after the restart",
		len(log.batches), log.acked(), len(log.moves))
}

// postIncidents POSTs collections of 1 to 4 new incidents until stopped.
func postIncidents(c *client, w int, log *ackLog, stop *atomic.Bool) {
	for n := 0; !stop.Load(); n++ {
		size := 1 + n%4
		ids := make([]string, size)
		features := make([]string, size)
		for k := range size {
			ids[k] = fmt.Sprintf("k%d-%d-%d", w, n, k)
			features[k] = incident(ids[k], w*1000+n*4+k)
		}
		log.mu.Lock()
		log.sent = append(log.sent, ids)
		log.mu.Unlock()
		status, _, err := c.do("POST", "/collections/incidents/items", mediaGeoJSON, []byte(featureCollection(features...)))
		if err != nil {
			return // the server is gone
		}
		if status == http.StatusCreated {
			log.mu.Lock()
			log.batches = append(log.batches, ids)
			log.mu.Unlock()
		}
	}
}

// moveResponder PATCHes a responder eastwards, one step a request, until
// stopped.
func moveResponder(c *client, id string, log *ackLog, stop *atomic.Bool) {
	for n := 1; !stop.Load(); n++ {
		lon := 106.0001 + float64(n)*1e-6
		body := fmt.Sprintf(`{"geometry":{"type":"Point","coordinates":[%.7f,37.4051]}}`, lon)
		status, _, err := c.do("PATCH", "/collections/responders/items/"+id, mediaMergePatch, []byte(body))
		if err != nil {
			return
		}
		if status == http.StatusOK {
			log.mu.Lock()
			log.moves[id] = lon
			log.mu.Unlock()
		}
	}
}

// acked counts the acknowledged incidents.
func (l *ackLog) acked() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for _, b := range l.batches {
		n += len(b)
	}
	return n
}

func TestServe_LocalDemoRefusesNonLoopbackAddresses(t *testing.T) {
	t.Parallel()
	bin := gridwatchBinary(t)
	for _, addr := range []string{"0.0.0.0:0", ":0", "[::]:0"} {
		out, err := runGridwatch(t, bin, "serve", "--data", t.TempDir(), "--addr", addr)
		require.Error(t, err, addr)
		require.Contains(t, out, "loopback", addr)
	}
}

func TestServe_ImportAndBackupRoundTrip(t *testing.T) {
	t.Parallel()
	bin := gridwatchBinary(t)
	dir := t.TempDir()
	out, err := runGridwatch(t, bin, "import", "--data", dir, "../testdata/tiny")
	require.NoError(t, err, out)
	out, err = runGridwatch(t, bin, "import", "--data", dir, "--dry-run", "../testdata/tiny/places.csv")
	require.NoError(t, err, out)
	require.Contains(t, out, "places: 3 features")

	bad := t.TempDir() + "/places.csv"
	require.NoError(t, os.WriteFile(bad, []byte("id,lon,lat,name,kind\np1,200,37,x,castle\n"), 0o644))
	out, err = runGridwatch(t, bin, "import", "--data", dir, bad)
	require.Error(t, err)
	require.Contains(t, out, "kind")

	backup := t.TempDir() + "/copy.gpkg"
	out, err = runGridwatch(t, bin, "backup", "--data", dir, backup)
	require.NoError(t, err, out)
	require.True(t, strings.Contains(out, "backed up"), out)
}
