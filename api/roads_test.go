package api

import (
	"encoding/json"
	"fmt"
	"net/http"
	"testing"

	"github.com/paulmach/orb"
	"github.com/stretchr/testify/require"

	"gridwatch/geo"
)

// fixtureRoads adds to the API fixture a road network (in fixture steps):
// a west road at x 0.25 and an east road at x 1.75, both from y 0.05 to
// 1.9; a canal along x 1 (between the two columns of grids); a road across
// the block at y 1.9 that is a bridge where it crosses the canal; and a
// road at y 0.1 that crosses it without a bridge, so it is cut. All are
// county roads (40 km/h).
func fixtureRoads(d *geo.Dataset) {
	road := func(id string, bridge bool, pts ...orb.Point) *geo.Road {
		return &geo.Road{ID: id, Class: geo.RoadCounty, Bridge: bridge, Line: pts}
	}
	d.Roads = []*geo.Road{
		road("west", false, fixPoint(0.25, 0.05), fixPoint(0.25, 0.1), fixPoint(0.25, 1.9)),
		road("east", false, fixPoint(1.75, 0.05), fixPoint(1.75, 0.1), fixPoint(1.75, 1.9)),
		road("north-w", false, fixPoint(0.25, 1.9), fixPoint(0.9, 1.9)),
		road("bridge", true, fixPoint(0.9, 1.9), fixPoint(1.1, 1.9)),
		road("north-e", false, fixPoint(1.1, 1.9), fixPoint(1.75, 1.9)),
		road("south", false, fixPoint(0.25, 0.1), fixPoint(1.75, 0.1)),
	}
	d.Waterways = []*geo.Waterway{{ID: "canal", Kind: geo.WaterwayCanal, Line: orb.LineString{fixPoint(1, -0.5), fixPoint(1, 2.5)}}}
}

func newRoadsServer(t testing.TB) (*Server, *geo.Atlas) {
	t.Helper()
	d := fixtureDataset(5)
	fixtureRoads(d)
	a, err := geo.NewAtlas(d, geo.Options{})
	require.NoError(t, err)
	return New(Options{Atlas: func() *geo.Atlas { return a }}), a
}

// detourM is the length of the only way from (0.25, 0.1) to (1.75, 0.1):
// north on the west road, across the bridge, south on the east road.
func detourM() float64 {
	return 2*geo.Distance(fixPoint(0.25, 0.1), fixPoint(0.25, 1.9)) + geo.Distance(fixPoint(0.25, 1.9), fixPoint(0.9, 1.9)) +
		geo.Distance(fixPoint(0.9, 1.9), fixPoint(1.1, 1.9)) + geo.Distance(fixPoint(1.1, 1.9), fixPoint(1.75, 1.9))
}

func TestRoute_CrossesTheCanalAtTheBridge(t *testing.T) {
	t.Parallel()
	s, _ := newRoadsServer(t)
	from, to := fixPoint(0.25, 0.1), fixPoint(1.75, 0.1)
	rec := get(t, s, fmt.Sprintf("/route?from=%g,%g&to=%g,%g", from[0], from[1], to[0], to[1]))
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	var f struct {
		Geometry   lineGeometry    `json:"geometry"`
		Properties routeProperties `json:"properties"`
	}
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &f))
	want := detourM()
	require.InDelta(t, want, f.Properties.LengthM, 0.1)
	require.InDelta(t, want/(40/3.6), f.Properties.ETAS, 0.1, "county roads at 40 km/h")
	require.Equal(t, "network", f.Properties.ETAModel)
	require.Equal(t, "police", f.Properties.Role)
	require.Contains(t, f.Geometry.Coordinates, [2]float64(fixPoint(0.9, 1.9)), "over the bridge")
	// A volunteer walks the same way at 4.68 km/h.
	rec = get(t, s, fmt.Sprintf("/route?from=%g,%g&to=%g,%g&role=volunteer", from[0], from[1], to[0], to[1]))
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &f))
	require.InDelta(t, want/(1.3), f.Properties.ETAS, 0.1)
}

func TestRoute_BadInput(t *testing.T) {
	t.Parallel()
	s, _ := newRoadsServer(t)
	for _, tc := range []struct{ query, field string }{
		{"to=106,37.4", "from"},
		{"from=106&to=106,37.4", "from"},
		{"from=106,95&to=106,37.4", "from"},
		{"from=106.0025,37.401&to=106.0175,37.401&role=chief", "role"},
		{"from=106.0025,37.401&to=107,38", "to"},
		{"from=106.0025,37.401&to=106.0175,37.401&speed=9", "speed"},
	} {
		p := requireProblem(t, get(t, s, "/route?"+tc.query), http.StatusBadRequest)
		require.Equal(t, tc.field, p.Errors[0].Field, tc.query)
	}
	plain, _ := newTestServer(t, 5)
	requireProblem(t, get(t, plain, "/route?from=106.0025,37.401&to=106.0175,37.401"), http.StatusConflict)
}

