package data

import (
	"math"
	"math/rand/v2"
	"sort"

	"gridwatch/geo"
)

// stationUnit is a police station while it is being built. Its territory is
// its township, or part of it where the township has several stations.
type stationUnit struct {
	id, name, short string
	town            int
	hexes           []int32
	grids           []int
	x, y            float64
	pop             int
}

// beatUnit is a police beat while it is being built.
type beatUnit struct {
	id, name string
	station  int
	hexes    []int32
}

// buildPolice gives every township a station (the most populous get more),
// cuts the territories, assigns each grid to the station holding most of
// it, and draws the beats: in some stations whole villages, in the others
// grown over the hexes, cutting through grids.
func (b *builder) buildPolice() error {
	rng := b.rng(stagePolice)
	per := make([]int, len(b.towns))
	for i := range per {
		per[i] = 1
	}
	for extra := b.n.stations - len(b.towns); extra > 0; extra-- {
		best := 0
		for i, t := range b.towns {
			if float64(t.pop)/float64(per[i]) > float64(b.towns[best].pop)/float64(per[best]) {
				best = i
			}
		}
		per[best]++
	}
	// Suffixes name the second and later stations of one township.
	suffixes := [...]string{"", "城东", "城西", "城南", "城北", "中心", "东", "西", "南", "北"}
	b.hexStation = make([]int32, b.m.len())
	for ti, t := range b.towns {
		parts := b.partition(t.hexes, min(per[ti], len(t.hexes)), rng, b.hexStation)
		for j, p := range parts {
			si := len(b.stations)
			s := &stationUnit{short: t.short + suffixes[j%len(suffixes)], town: ti, hexes: p}
			s.name = s.short + "派出所"
			for _, h := range p {
				b.hexStation[h] = int32(si)
			}
			t.stations = append(t.stations, si)
			b.stations = append(b.stations, s)
		}
	}
	for i, s := range b.stations {
		s.id = ids("PS", 1, i, len(b.stations))
	}
	b.gridStations()
	b.placeStations(rng)
	b.buildBeats(rng)
	return nil
}

// gridStations assigns each grid to the station whose territory holds most
// of its hexes (the first such station on a tie).
func (b *builder) gridStations() {
	for gi, g := range b.grids {
		var ids []int32
		var cnt []int
		for _, h := range g.hexes {
			s := b.hexStation[h]
			k := 0
			for k < len(ids) && ids[k] != s {
				k++
			}
			if k == len(ids) {
				ids, cnt = append(ids, s), append(cnt, 0)
			}
			cnt[k]++
		}
		best := 0
		for k := range ids {
			if cnt[k] > cnt[best] || (cnt[k] == cnt[best] && ids[k] < ids[best]) {
				best = k
			}
		}
		g.station = int(ids[best])
		s := b.stations[g.station]
		s.grids = append(s.grids, gi)
		s.pop += g.pop
	}
}

// placeStations puts each station in the largest settlement of its
// territory, or in the territory's middle where nobody lives.
func (b *builder) placeStations(rng *rand.Rand) {
	best := make([]int, len(b.stations))
	for i := range best {
		best[i] = -1
	}
	for si, s := range b.setts {
		st := b.hexStation[s.hex]
		if best[st] < 0 || s.pop > b.setts[best[st]].pop {
			best[st] = si
		}
	}
	for i, s := range b.stations {
		if best[i] >= 0 {
			s.x, s.y = b.setts[best[i]].randomPoint(rng)
		} else {
			s.x, s.y = b.m.centre(b.recentre([][]int32{s.hexes})[0])
		}
		b.ds.Stations = append(b.ds.Stations, &geo.Station{ID: s.id, Name: s.name, Point: b.m.f.point(s.x, s.y)})
	}
}

// buildBeats draws each station's beats, in number proportional to the
// people it serves.
func (b *builder) buildBeats(rng *rand.Rand) {
	w := make([]float64, len(b.stations))
	for i, s := range b.stations {
		w[i] = float64(s.pop) + 1
	}
	scratch := make([]int32, b.m.len())
	for si, nb := range splitInt(b.n.beats, w, 2) {
		s := b.stations[si]
		t := b.towns[s.town]
		var parts [][]int32
		if len(t.stations) == 1 && len(t.villages) >= nb && rng.Float64() < 0.5 {
			parts = b.villageBeats(rng, t, nb)
		} else {
			parts = b.partition(s.hexes, min(nb, len(s.hexes)), rng, scratch)
		}
		for j, p := range parts {
			b.beats = append(b.beats, &beatUnit{name: s.short + "第" + numeral(j+1) + "警务区", station: si, hexes: p})
		}
	}
	for i, bt := range b.beats {
		bt.id = ids("B", 2, i, len(b.beats))
	}
}

// villageBeats groups a township's villages into k beats of whole
// villages: seeds spread far apart, then breadth-first growth over the
// villages' adjacency, so each beat is connected.
func (b *builder) villageBeats(rng *rand.Rand, t *township, k int) [][]int32 {
	local := make(map[int]int, len(t.villages)) // village index -> position in t.villages
	for i, vi := range t.villages {
		local[vi] = i
	}
	adj := make([][]int, len(t.villages))
	for i, vi := range t.villages {
		seen := map[int]bool{}
		for _, h := range b.villages[vi].hexes {
			for _, a := range b.m.adj(h) {
				if a < 0 {
					continue
				}
				if j, ok := local[int(b.hexVillage[a])]; ok && j != i && !seen[j] {
					seen[j] = true
					adj[i] = append(adj[i], j)
				}
			}
		}
		sort.Ints(adj[i])
	}
	label := make([]int, len(t.villages))
	for i := range label {
		label[i] = -1
	}
	var queue []int
	for p, i := range b.villageSeeds(rng, t, k) {
		label[i] = p
		queue = append(queue, i)
	}
	for q := 0; q < len(queue); q++ {
		for _, j := range adj[queue[q]] {
			if label[j] < 0 {
				label[j] = label[queue[q]]
				queue = append(queue, j)
			}
		}
	}
	parts := make([][]int32, k)
	for i, vi := range t.villages {
		parts[label[i]] = append(parts[label[i]], b.villages[vi].hexes...)
	}
	for _, p := range parts {
		sort.Slice(p, func(i, j int) bool { return p[i] < p[j] })
	}
	return parts
}

// villageSeeds picks k of a township's villages far apart from each other,
// returned as positions in t.villages.
func (b *builder) villageSeeds(rng *rand.Rand, t *township, k int) []int {
	centres := make([][2]float64, len(t.villages))
	for i, vi := range t.villages {
		centres[i][0], centres[i][1] = b.m.centre(b.recentre([][]int32{b.villages[vi].hexes})[0])
	}
	best := make([]float64, len(centres))
	for i := range best {
		best[i] = math.Inf(1)
	}
	seeds := []int{rng.IntN(len(centres))}
	for {
		c := centres[seeds[len(seeds)-1]]
		for i, p := range centres {
			best[i] = math.Min(best[i], math.Hypot(p[0]-c[0], p[1]-c[1]))
		}
		if len(seeds) == k {
			return seeds
		}
		far := 0
		for i, d := range best {
			if d > best[far] {
				far = i
			}
		}
		seeds = append(seeds, far)
	}
}
