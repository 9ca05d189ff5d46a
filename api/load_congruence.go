package api

import (
	"fmt"

	"github.com/paulmach/orb/geojson"

	"gridwatch/coverage"
	"gridwatch/data"
)

// congKey identifies congruence options for the cache.
func congKey(o coverage.CongruenceOptions) string {
	return fmt.Sprintf("%d|%g|%t", o.Resolution, o.SplitTolerance, o.Pieces)
}

// loadCongruenceDoc is the /load/congruence answer: the parts of the grids
// passing f outside their dominant beat (pieces; share is the piece's
// share of its grid), or those grids with their share in their dominant
// beat, and the district summary as a foreign member.
func loadCongruenceDoc(c *coverage.CongruenceResult, f loadFilter, pieces bool) *geojson.FeatureCollection {
	fc := geojson.NewFeatureCollection()
	for i := range c.Grids {
		g := &c.Grids[i]
		if !f.keeps(g.Grid) {
			continue
		}
		if !pieces {
			feat := geojson.NewFeature(data.RoundGeometry(loadOriented(g.Grid.Polygon)))
			feat.ID = g.Grid.ID
			feat.Properties = congGridProps(g)
			fc.Append(feat)
			continue
		}
		for k, p := range g.Pieces {
			feat := geojson.NewFeature(data.RoundGeometry(loadOriented(p.Polygon)))
			feat.ID = fmt.Sprintf("%s-%d", g.Grid.ID, k+1)
			feat.Properties = geojson.Properties{
				"grid": g.Grid.ID, "village": g.Grid.Village, "township": g.Grid.Township,
				"dominant_beat": loadNullable(p.DominantBeat), "beat": loadNullable(p.Beat),
				"area_m2": p.AreaM2, "share": p.AreaM2 / g.AreaM2,
			}
			fc.Append(feat)
		}
	}
	var res any
	if c.Options.Resolution != 0 {
		res = c.Options.Resolution
	}
	fc.ExtraMembers = geojson.Properties{
		"numberReturned": len(fc.Features),
		"summary": map[string]any{
			"score": c.Score, "grids": len(c.Grids), "split_grids": c.SplitGrids,
			"grids_without_beat": c.GridsWithoutBeat, "split_tolerance": c.Options.SplitTolerance,
			"resolution": res, "min_cells_per_grid": coverage.CongruenceMinCells,
			"method": "H3 cell centres per grid; the score is the share of grid area in the grid's dominant beat",
		},
	}
	return fc
}

// congGridProps are the properties of one grid's congruence.
func congGridProps(g *coverage.GridCongruence) geojson.Properties {
	beats := make([]map[string]any, len(g.Beats))
	for i, b := range g.Beats {
		beats[i] = map[string]any{"beat": loadNullable(b.Beat), "share": b.Share}
	}
	var res any
	if g.Resolution != 0 {
		res = g.Resolution
	}
	return geojson.Properties{
		"id": g.Grid.ID, "village": g.Grid.Village, "township": g.Grid.Township,
		"dominant_beat": loadNullable(g.DominantBeat), "share": g.Share, "outside_share": 1 - g.Share,
		"split": g.Split, "beats": beats, "pieces": len(g.Pieces), "area_m2": g.AreaM2,
		"resolution": res, "cells": g.Cells,
	}
}

// loadNullable returns nil for an empty id.
func loadNullable(id string) any {
	if id == "" {
		return nil
	}
	return id
}
