package geo_test

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/stretchr/testify/require"

	"gridwatch/geo"
)

// The fixtures sit around lon 106.0, lat 37.4; one step is about 1 km.
const (
	lon0 = 106.0
	lat0 = 37.4
	dLon = 0.0113
	dLat = 0.009
)

// rect returns the counter-clockwise, closed rectangle between two corners.
func rect(minLon, minLat, maxLon, maxLat float64) orb.Polygon {
	return orb.Polygon{{
		{minLon, minLat}, {maxLon, minLat}, {maxLon, maxLat}, {minLon, maxLat}, {minLon, minLat},
	}}
}

// cellAt returns the point at fractional step (x, y) of the fixture lattice.
func cellAt(x, y float64) orb.Point { return orb.Point{lon0 + x*dLon, lat0 + y*dLat} }

// block returns the lattice rectangle from step (x0, y0) to step (x1, y1).
func block(x0, y0, x1, y1 float64) orb.Polygon {
	a, b := cellAt(x0, y0), cellAt(x1, y1)
	return rect(a[0], a[1], b[0], b[1])
}

// validDataset returns a small dataset that NewAtlas accepts: two townships,
// two villages, four grids tiling a 2×2 block (g1 g2 in the bottom row, g3 g4
// above), one station, one beat over the block, one settlement per grid and
// a few cameras, responders, incidents and places. Camera c3 is outside every
// grid.
func validDataset(t testing.TB) *geo.Dataset {
	t.Helper()
	day := time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
	grid := func(id, village, township string, x, y float64, pop, hh int) *geo.Grid {
		return &geo.Grid{ID: id, Name: id, Village: village, Township: township,
			Polygon: block(x, y, x+1, y+1), Population: pop, Households: hh}
	}
	settlement := func(id, gridID string, x, y float64, pop, hh int) *geo.Settlement {
		return &geo.Settlement{ID: id, Name: id, Grid: gridID,
			Polygon: block(x+0.4, y+0.4, x+0.6, y+0.6), Population: pop, Households: hh}
	}
	return &geo.Dataset{
		Meta: geo.Meta{Name: "fixture", Synthetic: true, AsOf: day},
		Townships: []*geo.Township{
			{ID: "t1", Name: "T1", Kind: geo.KindTown, Polygon: orb.MultiPolygon{block(0, 0, 2, 1)}},
			{ID: "t2", Name: "T2", Kind: geo.KindSubdistrict, Polygon: orb.MultiPolygon{block(0, 1, 2, 2)}},
		},
		Villages: []*geo.Village{
			{ID: "v1", Name: "V1", Kind: geo.KindVillage, Township: "t1", Polygon: orb.MultiPolygon{block(0, 0, 2, 1)}},
			{ID: "v2", Name: "V2", Kind: geo.KindCommunity, Township: "t2", Polygon: orb.MultiPolygon{block(0, 1, 2, 2)}},
		},
		Grids: []*geo.Grid{
			grid("g1", "v1", "t1", 0, 0, 100, 30),
			grid("g2", "v1", "t1", 1, 0, 80, 20),
			grid("g3", "v2", "t2", 0, 1, 60, 25),
			grid("g4", "v2", "t2", 1, 1, 0, 0),
		},
		Stations: []*geo.Station{{ID: "s1", Name: "S1", Point: cellAt(0.5, 0.5)}},
		Beats:    []*geo.Beat{{ID: "b1", Name: "B1", Station: "s1", Polygon: block(0, 0, 2, 2)}},
		Settlements: []*geo.Settlement{
			settlement("st1", "g1", 0, 0, 100, 30),
			settlement("st2", "g2", 1, 0, 80, 20),
			settlement("st3", "g3", 0, 1, 60, 25),
		},
		Cameras: []*geo.Camera{
			{ID: "c1", Source: geo.SourceXueliang, Type: geo.TypeFixed, Point: cellAt(0.3, 0.3),
				BearingDeg: 90, FOVDeg: 60, RangeM: 100, Online: true, Installed: day},
			{ID: "c2", Source: geo.SourceCourtyard, Type: geo.TypePTZ, Point: cellAt(1.7, 1.7),
				BearingDeg: 0, FOVDeg: 360, RangeM: 200, Online: true, Installed: day},
			{ID: "c3", Source: geo.SourceRuralGroundNetwork, Type: geo.TypeHighMast, Point: cellAt(-1, 0.5),
				BearingDeg: 359.9, FOVDeg: 30, RangeM: geo.MaxCameraRange, Installed: day},
		},
		Responders: []*geo.Responder{
			{ID: "r1", Name: "R1", Role: geo.RolePolice, Station: "s1", Grids: []string{"g1", "g2"},
				Point: cellAt(0.5, 0.5), Available: true, Updated: day},
			{ID: "r2", Name: "R2", Role: geo.RoleGridWorker, Station: "s1", Grids: []string{"g3"},
				Point: cellAt(0.2, 1.2), Updated: day},
		},
		Incidents: []*geo.Incident{
			{ID: "i1", Time: day, Category: "dispute", Source: geo.Source110, Point: cellAt(1.5, 0.5)},
			{ID: "i2", Time: day, Category: "theft", Source: geo.SourceGridPatrol, Point: cellAt(0.5, 1.5),
				ResolvedLevel: geo.LevelGrid},
		},
		Places: []*geo.Place{
			{ID: "p1", Name: "School", Kind: "school", Point: cellAt(0.6, 1.6)},
			{ID: "p2", Name: "Market", Kind: "market", Point: cellAt(3, 3)},
		},
		Waterways: []*geo.Waterway{
			{ID: "w1", Name: "Canal", Kind: geo.WaterwayCanal, Line: orb.LineString{cellAt(1.5, -0.5), cellAt(1.5, 2.5)}},
		},
		Roads: []*geo.Road{
			{ID: "rd1", Class: geo.RoadCounty, Line: orb.LineString{cellAt(0.1, 0.5), cellAt(1, 0.5), cellAt(1.4, 0.5)}},
			{ID: "rd2", Name: "Bridge", Class: geo.RoadVillage, SpeedKMH: 15, Bridge: true, Line: orb.LineString{cellAt(1.4, 0.5), cellAt(1.6, 0.5)}},
			{ID: "rd3", Class: geo.RoadTrack, Oneway: true, Line: orb.LineString{cellAt(1, 0.5), cellAt(1, 1.5)}},
		},
	}
}

