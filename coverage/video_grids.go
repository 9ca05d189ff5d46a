package coverage

import (
	"math"

	"gridwatch/geo"
)

// VideoFigures are the absolute figures of video coverage for a grid or a unit
// that grids roll up to. Every figure is a whole number (areas in whole
// square metres, people covered rounded to whole people), so that sums of
// grid figures reproduce a unit's figures exactly.
type VideoFigures struct {
	// AreaM2 is the area, exact (spherical polygon area).
	AreaM2 float64 `json:"area_m2"`
	// CoveredAreaM2 is the area seen: over the H3 cells whose centre lies
	// in the grid, each cell's area times the share of its sample points
	// seen; at most AreaM2.
	CoveredAreaM2 float64 `json:"covered_area_m2"`
	// SettlementAreaM2 is the exact area of the settlements.
	SettlementAreaM2 float64 `json:"settlement_area_m2"`
	// CoveredSettlementAreaM2 is the settlement area seen: per settlement,
	// its exact area times the share of its cells' area seen (sampled as
	// CoveredAreaM2 is).
	CoveredSettlementAreaM2 float64 `json:"covered_settlement_area_m2"`
	// Population is the number of residents.
	Population float64 `json:"population"`
	// PopulationCovered is the residents seen: each settlement's people
	// spread evenly over it, or, in a dataset without settlements, each
	// grid's people spread evenly over the grid.
	PopulationCovered float64 `json:"population_covered"`
	// Incidents is the number of incidents in the window.
	Incidents float64 `json:"incidents"`
	// IncidentsCovered is the number of those inside a camera's viewshed.
	IncidentsCovered float64 `json:"incidents_covered"`
	// Places is the number of key places.
	Places float64 `json:"places"`
	// PlacesCovered is the number of key places inside a camera's viewshed.
	PlacesCovered float64 `json:"places_covered"`
	// Cameras is the number of cameras (of every variant: the counts do
	// not depend on it).
	Cameras float64 `json:"cameras"`
	// CamerasOnline is the number of cameras online.
	CamerasOnline float64 `json:"cameras_online"`
	// CamerasXueliang is the number of Xueliang cameras.
	CamerasXueliang float64 `json:"cameras_xueliang"`
	// CamerasRuralGroundNetwork is the number of Rural Ground Network cameras.
	CamerasRuralGroundNetwork float64 `json:"cameras_rural_ground_network"`
	// CamerasCourtyard is the number of shared courtyard cameras.
	CamerasCourtyard float64 `json:"cameras_courtyard"`
}

// Add adds o's figures to f's.
func (f *VideoFigures) Add(o VideoFigures) {
	f.AreaM2 += o.AreaM2
	f.CoveredAreaM2 += o.CoveredAreaM2
	f.SettlementAreaM2 += o.SettlementAreaM2
	f.CoveredSettlementAreaM2 += o.CoveredSettlementAreaM2
	f.Population += o.Population
	f.PopulationCovered += o.PopulationCovered
	f.Incidents += o.Incidents
	f.IncidentsCovered += o.IncidentsCovered
	f.Places += o.Places
	f.PlacesCovered += o.PlacesCovered
	f.Cameras += o.Cameras
	f.CamerasOnline += o.CamerasOnline
	f.CamerasXueliang += o.CamerasXueliang
	f.CamerasRuralGroundNetwork += o.CamerasRuralGroundNetwork
	f.CamerasCourtyard += o.CamerasCourtyard
}

// VideoShares are the shares in [0, 1] behind VideoFigures; nil where the grid or
// unit has none of the thing (no settlements, no people, no incidents, no
// places, no cameras).
type VideoShares struct {
	// Area is CoveredAreaM2 / AreaM2.
	Area *float64 `json:"coverage_area"`
	// SettlementArea is CoveredSettlementAreaM2 / SettlementAreaM2.
	SettlementArea *float64 `json:"coverage_settlement_area"`
	// Population is PopulationCovered / Population.
	Population *float64 `json:"coverage_population"`
	// Incidents is IncidentsCovered / Incidents.
	Incidents *float64 `json:"coverage_incidents"`
	// Places is PlacesCovered / Places.
	Places *float64 `json:"coverage_places"`
	// OnlineRate is CamerasOnline / Cameras.
	OnlineRate *float64 `json:"online_rate"`
}

