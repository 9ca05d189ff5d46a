package api

import (
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"
	"github.com/paulmach/orb"

	"gridwatch/coverage"
	"gridwatch/data"
	"gridwatch/geo"
	"gridwatch/geo/route"
)

// roadRoutes registers the road-network endpoints: routes and isochrones.
// They read roads, waterways, stations, grids and settlements, no police
// points, so viewers may call them.
func (s *Server) roadRoutes(r chi.Router) {
	r.Get("/route", s.handle(s.route))
	r.Get("/isochrones", s.handle(s.pointIsochrones))
	r.Get("/stations/{stationId}/isochrones", s.handle(s.stationIsochrones))
}

// roadTags are the tags of the layers a route or isochrone reads.
func (s *Server) roadTags(a *geo.Atlas, names ...string) ([]string, error) {
	var tags []string
	for _, name := range append([]string{geo.LayerRoads, geo.LayerWaterways}, names...) {
		d, err := s.layerData(a, name)
		if err != nil {
			return nil, err
		}
		tags = append(tags, d.tag())
	}
	return tags, nil
}

// lonLat reads a "lon,lat" parameter.
func (p *paramReader) lonLat(name string) orb.Point {
	v, ok := p.str(name)
	if !ok {
		p.bad(name, "lon,lat (required)")
		return orb.Point{}
	}
	parts := strings.Split(v, ",")
	if len(parts) != 2 {
		p.bad(name, "lon,lat, got "+quote(v))
		return orb.Point{}
	}
	var out orb.Point
	for i, part := range parts {
		f, err := strconv.ParseFloat(strings.TrimSpace(part), 64)
		lim := []float64{180, 90}[i]
		if err != nil || math.IsNaN(f) || !(f >= -lim && f <= lim) {
			p.bad(name, fmt.Sprintf("lon,lat with lon in [-180, 180] and lat in [-90, 90], got %s", quote(v)))
			return orb.Point{}
		}
		out[i] = f
	}
	return out
}

// oneRole reads role (one role; police when absent).
func (p *paramReader) oneRole() geo.Role {
	roles := p.roles("role")
	switch {
	case len(roles) > 1:
		p.bad("role", "one role")
	case len(roles) == 1:
		return roles[0]
	}
	return geo.RolePolice
}

// needRoads refuses a dataset without roads.
func needRoads(a *geo.Atlas) error {
	if coverage.DefaultModel(a) != coverage.ModelNetwork {
		return geo.Errorf(geo.Conflict, "the dataset has no roads: routes and isochrones need a road network (the roads layer)")
	}
	return nil
}

// routeFeature is a route as a GeoJSON Feature.
type routeFeature struct {
	Type       string          `json:"type"`
	Geometry   lineGeometry    `json:"geometry"`
	Properties routeProperties `json:"properties"`
}

type lineGeometry struct {
	Type        string       `json:"type"`
	Coordinates [][2]float64 `json:"coordinates"`
}

func newLineGeometry(l orb.LineString) lineGeometry {
	r, _ := data.RoundGeometry(l).(orb.LineString)
	out := lineGeometry{Type: "LineString", Coordinates: make([][2]float64, len(r))}
	for i, p := range r {
		out.Coordinates[i] = p
	}
	return out
}

type routeProperties struct {
	Role     string  `json:"role"`
	ETAModel string  `json:"eta_model"`
	ETAS     float64 `json:"eta_s"`
	LengthM  float64 `json:"length_m"`
	AccessM  float64 `json:"access_m"`
	InputCRS string  `json:"input_crs"`
}

// route serves GET /route?from=lon,lat&to=lon,lat: the fastest trip on the
// road network for a role.
func (s *Server) route(w http.ResponseWriter, r *http.Request) error {
	a, err := s.current()
	if err != nil {
		return err
	}
	p := newQueryParams(r.URL.Query())
	p.accept([]string{"from", "to", "role", "input_crs", "f"})
	p.format()
	crs := p.crs()
	from, to := p.lonLat("from"), p.lonLat("to")
	role := p.oneRole()
	if err := p.ps.Err("invalid route query"); err != nil {
		return err
	}
	if err := needRoads(a); err != nil {
		return err
	}
	from, to = crs.ToWGS84(from), crs.ToWGS84(to)
	tags, err := s.roadTags(a)
	if err != nil {
		return err
	}
	tags = append(tags, fmt.Sprintf("route|%v|%v|%s", from, to, role))
	if notModified(w, r, s.etag(r, formatJSON, tags...)) {
		return nil
	}
	n := a.Network()
	var ps geo.Problems
	snap := func(name string, pt orb.Point) route.Place {
		pl, ok := n.Snap(pt)
		if !ok {
			ps.Add("query", -1, "", name, fmt.Sprintf("a point within %d m of a road it can reach without crossing a waterway", route.DefaultMaxAccessM))
		}
		return pl
	}
	pf, pt := snap("from", from), snap("to", to)
	if err := ps.Err("invalid route query"); err != nil {
		return err
	}
	rt, ok := n.Route(pf, pt, s.disp.eta[role].Profile())
	if !ok {
		return geo.Errorf(geo.NotFound, "no road joins the two points for a %s (one-way roads, or parts of the network that do not meet)", role)
	}
	return writeJSON(w, mediaGeoJSON, routeFeature{Type: "Feature", Geometry: newLineGeometry(rt.Line),
		Properties: routeProperties{Role: string(role), ETAModel: string(coverage.ModelNetwork), ETAS: dispRound(rt.Seconds, 1),
			LengthM: dispRound(rt.Metres, 1), AccessM: dispRound(rt.AccessM, 1), InputCRS: string(crs)}})
}

