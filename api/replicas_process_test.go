package api

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"gridwatch/data/pgtest"
	"gridwatch/data/postgis"
)

// startReplicaProcess starts `gridwatch serve --store url` with an admin
// token and waits until /readyz answers 200. Every replica gets the same
// --base-url, as behind one load balancer, so that their ETags can agree.
func startReplicaProcess(t testing.TB, bin, url string) *gwProcess {
	t.Helper()
	addr := freeAddr(t)
	cmd := exec.Command(bin, "serve", "--store", url, "--addr", addr, "--log-json", "--base-url", "http://gridwatch.test")
	cmd.Env = append(os.Environ(), "GRIDWATCH_TOKENS=admin:"+adminSecret+",analyst:"+analystSecret, "GRIDWATCH_STORE=")
	p := &gwProcess{cmd: cmd, url: "http://" + addr, logs: &syncBuffer{}, done: make(chan error, 1)}
	cmd.Stdout, cmd.Stderr = p.logs, p.logs
	require.NoError(t, cmd.Start())
	go func() { p.done <- cmd.Wait() }()
	t.Cleanup(func() { p.kill() })
	deadline := time.Now().Add(2 * time.Minute)
	for time.Now().Before(deadline) {
		select {
		case err := <-p.done:
			p.done <- err
			t.Fatalf("gridwatch serve exited: %v\n%s", err, p.logs.String())
		default:
		}
		if resp, err := http.Get(p.url + "/readyz"); err == nil {
			_ = resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return p
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("gridwatch serve not ready in time\n%s", p.logs.String())
	return nil
}

// getTagged GETs a path and returns the status, body and ETag.
func (c *client) getTagged(path string) (int, string, string, error) {
	req, err := http.NewRequest(http.MethodGet, c.base+path, nil)
	if err != nil {
		return 0, "", "", err
	}
	req.Header.Set("Authorization", "Bearer "+c.secret)
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, "", "", err
	}
	defer resp.Body.Close()
	var body json.RawMessage
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		return resp.StatusCode, "", "", err
	}
	return resp.StatusCode, string(body), resp.Header.Get("ETag"), nil
}

