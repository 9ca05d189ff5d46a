package geo_test

import (
	"math"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/stretchr/testify/require"

	"gridwatch/geo"
)

func TestNewAtlas_ValidDataset(t *testing.T) {
	t.Parallel()
	d := validDataset(t)
	var stages []string
	a, err := geo.NewAtlas(d, geo.Options{Progress: func(s string) { stages = append(stages, s) }})
	require.NoError(t, err)
	require.NotEmpty(t, stages)
	require.Equal(t, d.Counts(), a.Dataset().Counts())
	require.Empty(t, a.Tiling.OverlapCells)
	require.Empty(t, a.Tiling.GapCells)
	require.Equal(t, 10, a.Tiling.Resolution)
	require.Equal(t, "fixture", a.Meta.Name)
}

func TestNewAtlas_DerivedGrid(t *testing.T) {
	t.Parallel()
	d := validDataset(t)
	d.Cameras[0].Grid = "g4"
	d.Cameras[2].Grid = "g1"
	d.Incidents[0].Grid = "nope"
	a := mustAtlas(t, d)
	got := map[string]string{}
	for _, c := range a.Cameras.Items() {
		got[c.ID] = c.Grid
	}
	for _, in := range a.Incidents.Items() {
		got[in.ID] = in.Grid
	}
	for _, p := range a.Places.Items() {
		got[p.ID] = p.Grid
	}
	require.Equal(t, map[string]string{
		"c1": "g1", "c2": "g4", "c3": "",
		"i1": "g2", "i2": "g3",
		"p1": "g3", "p2": "",
	}, got)
	require.Equal(t, "g4", d.Cameras[0].Grid, "the input is not changed")
	require.Equal(t, "nope", d.Incidents[0].Grid, "the input is not changed")
}

func TestNewAtlas_DerivedUnits(t *testing.T) {
	t.Parallel()
	d := validDataset(t)
	d.Townships, d.Villages = nil, nil
	a := mustAtlas(t, d)
	require.Equal(t, 2, a.Villages.Len())
	require.Equal(t, 2, a.Townships.Len())
	v, ok := a.Villages.Get("v1")
	require.True(t, ok)
	require.Equal(t, "t1", v.Township)
	require.Len(t, v.Polygon, 1)
	want := geo.PolygonArea(d.Grids[0].Polygon) + geo.PolygonArea(d.Grids[1].Polygon)
	require.InEpsilon(t, want, geo.MultiPolygonArea(v.Polygon), 1e-9)
}

// TestNewAtlas_DerivedUnitWithEnclave derives a village whose grids wrap
// round another village's grid that touches the first village's edge at one
// vertex.
func TestNewAtlas_DerivedUnitWithEnclave(t *testing.T) {
	t.Parallel()
	d := meshDataset(t, 3, 3, 11)
	for _, k := range []int{0, 4} {
		d.Grids[k].Village = "v2"
	}
	a := mustAtlas(t, d)
	v, ok := a.Villages.Get("v1")
	require.True(t, ok)
	require.Len(t, v.Polygon, 1)
	require.Len(t, v.Polygon[0], 2, "outer ring and the enclave's hole")
	require.Empty(t, geo.CheckPolygon(v.Polygon[0]))
}

