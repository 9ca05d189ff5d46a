package api

import (
	"fmt"
	"math"
	"time"

	"github.com/paulmach/orb"

	"gridwatch/coverage"
	"gridwatch/data"
	"gridwatch/geo"
)

// nearestCollection is the answer to one point: the query point first,
// then the responders in rank order; numberReturned counts them all, as
// OGC API - Features counts the features a page holds.
type nearestCollection struct {
	Type           string         `json:"type"`
	Features       []pointFeature `json:"features"`
	NumberReturned int            `json:"numberReturned"`
}

// pointFeature is a GeoJSON Feature with a Point geometry and typed
// properties, encoded in one pass without maps: the nearest answers and
// position updates are the server's hottest paths, and geojson.Feature
// encodes a map of properties and then compacts it.
type pointFeature struct {
	Type       string        `json:"type"`
	ID         string        `json:"id,omitempty"`
	Geometry   pointGeometry `json:"geometry"`
	Properties any           `json:"properties"`
}

type pointGeometry struct {
	Type        string     `json:"type"`
	Coordinates [2]float64 `json:"coordinates"`
}

// newPointGeometry rounds pt as data.RoundGeometry does.
func newPointGeometry(pt orb.Point) pointGeometry {
	r, _ := data.RoundGeometry(pt).(orb.Point)
	return pointGeometry{Type: "Point", Coordinates: r}
}

// responderProperties are a responder's properties exactly as
// data.ToFeature gives them (a test holds the two together).
type responderProperties struct {
	Available bool     `json:"available"`
	Grids     []string `json:"grids"`
	ID        string   `json:"id"`
	Name      string   `json:"name"`
	Role      string   `json:"role"`
	Station   string   `json:"station"`
	Updated   string   `json:"updated"`
}

func newResponderProperties(r *geo.Responder) responderProperties {
	grids := r.Grids
	if grids == nil {
		grids = []string{}
	}
	return responderProperties{Available: r.Available, Grids: grids, ID: r.ID, Name: r.Name, Role: string(r.Role),
		Station: r.Station, Updated: r.Updated.Format(time.RFC3339)}
}

// responderFeature is a responder as a GeoJSON Feature, the same as
// data.ToFeature's.
func responderFeature(r *geo.Responder) pointFeature {
	return pointFeature{Type: "Feature", ID: r.ID, Geometry: newPointGeometry(r.Point), Properties: newResponderProperties(r)}
}

// hitProperties are a responder's properties with its place in a nearest
// answer.
type hitProperties struct {
	responderProperties
	Kind         string  `json:"kind"`
	Rank         int     `json:"rank"`
	DistanceM    float64 `json:"distance_m"`
	ETAS         any     `json:"eta_s"` // null when not finite
	ETAModel     string  `json:"eta_model"`
	AvailableNow bool    `json:"available_now"`
	AgeS         float64 `json:"age_s"`
	// Route and RouteM are the responder's route and its length, with
	// routes=true.
	Route  *lineGeometry `json:"route,omitempty"`
	RouteM *float64      `json:"route_m,omitempty"`
}

// queryProperties describe the query point: where it is and whose it is.
// Every unit is null outside the district.
type queryProperties struct {
	Kind             string     `json:"kind"`
	Order            string     `json:"order"`
	InputCRS         string     `json:"input_crs"`
	InputCoordinates [2]float64 `json:"input_coordinates"`
	InsideDistrict   bool       `json:"inside_district"`
	ReferenceTime    string     `json:"reference_time"`
	Grid             *string    `json:"grid"`
	GridName         *string    `json:"grid_name"`
	Village          *string    `json:"village"`
	Township         *string    `json:"township"`
	Beat             *string    `json:"beat"`
	Station          *string    `json:"station"`
	Assigned         []string   `json:"assigned"`
	ETAModel         string     `json:"eta_model"`
}

// nearestAnswer builds the FeatureCollection of one point.
func nearestAnswer(resp coverage.Responsibility, req nearestRequest, input orb.Point, hits []coverage.Hit) nearestCollection {
	feats := make([]pointFeature, 0, len(hits)+1)
	qp := queryProps(resp, req, input)
	if len(hits) > 0 {
		qp.ETAModel = string(hits[0].Model) // the straight line where the point reaches no road
	}
	feats = append(feats, pointFeature{Type: "Feature", Geometry: newPointGeometry(resp.Point), Properties: qp})
	for _, h := range hits {
		f := responderFeature(h.Responder)
		hp := hitProperties{responderProperties: f.Properties.(responderProperties), Kind: "responder",
			Rank: h.Rank, DistanceM: dispRound(h.DistanceM, 2), ETAS: dispNumber(dispRound(h.ETAS, 1)),
			ETAModel: string(h.Model), AvailableNow: h.AvailableNow, AgeS: math.Round(h.AgeS)}
		if h.Route != nil {
			g, m := newLineGeometry(h.Route.Line), dispRound(h.Route.Metres, 1)
			hp.Route, hp.RouteM = &g, &m
		}
		f.Properties = hp
		feats = append(feats, f)
	}
	return nearestCollection{Type: "FeatureCollection", Features: feats, NumberReturned: len(feats)}
}

// queryProps describes the query point.
func queryProps(resp coverage.Responsibility, req nearestRequest, input orb.Point) queryProperties {
	p := queryProperties{Kind: "query", Order: string(req.query.Order), InputCRS: string(req.crs), InputCoordinates: [2]float64{input[0], input[1]},
		InsideDistrict: resp.InsideDistrict, ReferenceTime: req.query.Now.UTC().Format(time.RFC3339), ETAModel: string(req.model),
		Assigned: make([]string, 0, len(resp.Assigned))}
	if g := resp.Grid; g != nil {
		p.Grid, p.GridName, p.Village, p.Township = &g.ID, &g.Name, &g.Village, &g.Township
	}
	if resp.Village != nil {
		p.Village = &resp.Village.ID
	}
	if resp.Township != nil {
		p.Township = &resp.Township.ID
	}
	if resp.Beat != nil {
		p.Beat = &resp.Beat.ID
	}
	if resp.Station != nil {
		p.Station = &resp.Station.ID
	}
	for _, r := range resp.Assigned {
		p.Assigned = append(p.Assigned, r.ID)
	}
	return p
}

// nearestTags are the tags of the layers a nearest answer reads.
func (s *Server) nearestTags(a *geo.Atlas, req nearestRequest) []string {
	tags := []string{"now", req.query.Now.UTC().Format(time.RFC3339), "model", string(req.model), fmt.Sprint(req.query.Routes)}
	for _, name := range []string{geo.LayerResponders, geo.LayerGrids, geo.LayerVillages, geo.LayerTownships, geo.LayerBeats, geo.LayerStations, geo.LayerRoads, geo.LayerWaterways} {
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
