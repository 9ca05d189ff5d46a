package data

import (
	"fmt"

	"github.com/paulmach/orb"

	"gridwatch/geo"
)

// buildOutlines draws the outlines: each grid and beat is the dissolve of
// its hexes, each village and township the dissolve of its grids.
func (b *builder) buildOutlines() error {
	grids := make([]*geo.Grid, len(b.grids))
	for i, g := range b.grids {
		p, err := b.outline(g.hexes)
		if err != nil {
			return fmt.Errorf("grid %q: %w", g.id, err)
		}
		v := b.villages[g.village]
		grids[i] = &geo.Grid{ID: g.id, Name: g.name, Village: v.id, Township: b.towns[v.town].id,
			Polygon: p, Population: g.pop, Households: g.hh}
	}
	for _, v := range b.villages {
		polys := make([]orb.Polygon, len(v.grids))
		for i, gi := range v.grids {
			polys[i] = grids[gi].Polygon
		}
		b.ds.Villages = append(b.ds.Villages, &geo.Village{ID: v.id, Name: v.name, Kind: v.kind,
			Township: b.towns[v.town].id, Polygon: geo.Dissolve(polys)})
	}
	for _, t := range b.towns {
		var polys []orb.Polygon
		for _, vi := range t.villages {
			for _, gi := range b.villages[vi].grids {
				polys = append(polys, grids[gi].Polygon)
			}
		}
		b.ds.Townships = append(b.ds.Townships, &geo.Township{ID: t.id, Name: t.name, Kind: t.kind,
			Polygon: geo.Dissolve(polys)})
	}
	for _, bt := range b.beats {
		p, err := b.outline(bt.hexes)
		if err != nil {
			return fmt.Errorf("beat %q: %w", bt.id, err)
		}
		b.ds.Beats = append(b.ds.Beats, &geo.Beat{ID: bt.id, Name: bt.name,
			Station: b.stations[bt.station].id, Polygon: p})
	}
	b.ds.Grids = grids
	return nil
}

// outline dissolves a connected set of hexes into one polygon.
func (b *builder) outline(hexes []int32) (orb.Polygon, error) {
	polys := make([]orb.Polygon, len(hexes))
	for i, h := range hexes {
		polys[i] = orb.Polygon{b.m.ring(h)}
	}
	mp := geo.Dissolve(polys)
	if len(mp) != 1 {
		return nil, fmt.Errorf("%d hexes dissolve into %d polygons, want 1", len(hexes), len(mp))
	}
	return mp[0], nil
}
