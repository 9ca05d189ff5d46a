package data

import (
	"math"
	"math/rand/v2"

	"gridwatch/geo"
)

// township is a township-level unit while it is being built.
type township struct {
	id, name, short string
	kind            geo.TownshipKind
	urban           bool
	seed            int32   // centre hex: where its seat is
	speed           float64 // growth speed: larger townships grow faster
	share           float64 // weight of its share of the urban or rural population
	hexes           []int32
	villages        []int
	stations        []int
	pop             int
}

// namedTown is one of the six township-level units of Hongsibao; dx, dy
// place its seat relative to the district seat at scale 1, in metres.
type namedTown struct {
	name, short  string
	kind         geo.TownshipKind
	dx, dy       float64
	speed, share float64
}

// namedTowns returns the urban subdistrict and the five rural units. Their
// relative positions follow the published layout only loosely: the
// subdistrict around the seat, Taiyangshan in the east.
func namedTowns() (namedTown, []namedTown) {
	return namedTown{"新民街道", "新民", geo.KindSubdistrict, 0, 0, 1, 1},
		[]namedTown{
			{"红寺堡镇", "红寺堡", geo.KindTown, 0, -7000, 1.0, 0.30},
			{"太阳山镇", "太阳山", geo.KindTown, 30000, -2000, 1.2, 0.10},
			{"新庄集乡", "新庄集", geo.KindTownship, -15000, -22000, 1.0, 0.19},
			{"大河乡", "大河", geo.KindTownship, 9000, -26000, 1.0, 0.22},
			{"柳泉乡", "柳泉", geo.KindTownship, -21000, 4000, 1.1, 0.19},
		}
}

// buildTownships grows the urban cores around their seats, then the rural
// townships over the rest of the district.
func (b *builder) buildTownships() error {
	b.edge = b.borderHops()
	rng := b.rng(stageTownships)
	label := make([]int32, b.m.len())
	for i := range label {
		label[i] = -1
	}
	urban := b.growCores(rng, label)
	b.absorbOrphans(label)
	rural := b.growRural(rng, label, urban)

	// Order: the named units first (subdistrict, then the five), then the
	// extra ones of larger scales.
	nr := min(len(rural), 5)
	order := append([]*township{urban[0]}, rural[:nr]...)
	order = append(order, urban[1:]...)
	order = append(order, rural[nr:]...)
	pos := make(map[*township]int32, len(order))
	for i, t := range order {
		t.id = ids("T", 2, i, len(order))
		pos[t] = int32(i)
	}
	all := append(append([]*township{}, urban...), rural...)
	b.hexTown = make([]int32, b.m.len())
	for h, l := range label {
		b.hexTown[h] = pos[all[l]]
	}
	for i := range order {
		order[i].hexes = nil
	}
	for h := range label {
		t := order[b.hexTown[h]]
		t.hexes = append(t.hexes, int32(h))
	}
	b.towns = order
	return nil
}

// borderHops returns, for every hex, the number of steps to a hex on the
// district's border.
func (b *builder) borderHops() []int32 {
	n := b.m.len()
	hops := make([]int32, n)
	var queue []int32
	for h := 0; h < n; h++ {
		hops[h] = -1
		for _, a := range b.m.adj(int32(h)) {
			if a < 0 {
				hops[h] = 0
				queue = append(queue, int32(h))
				break
			}
		}
	}
	for i := 0; i < len(queue); i++ {
		h := queue[i]
		for _, a := range b.m.adj(h) {
			if a >= 0 && hops[a] < 0 {
				hops[a] = hops[h] + 1
				queue = append(queue, a)
			}
		}
	}
	return hops
}

// nearestHex returns the hex nearest to (x, y) among those with free(h).
func (b *builder) nearestHex(x, y float64, free func(h int32) bool) int32 {
	best, bd := int32(-1), math.Inf(1)
	for h := int32(0); h < int32(b.m.len()); h++ {
		if free != nil && !free(h) {
			continue
		}
		cx, cy := b.m.centre(h)
		if d := (cx-x)*(cx-x) + (cy-y)*(cy-y); d < bd {
			best, bd = h, d
		}
	}
	return best
}

// borderCap caps farthest-point scores so that seeds keep off the border.
func (b *builder) borderCap(h int32) float64 { return float64(b.edge[h]+1) * hexH * 2 }