func TestNewAtlas_Invalid(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		spoil func(d *geo.Dataset)
		want  []where
	}{
		{"duplicate id", func(d *geo.Dataset) { d.Cameras[1].ID = "c1" },
			[]where{{geo.LayerCameras, 1, "c1", "id"}}},
		{"empty id", func(d *geo.Dataset) { d.Places[0].ID = " " },
			[]where{{geo.LayerPlaces, 0, " ", "id"}}},
		{"camera source", func(d *geo.Dataset) { d.Cameras[0].Source = "cctv" },
			[]where{{geo.LayerCameras, 0, "c1", "source"}}},
		{"camera type", func(d *geo.Dataset) { d.Cameras[1].Type = "" },
			[]where{{geo.LayerCameras, 1, "c2", "type"}}},
		{"role", func(d *geo.Dataset) { d.Responders[1].Role = "Police" },
			[]where{{geo.LayerResponders, 1, "r2", "role"}}},
		{"incident source", func(d *geo.Dataset) { d.Incidents[0].Source = "119" },
			[]where{{geo.LayerIncidents, 0, "i1", "source"}}},
		{"resolved level", func(d *geo.Dataset) { d.Incidents[1].ResolvedLevel = "county" },
			[]where{{geo.LayerIncidents, 1, "i2", "resolved_level"}}},
		{"township kind", func(d *geo.Dataset) { d.Townships[1].Kind = "city" },
			[]where{{geo.LayerTownships, 1, "t2", "kind"}}},
		{"village kind", func(d *geo.Dataset) { d.Villages[0].Kind = "hamlet" },
			[]where{{geo.LayerVillages, 0, "v1", "kind"}}},
		{"place kind", func(d *geo.Dataset) { d.Places[1].Kind = "zoo" },
			[]where{{geo.LayerPlaces, 1, "p2", "kind"}}},
		{"bearing 360", func(d *geo.Dataset) { d.Cameras[0].BearingDeg = 360 },
			[]where{{geo.LayerCameras, 0, "c1", "bearing_deg"}}},
		{"bearing -1", func(d *geo.Dataset) { d.Cameras[0].BearingDeg = -1 },
			[]where{{geo.LayerCameras, 0, "c1", "bearing_deg"}}},
		{"bearing NaN", func(d *geo.Dataset) { d.Cameras[0].BearingDeg = math.NaN() },
			[]where{{geo.LayerCameras, 0, "c1", "bearing_deg"}}},
		{"fov 0", func(d *geo.Dataset) { d.Cameras[2].FOVDeg = 0 },
			[]where{{geo.LayerCameras, 2, "c3", "fov_deg"}}},
		{"fov 361", func(d *geo.Dataset) { d.Cameras[1].FOVDeg = 361 },
			[]where{{geo.LayerCameras, 1, "c2", "fov_deg"}}},
		{"range 0", func(d *geo.Dataset) { d.Cameras[0].RangeM = 0 },
			[]where{{geo.LayerCameras, 0, "c1", "range_m"}}},
		{"range 5001", func(d *geo.Dataset) { d.Cameras[0].RangeM = 5001 },
			[]where{{geo.LayerCameras, 0, "c1", "range_m"}}},
		{"camera position", func(d *geo.Dataset) { d.Cameras[1].Point = orb.Point{lat0, lon0} },
			[]where{{geo.LayerCameras, 1, "c2", "geometry"}}},
		{"camera NaN position", func(d *geo.Dataset) { d.Cameras[0].Point = orb.Point{math.NaN(), lat0} },
			[]where{{geo.LayerCameras, 0, "c1", "geometry"}}},
		{"place infinite position", func(d *geo.Dataset) { d.Places[0].Point = orb.Point{lon0, math.Inf(1)} },
			[]where{{geo.LayerPlaces, 0, "p1", "geometry"}}},
		{"grid polygon", func(d *geo.Dataset) { d.Grids[3].Polygon = orb.Polygon{} },
			[]where{{geo.LayerGrids, 3, "g4", "geometry"}}},
		{"negative grid population", func(d *geo.Dataset) { d.Grids[0].Population = -1 },
			[]where{{geo.LayerGrids, 0, "g1", "population"}}},
		{"negative settlement households", func(d *geo.Dataset) { d.Settlements[1].Households = -1 },
			[]where{{geo.LayerSettlements, 1, "st2", "households"}}},
		{"households above population", func(d *geo.Dataset) { d.Grids[2].Households = 61 },
			[]where{{geo.LayerGrids, 2, "g3", "households"}}},
		{"camera installed missing", func(d *geo.Dataset) { d.Cameras[0].Installed = time.Time{} },
			[]where{{geo.LayerCameras, 0, "c1", "installed"}}},
		{"responder updated missing", func(d *geo.Dataset) { d.Responders[0].Updated = time.Time{} },
			[]where{{geo.LayerResponders, 0, "r1", "updated"}}},
		{"incident time missing", func(d *geo.Dataset) { d.Incidents[1].Time = time.Time{} },
			[]where{{geo.LayerIncidents, 1, "i2", "time"}}},
		{"grid to village", func(d *geo.Dataset) { d.Grids[1].Village = "v9" },
			[]where{{geo.LayerGrids, 1, "g2", "village"}}},
		{"grid to township", func(d *geo.Dataset) { d.Grids[1].Township = "t9" },
			[]where{{geo.LayerGrids, 1, "g2", "township"}}},
		{"village to township", func(d *geo.Dataset) { d.Villages[1].Township = "t9" },
			[]where{{geo.LayerVillages, 1, "v2", "township"}}},
		{"beat to station", func(d *geo.Dataset) { d.Beats[0].Station = "s9" },
			[]where{{geo.LayerBeats, 0, "b1", "station"}}},
		{"responder to station", func(d *geo.Dataset) { d.Responders[1].Station = "" },
			[]where{{geo.LayerResponders, 1, "r2", "station"}}},
		{"responder to grids", func(d *geo.Dataset) { d.Responders[0].Grids = []string{"g1", "g9"} },
			[]where{{geo.LayerResponders, 0, "r1", "grids"}}},
		{"responder grid twice", func(d *geo.Dataset) { d.Responders[0].Grids = []string{"g1", "g1"} },
			[]where{{geo.LayerResponders, 0, "r1", "grids"}}},
		{"settlement to grid", func(d *geo.Dataset) { d.Settlements[2].Grid = "g9" },
			[]where{{geo.LayerSettlements, 2, "st3", "grid"}}},
		{"grid township not its village's", func(d *geo.Dataset) { d.Grids[3].Township = "t1" },
			[]where{{geo.LayerGrids, 3, "g4", "township"}}},
		{"settlement outside its grid", func(d *geo.Dataset) { d.Settlements[0].Polygon = block(1.4, 0.4, 1.6, 0.6) },
			[]where{{geo.LayerSettlements, 0, "st1", "geometry"}}},
		{"settlement outside every grid", func(d *geo.Dataset) { d.Settlements[0].Polygon = block(-1, 0.4, -0.8, 0.6) },
			[]where{{geo.LayerSettlements, 0, "st1", "geometry"}}},
		{"settlement population sum", func(d *geo.Dataset) { d.Settlements[1].Population++ },
			[]where{{geo.LayerGrids, 1, "g2", "population"}}},
		{"settlement households sum", func(d *geo.Dataset) { d.Settlements[2].Households-- },
			[]where{{geo.LayerGrids, 2, "g3", "households"}}},
		{"grid without settlements but with people", func(d *geo.Dataset) { d.Grids[3].Population = 5 },
			[]where{{geo.LayerGrids, 3, "g4", "population"}}},
		{"overlapping grids", func(d *geo.Dataset) { d.Grids[1].Polygon = block(0.75, 0, 2, 1) },
			[]where{{geo.LayerGrids, 0, "g1", "geometry"}}},
		{"road class", func(d *geo.Dataset) { d.Roads[0].Class = "highway" },
			[]where{{geo.LayerRoads, 0, "rd1", "class"}}},
		{"road speed", func(d *geo.Dataset) { d.Roads[1].SpeedKMH = 300 },
			[]where{{geo.LayerRoads, 1, "rd2", "speed_kmh"}}},
		{"road negative speed", func(d *geo.Dataset) { d.Roads[1].SpeedKMH = -1 },
			[]where{{geo.LayerRoads, 1, "rd2", "speed_kmh"}}},
		{"road of one position", func(d *geo.Dataset) { d.Roads[2].Line = d.Roads[2].Line[:1] },
			[]where{{geo.LayerRoads, 2, "rd3", "geometry"}}},
		{"road repeating a position", func(d *geo.Dataset) {
			d.Roads[0].Line = orb.LineString{d.Roads[0].Line[0], d.Roads[0].Line[0], d.Roads[0].Line[1]}
		}, []where{{geo.LayerRoads, 0, "rd1", "geometry"}}},
		{"road id twice", func(d *geo.Dataset) { d.Roads[2].ID = "rd1" },
			[]where{{geo.LayerRoads, 2, "rd1", "id"}}},
		{"waterway kind", func(d *geo.Dataset) { d.Waterways[0].Kind = "lake" },
			[]where{{geo.LayerWaterways, 0, "w1", "kind"}}},
		{"waterway bad coordinate", func(d *geo.Dataset) { d.Waterways[0].Line[1] = orb.Point{200, 0} },
			[]where{{geo.LayerWaterways, 0, "w1", "geometry"}}},
		{"three bad features at once", func(d *geo.Dataset) {
			d.Cameras[2].RangeM = -5
			d.Responders[0].Role = "chief"
			d.Places[0].Kind = ""
		}, []where{
			{geo.LayerPlaces, 0, "p1", "kind"},
			{geo.LayerCameras, 2, "c3", "range_m"},
			{geo.LayerResponders, 0, "r1", "role"},
		}},
		{"bad features and an overlap at once", func(d *geo.Dataset) {
			d.Cameras[0].Installed = time.Time{}
			d.Incidents[0].Time = time.Time{}
			d.Grids[3].Polygon = block(0.5, 1, 2, 2)
		}, []where{
			{geo.LayerCameras, 0, "c1", "installed"},
			{geo.LayerIncidents, 0, "i1", "time"},
			{geo.LayerGrids, 2, "g3", "geometry"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			d := validDataset(t)
			tt.spoil(d)
			ps := refused(t, d)
			require.Equal(t, tt.want, wheres(ps), "%v", ps)
			for _, p := range ps {
				require.NotEmpty(t, p.Expected)
			}
		})
	}
}

