package postgis_test

import (
	"context"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"gridwatch/data"
	"gridwatch/data/pgtest"
	"gridwatch/data/postgis"
	"gridwatch/geo"
)

// replicaUnderTest is a replica with an atlas holder of its own.
type replicaUnderTest struct {
	*postgis.Replica
	atlas atomic.Pointer[geo.Atlas]
}

func startReplica(t *testing.T, url string) *replicaUnderTest {
	t.Helper()
	r := &replicaUnderTest{}
	r.Replica = postgis.NewReplica(postgis.ReplicaOptions{URL: url, Store: postgis.Options{Seed: seedTiny},
		Current: r.atlas.Load, Publish: r.atlas.Store, Check: 100 * time.Millisecond, MaxBackoff: 200 * time.Millisecond})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- r.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })
	select {
	case <-r.Loaded():
	case err := <-done:
		t.Fatalf("replica stopped: %v", err)
	case <-time.After(30 * time.Second):
		t.Fatal("replica did not load in 30 s")
	}
	return r
}

// write commits an edit of a layer through the replica as the api's
// committer does: apply to the current atlas, commit, publish.
func (r *replicaUnderTest) write(t *testing.T, layer string, up []geo.Feature, rm []string) error {
	t.Helper()
	a, err := r.atlas.Load().Edit(layer, up, rm)
	require.NoError(t, err)
	if err := r.Commit(context.Background(), []data.Change{{Layer: layer, Items: up, Remove: rm}}); err != nil {
		return err
	}
	r.Publish(a)
	return nil
}

// waitFor polls until cond holds, failing after limit; it returns how
// long it took.
func waitFor(t *testing.T, limit time.Duration, what string, cond func() bool) time.Duration {
	t.Helper()
	start := time.Now()
	for !cond() {
		if time.Since(start) > limit {
			t.Fatalf("%s: not within %v", what, limit)
		}
		time.Sleep(2 * time.Millisecond)
	}
	return time.Since(start)
}

func responderAt(a *geo.Atlas, id string) *geo.Responder {
	r, _ := a.Responders.Get(id)
	return r
}

// Writes through either replica reach the other within a second, with the
// same layer versions; the writer reads its own write at once.
func TestReplica_WritesPropagateWithTheStoresVersions(t *testing.T) {
	t.Parallel()
	url := pgtest.Database(t)
	a, b := startReplica(t, url), startReplica(t, url)
	require.Equal(t, a.atlas.Load().Versions(), b.atlas.Load().Versions())

	var lat []time.Duration
	for i := range 20 {
		w, other := a, b
		if i%2 == 1 {
			w, other = b, a
		}
		r := *responderAt(w.atlas.Load(), "R1")
		r.Point[0] += 0.0001
		require.NoError(t, w.write(t, geo.LayerResponders, []geo.Feature{&r}, nil))
		require.Equal(t, r.Point, responderAt(w.atlas.Load(), "R1").Point, "read-your-writes")
		lat = append(lat, waitFor(t, time.Second, "propagation", func() bool {
			return responderAt(other.atlas.Load(), "R1").Point == r.Point
		}))
		require.Equal(t, w.atlas.Load().Versions(), other.atlas.Load().Versions())
	}
	slices.Sort(lat)
	t.Logf("propagation of 20 writes: p50 %v, max %v", lat[len(lat)/2], lat[len(lat)-1])

	// A deletion and a new item travel too; the layer's versions stay equal
	// to the store's.
	nr := *responderAt(a.atlas.Load(), "R2")
	nr.ID = "R9"
	require.NoError(t, a.write(t, geo.LayerResponders, []geo.Feature{&nr}, []string{"R3"}))
	waitFor(t, time.Second, "add and delete", func() bool {
		l := b.atlas.Load().Responders
		_, gone := l.Get("R3")
		_, added := l.Get("R9")
		return added && !gone
	})
	st, err := a.Store().State(context.Background())
	require.NoError(t, err)
	for layer, v := range b.atlas.Load().Versions() {
		require.Equal(t, st.Versions[layer], int64(v), layer)
	}
	ids := func(r *replicaUnderTest) []string {
		var out []string
		for _, x := range r.atlas.Load().Responders.Items() {
			out = append(out, x.ID)
		}
		return out
	}
	require.Equal(t, ids(a), ids(b), "same items in the same order")
}

