package api

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/paulmach/orb/geojson"

	"gridwatch/coverage"
	"gridwatch/data"
	"gridwatch/geo"
)

// responseParams are the parameters of the response-time endpoints.
var responseParams = []string{"threshold_s", "scope", "resolution", "role", "max_age_s", "f", "eta_model"}

// parseResponse parses a response-time query.
func (s *Server) parseResponse(ctx context.Context, q url.Values, a *geo.Atlas) (coverage.ResponseOptions, error) {
	p := newQueryParams(q).under(ctx)
	p.accept(responseParams)
	p.format()
	opt := coverage.ResponseOptions{
		ThresholdS: p.numberAs("threshold_s", coverage.DefaultThresholdS, 1, 24*3600, "a number of seconds from 1 to 86400"),
		Resolution: p.integer("resolution", 0, 7, 12),
		MaxAge:     p.maxAge(),
		ETA:        s.disp.eta,
	}
	if v, ok := p.str("scope"); ok {
		opt.Scope = coverage.Scope(v)
		if opt.Scope != coverage.ScopeSettlements && opt.Scope != coverage.ScopeDistrict {
			p.bad("scope", "settlements or district, got "+quote(v))
		}
	}
	model := coverage.DefaultModel(a)
	if p.floor {
		// The viewer floor: road-network times follow the officers'
		// positions more closely than the floor's tests allow (a grid
		// reached in a minute by road sits on an officer), so viewers get
		// the straight line.
		model = coverage.ModelStraight
	}
	if v, ok := p.str("eta_model"); ok {
		switch m := coverage.ETAModel(v); {
		case !m.Valid():
			p.bad("eta_model", "network or straight, got "+quote(v))
		case m == coverage.ModelNetwork && p.floor:
			p.bad("eta_model", "straight for the viewer role (network times need an analyst token)")
		case m == coverage.ModelNetwork && model != coverage.ModelNetwork:
			p.bad("eta_model", "straight: the dataset has no roads")
		default:
			model = m
		}
	}
	if model == coverage.ModelNetwork {
		opt.Network = a.Network()
	}
	if roles := p.roles("role"); len(roles) > 1 {
		p.bad("role", "one role")
	} else if len(roles) == 1 {
		opt.Role = roles[0]
	}
	if p.floor {
		// The viewer floor: no finer cells than floorResolution, and no
		// age window to slide (it would date the officers' reports).
		if opt.Resolution == 0 {
			opt.Resolution = coverage.DefaultSettlementRes
			if opt.Scope == coverage.ScopeDistrict {
				opt.Resolution = coverage.DefaultDistrictRes
			}
		}
		opt.Resolution = min(opt.Resolution, floorResolution)
		if _, given := q["max_age_s"]; given {
			p.bad("max_age_s", "none for the viewer role (the default age window; other windows need an analyst token)")
		}
	}
	if err := p.ps.Err("invalid response-time query"); err != nil {
		return opt, err
	}
	return opt, nil
}

// responseFor returns the analysis of the request's query on a, from the
// cache when it is there, with the ETag of the answer.
func (s *Server) responseFor(r *http.Request, a *geo.Atlas) (*coverage.ResponseCoverage, string, error) {
	opt, err := s.parseResponse(r.Context(), r.URL.Query(), a)
	if err != nil {
		return nil, "", err
	}
	opt.Now = coverage.ReferenceTime(a, s.now())
	parts := []string{fmt.Sprintf("%s|%d|%g|%s|%d|%s|%t", opt.Scope, opt.Resolution, opt.ThresholdS, opt.Role, opt.MaxAge, opt.Now.UTC().Format(time.RFC3339), opt.Network != nil)}
	for _, name := range []string{geo.LayerResponders, geo.LayerGrids, geo.LayerSettlements, geo.LayerIncidents, geo.LayerRoads, geo.LayerWaterways} {
		d, err := s.layerData(a, name)
		if err != nil {
			return nil, "", err
		}
		parts = append(parts, d.tag())
	}
	res, err := cached(r.Context(), s.disp.responses, strings.Join(parts, "\x1f"), func(ctx context.Context) (*coverage.ResponseCoverage, error) {
		return coverage.ResponseContext(ctx, a, opt)
	})
	return res, s.etag(r, formatJSON, parts...), err
}

