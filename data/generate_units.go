package data

import (
	"math"
	"math/rand/v2"

	"gridwatch/geo"
)

// village is a village or urban community while it is being built.
type village struct {
	id, name, stem string
	kind           geo.VillageKind
	town           int
	hexes          []int32
	grids          []int
	setts          []int // settlements, largest first once placed
	pop            int
}

// gridUnit is a grid while it is being built.
type gridUnit struct {
	id, name      string
	village, town int
	hexes         []int32
	pop, hh       int
	station       int
	setts         []int
}

// buildUnits cuts every township into villages (communities in the urban
// subdistricts) and every village into grids, and shares the population
// out: urban grids are single hexes; rural grids are grown in their village
// in numbers proportional to its population.
func (b *builder) buildUnits() error {
	rng := b.rng(stageUnits)
	n := b.m.len()
	b.hexVillage, b.hexGrid = make([]int32, n), make([]int32, n)
	b.splitVillages(rng)
	b.sharePopulation(rng)
	ng := splitInt(b.n.ruralGrids, b.gridWeights(), 1)
	k := 0
	for vi, v := range b.villages {
		var parts [][]int32
		if v.kind == geo.KindCommunity {
			for _, h := range v.hexes {
				parts = append(parts, []int32{h})
			}
		} else {
			parts = b.partition(v.hexes, min(ng[k], len(v.hexes)), rng, b.hexGrid)
			k++
		}
		for j, p := range parts {
			gi := len(b.grids)
			g := &gridUnit{name: v.name + "第" + numeral(j+1) + "网格", village: vi, town: v.town, hexes: p}
			for _, h := range p {
				b.hexGrid[h] = int32(gi)
			}
			v.grids = append(v.grids, gi)
			b.grids = append(b.grids, g)
		}
	}
	for i, g := range b.grids {
		g.id = ids("G", 4, i, len(b.grids))
	}
	b.gridPopulation(rng)
	return nil
}

// gridWeights returns the weight of each rural village in the share-out of
// the rural grids: mostly its population, partly its area, so that grids in
// empty country are not huge.
func (b *builder) gridWeights() []float64 {
	var pop, area float64
	for _, v := range b.villages {
		if v.kind == geo.KindVillage {
			pop += float64(v.pop)
			area += float64(len(v.hexes))
		}
	}
	var w []float64
	for _, v := range b.villages {
		if v.kind == geo.KindVillage {
			w = append(w, 0.7*float64(v.pop)/pop+0.3*float64(len(v.hexes))/area)
		}
	}
	return w
}

// splitVillages partitions each township into its villages or communities.
func (b *builder) splitVillages(rng *rand.Rand) {
	var urbanW, ruralW []float64
	for _, t := range b.towns {
		if t.urban {
			urbanW = append(urbanW, float64(len(t.hexes)))
		} else {
			ruralW = append(ruralW, t.share)
		}
	}
	nc := splitInt(b.n.communities, urbanW, 1)
	nv := splitInt(b.n.villages, ruralW, 1)
	ui, ri := 0, 0
	for ti, t := range b.towns {
		var k int
		kind, suffix := geo.KindVillage, "村"
		if t.urban {
			k, kind, suffix = nc[ui], geo.KindCommunity, "社区"
			ui++
		} else {
			k = nv[ri]
			ri++
		}
		for _, p := range b.partition(t.hexes, k, rng, b.hexVillage) {
			vi := len(b.villages)
			stem := b.names.stem()
			v := &village{id: ids("V", 3, vi, 0), name: stem + suffix, stem: stem, kind: kind, town: ti, hexes: p}
			for _, h := range p {
				b.hexVillage[h] = int32(vi)
			}
			t.villages = append(t.villages, vi)
			b.villages = append(b.villages, v)
		}
	}
	for i, v := range b.villages {
		v.id = ids("V", 3, i, len(b.villages))
	}
}

// nearWater returns the share of hexes within one step of a road or canal.
func (b *builder) nearWater(hexes []int32) float64 {
	n := 0
	for _, h := range hexes {
		if b.net.hops[h] <= 1 {
			n++
		}
	}
	return float64(n) / float64(len(hexes))
}

// sharePopulation gives each township and village its population: urban
// people by the size of the subdistrict, rural people by the townships'
// shares, and within a township more to villages along roads and canals.
func (b *builder) sharePopulation(rng *rand.Rand) {
	var urbanW, ruralW []float64
	for _, t := range b.towns {
		if t.urban {
			urbanW = append(urbanW, float64(len(t.hexes)))
		} else {
			ruralW = append(ruralW, t.share)
		}
	}
	up := splitInt(b.n.urbanPop, urbanW, 100)
	rp := splitInt(b.n.ruralPop, ruralW, 100)
	ui, ri := 0, 0
	for _, t := range b.towns {
		if t.urban {
			t.pop = up[ui]
			ui++
		} else {
			t.pop = rp[ri]
			ri++
		}
		w := make([]float64, len(t.villages))
		for i, vi := range t.villages {
			v := b.villages[vi]
			w[i] = float64(len(v.hexes))
			if !t.urban {
				w[i] = lognormal(rng, 0.35) * (0.3 + b.nearWater(v.hexes))
			}
		}
		for i, p := range splitInt(t.pop, w, 50) {
			b.villages[t.villages[i]].pop = p
		}
	}
}

// gridPopulation shares each village's people out over its grids and sets
// their households (smaller in town).
func (b *builder) gridPopulation(rng *rand.Rand) {
	for _, v := range b.villages {
		w := make([]float64, len(v.grids))
		for i, gi := range v.grids {
			if v.kind == geo.KindCommunity {
				w[i] = lognormal(rng, 0.3)
			} else {
				w[i] = lognormal(rng, 0.45) * (0.4 + b.nearWater(b.grids[gi].hexes))
			}
		}
		for i, p := range splitInt(v.pop, w, 20) {
			g := b.grids[v.grids[i]]
			g.pop = p
			size := between(rng, 2.55, 3.0)
			if v.kind == geo.KindCommunity {
				size = between(rng, 2.35, 2.75)
			}
			g.hh = min(max(int(math.Round(float64(p)/size)), 1), p)
		}
	}
}
