package geo_test

import (
	"math"
	"sort"
	"testing"

	"github.com/paulmach/orb"
	"github.com/stretchr/testify/require"

	"gridwatch/geo"
)

func TestAtlas_GridAtMatchesBruteForce(t *testing.T) {
	t.Parallel()
	d := meshDataset(t, 10, 10, 1)
	a := mustAtlas(t, d)
	polys := make([]orb.Polygon, len(d.Grids))
	for i, g := range d.Grids {
		polys[i] = g.Polygon
	}
	inside := 0
	for _, pt := range randomPoints(10_000, a.Grids.Bound(), 3) {
		want := bruteFirst(polys, pt)
		g, ok := a.GridAt(pt)
		if want < 0 {
			require.False(t, ok, "%v", pt)
			require.Nil(t, g)
			continue
		}
		inside++
		require.True(t, ok, "%v", pt)
		require.Equal(t, d.Grids[want].ID, g.ID, "%v", pt)
	}
	require.Greater(t, inside, 5000, "most points fall in a grid")
}

func TestAtlas_BeatAtMatchesBruteForce(t *testing.T) {
	t.Parallel()
	d := meshDataset(t, 10, 10, 2)
	a := mustAtlas(t, d)
	require.Equal(t, 4, a.Beats.Len())
	polys := make([]orb.Polygon, len(d.Beats))
	for i, b := range d.Beats {
		polys[i] = b.Polygon
	}
	for _, pt := range randomPoints(10_000, a.Beats.Bound(), 4) {
		want := bruteFirst(polys, pt)
		b, ok := a.BeatAt(pt)
		require.Equal(t, want >= 0, ok, "%v", pt)
		if ok {
			require.Equal(t, d.Beats[want].ID, b.ID, "%v", pt)
		}
	}
}

func TestAtlas_GridAtSharedEdge(t *testing.T) {
	t.Parallel()
	a := mustAtlas(t, validDataset(t))
	tests := []struct {
		name string
		pt   orb.Point
		want string
	}{
		{"inside g1", cellAt(0.5, 0.5), "g1"},
		{"inside g4", cellAt(1.9, 1.9), "g4"},
		{"west of the block", cellAt(-0.01, 0.5), ""},
		{"north of the block", cellAt(1, 2.01), ""},
		{"far away", orb.Point{0, 0}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			g, ok := a.GridAt(tt.pt)
			require.Equal(t, tt.want != "", ok)
			if ok {
				require.Equal(t, tt.want, g.ID)
			}
		})
	}
	t.Run("on a shared edge exactly one grid", func(t *testing.T) {
		t.Parallel()
		for _, pt := range []orb.Point{cellAt(1, 0.5), cellAt(0.5, 1), cellAt(1.5, 1), cellAt(1, 1.5)} {
			_, ok := a.GridAt(pt)
			require.True(t, ok, "%v", pt)
		}
	})
}

func TestLayer_SearchMatchesBruteForce(t *testing.T) {
	t.Parallel()
	d := meshDataset(t, 10, 10, 5)
	l := geo.NewLayer(d.Grids, 7)
	require.Equal(t, 100, l.Len())
	require.Equal(t, uint64(7), l.Version())
	corners := randomPoints(400, l.Bound(), 6)
	for k := 0; k+1 < len(corners); k += 2 {
		box := orb.Bound{Min: corners[k], Max: corners[k]}.Extend(corners[k+1])
		var got []int
		l.Search(box, func(i int) bool { got = append(got, i); return true })
		var want []int
		for i, g := range d.Grids {
			if g.Polygon.Bound().Intersects(box) {
				want = append(want, i)
			}
		}
		sort.Ints(got)
		require.Equal(t, want, got, "box %v", box)
	}
	t.Run("stops when fn returns false", func(t *testing.T) {
		t.Parallel()
		n := 0
		l.Search(l.Bound(), func(int) bool { n++; return n < 3 })
		require.Equal(t, 3, n)
	})
}

func TestLayer_NearbyMatchesBruteForce(t *testing.T) {
	t.Parallel()
	d := validDataset(t)
	var pts []*geo.Camera
	for i, p := range randomPoints(300, orb.Bound{Min: cellAt(0, 0), Max: cellAt(2, 2)}, 8) {
		c := *d.Cameras[0]
		c.ID, c.Point = gridName(i), p
		pts = append(pts, &c)
	}
	l := geo.NewLayer(pts, 1)
	for _, target := range randomPoints(20, l.Bound(), 9) {
		var order []int
		var dists []float64
		l.Nearby(target, func(i int, d2 float64) bool {
			order = append(order, i)
			dists = append(dists, d2)
			return true
		})
		require.Len(t, order, len(pts))
		require.True(t, sort.Float64sAreSorted(dists))
		for k, i := range order {
			dx, dy := pts[i].Point[0]-target[0], pts[i].Point[1]-target[1]
			require.InDelta(t, dx*dx+dy*dy, dists[k], 1e-15)
		}
		nearest, best := -1, math.Inf(1)
		for i, c := range pts {
			dx, dy := c.Point[0]-target[0], c.Point[1]-target[1]
			if dx*dx+dy*dy < best {
				nearest, best = i, dx*dx+dy*dy
			}
		}
		require.Equal(t, nearest, order[0])
	}
	t.Run("stops when fn returns false", func(t *testing.T) {
		t.Parallel()
		n := 0
		l.Nearby(cellAt(1, 1), func(int, float64) bool { n++; return false })
		require.Equal(t, 1, n)
	})
}

func TestLayer_Lookups(t *testing.T) {
	t.Parallel()
	d := validDataset(t)
	l := geo.NewLayer(d.Grids, 1)
	g, ok := l.Get("g3")
	require.True(t, ok)
	require.Same(t, d.Grids[2], g)
	require.Same(t, d.Grids[2], l.At(2))
	require.Equal(t, 2, l.Index("g3"))
	require.Equal(t, -1, l.Index("g9"))
	_, ok = l.Get("g9")
	require.False(t, ok)
	require.Equal(t, orb.Bound{Min: cellAt(0, 0), Max: cellAt(2, 2)}, l.Bound())
	require.Equal(t, d.Grids, l.Items())

	empty := geo.NewLayer[*geo.Grid](nil, 1)
	require.Equal(t, 0, empty.Len())
	require.Equal(t, orb.Bound{}, empty.Bound())
	empty.Search(orb.Bound{Max: orb.Point{180, 90}}, func(int) bool { t.Fatal("found in an empty layer"); return false })
}

func TestAtlas_Versions(t *testing.T) {
	t.Parallel()
	a := mustAtlas(t, validDataset(t))
	v := a.Versions()
	require.Len(t, v, len(geo.LayerNames))
	for _, name := range geo.LayerNames {
		require.Equal(t, uint64(1), v[name], name)
	}
	require.Len(t, a.Dataset().Counts(), len(geo.LayerNames))
}