// mustAtlas builds an atlas and fails the test if the dataset is refused.
func mustAtlas(t testing.TB, d *geo.Dataset) *geo.Atlas {
	t.Helper()
	a, err := geo.NewAtlas(d, geo.Options{})
	require.NoError(t, err)
	return a
}

// where is a Problem without its Expected text.
type where struct {
	Layer string
	Index int
	ID    string
	Field string
}

// refused builds an atlas that must be refused and returns the problems,
// after checking that the error is an Invalid *geo.Error.
func refused(t testing.TB, d *geo.Dataset) []geo.Problem {
	t.Helper()
	a, err := geo.NewAtlas(d, geo.Options{})
	require.Error(t, err)
	require.Nil(t, a)
	var e *geo.Error
	require.True(t, errors.As(err, &e), "error %T is not a *geo.Error", err)
	require.Equal(t, geo.Invalid, e.Code)
	require.Equal(t, geo.Invalid, geo.ErrorCode(err))
	require.NotEmpty(t, e.Problems)
	return e.Problems
}

func wheres(ps []geo.Problem) []where {
	out := make([]where, len(ps))
	for i, p := range ps {
		out[i] = where{p.Layer, p.Index, p.ID, p.Field}
	}
	return out
}

// mesh returns an nx×ny quad mesh over the fixture lattice whose vertices are
// shared by neighbouring quads and jittered by up to a quarter step; quad
// (i, j) is at index j*nx+i.
func mesh(nx, ny int, seed uint64) []orb.Polygon {
	rng := rand.New(rand.NewPCG(seed, 1))
	v := make([][]orb.Point, nx+1)
	for i := range v {
		v[i] = make([]orb.Point, ny+1)
		for j := range v[i] {
			v[i][j] = cellAt(float64(i)+(rng.Float64()-0.5)/2, float64(j)+(rng.Float64()-0.5)/2)
		}
	}
	out := make([]orb.Polygon, 0, nx*ny)
	for j := 0; j < ny; j++ {
		for i := 0; i < nx; i++ {
			out = append(out, orb.Polygon{{v[i][j], v[i+1][j], v[i+1][j+1], v[i][j+1], v[i][j]}})
		}
	}
	return out
}

