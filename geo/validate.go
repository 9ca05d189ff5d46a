package geo

import (
	"fmt"
	"strings"

	"github.com/paulmach/orb"
)

// validateFeatures checks every item on its own and the ids of each layer
// (present, unique), and reports every problem found.
func validateFeatures(d *Dataset, ps *Problems) {
	ids := func(layer string, n int, id func(int) string) {
		seen := make(map[string]int, n)
		for i := 0; i < n; i++ {
			v := id(i)
			if strings.TrimSpace(v) == "" {
				ps.Add(layer, i, v, "id", "a non-empty id")
				continue
			}
			if j, dup := seen[v]; dup {
				ps.Add(layer, i, v, "id", fmt.Sprintf("a unique id (feature %d has it too)", j))
				continue
			}
			seen[v] = i
		}
	}
	ids(LayerTownships, len(d.Townships), func(i int) string { return d.Townships[i].ID })
	ids(LayerVillages, len(d.Villages), func(i int) string { return d.Villages[i].ID })
	ids(LayerGrids, len(d.Grids), func(i int) string { return d.Grids[i].ID })
	ids(LayerBeats, len(d.Beats), func(i int) string { return d.Beats[i].ID })
	ids(LayerStations, len(d.Stations), func(i int) string { return d.Stations[i].ID })
	ids(LayerCameras, len(d.Cameras), func(i int) string { return d.Cameras[i].ID })
	ids(LayerResponders, len(d.Responders), func(i int) string { return d.Responders[i].ID })
	ids(LayerIncidents, len(d.Incidents), func(i int) string { return d.Incidents[i].ID })
	ids(LayerSettlements, len(d.Settlements), func(i int) string { return d.Settlements[i].ID })
	ids(LayerPlaces, len(d.Places), func(i int) string { return d.Places[i].ID })

	for i, t := range d.Townships {
		multiPolygon(ps, LayerTownships, i, t.ID, t.Polygon)
		if !t.Kind.Valid() {
			ps.Add(LayerTownships, i, t.ID, "kind", fmt.Sprintf("one of subdistrict, town, township; got %q", t.Kind))
		}
	}
	for i, v := range d.Villages {
		multiPolygon(ps, LayerVillages, i, v.ID, v.Polygon)
		if !v.Kind.Valid() {
			ps.Add(LayerVillages, i, v.ID, "kind", fmt.Sprintf("one of village, community; got %q", v.Kind))
		}
	}
	for i, g := range d.Grids {
		polygon(ps, LayerGrids, i, g.ID, g.Polygon)
		counts(ps, LayerGrids, i, g.ID, g.Population, g.Households)
	}
	for i, b := range d.Beats {
		polygon(ps, LayerBeats, i, b.ID, b.Polygon)
	}
	for i, s := range d.Stations {
		point(ps, LayerStations, i, s.ID, s.Point)
	}
	for i, s := range d.Settlements {
		polygon(ps, LayerSettlements, i, s.ID, s.Polygon)
		counts(ps, LayerSettlements, i, s.ID, s.Population, s.Households)
	}
	for i, p := range d.Places {
		point(ps, LayerPlaces, i, p.ID, p.Point)
		if !ValidPlaceKind(p.Kind) {
			ps.Add(LayerPlaces, i, p.ID, "kind", fmt.Sprintf("one of %s; got %q", strings.Join(PlaceKinds, ", "), p.Kind))
		}
	}
	for i, c := range d.Cameras {
		validateCamera(ps, i, c)
	}
	for i, r := range d.Responders {
		point(ps, LayerResponders, i, r.ID, r.Point)
		if !r.Role.Valid() {
			ps.Add(LayerResponders, i, r.ID, "role", fmt.Sprintf("one of police, auxiliary, grid_worker, volunteer; got %q", r.Role))
		}
		if r.Updated.IsZero() {
			ps.Add(LayerResponders, i, r.ID, "updated", "an RFC 3339 time")
		}
	}
	for i, in := range d.Incidents {
		point(ps, LayerIncidents, i, in.ID, in.Point)
		if in.Time.IsZero() {
			ps.Add(LayerIncidents, i, in.ID, "time", "an RFC 3339 time")
		}
		if !in.Source.Valid() {
			ps.Add(LayerIncidents, i, in.ID, "source", fmt.Sprintf(`one of "110", "12345", "grid_patrol"; got %q`, in.Source))
		}
		if !in.ResolvedLevel.Valid() {
			ps.Add(LayerIncidents, i, in.ID, "resolved_level", fmt.Sprintf("one of grid, village, township, district, or empty while open; got %q", in.ResolvedLevel))
		}
	}
}

// validateCamera reports every problem of one camera, as feature index i.
func validateCamera(ps *Problems, i int, c *Camera) {
	point(ps, LayerCameras, i, c.ID, c.Point)
	if !c.Source.Valid() {
		ps.Add(LayerCameras, i, c.ID, "source", fmt.Sprintf("one of xueliang, rural_ground_network, courtyard; got %q", c.Source))
	}
	if !c.Type.Valid() {
		ps.Add(LayerCameras, i, c.ID, "type", fmt.Sprintf("one of fixed, ptz, dome, high_mast, face_capture, vehicle_capture; got %q", c.Type))
	}
	if !(c.BearingDeg >= 0 && c.BearingDeg < 360) {
		ps.Add(LayerCameras, i, c.ID, "bearing_deg", fmt.Sprintf("degrees in [0, 360), got %g", c.BearingDeg))
	}
	if !(c.FOVDeg > 0 && c.FOVDeg <= 360) {
		ps.Add(LayerCameras, i, c.ID, "fov_deg", fmt.Sprintf("degrees in (0, 360], got %g", c.FOVDeg))
	}
	if !(c.RangeM > 0 && c.RangeM <= MaxCameraRange) {
		ps.Add(LayerCameras, i, c.ID, "range_m", fmt.Sprintf("metres in (0, %d], got %g", MaxCameraRange, c.RangeM))
	}
	if c.Installed.IsZero() {
		ps.Add(LayerCameras, i, c.ID, "installed", "a date (YYYY-MM-DD)")
	}
}

func point(ps *Problems, layer string, i int, id string, p orb.Point) {
	if msg := CheckPoint(p); msg != "" {
		ps.Add(layer, i, id, "geometry", "a Point with "+msg)
	}
}

func polygon(ps *Problems, layer string, i int, id string, p orb.Polygon) {
	if msg := CheckPolygon(p); msg != "" {
		ps.Add(layer, i, id, "geometry", "a valid Polygon: "+msg)
	}
}

func multiPolygon(ps *Problems, layer string, i int, id string, mp orb.MultiPolygon) {
	if len(mp) == 0 {
		ps.Add(layer, i, id, "geometry", "a Polygon or MultiPolygon")
	}
	for j, p := range mp {
		if msg := CheckPolygon(p); msg != "" {
			ps.Add(layer, i, id, "geometry", fmt.Sprintf("a valid polygon %d: %s", j, msg))
			return
		}
	}
}

func counts(ps *Problems, layer string, i int, id string, pop, hh int) {
	if pop < 0 {
		ps.Add(layer, i, id, "population", fmt.Sprintf("a count >= 0, got %d", pop))
	}
	if hh < 0 {
		ps.Add(layer, i, id, "households", fmt.Sprintf("a count >= 0, got %d", hh))
	}
	if hh > pop && pop >= 0 {
		ps.Add(layer, i, id, "households", fmt.Sprintf("at most population (%d), got %d", pop, hh))
	}
}
