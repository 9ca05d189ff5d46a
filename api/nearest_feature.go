package api

import (
	"math"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"gridwatch/coverage"
	"gridwatch/data"
	"gridwatch/geo"
)

// nearestCollection is the answer to one point: the query point first,
// then the responders in rank order.
type nearestCollection struct {
	Type           string         `json:"type"`
	Features       []pointFeature `json:"features"`
	NumberReturned int            `json:"numberReturned"`
}

// pointFeature is a GeoJSON Feature with a Point geometry, encoded in one
// pass (geojson.Feature encodes its properties and then compacts them,
// which doubles the cost of these small answers).
type pointFeature struct {
	Type       string         `json:"type"`
	ID         string         `json:"id,omitempty"`
	Geometry   pointGeometry  `json:"geometry"`
	Properties map[string]any `json:"properties"`
}

type pointGeometry struct {
	Type        string     `json:"type"`
	Coordinates [2]float64 `json:"coordinates"`
}

// newPointFeature converts a feature of a point layer (coordinates
// already rounded by data.ToFeature or data.RoundGeometry).
func newPointFeature(f *geojson.Feature) pointFeature {
	pt, _ := f.Geometry.(orb.Point)
	id, _ := f.ID.(string)
	return pointFeature{Type: "Feature", ID: id, Geometry: pointGeometry{Type: "Point", Coordinates: pt}, Properties: f.Properties}
}

// nearestAnswer builds the FeatureCollection of one point.
func nearestAnswer(resp coverage.Responsibility, req nearestRequest, input orb.Point, hits []coverage.Hit) nearestCollection {
	feats := make([]pointFeature, 0, len(hits)+1)
	feats = append(feats, newPointFeature(queryFeature(resp, req, input)))
	for _, h := range hits {
		f := data.ToFeature(h.Responder)
		p := f.Properties
		p["kind"] = "responder"
		p["rank"] = h.Rank
		p["distance_m"] = dispRound(h.DistanceM, 2)
		p["eta_s"] = dispNumber(dispRound(h.ETAS, 1))
		p["available_now"] = h.AvailableNow
		p["age_s"] = math.Round(h.AgeS)
		feats = append(feats, newPointFeature(f))
	}
	return nearestCollection{Type: "FeatureCollection", Features: feats, NumberReturned: len(hits)}
}

// queryFeature describes the query point: where it is and whose it is.
// Every unit is null outside the district.
func queryFeature(resp coverage.Responsibility, req nearestRequest, input orb.Point) *geojson.Feature {
	f := geojson.NewFeature(data.RoundGeometry(resp.Point))
	p := f.Properties
	p["kind"] = "query"
	p["input_crs"] = string(req.crs)
	p["input_coordinates"] = []float64{input[0], input[1]}
	p["inside_district"] = resp.InsideDistrict
	p["reference_time"] = req.query.Now.UTC().Format(time.RFC3339)
	p["grid"], p["grid_name"], p["village"], p["township"], p["beat"], p["station"] = nil, nil, nil, nil, nil, nil
	assigned := []string{}
	if resp.Grid != nil {
		p["grid"], p["grid_name"] = resp.Grid.ID, resp.Grid.Name
		p["village"], p["township"] = resp.Grid.Village, resp.Grid.Township
	}
	if resp.Village != nil {
		p["village"] = resp.Village.ID
	}
	if resp.Township != nil {
		p["township"] = resp.Township.ID
	}
	if resp.Beat != nil {
		p["beat"] = resp.Beat.ID
	}
	if resp.Station != nil {
		p["station"] = resp.Station.ID
	}
	for _, r := range resp.Assigned {
		assigned = append(assigned, r.ID)
	}
	p["assigned"] = assigned
	return f
}

// nearestTags are the tags of the layers a nearest answer reads.
func (s *Server) nearestTags(a *geo.Atlas, now time.Time) []string {
	tags := []string{"now", now.UTC().Format(time.RFC3339)}
	for _, name := range []string{geo.LayerResponders, geo.LayerGrids, geo.LayerVillages, geo.LayerTownships, geo.LayerBeats, geo.LayerStations} {
		if d, err := s.layerData(a, name); err == nil {
			tags = append(tags, d.tag())
		}
	}
	return tags
}

// dispRound rounds v to the given number of decimals.
func dispRound(v float64, decimals int) float64 {
	p := math.Pow(10, float64(decimals))
	return math.Round(v*p) / p
}

// dispNumber returns v, or nil (JSON null) when v is NaN or infinite.
func dispNumber(v float64) any {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return v
}
