package api

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/stretchr/testify/require"

	"gridwatch/geo"
)

// The fixture is a 2×2 block of square grids near lon 106.0, lat 37.4, one
// step (0.01°) a side: g1 (south-west) and g2 (north-west) in township t1,
// village v1; g3 (south-east) and g4 (north-east) in t2, v2.
const (
	fixLon0 = 106.0
	fixLat0 = 37.4
	fixStep = 0.01
)

// scriptName is the name of grid g1, to test HTML escaping.
const scriptName = `<script>alert("g1")</script> Grid 1`

// fixtureIncidentStart is the time of the first incident; incident i comes
// i*fixtureIncidentEvery later.
var (
	fixtureIncidentStart = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	fixtureIncidentEvery = 7*time.Hour + 13*time.Minute
	fixtureCameraStart   = time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC)
	fixtureResponderTime = time.Date(2024, 6, 1, 8, 0, 0, 0, time.UTC)
)

func fixRect(minLon, minLat, maxLon, maxLat float64) orb.Polygon {
	return orb.Polygon{{
		{minLon, minLat}, {maxLon, minLat}, {maxLon, maxLat}, {minLon, maxLat}, {minLon, minLat},
	}}
}

// fixBlock returns the rectangle between fractional steps (x0, y0) and (x1, y1).
func fixBlock(x0, y0, x1, y1 float64) orb.Polygon {
	return fixRect(fixLon0+x0*fixStep, fixLat0+y0*fixStep, fixLon0+x1*fixStep, fixLat0+y1*fixStep)
}

func fixPoint(x, y float64) orb.Point { return orb.Point{fixLon0 + x*fixStep, fixLat0 + y*fixStep} }

// fixtureDataset returns the test dataset with n incidents.
func fixtureDataset(n int) *geo.Dataset {
	rng := rand.New(rand.NewPCG(1, uint64(n)))
	d := &geo.Dataset{
		Meta: geo.Meta{Name: "Test district", Description: "A hand-made district for the API tests.", Synthetic: true},
		Townships: []*geo.Township{
			{ID: "T1", Name: "West town", Kind: geo.KindTown, Polygon: orb.MultiPolygon{fixBlock(0, 0, 1, 2)}},
			{ID: "T2", Name: "East subdistrict", Kind: geo.KindSubdistrict, Polygon: orb.MultiPolygon{fixBlock(1, 0, 2, 2)}},
		},
		Villages: []*geo.Village{
			{ID: "V1", Name: "West village", Kind: geo.KindVillage, Township: "T1", Polygon: orb.MultiPolygon{fixBlock(0, 0, 1, 2)}},
			{ID: "V2", Name: "East community", Kind: geo.KindCommunity, Township: "T2", Polygon: orb.MultiPolygon{fixBlock(1, 0, 2, 2)}},
		},
		Stations: []*geo.Station{{ID: "S1", Name: "Central station", Point: fixPoint(0.5, 0.5)}},
		Beats: []*geo.Beat{
			{ID: "B1", Name: "West beat", Station: "S1", Polygon: fixBlock(0, 0, 1, 2)},
			{ID: "B2", Name: "East beat", Station: "S1", Polygon: fixBlock(1, 0, 2, 2)},
		},
	}
	type cell struct {
		id, village, township string
		x, y                  float64
	}
	cells := []cell{{"g1", "V1", "T1", 0, 0}, {"g2", "V1", "T1", 0, 1}, {"g3", "V2", "T2", 1, 0}, {"g4", "V2", "T2", 1, 1}}
	for i, c := range cells {
		name := fmt.Sprintf("Grid %d", i+1)
		if i == 0 {
			name = scriptName
		}
		pop1, hh1 := 100+10*i, 30+i
		pop2, hh2 := 50+5*i, 20+i
		d.Grids = append(d.Grids, &geo.Grid{ID: c.id, Name: name, Village: c.village, Township: c.township,
			Polygon: fixBlock(c.x, c.y, c.x+1, c.y+1), Population: pop1 + pop2, Households: hh1 + hh2})
		d.Settlements = append(d.Settlements,
			&geo.Settlement{ID: c.id + "-s1", Name: name + " north", Grid: c.id,
				Polygon: fixBlock(c.x+0.2, c.y+0.6, c.x+0.4, c.y+0.8), Population: pop1, Households: hh1},
			&geo.Settlement{ID: c.id + "-s2", Name: name + " south", Grid: c.id,
				Polygon: fixBlock(c.x+0.5, c.y+0.1, c.x+0.8, c.y+0.3), Population: pop2, Households: hh2})
	}
	kinds := []string{"school", "clinic", "market", "village_entrance"}
	for i := range 6 {
		d.Places = append(d.Places, &geo.Place{ID: fmt.Sprintf("p%d", i+1), Name: fmt.Sprintf("Place %d", i+1),
			Kind: kinds[i%len(kinds)], Point: fixPoint(0.15+0.3*float64(i), 0.25+0.25*float64(i%3))})
	}
	for i := range 30 {
		d.Cameras = append(d.Cameras, &geo.Camera{
			ID: fmt.Sprintf("c%02d", i+1), Source: geo.CameraSources[i%len(geo.CameraSources)],
			Type: geo.CameraTypes[i%len(geo.CameraTypes)], Point: fixPoint(0.05+0.32*float64(i%6), 0.07+0.37*float64(i/6)),
			BearingDeg: float64((i*37)%360) + 0.25*float64(i%3), FOVDeg: 90, RangeM: 150 + 12.5*float64(i%4), Online: i%3 != 0,
			Installed: fixtureCameraStart.AddDate(0, 0, 10*i),
		})
	}
	for i := range 8 {
		r := &geo.Responder{ID: fmt.Sprintf("r%d", i+1), Name: fmt.Sprintf("Responder %d", i+1),
			Role: geo.Roles[i%len(geo.Roles)], Station: "S1", Point: fixPoint(0.1+0.23*float64(i), 1.9-0.21*float64(i)),
			Available: i%2 == 0, Updated: fixtureResponderTime.Add(time.Duration(i) * 90 * time.Minute)}
		if i%4 != 0 {
			r.Grids = []string{cells[i%4].id}
		}
		d.Responders = append(d.Responders, r)
	}
	categories := []string{"dispute", "theft", "noise", "fire", "traffic"}
	levels := []geo.Level{geo.LevelOpen, geo.LevelGrid, geo.LevelVillage, geo.LevelTownship, geo.LevelDistrict}
	for i := range n {
		d.Incidents = append(d.Incidents, &geo.Incident{
			ID: fmt.Sprintf("i%04d", i+1), Time: fixtureIncidentStart.Add(time.Duration(i) * fixtureIncidentEvery),
			Category: categories[i%len(categories)], Source: geo.IncidentSources[i%len(geo.IncidentSources)],
			Point:         fixPoint(0.01+1.98*rng.Float64(), 0.01+1.98*rng.Float64()),
			ResolvedLevel: levels[i%len(levels)],
		})
	}
	return d
}

// fixtureAtlas returns the test atlas with n incidents.
func fixtureAtlas(t testing.TB, n int) *geo.Atlas {
	t.Helper()
	a, err := geo.NewAtlas(fixtureDataset(n), geo.Options{})
	require.NoError(t, err)
	return a
}