// growCores grows each urban subdistrict from its seat to as many hexes as
// it has grids (one hex per urban grid) and labels them 0..n-1.
func (b *builder) growCores(rng *rand.Rand, label []int32) []*township {
	n := b.n.subdistricts
	all := make([]int32, b.m.len())
	for h := range all {
		all[h] = int32(h)
	}
	f := newFPS(b.m, all, b.borderCap)
	named, _ := namedTowns()
	sizes := splitInt(b.n.urbanGrids, make([]float64, n), 1)
	tmp := make([]int32, b.m.len())
	cost := b.noiseCost(rng, 1500, 0.5)
	var out []*township
	for i := 0; i < n; i++ {
		var seed int32
		if i == 0 {
			seed = b.nearestHex(0, 0, nil)
			f.add(b.m.centre(seed))
		} else {
			seed = f.next()
		}
		if label[seed] >= 0 {
			x, y := b.m.centre(seed)
			seed = b.nearestHex(x, y, func(h int32) bool { return label[h] < 0 })
		}
		var free []int32
		for h, l := range label {
			if l < 0 {
				free = append(free, int32(h))
			}
		}
		b.g.run(growSpec{members: free, seeds: []int32{seed}, cost: cost, limit: sizes[i]}, tmp)
		for _, h := range free {
			if tmp[h] == 0 {
				label[h] = int32(i)
			}
		}
		t := &township{name: named.name, short: named.short, kind: named.kind, urban: true, seed: seed, speed: 1, share: 1}
		if i > 0 {
			stem := b.names.stem()
			t.name, t.short = stem+"街道", stem
		}
		out = append(out, t)
	}
	return out
}

// absorbOrphans gives the unassigned hexes cut off from the main rural
// area by the urban cores to a neighbouring core.
func (b *builder) absorbOrphans(label []int32) {
	comp := make([]int32, b.m.len())
	for i := range comp {
		comp[i] = -1
	}
	var sizes []int
	for h := range label {
		if label[h] >= 0 || comp[h] >= 0 {
			continue
		}
		id := int32(len(sizes))
		comp[h] = id
		queue := []int32{int32(h)}
		for i := 0; i < len(queue); i++ {
			for _, a := range b.m.adj(queue[i]) {
				if a >= 0 && label[a] < 0 && comp[a] < 0 {
					comp[a] = id
					queue = append(queue, a)
				}
			}
		}
		sizes = append(sizes, len(queue))
	}
	big := int32(0)
	for i, s := range sizes {
		if s > sizes[big] {
			big = int32(i)
		}
	}
	for changed := true; changed; {
		changed = false
		for h := range label {
			if label[h] >= 0 || comp[h] == big {
				continue
			}
			for _, a := range b.m.adj(int32(h)) {
				if a >= 0 && label[a] >= 0 {
					label[h], changed = label[a], true
					break
				}
			}
		}
	}
}

// growRural seeds the rural townships (the named ones where Hongsibao has
// them, the rest spread out) and grows them over the unassigned hexes,
// labelling them after the urban cores.
func (b *builder) growRural(rng *rand.Rand, label []int32, urban []*township) []*township {
	_, named := namedTowns()
	var free []int32
	for h, l := range label {
		if l < 0 {
			free = append(free, int32(h))
		}
	}
	k := math.Sqrt(b.opt.Scale)
	isSeed := map[int32]bool{}
	var towns []*township
	var seeds []int32
	for i := 0; i < b.n.rural && i < len(named); i++ {
		nt := named[i]
		s := b.nearestHex(nt.dx*k, nt.dy*k, func(h int32) bool { return label[h] < 0 && !isSeed[h] })
		isSeed[s] = true
		seeds = append(seeds, s)
		towns = append(towns, &township{name: nt.name, short: nt.short, kind: nt.kind, seed: s, speed: nt.speed, share: nt.share})
	}
	if b.n.rural > len(named) {
		f := newFPS(b.m, free, b.borderCap)
		for _, t := range urban {
			f.add(b.m.centre(t.seed))
		}
		for _, s := range seeds {
			f.add(b.m.centre(s))
		}
		for len(seeds) < b.n.rural {
			s := f.next()
			seeds = append(seeds, s)
			stem := b.names.stem()
			t := &township{name: stem + "乡", short: stem, kind: geo.KindTownship, seed: s,
				speed: lognormal(rng, 0.12), share: 0.2 * lognormal(rng, 0.25)}
			if rng.Float64() < 0.3 {
				t.name, t.kind = stem+"镇", geo.KindTown
			}
			towns = append(towns, t)
		}
	}
	speed := make([]float64, len(towns))
	for i, t := range towns {
		speed[i] = t.speed
	}
	tmp := make([]int32, b.m.len())
	b.g.run(growSpec{members: free, seeds: seeds, speed: speed, cost: b.noiseCost(rng, 5000, 0.75)}, tmp)
	for _, h := range free {
		label[h] = int32(len(urban)) + tmp[h]
	}
	return towns
}
