package geo

import (
	"fmt"
	"strings"

	"github.com/paulmach/orb"
)

// validateFeatures checks every item on its own and the ids of each layer
// (present, unique), and reports every problem found.
func validateFeatures(d *Dataset, ps *Problems) {
	for _, name := range LayerNames {
		items := d.Layer(name)
		validateIDs(ps, name, items)
		for i, it := range items {
			validateItem(ps, name, i, it)
		}
	}
}

// validateIDs checks that every item of a layer has an id and that no two
// share one.
func validateIDs(ps *Problems, layer string, items []Feature) {
	seen := make(map[string]int, len(items))
	for i, it := range items {
		v := it.FeatureID()
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

// validateItem reports every problem of one item on its own, as feature
// index i of layer.
func validateItem(ps *Problems, layer string, i int, it Feature) {
	switch v := it.(type) {
	case *Township:
		multiPolygon(ps, layer, i, v.ID, v.Polygon)
		if !v.Kind.Valid() {
			ps.Add(layer, i, v.ID, "kind", fmt.Sprintf("one of subdistrict, town, township; got %q", v.Kind))
		}
	case *Village:
		multiPolygon(ps, layer, i, v.ID, v.Polygon)
		if !v.Kind.Valid() {
			ps.Add(layer, i, v.ID, "kind", fmt.Sprintf("one of village, community; got %q", v.Kind))
		}
	case *Grid:
		polygon(ps, layer, i, v.ID, v.Polygon)
		counts(ps, layer, i, v.ID, v.Population, v.Households)
	case *Beat:
		polygon(ps, layer, i, v.ID, v.Polygon)
	case *Station:
		point(ps, layer, i, v.ID, v.Point)
	case *Settlement:
		polygon(ps, layer, i, v.ID, v.Polygon)
		counts(ps, layer, i, v.ID, v.Population, v.Households)
	case *Place:
		point(ps, layer, i, v.ID, v.Point)
		if !ValidPlaceKind(v.Kind) {
			ps.Add(layer, i, v.ID, "kind", fmt.Sprintf("one of %s; got %q", strings.Join(PlaceKinds, ", "), v.Kind))
		}
	case *Camera:
		validateCamera(ps, i, v)
	case *Responder:
		validateResponder(ps, i, v)
	case *Incident:
		validateIncident(ps, i, v)
	case *Waterway:
		lineString(ps, layer, i, v.ID, v.Line)
		if !v.Kind.Valid() {
			ps.Add(layer, i, v.ID, "kind", fmt.Sprintf("one of canal, river; got %q", v.Kind))
		}
	case *Road:
		validateRoad(ps, i, v)
	}
}

func validateResponder(ps *Problems, i int, r *Responder) {
	point(ps, LayerResponders, i, r.ID, r.Point)
	if !r.Role.Valid() {
		ps.Add(LayerResponders, i, r.ID, "role", fmt.Sprintf("one of police, auxiliary, grid_worker, volunteer; got %q", r.Role))
	}
	if r.Updated.IsZero() {
		ps.Add(LayerResponders, i, r.ID, "updated", "an RFC 3339 time")
	}
}

func validateIncident(ps *Problems, i int, in *Incident) {
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

func validateRoad(ps *Problems, i int, r *Road) {
	lineString(ps, LayerRoads, i, r.ID, r.Line)
	if !r.Class.Valid() {
		names := make([]string, len(RoadClasses))
		for j, c := range RoadClasses {
			names[j] = string(c)
		}
		ps.Add(LayerRoads, i, r.ID, "class", fmt.Sprintf("one of %s; got %q", strings.Join(names, ", "), r.Class))
	}
	if !(r.SpeedKMH >= 0 && r.SpeedKMH <= MaxRoadSpeedKMH) {
		ps.Add(LayerRoads, i, r.ID, "speed_kmh", fmt.Sprintf("km/h in (0, %d], or absent for the class's default; got %g", MaxRoadSpeedKMH, r.SpeedKMH))
	}
}

func lineString(ps *Problems, layer string, i int, id string, l orb.LineString) {
	if msg := CheckLineString(l); msg != "" {
		ps.Add(layer, i, id, "geometry", "a valid LineString: "+msg)
	}
}