// Shares returns the shares of the figures.
func (f VideoFigures) Shares() VideoShares {
	return VideoShares{
		Area: videoShare(f.CoveredAreaM2, f.AreaM2), SettlementArea: videoShare(f.CoveredSettlementAreaM2, f.SettlementAreaM2),
		Population: videoShare(f.PopulationCovered, f.Population), Incidents: videoShare(f.IncidentsCovered, f.Incidents),
		Places: videoShare(f.PlacesCovered, f.Places), OnlineRate: videoShare(f.CamerasOnline, f.Cameras),
	}
}

func videoShare(part, whole float64) *float64 {
	if whole <= 0 {
		return nil
	}
	s := math.Min(1, math.Max(0, part/whole))
	return &s
}

// GridVideo is the video coverage of one grid.
type GridVideo struct {
	// Grid is the grid.
	Grid *geo.Grid
	VideoFigures
}

// Grids returns the coverage of every grid, in layer order, counting the
// variant's cameras and the incidents in the window.
func (v *Video) Grids(variant Variant, w Window) []GridVideo {
	a := v.atlas
	k := variant.index()
	out := make([]GridVideo, a.Grids.Len())
	for i, g := range a.Grids.Items() {
		out[i] = GridVideo{Grid: g, VideoFigures: v.areaFigures(i, k)}
	}
	for i, inc := range a.Incidents.Items() {
		if g := v.static.incGrid[i]; g >= 0 && w.Contains(inc.Time) {
			out[g].Incidents++
			if v.incSeen[i][k] > 0 {
				out[g].IncidentsCovered++
			}
		}
	}
	for i := range a.Places.Items() {
		if g := v.static.plcGrid[i]; g >= 0 {
			out[g].Places++
			if v.plcSeen[i][k] > 0 {
				out[g].PlacesCovered++
			}
		}
	}
	countCameras(a, out)
	return out
}

// areaFigures returns grid i's areas and people for variant k.
func (v *Video) areaFigures(i, k int) VideoFigures {
	g, r, st := v.atlas.Grids.At(i), v.grids[i], v.static
	f := VideoFigures{AreaM2: math.Round(st.gridArea[i]), Population: float64(g.Population)}
	seen := r.covered[k]
	f.CoveredAreaM2 = math.Min(f.AreaM2, math.Round(seen))
	for _, si := range st.settlesOf[i] {
		f.SettlementAreaM2 += st.settleArea[si]
	}
	f.SettlementAreaM2 = math.Round(f.SettlementAreaM2)
	f.CoveredSettlementAreaM2 = math.Min(f.SettlementAreaM2, math.Round(r.settleCovered[k]))
	if st.whole && st.gridArea[i] > 0 {
		f.PopulationCovered = math.Round(f.Population * math.Min(1, seen/st.gridArea[i]))
	} else {
		f.PopulationCovered = math.Min(f.Population, math.Round(r.popCovered[k]))
	}
	return f
}

// countCameras adds each camera to its grid's counts.
func countCameras(a *geo.Atlas, out []GridVideo) {
	for _, c := range a.Cameras.Items() {
		g := a.Grids.Index(c.Grid)
		if g < 0 {
			continue
		}
		f := &out[g].VideoFigures
		f.Cameras++
		if c.Online {
			f.CamerasOnline++
		}
		switch c.Source {
		case geo.SourceXueliang:
			f.CamerasXueliang++
		case geo.SourceRuralGroundNetwork:
			f.CamerasRuralGroundNetwork++
		case geo.SourceCourtyard:
			f.CamerasCourtyard++
		}
	}
}