// sameEverywhere waits until every client answers path with 200 and the
// same body and ETag, and returns how long that took (failing after
// limit).
func sameEverywhere(t *testing.T, cs []*client, path string, limit time.Duration) time.Duration {
	t.Helper()
	start := time.Now()
	for {
		var bodies, tags []string
		ok := true
		for _, c := range cs {
			status, body, tag, err := c.getTagged(path)
			if err != nil || status != http.StatusOK {
				ok = false
				break
			}
			bodies, tags = append(bodies, body), append(tags, tag)
		}
		if ok && len(slices.Compact(slices.Clone(bodies))) == 1 && len(slices.Compact(slices.Clone(tags))) == 1 && tags[0] != "" {
			return time.Since(start)
		}
		if time.Since(start) > limit {
			t.Fatalf("%s: the replicas do not agree within %v (ok=%v, ETags %q)", path, limit, ok, tags)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// The done-when test of replicas: PostGIS and three gridwatch processes.
// Writes through each reach all three (same feature, same ETag) within a
// second; a replica killed with SIGKILL mid-stream loses no acknowledged
// write; with PostgreSQL stopped writes are refused with 503
// store_unavailable at once, reads go on with the snapshot's age, and the
// replicas catch up by themselves when it is back.
func TestReplicas_ThreeProcessesOnOnePostGIS(t *testing.T) {
	t.Parallel()
	bin := gridwatchBinary(t)
	t0 := time.Now()
	phase := func(what string) { t.Logf("%v: %s", time.Since(t0).Round(time.Millisecond), what) }
	ctx := context.Background()
	cluster := pgtest.Own(t, pgtest.Options{})
	db, err := cluster.NewDatabase(ctx)
	require.NoError(t, err)
	url := cluster.URL(db)
	out, err := runGridwatch(t, bin, "import", "--store", url, "../testdata/tiny")
	require.NoError(t, err, out)

	phase("PostGIS started, tiny dataset imported")
	procs := make([]*gwProcess, 3)
	var wg sync.WaitGroup
	for i := range procs {
		wg.Go(func() { procs[i] = startReplicaProcess(t, bin, url) })
	}
	wg.Wait()
	cs := make([]*client, len(procs))
	for i, p := range procs {
		cs[i] = newClient(p.url, adminSecret)
	}
	sameEverywhere(t, cs, "/collections/incidents/items?limit=1000", 2*time.Second)
	phase("three replicas ready")

	// 1. Writes through each replica reach every replica within 1 s, with
	// the same body and ETag.
	var lags []time.Duration
	for i := range 9 {
		id := fmt.Sprintf("w%d", i)
		status, raw, err := cs[i%3].do(http.MethodPost, "/collections/incidents/items", mediaGeoJSON, []byte(incident(id, i)))
		require.NoError(t, err)
		require.Equal(t, http.StatusCreated, status, string(raw))
		// Read-your-writes: the writing replica has it at once.
		status, _, _, err = cs[i%3].getTagged("/collections/incidents/items/" + id)
		require.NoError(t, err)
		require.Equal(t, http.StatusOK, status)
		lags = append(lags, sameEverywhere(t, cs, "/collections/incidents/items/"+id, time.Second))
	}
	sameEverywhere(t, cs, "/collections/incidents/items?limit=1000", time.Second)
	slices.Sort(lags)
	t.Logf("writes seen by all three replicas after (p50) %v, (max) %v", lags[len(lags)/2], lags[len(lags)-1])

	phase("writes through each seen everywhere")
	// 2. SIGKILL one replica while four clients write through it: every
	// acknowledged write is in the database and on the other replicas.
	var acked sync.Map
	var n atomic.Int64
	var writers sync.WaitGroup
	for w := range 4 {
		writers.Go(func() {
			for k := 0; ; k++ {
				id := fmt.Sprintf("k%d-%d", w, k)
				status, _, err := cs[2].do(http.MethodPost, "/collections/incidents/items", mediaGeoJSON, []byte(incident(id, 20+k*4+w)))
				if err != nil {
					return // the replica is gone
				}
				if status == http.StatusCreated {
					acked.Store(id, true)
					n.Add(1)
				}
			}
		})
	}
	for n.Load() < 40 {
		time.Sleep(time.Millisecond)
	}
	procs[2].kill()
	writers.Wait()
	store, err := postgis.Open(ctx, url, postgis.Options{})
	require.NoError(t, err)
	defer store.Close()
	d, err := store.Load(ctx)
	require.NoError(t, err, "every stored row is whole")
	stored := map[string]bool{}
	for _, inc := range d.Incidents {
		stored[inc.ID] = true
	}
	var lost []string
	count := 0
	acked.Range(func(k, _ any) bool {
		count++
		if !stored[k.(string)] {
			lost = append(lost, k.(string))
		}
		return true
	})
	require.Empty(t, lost, "acknowledged writes missing after SIGKILL")
	t.Logf("SIGKILL after %d acknowledged writes through the replica: all %d in the database", n.Load(), count)
	live := cs[:2]
	sameEverywhere(t, live, "/collections/incidents/items?limit=1000", time.Second)
	got := cs[0].ids(t, "incidents")
	require.Len(t, got, len(stored), "the survivors serve what the database holds")

	phase("SIGKILL checked")
	// 3. PostgreSQL stopped: writes 503 store_unavailable quickly, reads
	// served with the snapshot's age, not ready.
	require.NoError(t, cluster.Halt(ctx))
	deadline := time.Now().Add(5 * time.Second)
	for {
		req, _ := http.NewRequest(http.MethodGet, cs[0].base+"/collections/incidents/items?limit=5", nil)
		req.Header.Set("Authorization", "Bearer "+adminSecret)
		resp, err := cs[0].http.Do(req)
		require.NoError(t, err)
		_ = resp.Body.Close()
		require.Equal(t, http.StatusOK, resp.StatusCode, "reads go on")
		if resp.Header.Get(SnapshotAgeHeader) != "" {
			break
		}
		require.True(t, time.Now().Before(deadline), "no %s header 5 s after PostgreSQL stopped", SnapshotAgeHeader)
		time.Sleep(20 * time.Millisecond)
	}
	for _, c := range live {
		start := time.Now()
		status, raw, err := c.do(http.MethodPost, "/collections/incidents/items", mediaGeoJSON, []byte(incident("down", 7)))
		require.NoError(t, err)
		require.Equal(t, http.StatusServiceUnavailable, status, string(raw))
		var p problem
		require.NoError(t, json.Unmarshal(raw, &p))
		require.Equal(t, "store_unavailable", string(p.Code), string(raw))
		require.Less(t, time.Since(start), time.Second, "refused quickly")
		status, _, _ = c.do(http.MethodGet, "/readyz", "", nil)
		require.Equal(t, http.StatusServiceUnavailable, status, "not ready for writes")
	}

	phase("PostgreSQL stopped: refusals checked")
	// 4. PostgreSQL back: the replicas catch up by themselves.
	require.NoError(t, cluster.Resume(ctx))
	start := time.Now()
	for {
		status, _, err := cs[1].do(http.MethodPost, "/collections/incidents/items", mediaGeoJSON, []byte(incident("back", 8)))
		require.NoError(t, err)
		if status == http.StatusCreated {
			break
		}
		require.Less(t, time.Since(start), 10*time.Second, "writes still refused 10 s after PostgreSQL is back")
		time.Sleep(20 * time.Millisecond)
	}
	t.Logf("writes taken again %v after PostgreSQL restarted", time.Since(start).Round(time.Millisecond))
	sameEverywhere(t, live, "/collections/incidents/items/back", time.Second)
	for _, c := range live {
		status, _, _ := c.do(http.MethodGet, "/readyz", "", nil)
		require.Equal(t, http.StatusOK, status)
	}
}
