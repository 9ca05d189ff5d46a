package geo_test

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/stretchr/testify/require"

	"gridwatch/geo"
)

func TestAtlas_UpdateMovesOnePoint(t *testing.T) {
	t.Parallel()
	a := mustAtlas(t, validDataset(t))
	moved := *a.Responders.At(0)
	moved.Point = cellAt(1.5, 1.5)
	moved.Available = false
	b, err := a.Update(geo.LayerResponders, []geo.Feature{&moved})
	require.NoError(t, err)

	got, _ := b.Responders.Get("r1")
	require.Equal(t, moved.Point, got.Point)
	require.False(t, got.Available)
	old, _ := a.Responders.Get("r1")
	require.Equal(t, cellAt(0.5, 0.5), old.Point, "the old atlas is unchanged")
	require.Equal(t, a.Responders.Version()+1, b.Responders.Version())
	require.Same(t, a.Grids, b.Grids)
	require.Same(t, a.Cameras, b.Cameras)
	require.Equal(t, []string{"r1"}, searchIDs(b.Responders, moved.Point))
	require.Empty(t, searchIDs(b.Responders, cellAt(0.5, 0.5)))
	require.Equal(t, []string{"r1"}, searchIDs(a.Responders, cellAt(0.5, 0.5)))
	require.True(t, b.Responders.Bound().Contains(moved.Point))
}

func TestAtlas_UpdateDerivesGrids(t *testing.T) {
	t.Parallel()
	a := mustAtlas(t, validDataset(t))
	c := *a.Cameras.At(0)
	require.Equal(t, "g1", c.Grid)
	c.Point = cellAt(1.5, 1.5) // into g4
	b, err := a.Update(geo.LayerCameras, []geo.Feature{&c})
	require.NoError(t, err)
	got, _ := b.Cameras.Get("c1")
	require.Equal(t, "g4", got.Grid)
}

func TestAtlas_UpdateRefuses(t *testing.T) {
	t.Parallel()
	a := mustAtlas(t, validDataset(t))
	r := func(mod func(r *geo.Responder)) geo.Feature {
		cp := *a.Responders.At(0)
		mod(&cp)
		return &cp
	}
	tests := []struct {
		name  string
		layer string
		items []geo.Feature
		code  geo.Code
		field string
	}{
		{"unknown id", geo.LayerResponders, []geo.Feature{r(func(r *geo.Responder) { r.ID = "r9" })}, geo.NotFound, ""},
		{"bad point", geo.LayerResponders, []geo.Feature{r(func(r *geo.Responder) { r.Point = orb.Point{200, 0} })}, geo.Invalid, "geometry"},
		{"no such grid", geo.LayerResponders, []geo.Feature{r(func(r *geo.Responder) { r.Grids = []string{"g9"} })}, geo.Invalid, "grids"},
		{"no such station", geo.LayerResponders, []geo.Feature{r(func(r *geo.Responder) { r.Station = "s9" })}, geo.Invalid, "station"},
		{"no time", geo.LayerResponders, []geo.Feature{r(func(r *geo.Responder) { r.Updated = time.Time{} })}, geo.Invalid, "updated"},
		{"twice", geo.LayerResponders, []geo.Feature{r(func(*geo.Responder) {}), r(func(*geo.Responder) {})}, geo.Invalid, "id"},
		{"polygon layer", geo.LayerGrids, []geo.Feature{a.Grids.At(0)}, geo.Invalid, ""},
		{"wrong type", geo.LayerCameras, []geo.Feature{&geo.Camera{ID: "r1"}}, geo.Invalid, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := a.Update(tt.layer, tt.items)
			require.Error(t, err)
			require.Equal(t, tt.code, geo.ErrorCode(err), err.Error())
			if tt.field != "" {
				require.Equal(t, tt.field, err.(*geo.Error).Problems[0].Field)
			}
		})
	}
}