// isochroneParams reads minutes, role and resolution.
func (s *Server) isochroneParams(p *paramReader) coverage.IsochroneOptions {
	opt := coverage.IsochroneOptions{Role: p.oneRole(), Resolution: p.integer("resolution", coverage.DefaultIsochroneRes, 7, 10), ETA: s.disp.eta}
	if v, ok := p.str("minutes"); ok {
		for _, part := range strings.Split(v, ",") {
			m, err := strconv.ParseFloat(strings.TrimSpace(part), 64)
			if err != nil || !(m > 0 && m <= coverage.MaxIsochroneMinutes) {
				p.bad("minutes", fmt.Sprintf("a comma-separated list of minutes in (0, %d], got %s", coverage.MaxIsochroneMinutes, quote(v)))
				return opt
			}
			opt.Minutes = append(opt.Minutes, m)
		}
		if len(opt.Minutes) > coverage.MaxIsochrones {
			p.bad("minutes", fmt.Sprintf("at most %d values, got %d", coverage.MaxIsochrones, len(opt.Minutes)))
		}
		for i := 1; i < len(opt.Minutes); i++ {
			if !(opt.Minutes[i] > opt.Minutes[i-1]) {
				p.bad("minutes", "ascending values, got "+quote(v))
				break
			}
		}
	}
	return opt
}

// stationIsochrones serves GET /stations/{id}/isochrones.
func (s *Server) stationIsochrones(w http.ResponseWriter, r *http.Request) error {
	a, err := s.current()
	if err != nil {
		return err
	}
	p := newQueryParams(r.URL.Query())
	p.accept([]string{"minutes", "role", "resolution", "f"})
	p.format()
	opt := s.isochroneParams(p)
	if err := p.ps.Err("invalid isochrone query"); err != nil {
		return err
	}
	id := chi.URLParam(r, "stationId")
	st, ok := a.Stations.Get(id)
	if !ok {
		return geo.Errorf(geo.NotFound, "no station %s", quote(id))
	}
	return s.isochrones(w, r, a, st.Point, opt, map[string]any{"station": st.ID, "name": st.Name})
}

// pointIsochrones serves GET /isochrones?lon=&lat=.
func (s *Server) pointIsochrones(w http.ResponseWriter, r *http.Request) error {
	a, err := s.current()
	if err != nil {
		return err
	}
	p := newQueryParams(r.URL.Query())
	p.accept([]string{"lon", "lat", "minutes", "role", "resolution", "input_crs", "f"})
	p.format()
	crs := p.crs()
	for _, name := range []string{"lon", "lat"} {
		if _, ok := r.URL.Query()[name]; !ok {
			p.bad(name, "a number (required)")
		}
	}
	in := orb.Point{p.numberAs("lon", math.NaN(), -180, 180, "a longitude in [-180, 180]"),
		p.numberAs("lat", math.NaN(), -90, 90, "a latitude in [-90, 90]")}
	opt := s.isochroneParams(p)
	if err := p.ps.Err("invalid isochrone query"); err != nil {
		return err
	}
	return s.isochrones(w, r, a, crs.ToWGS84(in), opt, map[string]any{"input_crs": string(crs), "input_coordinates": in})
}

// isochrones computes and writes the isochrones of a point.
func (s *Server) isochrones(w http.ResponseWriter, r *http.Request, a *geo.Atlas, from orb.Point, opt coverage.IsochroneOptions, origin map[string]any) error {
	if err := needRoads(a); err != nil {
		return err
	}
	tags, err := s.roadTags(a, geo.LayerStations, geo.LayerGrids, geo.LayerSettlements)
	if err != nil {
		return err
	}
	tags = append(tags, fmt.Sprintf("isochrones|%v|%v|%s|%d", from, opt.Minutes, opt.Role, opt.Resolution))
	if notModified(w, r, s.etag(r, formatJSON, tags...)) {
		return nil
	}
	isos, err := coverage.Isochrones(r.Context(), a, from, opt)
	if err != nil {
		return err
	}
	role := opt.Role
	if role == "" {
		role = geo.RolePolice
	}
	feats := make([]map[string]any, len(isos))
	for i, iso := range isos {
		grids := make([]map[string]any, len(iso.Grids))
		for j, g := range iso.Grids {
			grids[j] = map[string]any{"id": g.Grid.ID, "name": g.Grid.Name, "population": g.Population, "grid_population": g.Grid.Population}
		}
		var geom any = map[string]any{"type": "MultiPolygon", "coordinates": data.RoundGeometry(iso.Polygon)}
		if len(iso.Polygon) == 0 {
			geom = nil
		}
		feats[i] = map[string]any{"type": "Feature", "geometry": geom, "properties": map[string]any{
			"minutes": iso.Minutes, "role": string(role), "eta_model": string(coverage.ModelNetwork),
			"cells": len(iso.Cells), "area_m2": dispRound(iso.AreaM2, 0), "population": iso.Population, "grids": grids}}
	}
	origin["point"] = [2]float64{dispRound(from[0], 7), dispRound(from[1], 7)}
	return writeJSON(w, mediaGeoJSON, map[string]any{"type": "FeatureCollection", "features": feats,
		"numberReturned": len(feats), "origin": origin})
}