// meshDataset returns a dataset whose grids are mesh(nx, ny, seed) and whose
// beats are the dissolves of 5×5 blocks of grids.
func meshDataset(t testing.TB, nx, ny int, seed uint64) *geo.Dataset {
	t.Helper()
	day := time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
	quads := mesh(nx, ny, seed)
	d := &geo.Dataset{Stations: []*geo.Station{{ID: "s1", Point: cellAt(0.5, 0.5)}}}
	blocks := map[[2]int][]orb.Polygon{}
	var order [][2]int
	for k, q := range quads {
		d.Grids = append(d.Grids, &geo.Grid{ID: gridName(k), Village: "v1", Township: "t1", Polygon: q})
		b := [2]int{(k % nx) / 5, (k / nx) / 5}
		if blocks[b] == nil {
			order = append(order, b)
		}
		blocks[b] = append(blocks[b], q)
	}
	for _, b := range order {
		mp := geo.Dissolve(blocks[b])
		require.Len(t, mp, 1)
		d.Beats = append(d.Beats, &geo.Beat{ID: gridName(len(d.Beats)), Station: "s1", Polygon: mp[0]})
	}
	d.Responders = []*geo.Responder{{ID: "r1", Role: geo.RolePolice, Station: "s1", Updated: day}}
	return d
}

func gridName(k int) string { return fmt.Sprintf("q%03d", k) }

// evenOdd is the plain crossing-number test, written independently of geo.
func evenOdd(p orb.Polygon, pt orb.Point) bool {
	in := false
	for _, r := range p {
		for i := 0; i+1 < len(r); i++ {
			a, b := r[i], r[i+1]
			if (a[1] <= pt[1]) != (b[1] <= pt[1]) {
				x := a[0] + (pt[1]-a[1])/(b[1]-a[1])*(b[0]-a[0])
				if pt[0] < x {
					in = !in
				}
			}
		}
	}
	return in
}

// bruteFirst returns the index of the first polygon containing pt, or -1.
func bruteFirst(polys []orb.Polygon, pt orb.Point) int {
	for i, p := range polys {
		if evenOdd(p, pt) {
			return i
		}
	}
	return -1
}

// randomPoints returns n points in b grown by a tenth on every side.
func randomPoints(n int, b orb.Bound, seed uint64) []orb.Point {
	rng := rand.New(rand.NewPCG(seed, 2))
	w, h := b.Max[0]-b.Min[0], b.Max[1]-b.Min[1]
	pts := make([]orb.Point, n)
	for i := range pts {
		pts[i] = orb.Point{b.Min[0] - w/10 + rng.Float64()*w*1.2, b.Min[1] - h/10 + rng.Float64()*h*1.2}
	}
	return pts
}

// sphereRectArea is the exact area of a lon/lat rectangle on the sphere.
func sphereRectArea(minLon, minLat, maxLon, maxLat float64) float64 {
	rad := math.Pi / 180
	return geo.EarthRadius * geo.EarthRadius * (maxLon - minLon) * rad * (math.Sin(maxLat*rad) - math.Sin(minLat*rad))
}