func TestNewAtlas_Gap(t *testing.T) {
	t.Parallel()
	d := validDataset(t)
	d.Grids[3].Polygon = append(d.Grids[3].Polygon, reversedRing(block(1.3, 1.3, 1.6, 1.6)[0]))
	ps := refused(t, d)
	for _, p := range ps {
		require.Equal(t, where{geo.LayerGrids, -1, "", "geometry"}, where{p.Layer, p.Index, p.ID, p.Field})
		require.Contains(t, p.Expected, "no gap")
	}
}

func TestError(t *testing.T) {
	t.Parallel()
	var ps geo.Problems
	require.NoError(t, ps.Err("x"))
	for i := 0; i < 12; i++ {
		ps.Add(geo.LayerCameras, i, "c", "range_m", "metres")
	}
	ps.Add(geo.LayerGrids, -1, "", "geometry", "no gap")
	err := ps.Err("invalid dataset")
	require.Equal(t, geo.Invalid, geo.ErrorCode(err))
	require.Contains(t, err.Error(), `invalid dataset; cameras[0] id "c" field "range_m": expected metres`)
	require.Contains(t, err.Error(), "; and 3 more")
	require.Equal(t, `grids field "geometry": expected no gap`, ps[12].String())
	require.Equal(t, geo.Internal, geo.ErrorCode(nil))
}

func TestRoad_Speed(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		road geo.Road
		want float64
	}{
		{"class default", geo.Road{Class: geo.RoadCounty}, 40},
		{"own speed", geo.Road{Class: geo.RoadCounty, SpeedKMH: 55}, 55},
		{"track default", geo.Road{Class: geo.RoadTrack}, 10},
		{"unknown class", geo.Road{Class: "x"}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tt.want, tt.road.Speed())
		})
	}
	for i := 1; i < len(geo.RoadClasses); i++ {
		require.Greater(t, geo.RoadClasses[i-1].DefaultSpeedKMH(), geo.RoadClasses[i].DefaultSpeedKMH(), "fastest first")
	}
}
