package api

import (
	"cmp"
	"context"
	"math"
	"slices"

	"github.com/paulmach/orb/geojson"

	"gridwatch/coverage"
	"gridwatch/data"
	"gridwatch/geo"
)

// floorGap is a grid's video gaps summed, as a viewer sees them: the gap
// outlines and their holes trace camera viewsheds, which place the cameras
// (docs/security.md), so a viewer gets each grid's uncovered figures on the
// grid's own polygon instead.
type floorGap struct {
	grid              *geo.Grid
	parts, cells      int
	area, population  float64
	incidents, places int
	priority          float64
}

// floorGapsFeatures answers /coverage/gaps for a caller under the floor:
// one feature per grid with gaps, by priority, and how many matched.
func floorGapsFeatures(ctx context.Context, v *coverage.Video, q coverageQuery) ([]*geojson.Feature, int) {
	all, _ := v.Gaps(coverage.VideoGapQuery{Variant: q.variant, Window: q.window, Grid: q.grid,
		Village: q.village, Township: q.township, BBoxes: q.boxes})
	byGrid := map[string]*floorGap{}
	var order []*floorGap
	for _, g := range all {
		fg, ok := byGrid[g.Grid.ID]
		if !ok {
			fg = &floorGap{grid: g.Grid}
			byGrid[g.Grid.ID] = fg
			order = append(order, fg)
		}
		fg.parts++
		fg.cells += g.Cells
		fg.area += g.AreaM2
		fg.population += g.Population
		fg.incidents += g.Incidents
		fg.places += g.Places
	}
	var kept []*floorGap
	for _, fg := range order {
		if fg.area < q.minArea {
			continue
		}
		fg.population = math.Round(fg.population*10) / 10
		n := float64(fg.incidents)
		if redacted(ctx, fg.incidents) {
			n = blurredIncidents
		}
		fg.priority = fg.population + coverage.VideoGapIncidentWeight*n*365/float64(q.window.Days) +
			coverage.VideoGapPlaceWeight*float64(fg.places)
		kept = append(kept, fg)
	}
	slices.SortFunc(kept, func(x, y *floorGap) int {
		if c := cmp.Compare(y.priority, x.priority); c != 0 {
			return c
		}
		if c := cmp.Compare(y.area, x.area); c != 0 {
			return c
		}
		return cmp.Compare(x.grid.ID, y.grid.ID)
	})
	matched := len(kept)
	if q.limit > 0 && len(kept) > q.limit {
		kept = kept[:q.limit]
	}
	out := make([]*geojson.Feature, len(kept))
	for i, fg := range kept {
		f := geojson.NewFeature(data.RoundGeometry(loadOriented(fg.grid.Polygon)))
		f.ID = fg.grid.ID
		f.Properties = geojson.Properties{"id": fg.grid.ID, "rank": i + 1, "priority": roundTo(fg.priority, 2),
			"area_m2": math.Round(fg.area), "population": fg.population, "incidents": redactCount(ctx, fg.incidents),
			"places": fg.places, "cells": fg.cells, "gaps": fg.parts, "unit": "grid",
			"grid": fg.grid.ID, "village": fg.grid.Village, "township": fg.grid.Township}
		out[i] = f
	}
	return out, matched
}

// floorHotspotsFeatures answers /coverage/hotspots for a caller under the
// floor: the unwatched incidents summed per grid (a cell of any
// resolution would place single incidents), most first, on the grids'
// polygons, and how many matched. Incidents outside every grid are left
// out: no unit of the floor holds them.
func floorHotspotsFeatures(ctx context.Context, v *coverage.Video, q coverageQuery) ([]*geojson.Feature, int, error) {
	hs, _, err := v.Hotspots(coverage.VideoHotspotQuery{Variant: q.variant, Window: q.window,
		Resolution: floorResolution, Grid: q.grid, Village: q.village, Township: q.township})
	if err != nil {
		return nil, 0, err
	}
	counts := map[*geo.Grid]int{}
	var grids []*geo.Grid
	for _, h := range hs {
		if h.Grid == nil {
			continue
		}
		if _, ok := counts[h.Grid]; !ok {
			grids = append(grids, h.Grid)
		}
		counts[h.Grid] += h.Incidents
	}
	grids = slices.DeleteFunc(grids, func(g *geo.Grid) bool { return !q.meets(g.Polygon.Bound()) })
	slices.SortFunc(grids, func(x, y *geo.Grid) int {
		if c := cmp.Compare(counts[y], counts[x]); c != 0 {
			return c
		}
		return cmp.Compare(x.ID, y.ID)
	})
	matched := len(grids)
	if q.limit > 0 && len(grids) > q.limit {
		grids = grids[:q.limit]
	}
	out := make([]*geojson.Feature, len(grids))
	for i, g := range grids {
		f := geojson.NewFeature(data.RoundGeometry(loadOriented(g.Polygon)))
		f.ID = g.ID
		f.Properties = geojson.Properties{"id": g.ID, "rank": i + 1, "unit": "grid",
			"incidents": redactCount(ctx, counts[g]), "grid": g.ID, "village": g.Village, "township": g.Township}
		out[i] = f
	}
	return out, matched, nil
}
