package coverage_test

import (
	"math"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/stretchr/testify/require"

	"gridwatch/coverage"
	"gridwatch/geo"
)

// The video fixture: four square grids vidStep degrees a side, g1 (south-
// west), g2 (south-east), g3 (north-west), g4 (north-east), each with a
// setting whose covered area is known exactly:
//
//   - g1: camera c1, a 90° sector of 200 m facing north from the grid's
//     centre, wholly inside the grid; settlement s1 (100 people) out of
//     every view; key place p1 in the sector.
//   - g2: camera c2 (offline), a 180° sector of 300 m facing east from the
//     centre of settlement s2 (200 people), so exactly half of s2 is seen.
//   - g3: domes c3a (online) and c3b (offline), 150 m, 200 m apart: two
//     overlapping discs; key place p3 out of view.
//   - g4: dome c4 (online), 150 m, on the edge g2 | g4: half its disc in
//     each grid.
//
// Areas are compared with planar formulas: at these ranges the sphere
// changes them by less than 1e-9.
const (
	vidLon0 = 106.0
	vidLat0 = 37.4
	vidStep = 0.01
)

var vidAsOf = time.Date(2026, 6, 30, 0, 0, 0, 0, time.UTC)

func vidPt(x, y float64) orb.Point { return orb.Point{vidLon0 + x*vidStep, vidLat0 + y*vidStep} }

func vidRect(x0, y0, x1, y1 float64) orb.Polygon {
	a, b := vidPt(x0, y0), vidPt(x1, y1)
	return orb.Polygon{{{a[0], a[1]}, {b[0], a[1]}, {b[0], b[1]}, {a[0], b[1]}, {a[0], a[1]}}}
}

// vidCameras are the fixture's cameras.
func vidCameras() []*geo.Camera {
	cam := func(id string, typ geo.CameraType, src geo.CameraSource, pt orb.Point, bearing, fov, rng float64, online bool) *geo.Camera {
		return &geo.Camera{ID: id, Source: src, Type: typ, Point: pt, BearingDeg: bearing, FOVDeg: fov, RangeM: rng,
			Online: online, Installed: vidAsOf.AddDate(-1, 0, 0)}
	}
	return []*geo.Camera{
		cam("c1", geo.TypeFixed, geo.SourceXueliang, vidPt(0.5, 0.5), 0, 90, 200, true),
		cam("c2", geo.TypeFixed, geo.SourceRuralGroundNetwork, vidPt(1.5, 0.5), 90, 180, 300, false),
		cam("c3a", geo.TypeDome, geo.SourceXueliang, vidPt(0.5, 1.5), 0, 360, 150, true),
		cam("c3b", geo.TypeDome, geo.SourceCourtyard, geo.Destination(vidPt(0.5, 1.5), 90, 200), 0, 360, 150, false),
		cam("c4", geo.TypePTZ, geo.SourceXueliang, vidPt(1.5, 1), 0, 60, 150, true),
	}
}

// vidDataset builds the fixture; withSettlements false drops the
// settlements (and the grids' people) so that the watched surface is every
// grid whole.
func vidDataset(withSettlements bool) *geo.Dataset {
	d := &geo.Dataset{Meta: geo.Meta{Name: "Video fixture", Synthetic: true, AsOf: vidAsOf}}
	for _, g := range []struct {
		id, village, township string
		x, y                  float64
		pop                   int
	}{{"g1", "V1", "T1", 0, 0, 100}, {"g2", "V2", "T2", 1, 0, 200}, {"g3", "V1", "T1", 0, 1, 0}, {"g4", "V2", "T2", 1, 1, 0}} {
		if !withSettlements {
			g.pop = 300
		}
		d.Grids = append(d.Grids, &geo.Grid{ID: g.id, Name: "Grid " + g.id, Village: g.village, Township: g.township,
			Polygon: vidRect(g.x, g.y, g.x+1, g.y+1), Population: g.pop, Households: g.pop / 4})
	}
	if withSettlements {
		d.Settlements = []*geo.Settlement{
			{ID: "s1", Name: "s1", Grid: "g1", Polygon: vidRect(0.1, 0.1, 0.3, 0.25), Population: 100, Households: 25},
			{ID: "s2", Name: "s2", Grid: "g2", Polygon: vidRect(1.45, 0.45, 1.55, 0.55), Population: 200, Households: 50},
		}
	}
	d.Cameras = vidCameras()
	d.Places = []*geo.Place{
		{ID: "p1", Name: "School", Kind: "school", Point: geo.Destination(vidPt(0.5, 0.5), 10, 120)},
		{ID: "p3", Name: "Clinic", Kind: "clinic", Point: vidPt(0.8, 1.8)},
	}
	in := vidAsOf.Add(-48 * time.Hour)
	d.Incidents = []*geo.Incident{
		{ID: "i1", Time: in, Category: "theft", Source: geo.Source110, Point: geo.Destination(vidPt(0.5, 0.5), -20, 150)},
		{ID: "i2", Time: in, Category: "dispute", Source: geo.Source12345, Point: vidPt(0.2, 0.18)},
		{ID: "i3", Time: vidAsOf.AddDate(-2, 0, 0), Category: "theft", Source: geo.Source110, Point: geo.Destination(vidPt(0.5, 0.5), 0, 50)},
		{ID: "i4", Time: in, Category: "noise", Source: geo.SourceGridPatrol, Point: vidPt(0.9, 0.9)},
		{ID: "i5", Time: in, Category: "noise", Source: geo.SourceGridPatrol, Point: geo.Destination(vidPt(1.5, 0.5), 90, 100)},
	}
	return d
}

func vidAtlas(t testing.TB, withSettlements bool) *geo.Atlas {
	t.Helper()
	a, err := geo.NewAtlas(vidDataset(withSettlements), geo.Options{})
	require.NoError(t, err)
	return a
}

func vidWindow(t testing.TB, a *geo.Atlas) coverage.Window {
	t.Helper()
	w, err := coverage.NewWindow(a, time.Time{}, coverage.DefaultWindowDays, time.Now())
	require.NoError(t, err)
	return w
}

// discArea and lensArea are the planar areas of a disc of radius r and of
// the overlap of two such discs d apart.
func discArea(r float64) float64 { return math.Pi * r * r }

func lensArea(r, d float64) float64 {
	return 2*r*r*math.Acos(d/(2*r)) - d/2*math.Sqrt(4*r*r-d*d)
}

// vidGrid returns the row of grid id.
func vidGrid(t testing.TB, rows []coverage.GridVideo, id string) coverage.GridVideo {
	t.Helper()
	for _, r := range rows {
		if r.Grid.ID == id {
			return r
		}
	}
	t.Fatalf("no grid %s", id)
	return coverage.GridVideo{}
}