func TestNearest_NetworkModelByDefaultWhereThereAreRoads(t *testing.T) {
	t.Parallel()
	s, a := newRoadsServer(t)
	pt := fixPoint(1.75, 0.1)
	type hit struct {
		Properties struct {
			ID       string        `json:"id"`
			Kind     string        `json:"kind"`
			ETAS     *float64      `json:"eta_s"`
			ETAModel string        `json:"eta_model"`
			Route    *lineGeometry `json:"route"`
			RouteM   *float64      `json:"route_m"`
		} `json:"properties"`
	}
	var fc struct{ Features []hit }
	rec := get(t, s, fmt.Sprintf("/responders/nearest?lon=%g&lat=%g&k=8&available=false&routes=true", pt[0], pt[1]))
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &fc))
	require.Equal(t, "network", fc.Features[0].Properties.ETAModel)
	require.Len(t, fc.Features, 9)
	n := a.Network()
	target, _ := n.Snap(pt)
	prev := 0.0
	for _, f := range fc.Features[1:] {
		p := f.Properties
		require.Equal(t, "network", p.ETAModel)
		r, _ := a.Responders.Get(p.ID)
		from, ok := n.Snap(r.Point)
		require.True(t, ok)
		rt, ok := n.RouteDijkstra(from, target, s.disp.eta[r.Role].Profile())
		require.True(t, ok)
		require.InDelta(t, rt.Seconds, *p.ETAS, 0.051, p.ID)
		require.GreaterOrEqual(t, *p.ETAS, prev, "ranked by network time")
		prev = *p.ETAS
		require.NotNil(t, p.Route)
		require.InDelta(t, rt.Metres, *p.RouteM, 0.051)
	}
	// The straight line on request; routes need the network.
	rec = get(t, s, fmt.Sprintf("/responders/nearest?lon=%g&lat=%g&eta_model=straight&available=false", pt[0], pt[1]))
	fc.Features = nil
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &fc))
	require.Equal(t, "straight", fc.Features[1].Properties.ETAModel)
	require.Nil(t, fc.Features[1].Properties.Route)
	p := requireProblem(t, get(t, s, fmt.Sprintf("/responders/nearest?lon=%g&lat=%g&eta_model=straight&routes=true", pt[0], pt[1])), http.StatusBadRequest)
	require.Equal(t, "routes", p.Errors[0].Field)
	p = requireProblem(t, get(t, s, fmt.Sprintf("/responders/nearest?lon=%g&lat=%g&eta_model=roads", pt[0], pt[1])), http.StatusBadRequest)
	require.Equal(t, "eta_model", p.Errors[0].Field)
	plain, _ := newTestServer(t, 5)
	p = requireProblem(t, get(t, plain, fmt.Sprintf("/responders/nearest?lon=%g&lat=%g&eta_model=network", pt[0], pt[1])), http.StatusBadRequest)
	require.Equal(t, "eta_model", p.Errors[0].Field)
	rec = get(t, plain, fmt.Sprintf("/responders/nearest?lon=%g&lat=%g", pt[0], pt[1]))
	fc.Features = nil
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &fc))
	require.Equal(t, "straight", fc.Features[0].Properties.ETAModel, "no roads: the straight line")
}

func TestIsochrones_Station(t *testing.T) {
	t.Parallel()
	s, a := newRoadsServer(t)
	var fc struct {
		Features []struct {
			Geometry   *json.RawMessage `json:"geometry"`
			Properties struct {
				Minutes    float64 `json:"minutes"`
				Cells      int     `json:"cells"`
				Population float64 `json:"population"`
				AreaM2     float64 `json:"area_m2"`
				Grids      []struct {
					ID         string  `json:"id"`
					Population float64 `json:"population"`
				} `json:"grids"`
			} `json:"properties"`
		} `json:"features"`
		Origin map[string]any `json:"origin"`
	}
	rec := get(t, s, "/stations/S1/isochrones?minutes=1,2,10")
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &fc))
	require.Len(t, fc.Features, 3)
	require.Equal(t, "S1", fc.Origin["station"])
	prev := -1.0
	for _, f := range fc.Features {
		p := f.Properties
		require.GreaterOrEqual(t, p.Population, prev)
		prev = p.Population
		sum := 0.0
		for _, g := range p.Grids {
			sum += g.Population
		}
		require.Equal(t, p.Population, sum, "the grids share out the people")
	}
	// In 10 minutes a police car reaches everything: every settlement's
	// people (the fixture's block is 1.8 km across).
	total := 0.0
	for _, st := range a.Settlements.Items() {
		total += float64(st.Population)
	}
	require.Equal(t, total, fc.Features[2].Properties.Population)

	rec = get(t, s, "/isochrones?lon=106.0025&lat=37.401&minutes=10")
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	requireProblem(t, get(t, s, "/stations/S9/isochrones"), http.StatusNotFound)
	for _, q := range []string{"minutes=0", "minutes=10,5", "minutes=x", "minutes=61", "role=chief", "resolution=12", "colour=red"} {
		requireProblem(t, get(t, s, "/stations/S1/isochrones?"+q), http.StatusBadRequest)
	}
	requireProblem(t, get(t, s, "/isochrones?lat=37.4"), http.StatusBadRequest)
	plain, _ := newTestServer(t, 5)
	requireProblem(t, get(t, plain, "/stations/S1/isochrones"), http.StatusConflict)
}

func TestResponse_NetworkModel(t *testing.T) {
	t.Parallel()
	s, _ := newRoadsServer(t)
	var fc struct {
		Summary map[string]any `json:"summary"`
	}
	rec := get(t, s, "/response/grids")
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &fc))
	require.Equal(t, "network", fc.Summary["eta_model"])
	rec = get(t, s, "/response/grids?eta_model=straight")
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &fc))
	require.Equal(t, "straight", fc.Summary["eta_model"])
	plain, _ := newTestServer(t, 5)
	requireProblem(t, get(t, plain, "/response/gaps?eta_model=network"), http.StatusBadRequest)
}
