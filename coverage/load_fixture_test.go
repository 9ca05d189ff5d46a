package coverage_test

import (
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/stretchr/testify/require"

	"gridwatch/coverage"
	"gridwatch/geo"
)

// The load fixture is two rows of three square grids, 0.01° a side, near
// lon 106.0, lat 37.4:
//
//	G4 G5 G6     (row 1)
//	G1 G2 G3     (row 0)
//
// in villages V1 (G1, G4), V2 (G2, G5), V3 (G3, G6) and townships T1 (V1,
// V2), T2 (V3). Beats: B1 is x in [0, 1.3] steps, B2 is x in [1.3, 3], y in
// [0, 0.7], B3 is x in [1.3, 3], y in [0.7, 2].
const (
	loadLon0 = 106.0
	loadLat0 = 37.4
	loadStep = 0.01
)

// loadAsOf is the fixture's as-of date.
var loadAsOf = time.Date(2026, 6, 30, 0, 0, 0, 0, time.UTC)

// loadGridSpec is one fixture grid.
type loadGridSpec struct {
	id, village, township string
	x, y                  float64
	pop, hh               int
	incidents             []string // report times, RFC 3339
}

var loadGrids = []loadGridSpec{
	{"G1", "V1", "T1", 0, 0, 1000, 300, []string{"2026-06-20T10:00:00+08:00", "2026-03-01T10:00:00+08:00", "2025-12-01T10:00:00+08:00", "2025-07-01T00:30:00+08:00", "2025-06-01T10:00:00+08:00"}},
	{"G2", "V2", "T1", 1, 0, 2000, 500, []string{"2026-06-30T23:00:00+08:00", "2026-06-05T10:00:00+08:00", "2026-05-01T10:00:00+08:00", "2026-01-01T10:00:00+08:00", "2025-10-01T10:00:00+08:00", "2025-08-01T10:00:00+08:00", "2026-07-01T01:00:00+08:00"}},
	{"G3", "V3", "T2", 2, 0, 500, 150, []string{"2026-02-01T10:00:00+08:00", "2025-09-01T10:00:00+08:00"}},
	{"G4", "V1", "T1", 0, 1, 0, 0, []string{"2026-06-29T10:00:00+08:00"}},
	{"G5", "V2", "T1", 1, 1, 1500, 400, []string{"2026-04-01T10:00:00+08:00", "2026-03-01T10:00:00+08:00", "2025-11-01T10:00:00+08:00"}},
	{"G6", "V3", "T2", 2, 1, 800, 200, nil},
}

// loadResponders are the fixture's responders: id, role, grids.
var loadResponders = []struct {
	id    string
	role  geo.Role
	grids []string
}{
	{"P1", geo.RolePolice, []string{"G1", "G2"}},
	{"P2", geo.RolePolice, []string{"G2"}},
	{"P3", geo.RolePolice, []string{"G3", "G5", "G6"}},
	{"P4", geo.RolePolice, nil},
	{"A1", geo.RoleAuxiliary, []string{"G1", "G2"}},
	{"A2", geo.RoleAuxiliary, []string{"G1"}},
	{"A3", geo.RoleAuxiliary, []string{"G2"}},
	{"A4", geo.RoleAuxiliary, []string{"G3"}},
	{"W1", geo.RoleGridWorker, []string{"G1"}},
	{"W2", geo.RoleGridWorker, []string{"G2", "G3"}},
	{"V1", geo.RoleVolunteer, []string{"G5"}},
}

func loadRect(x0, y0, x1, y1 float64) orb.Polygon {
	a, b := loadLon0+x0*loadStep, loadLat0+y0*loadStep
	c, d := loadLon0+x1*loadStep, loadLat0+y1*loadStep
	return orb.Polygon{{{a, b}, {c, b}, {c, d}, {a, d}, {a, b}}}
}

func loadPoint(x, y float64) orb.Point {
	return orb.Point{loadLon0 + x*loadStep, loadLat0 + y*loadStep}
}

// loadRectArea is the exact area of the lon/lat rectangle between steps
// (x0, y0) and (x1, y1) on the sphere: R²·Δλ·(sin φ1 − sin φ0).
func loadRectArea(x0, y0, x1, y1 float64) float64 {
	rad := math.Pi / 180
	dl := (x1 - x0) * loadStep * rad
	return geo.EarthRadius * geo.EarthRadius * dl *
		(math.Sin((loadLat0+y1*loadStep)*rad) - math.Sin((loadLat0+y0*loadStep)*rad))
}

// loadDataset returns the fixture dataset.
func loadDataset(t testing.TB) *geo.Dataset {
	t.Helper()
	d := &geo.Dataset{
		Meta:     geo.Meta{Name: "Load fixture", Synthetic: true, AsOf: loadAsOf},
		Stations: []*geo.Station{{ID: "S1", Name: "Station", Point: loadPoint(1.5, 1)}},
		Beats: []*geo.Beat{
			{ID: "B1", Name: "West", Station: "S1", Polygon: loadRect(0, 0, 1.3, 2)},
			{ID: "B2", Name: "South-east", Station: "S1", Polygon: loadRect(1.3, 0, 3, 0.7)},
			{ID: "B3", Name: "North-east", Station: "S1", Polygon: loadRect(1.3, 0.7, 3, 2)},
		},
	}
	n := 0
	for _, g := range loadGrids {
		d.Grids = append(d.Grids, &geo.Grid{ID: g.id, Name: "Grid " + g.id, Village: g.village, Township: g.township,
			Polygon: loadRect(g.x, g.y, g.x+1, g.y+1), Population: g.pop, Households: g.hh})
		for k, at := range g.incidents {
			tm, err := time.Parse(time.RFC3339, at)
			require.NoError(t, err)
			n++
			d.Incidents = append(d.Incidents, &geo.Incident{ID: fmt.Sprintf("I%02d", n), Time: tm, Category: "dispute",
				Source: geo.Source110, Point: loadPoint(g.x+0.2+0.1*float64(k), g.y+0.5)})
		}
	}
	for i, r := range loadResponders {
		d.Responders = append(d.Responders, &geo.Responder{ID: r.id, Name: r.id, Role: r.role, Station: "S1",
			Grids: r.grids, Point: loadPoint(0.5+0.1*float64(i), 0.5), Available: true, Updated: loadAsOf})
	}
	return d
}

// loadAtlas returns the fixture atlas.
func loadAtlas(t testing.TB) *geo.Atlas {
	t.Helper()
	a, err := geo.NewAtlas(loadDataset(t), geo.Options{})
	require.NoError(t, err)
	return a
}

// loadWindow is the default window of the fixture: 365 days to 30 June 2026.
func loadWindow(t testing.TB, a *geo.Atlas) coverage.Window {
	t.Helper()
	w, err := coverage.NewWindow(a, time.Time{}, coverage.DefaultWindowDays, time.Now())
	require.NoError(t, err)
	return w
}

// loadAtlasOf indexes a (changed) fixture dataset.
func loadAtlasOf(t testing.TB, d *geo.Dataset) *geo.Atlas {
	t.Helper()
	a, err := geo.NewAtlas(d, geo.Options{})
	require.NoError(t, err)
	return a
}