// Concurrent writes on both replicas to the same layer: the atlas of each
// ends as the store's.
func TestReplica_ConcurrentWritersConverge(t *testing.T) {
	t.Parallel()
	url := pgtest.Database(t)
	a, b := startReplica(t, url), startReplica(t, url)
	done := make(chan struct{})
	for _, w := range []*replicaUnderTest{a, b} {
		go func() {
			defer func() { done <- struct{}{} }()
			for range 15 {
				r := *responderAt(w.atlas.Load(), "R4")
				r.Point[1] += 0.0001
				_ = w.write(t, geo.LayerResponders, []geo.Feature{&r}, nil)
			}
		}()
	}
	<-done
	<-done
	d, err := a.Store().Load(context.Background())
	require.NoError(t, err)
	var want *geo.Responder
	for _, r := range d.Responders {
		if r.ID == "R4" {
			want = r
		}
	}
	for _, r := range []*replicaUnderTest{a, b} {
		waitFor(t, time.Second, "convergence", func() bool { return responderAt(r.atlas.Load(), "R4").Point == want.Point })
	}
	require.Equal(t, a.atlas.Load().Versions(), b.atlas.Load().Versions())
}

// With PostgreSQL stopped, commits fail at once as StoreUnavailable, the
// replica says its snapshot is stale, and when PostgreSQL is back it
// catches up by itself with what another process committed.
func TestReplica_DatabaseDownThenBack(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c := pgtest.Own(t, pgtest.Options{})
	db, err := c.NewDatabase(ctx)
	require.NoError(t, err)
	url := c.URL(db)
	a := startReplica(t, url)
	_, stale := a.Stale()
	waitFor(t, 5*time.Second, "fresh after load", func() bool { _, stale = a.Stale(); return !stale })

	require.NoError(t, c.Halt(ctx))
	waitFor(t, 2*time.Second, "stale once the database stops", func() bool { _, s := a.Stale(); return s })
	r := *responderAt(a.atlas.Load(), "R1")
	r.Available = !r.Available
	start := time.Now()
	err = a.write(t, geo.LayerResponders, []geo.Feature{&r}, nil)
	require.Equal(t, geo.StoreUnavailable, geo.ErrorCode(err), "%v", err)
	require.Less(t, time.Since(start), time.Second, "a write is refused quickly")
	require.Error(t, a.Ping(ctx))
	require.NotEqual(t, r.Available, responderAt(a.atlas.Load(), "R1").Available, "a refused write is not served")

	require.NoError(t, c.Resume(ctx))
	other, err := postgis.Open(ctx, url, postgis.Options{})
	require.NoError(t, err)
	defer other.Close()
	require.NoError(t, other.Commit(ctx, []data.Change{{Layer: geo.LayerResponders, Items: []geo.Feature{&r}}}))
	waitFor(t, 5*time.Second, "catch-up after the database is back", func() bool {
		return responderAt(a.atlas.Load(), "R1").Available == r.Available
	})
	_, stale = a.Stale()
	require.False(t, stale)
	require.NoError(t, a.Ping(ctx))
}

// A replica started while the database is down waits for it.
func TestReplica_StartsBeforeTheDatabase(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c := pgtest.Own(t, pgtest.Options{})
	db, err := c.NewDatabase(ctx)
	require.NoError(t, err)
	require.NoError(t, c.Halt(ctx))
	go func() {
		time.Sleep(700 * time.Millisecond)
		_ = c.Resume(ctx)
	}()
	a := startReplica(t, c.URL(db))
	require.Equal(t, len(storeTiny(t).Grids), a.atlas.Load().Grids.Len())
}

func storeTiny(t *testing.T) *geo.Dataset {
	d, err := seedTiny()
	require.NoError(t, err)
	return d
}
