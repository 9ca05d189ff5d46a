package api

import (
	"context"
	"math"
	"slices"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"gridwatch/coverage"
	"gridwatch/data"
	"gridwatch/geo"
)

// floorResponseGrid reports whether a grid is in a response gap as a viewer
// sees it: at least half its people are beyond the threshold, or, for a
// grid without people (district scope), its worst arrival time is.
func floorResponseGrid(g coverage.GridResponse, threshold float64) bool {
	if g.Cells == 0 {
		return false
	}
	if g.Population > 0 {
		return g.PopulationBeyond >= g.Population/2
	}
	return g.WorstS > threshold
}

// floorResponseGaps answers /response/gaps for a caller under the floor:
// the cells beyond the threshold trace circles around the available
// officers (their holes sit on them), so a viewer gets the grids in a gap
// (floorResponseGrid) merged where they share an edge, with the grids'
// figures, most people first.
func floorResponseGaps(ctx context.Context, a *geo.Atlas, res *coverage.ResponseCoverage) []*geojson.Feature {
	groups := floorResponseGroups(res)
	incidents := map[string]int{}
	for _, inc := range a.Incidents.Items() {
		if inc.Grid != "" {
			incidents[inc.Grid]++
		}
	}
	type gap struct {
		grids              []string
		polys              []orb.Polygon
		area, pop, worst   float64
		incidents, cellsIn int
	}
	gaps := make([]gap, len(groups))
	for k, group := range groups {
		g := &gaps[k]
		for _, i := range group {
			gr := res.Grids[i]
			g.grids = append(g.grids, gr.Grid.ID)
			g.polys = append(g.polys, gr.Grid.Polygon)
			g.area += geo.PolygonArea(gr.Grid.Polygon)
			g.pop += gr.PopulationBeyond
			g.worst = math.Max(g.worst, gr.WorstS)
			g.incidents += incidents[gr.Grid.ID]
			g.cellsIn += gr.Cells
		}
		slices.Sort(g.grids)
	}
	slices.SortStableFunc(gaps, func(x, y gap) int {
		switch {
		case x.pop != y.pop:
			return cmpDesc(x.pop, y.pop)
		case x.incidents != y.incidents:
			return cmpDesc(float64(x.incidents), float64(y.incidents))
		}
		return cmpDesc(x.area, y.area)
	})
	out := make([]*geojson.Feature, len(gaps))
	for k, g := range gaps {
		mp := geo.Dissolve(g.polys)
		for i := range mp {
			mp[i] = loadOriented(mp[i])
		}
		var geom orb.Geometry = mp
		if len(mp) == 1 {
			geom = mp[0]
		}
		f := geojson.NewFeature(data.RoundGeometry(geom))
		f.Properties = geojson.Properties{
			"rank": k + 1, "cells": g.cellsIn, "area_m2": dispRound(g.area, 0), "unit": "grid",
			"population": dispRound(g.pop, 1), "incidents": redactCount(ctx, g.incidents),
			"worst_s": dispNumber(dispRound(floorSeconds(ctx, g.worst), 1)), "grids": g.grids,
		}
		out[k] = f
	}
	return out
}

// floorResponseGroups returns the grids in a gap for a viewer
// (floorResponseGrid), as indexes into res.Grids grouped by shared edges.
func floorResponseGroups(res *coverage.ResponseCoverage) [][]int {
	var in []int
	for i, g := range res.Grids {
		if floorResponseGrid(g, res.ThresholdS) {
			in = append(in, i)
		}
	}
	return edgeGroups(res.Grids, in)
}

func cmpDesc(x, y float64) int {
	switch {
	case x > y:
		return -1
	case x < y:
		return 1
	}
	return 0
}

// edgeGroups splits the grids at indexes in into groups that share an edge
// (two consecutive ring vertices), each group in index order, groups by
// their first index.
func edgeGroups(grids []coverage.GridResponse, in []int) [][]int {
	parent := make([]int, len(in))
	for i := range parent {
		parent[i] = i
	}
	var find func(int) int
	find = func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	type vertex [2]int64
	key := func(p orb.Point) vertex { return vertex{int64(math.Round(p[0] * 1e8)), int64(math.Round(p[1] * 1e8))} }
	type edge [2]vertex
	owner := map[edge]int{}
	for k, i := range in {
		for _, ring := range grids[i].Grid.Polygon {
			for j := 0; j+1 < len(ring); j++ {
				a, b := key(ring[j]), key(ring[j+1])
				if b[0] < a[0] || b[0] == a[0] && b[1] < a[1] {
					a, b = b, a
				}
				e := edge{a, b}
				if o, ok := owner[e]; ok {
					parent[find(o)] = find(k)
				} else {
					owner[e] = k
				}
			}
		}
	}
	byRoot := map[int]int{}
	var out [][]int
	for k, i := range in {
		r := find(k)
		g, ok := byRoot[r]
		if !ok {
			g = len(out)
			byRoot[r] = g
			out = append(out, nil)
		}
		out[g] = append(out[g], i)
	}
	return out
}