// TestAtlas_UpdateManyGenerations moves random responders over many
// generations and checks every generation against a layer built from
// scratch from the same items: the same search answers and the same
// nearest order. Earlier generations must keep answering as they did.
func TestAtlas_UpdateManyGenerations(t *testing.T) {
	t.Parallel()
	d := validDataset(t)
	rng := rand.New(rand.NewPCG(9, 9))
	day := d.Responders[0].Updated
	for i := range 400 {
		d.Responders = append(d.Responders, &geo.Responder{ID: fmt.Sprintf("x%03d", i), Name: "x", Role: geo.RoleVolunteer,
			Station: "s1", Point: cellAt(4*rng.Float64()-1, 4*rng.Float64()-1), Updated: day})
	}
	atlases := []*geo.Atlas{mustAtlas(t, d)}
	// Each responder's past positions, to move it back to: its stale tree
	// entry there comes back to life instead of being duplicated.
	past := map[string][]orb.Point{}
	for gen := range 60 {
		cur := atlases[len(atlases)-1]
		var batch []geo.Feature
		for _, i := range rng.Perm(cur.Responders.Len())[:1+rng.IntN(40)] {
			r := *cur.Responders.At(i)
			past[r.ID] = append(past[r.ID], r.Point)
			switch rng.IntN(5) {
			case 0: // back to one of its past positions
				r.Point = past[r.ID][rng.IntN(len(past[r.ID]))]
			case 1: // no move; another attribute changes
				r.Available = !r.Available
			default:
				r.Point = cellAt(6*rng.Float64()-2, 6*rng.Float64()-2)
			}
			batch = append(batch, &r)
		}
		next, err := cur.Update(geo.LayerResponders, batch)
		require.NoError(t, err, "generation %d", gen)
		atlases = append(atlases, next)
	}
	for gen, a := range atlases {
		fresh := geo.NewLayer(a.Responders.Items(), 1)
		require.Equal(t, fresh.Bound(), a.Responders.Bound(), "generation %d", gen)
		for range 20 {
			p := cellAt(6*rng.Float64()-2, 6*rng.Float64()-2)
			box := orb.Bound{Min: p, Max: orb.Point{p[0] + 0.02, p[1] + 0.02}}
			require.Equal(t, boxIDs(fresh, box), boxIDs(a.Responders, box), "generation %d", gen)
			require.Equal(t, nearbyDists(fresh, p), nearbyDists(a.Responders, p), "generation %d", gen)
		}
		// Every item once, at its own position.
		whole := orb.Bound{Min: orb.Point{-180, -90}, Max: orb.Point{180, 90}}
		require.Equal(t, boxIDs(fresh, whole), boxIDs(a.Responders, whole), "generation %d", gen)
		var seen []int
		a.Responders.Nearby(cellAt(0.5, 0.5), func(i int, _ float64) bool { seen = append(seen, i); return true })
		require.Len(t, seen, a.Responders.Len(), "generation %d: Nearby visits each item once", gen)
		for _, r := range a.Responders.Items()[:50] {
			require.Equal(t, []string{r.ID}, filterID(searchIDs(a.Responders, r.Point), r.ID), "generation %d", gen)
		}
	}
}

// filterID keeps id in ids (others may share the point).
func filterID(ids []string, id string) []string {
	out := []string{}
	for _, x := range ids {
		if x == id {
			out = append(out, x)
		}
	}
	return out
}

// TestAtlas_UpdateWhileReading runs readers on old generations while a
// writer updates (for the race detector).
func TestAtlas_UpdateWhileReading(t *testing.T) {
	t.Parallel()
	a := mustAtlas(t, validDataset(t))
	var wg sync.WaitGroup
	cur := a
	for gen := range 50 {
		snap := cur
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 20 {
				snap.Responders.Nearby(cellAt(0.5, 0.5), func(int, float64) bool { return true })
				searchIDs(snap.Responders, cellAt(0.5, 0.5))
			}
		}()
		r := *cur.Responders.At(gen % 2)
		r.Point = cellAt(float64(gen%7)/7, float64(gen%5)/5)
		next, err := cur.Update(geo.LayerResponders, []geo.Feature{&r})
		require.NoError(t, err)
		cur = next
	}
	wg.Wait()
}

func searchIDs(l *geo.Layer[*geo.Responder], p orb.Point) []string {
	return boxIDs(l, orb.Bound{Min: p, Max: p})
}

func boxIDs(l *geo.Layer[*geo.Responder], b orb.Bound) []string {
	ids := []string{}
	l.Search(b, func(i int) bool {
		ids = append(ids, l.At(i).ID)
		return true
	})
	sort.Strings(ids)
	return ids
}

