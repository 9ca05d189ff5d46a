package api

import (
	"math"
	"net/http"

	"github.com/paulmach/orb/geojson"

	"gridwatch/coverage"
	"gridwatch/data"
)

// gaps serves GET /coverage/gaps: the parts of the watched surface that no
// camera of the variant sees, by priority (docs/coverage.md).
func (h *coverageAPI) gaps(w http.ResponseWriter, r *http.Request) error {
	a, err := h.s.current()
	if err != nil {
		return err
	}
	q, err := parseCoverage(r.Context(), r.URL.Query(), a, h.s.now(), true, func(p *paramReader, q *coverageQuery) {
		q.filters(p, a, true)
		q.paging(p, h.s.defLimit, h.s.maxLimit)
		q.minArea = p.number("min_area_m2", 0, 0, 1e12)
	})
	if err != nil {
		return err
	}
	v, err := h.prepare(w, r, a, q)
	if err != nil || v == nil {
		return err
	}
	if floored(r.Context()) {
		feats, matched := floorGapsFeatures(r.Context(), v, q)
		fc := geojson.NewFeatureCollection()
		fc.Features = feats
		fc.ExtraMembers = about(v, q)
		fc.ExtraMembers["numberMatched"], fc.ExtraMembers["numberReturned"] = matched, len(feats)
		fc.ExtraMembers["priority"] = "population + 10 × incidents × 365 / window_days + 50 × places"
		fc.ExtraMembers["unit"] = "grid"
		return writeJSON(w, mediaGeoJSON, fc)
	}
	gaps, matched := v.Gaps(coverage.VideoGapQuery{Variant: q.variant, Window: q.window, Grid: q.grid,
		Village: q.village, Township: q.township, BBoxes: q.boxes, MinAreaM2: q.minArea, Limit: q.limit})
	fc := geojson.NewFeatureCollection()
	for i, g := range gaps {
		f := geojson.NewFeature(data.RoundGeometry(g.Polygon))
		f.ID = g.ID
		id, village, township := unitNames(g.Grid)
		f.Properties = geojson.Properties{"id": g.ID, "rank": i + 1, "priority": roundTo(g.Priority, 2),
			"area_m2": g.AreaM2, "population": g.Population, "incidents": g.Incidents,
			"places": g.Places, "cells": g.Cells, "grid": id, "village": village, "township": township}
		fc.Append(f)
	}
	fc.ExtraMembers = about(v, q)
	fc.ExtraMembers["numberMatched"], fc.ExtraMembers["numberReturned"] = matched, len(gaps)
	fc.ExtraMembers["priority"] = "population + 10 × incidents × 365 / window_days + 50 × places"
	return writeJSON(w, mediaGeoJSON, fc)
}

// hotspots serves GET /coverage/hotspots: the incidents in the window that
// no camera of the variant sees, counted on H3 cells of each grid, most
// first. Its resolution is that of the cells (default 9); whether an
// incident is seen is decided exactly and does not depend on it.
func (h *coverageAPI) hotspots(w http.ResponseWriter, r *http.Request) error {
	a, err := h.s.current()
	if err != nil {
		return err
	}
	q, err := parseCoverage(r.Context(), r.URL.Query(), a, h.s.now(), false, func(p *paramReader, q *coverageQuery) {
		q.cellRes = p.integer("resolution", coverage.DefaultVideoHotspotResolution, coverage.MinVideoResolution, coverage.MaxVideoResolution)
		q.filters(p, a, true)
		q.paging(p, h.s.maxLimit, h.s.maxLimit)
	})
	if err != nil {
		return err
	}
	v, err := h.prepare(w, r, a, q)
	if err != nil || v == nil {
		return err
	}
	if floored(r.Context()) {
		feats, matched, err := floorHotspotsFeatures(r.Context(), v, q)
		if err != nil {
			return err
		}
		fc := geojson.NewFeatureCollection()
		fc.Features = feats
		fc.ExtraMembers = geojson.Properties{"variant": q.variant, "unit": "grid", "window": windowDoc(q.window)}
		fc.ExtraMembers["numberMatched"], fc.ExtraMembers["numberReturned"] = matched, len(feats)
		return writeJSON(w, mediaGeoJSON, fc)
	}
	hs, matched, err := v.Hotspots(coverage.VideoHotspotQuery{Variant: q.variant, Window: q.window, Resolution: q.cellRes,
		Grid: q.grid, Village: q.village, Township: q.township, BBoxes: q.boxes, Limit: q.limit})
	if err != nil {
		return err
	}
	fc := geojson.NewFeatureCollection()
	for i, hs := range hs {
		f := geojson.NewFeature(data.RoundGeometry(hs.Polygon()))
		f.ID = hs.ID
		id, village, township := unitNames(hs.Grid)
		f.Properties = geojson.Properties{"id": hs.ID, "rank": i + 1, "cell": hs.Cell.String(),
			"incidents": hs.Incidents, "grid": id, "village": village, "township": township}
		fc.Append(f)
	}
	fc.ExtraMembers = geojson.Properties{"variant": q.variant, "resolution": q.cellRes, "window": windowDoc(q.window)}
	fc.ExtraMembers["numberMatched"], fc.ExtraMembers["numberReturned"] = matched, len(hs)
	return writeJSON(w, mediaGeoJSON, fc)
}

// roundTo rounds x to n decimals.
func roundTo(x float64, n int) float64 {
	p := math.Pow(10, float64(n))
	return math.Round(x*p) / p
}