// responseSummary is the figures of the whole analysis, sent with both
// endpoints.
func responseSummary(r *http.Request, res *coverage.ResponseCoverage, now time.Time) map[string]any {
	gapCount := len(res.Gaps)
	if floored(r.Context()) {
		gapCount = len(floorResponseGroups(res))
	}
	return map[string]any{
		"scope": res.Scope, "resolution": res.Resolution, "threshold_s": res.ThresholdS, "role": res.Role, "eta_model": res.Model,
		"reference_time": now.UTC().Format(time.RFC3339), "responders": res.Responders, "cells": res.Cells,
		"population": dispRound(res.Population, 1), "population_beyond": dispRound(res.PopulationBeyond, 1),
		"share_beyond":     dispNumber(dispRound(res.ShareBeyond(), 4)),
		"mean_s":           dispNumber(dispRound(floorSeconds(r.Context(), res.MeanS), 1)),
		"incidents":        redactCount(r.Context(), res.Incidents),
		"incidents_beyond": redactCount(r.Context(), res.IncidentsBeyond),
		"gaps":             gapCount,
	}
}

// responseGaps serves GET /response/gaps: the areas whose estimated
// arrival time from the nearest available police officer exceeds the
// threshold, most people first.
func (s *Server) responseGaps(w http.ResponseWriter, r *http.Request) error {
	a, err := s.current()
	if err != nil {
		return err
	}
	res, tag, err := s.responseFor(r, a)
	if err != nil {
		return err
	}
	if notModified(w, r, tag) {
		return nil
	}
	fc := geojson.NewFeatureCollection()
	if floored(r.Context()) {
		fc.Features = floorResponseGaps(r.Context(), a, res)
		fc.ExtraMembers = geojson.Properties{"summary": responseSummary(r, res, coverage.ReferenceTime(a, s.now())), "unit": "grid"}
		return writeJSON(w, mediaGeoJSON, fc)
	}
	for i, g := range res.Gaps {
		f := geojson.NewFeature(data.RoundGeometry(g.Polygon))
		f.Properties = geojson.Properties{
			"rank": i + 1, "cells": len(g.Cells), "area_m2": dispRound(g.AreaM2, 0),
			"population": dispRound(g.Population, 1), "incidents": redactCount(r.Context(), g.Incidents),
			"worst_s": dispNumber(dispRound(g.WorstS, 1)), "grids": dispStrings(g.Grids),
		}
		fc.Append(f)
	}
	fc.ExtraMembers = geojson.Properties{"summary": responseSummary(r, res, coverage.ReferenceTime(a, s.now()))}
	return writeJSON(w, mediaGeoJSON, fc)
}

// responseGrids serves GET /response/grids: per grid the worst and the
// population-weighted mean arrival time.
func (s *Server) responseGrids(w http.ResponseWriter, r *http.Request) error {
	a, err := s.current()
	if err != nil {
		return err
	}
	res, tag, err := s.responseFor(r, a)
	if err != nil {
		return err
	}
	if notModified(w, r, tag) {
		return nil
	}
	fc := geojson.NewFeatureCollection()
	for _, g := range res.Grids {
		f := geojson.NewFeature(data.RoundGeometry(g.Grid.Polygon))
		f.ID = g.Grid.ID
		f.Properties = geojson.Properties{
			"id": g.Grid.ID, "name": g.Grid.Name, "village": g.Grid.Village, "township": g.Grid.Township,
			"cells": g.Cells, "population": dispRound(g.Population, 1),
			"population_beyond": dispRound(g.PopulationBeyond, 1),
			"worst_s":           dispNumber(dispRound(floorSeconds(r.Context(), g.WorstS), 1)),
			"mean_s":            dispNumber(dispRound(floorSeconds(r.Context(), g.MeanS), 1)),
		}
		fc.Append(f)
	}
	fc.ExtraMembers = geojson.Properties{"summary": responseSummary(r, res, coverage.ReferenceTime(a, s.now()))}
	return writeJSON(w, mediaGeoJSON, fc)
}

func dispStrings(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