// nearbyDists returns the planar distances of the first 30 items Nearby
// visits (the ids may differ where distances tie).
func nearbyDists(l *geo.Layer[*geo.Responder], p orb.Point) []float64 {
	var out []float64
	l.Nearby(p, func(_ int, d float64) bool {
		out = append(out, d)
		return len(out) < 30
	})
	return out
}

// benchAtlas returns the fixture with n extra responders, about as many as
// the scale-20 dataset has (26,400).
func benchAtlas(b *testing.B, n int) *geo.Atlas {
	d := validDataset(b)
	rng := rand.New(rand.NewPCG(1, 1))
	for i := range n {
		d.Responders = append(d.Responders, &geo.Responder{ID: fmt.Sprintf("x%05d", i), Name: "x", Role: geo.RoleVolunteer,
			Station: "s1", Point: cellAt(200*rng.Float64(), 200*rng.Float64()), Updated: d.Responders[0].Updated})
	}
	return mustAtlas(b, d)
}

// BenchmarkAtlas_UpdateBatch50 applies a batch of 50 moved responders to
// 26,400 with Update (copy-on-write R-tree and item chunks, stale entries
// left for the periodic rebuild, whose cost the average includes) and, as
// the baseline, with Apply (the layer re-indexed): 50 ms of updates at
// 1,000 a second (the position writer commits every 20 ms).
func BenchmarkAtlas_UpdateBatch50(b *testing.B) {
	a := benchAtlas(b, 26400)
	rng := rand.New(rand.NewPCG(2, 2))
	batches := make([][]geo.Feature, 64)
	for j := range batches {
		for _, i := range rng.Perm(a.Responders.Len())[:50] {
			r := *a.Responders.At(i)
			r.Point = cellAt(200*rng.Float64(), 200*rng.Float64())
			batches[j] = append(batches[j], &r)
		}
	}
	for _, bm := range []struct {
		name string
		fn   func(*geo.Atlas, []geo.Feature) (*geo.Atlas, error)
	}{
		{"Update", func(a *geo.Atlas, fs []geo.Feature) (*geo.Atlas, error) { return a.Update(geo.LayerResponders, fs) }},
		{"Apply", func(a *geo.Atlas, fs []geo.Feature) (*geo.Atlas, error) { return a.Apply(geo.LayerResponders, fs, nil) }},
	} {
		b.Run(bm.name, func(b *testing.B) {
			b.ReportAllocs()
			cur := a
			n := 0
			for b.Loop() {
				next, err := bm.fn(cur, batches[n%len(batches)])
				n++
				if err != nil {
					b.Fatal(err)
				}
				cur = next
			}
		})
	}
}

// Edit gives what Apply gives: by Update for replacements of existing
// points, by Apply for inserts, removals and polygon layers.
func TestAtlas_EditEqualsApply(t *testing.T) {
	t.Parallel()
	a := mustAtlas(t, validDataset(t))
	moved := *a.Responders.At(0)
	moved.Point, moved.Available = cellAt(1.5, 1.5), false
	added := *a.Responders.At(1)
	added.ID = "r-new"
	bad := *a.Responders.At(1)
	bad.Station = "no-such-station"
	for _, tc := range []struct {
		name   string
		upsert []geo.Feature
		remove []string
	}{
		{"replace", []geo.Feature{&moved}, nil},
		{"insert", []geo.Feature{&moved, &added}, nil},
		{"remove", nil, []string{a.Responders.At(1).ID}},
		{"invalid", []geo.Feature{&bad}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			want, wantErr := a.Apply(geo.LayerResponders, tc.upsert, tc.remove)
			got, err := a.Edit(geo.LayerResponders, tc.upsert, tc.remove)
			if wantErr != nil {
				require.Error(t, err)
				require.Equal(t, geo.ErrorCode(wantErr), geo.ErrorCode(err))
				return
			}
			require.NoError(t, err)
			require.Equal(t, want.Versions(), got.Versions())
			require.Equal(t, want.Responders.Items(), got.Responders.Items())
			whole := orb.Bound{Min: orb.Point{-180, -90}, Max: orb.Point{180, 90}}
			require.Equal(t, boxIDs(want.Responders, whole), boxIDs(got.Responders, whole))
			require.Equal(t, searchIDs(want.Responders, moved.Point), searchIDs(got.Responders, moved.Point))
			require.Same(t, a.Grids, got.Grids)
		})
	}
}
