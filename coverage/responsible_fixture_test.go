package coverage_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/stretchr/testify/require"

	"gridwatch/geo"
)

// The strip fixture: four grids g1..g4 in a row from west to east, each
// stripStep degrees square, starting at (stripLon0, stripLat0). Villages V1
// (g1, g2) and V2 (g3, g4) lie in townships T1 and T2. Beat B1 (station
// S1) covers g1 and the west half of g2; beat B2 (station S2) the rest, so
// beats and grids do not line up. One settlement per grid is centred on the
// parallel stripMidLat, stripKm[i] km east of police officer P1, the one
// available police officer.
const (
	stripLon0   = 106.0
	stripLat0   = 37.4
	stripStep   = 0.05
	stripMidLat = 37.425
	// settlement half sizes, degrees
	settHalfLon = 0.002
	settHalfLat = 0.0015
)

var (
	stripKm       = []float64{2, 6, 10, 14}
	stripPop      = []int{100, 200, 300, 400}
	stripOfficer  = orb.Point{106.01, stripMidLat}
	stripAsOf     = time.Date(2026, 6, 30, 0, 0, 0, 0, time.UTC)
	stripReported = time.Date(2026, 6, 30, 23, 50, 0, 0, time.UTC)
)

func rect(minLon, minLat, maxLon, maxLat float64) orb.Polygon {
	return orb.Polygon{{{minLon, minLat}, {maxLon, minLat}, {maxLon, maxLat}, {minLon, maxLat}, {minLon, minLat}}}
}

// stripSettlementCentre returns the centre of settlement i: km east of the
// officer along the parallel.
func stripSettlementCentre(i int) orb.Point {
	return geo.Destination(stripOfficer, 90, stripKm[i]*1000)
}

// stripDataset builds the strip fixture.
func stripDataset() *geo.Dataset {
	x := func(i float64) float64 { return stripLon0 + i*stripStep }
	y0, y1 := stripLat0, stripLat0+stripStep
	d := &geo.Dataset{
		Meta: geo.Meta{Name: "Strip", Synthetic: true, AsOf: stripAsOf},
		Townships: []*geo.Township{
			{ID: "T1", Name: "West", Kind: geo.KindTown, Polygon: orb.MultiPolygon{rect(x(0), y0, x(2), y1)}},
			{ID: "T2", Name: "East", Kind: geo.KindTownship, Polygon: orb.MultiPolygon{rect(x(2), y0, x(4), y1)}},
		},
		Villages: []*geo.Village{
			{ID: "V1", Name: "West village", Kind: geo.KindVillage, Township: "T1", Polygon: orb.MultiPolygon{rect(x(0), y0, x(2), y1)}},
			{ID: "V2", Name: "East village", Kind: geo.KindVillage, Township: "T2", Polygon: orb.MultiPolygon{rect(x(2), y0, x(4), y1)}},
		},
		Stations: []*geo.Station{
			{ID: "S1", Name: "West station", Point: orb.Point{x(0.5), stripMidLat}},
			{ID: "S2", Name: "East station", Point: orb.Point{x(3), stripMidLat}},
		},
		Beats: []*geo.Beat{
			{ID: "B1", Name: "West beat", Station: "S1", Polygon: rect(x(0), y0, x(1.5), y1)},
			{ID: "B2", Name: "East beat", Station: "S2", Polygon: rect(x(1.5), y0, x(4), y1)},
		},
	}
	for i := range 4 {
		id := fmt.Sprintf("g%d", i+1)
		v, t := "V1", "T1"
		if i >= 2 {
			v, t = "V2", "T2"
		}
		c := stripSettlementCentre(i)
		d.Grids = append(d.Grids, &geo.Grid{ID: id, Name: "Grid " + id, Village: v, Township: t,
			Polygon: rect(x(float64(i)), y0, x(float64(i+1)), y1), Population: stripPop[i], Households: stripPop[i] / 4})
		d.Settlements = append(d.Settlements, &geo.Settlement{ID: "s" + id, Name: "Settlement " + id, Grid: id,
			Polygon:    rect(c[0]-settHalfLon, c[1]-settHalfLat, c[0]+settHalfLon, c[1]+settHalfLat),
			Population: stripPop[i], Households: stripPop[i] / 4})
	}
	d.Responders = []*geo.Responder{
		{ID: "P1", Name: "Officer 1", Role: geo.RolePolice, Station: "S1", Grids: []string{"g1", "g2"},
			Point: stripOfficer, Available: true, Updated: stripReported},
		{ID: "P2", Name: "Officer 2 (off duty)", Role: geo.RolePolice, Station: "S2", Grids: []string{"g4"},
			Point: orb.Point{x(3.8), stripMidLat}, Available: false, Updated: stripReported},
		{ID: "P3", Name: "Officer 3 (stale)", Role: geo.RolePolice, Station: "S2", Grids: []string{"g3"},
			Point: orb.Point{x(2.5), stripMidLat}, Available: true, Updated: stripReported.Add(-2 * time.Hour)},
		{ID: "A1", Name: "Auxiliary 1", Role: geo.RoleAuxiliary, Station: "S2", Grids: []string{"g3"},
			Point: orb.Point{x(2.6), stripMidLat}, Available: true, Updated: stripReported},
		{ID: "W1", Name: "Grid worker 1", Role: geo.RoleGridWorker, Station: "S1", Grids: []string{"g1"},
			Point: orb.Point{x(0.2), stripMidLat + 0.01}, Available: true, Updated: stripReported},
	}
	// Incidents: two in settlement g3, three in settlement g4, one in open
	// land of g4.
	at := func(i int, dLon float64) orb.Point {
		c := stripSettlementCentre(i)
		return orb.Point{c[0] + dLon, c[1]}
	}
	for i, p := range []orb.Point{at(2, 0), at(2, 0.001), at(3, 0), at(3, -0.001), at(3, 0.001), {x(3.5), y0 + 0.005}} {
		d.Incidents = append(d.Incidents, &geo.Incident{ID: fmt.Sprintf("i%d", i+1), Time: stripAsOf.Add(-time.Duration(i) * time.Hour),
			Category: "dispute", Source: geo.Source110, Point: p})
	}
	return d
}

// stripAtlas returns the strip fixture's atlas.
func stripAtlas(t testing.TB) *geo.Atlas {
	t.Helper()
	a, err := geo.NewAtlas(stripDataset(), geo.Options{})
	require.NoError(t, err)
	return a
}
