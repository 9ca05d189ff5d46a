package data

import (
	"math"
	"math/rand/v2"
	"slices"

	"gridwatch/geo"
)

// The police staffing of a short-staffed resettlement district: police are
// far fewer than grids, close to half of them are kept at the stations,
// urban officers are linked to a few grids each and rural officers to many,
// the most remote rural grids have no linked officer at all, grids near a
// station share a second officer, and auxiliaries are recruited near the
// stations, so that remote beats lack them.
const (
	urbanKeptMin, urbanKeptMax = 0.36, 0.44 // urban police kept at the station, no grids
	ruralKeptMin, ruralKeptMax = 0.46, 0.54 // rural police kept at the station
	urbanPoliceWeight          = 3.5        // police per urban grid, against 1 per rural grid
	maxGridsPerOfficer         = 15
	unlinkedMin, unlinkedMax   = 0.008, 0.02 // share of a rural station's grids with no linked officer
	sharedUrban                = 0.2         // share of an urban station's grids with a second officer
	sharedRural                = 3           // grids nearest a rural station with a second officer
	urbanAuxiliaryKept         = 0.10        // urban auxiliaries kept at the station
	ruralAuxiliaryKept         = 0.30        // rural auxiliaries kept at the station
	auxiliaryRangeM            = 10000       // an auxiliary works in grids no farther from the station
	auxiliaryReachM            = 3000        // distance from the station at which recruiting halves
)

// policeWeights weighs each station's share of the police: its grids,
// urban grids urbanPoliceWeight times.
func (b *builder) policeWeights() []float64 {
	w := make([]float64, len(b.stations))
	for i, s := range b.stations {
		per := 1.0
		if b.towns[s.town].urban {
			per = urbanPoliceWeight
		}
		w[i] = per*float64(len(s.grids)) + 1
	}
	return w
}

// auxiliaryWeights weighs each station's share of the auxiliaries: the
// people it serves.
func (b *builder) auxiliaryWeights() []float64 {
	w := make([]float64, len(b.stations))
	for i, s := range b.stations {
		w[i] = float64(s.pop) + 1
	}
	return w
}

// stationDistance returns the distance from station si to grid gi's
// centre, metres.
func (b *builder) stationDistance(si, gi int) float64 {
	x, y := b.gridCentre(gi)
	s := b.stations[si]
	return math.Hypot(x-s.x, y-s.y)
}

// byStationDistance returns station si's grids, nearest to it first.
func (b *builder) byStationDistance(si int) []int {
	grids := slices.Clone(b.stations[si].grids)
	d := make(map[int]float64, len(grids))
	for _, g := range grids {
		d[g] = b.stationDistance(si, g)
	}
	slices.SortStableFunc(grids, func(p, q int) int { return cmpFloat(d[p], d[q]) })
	return grids
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// police adds station si's n officers: some each linked to a cluster of
// its grids, the others at the station. The most remote grids of a rural
// station stay without a linked officer; a cluster of more than
// maxGridsPerOfficer gives its grids farthest from the station to the
// nearest cluster with room (none left: they stay without one); the grids
// nearest the station get a second officer from a neighbouring cluster.
// It returns the clusters.
func (b *builder) police(rng *rand.Rand, si, n int) [][]int {
	urban := b.towns[b.stations[si].town].urban
	order := b.byStationDistance(si)
	linked := order
	if !urban {
		drop := int(math.Round(float64(len(order)) * between(rng, unlinkedMin, unlinkedMax)))
		linked = order[:len(order)-drop]
	}
	keptLo, keptHi := ruralKeptMin, ruralKeptMax
	if urban {
		keptLo, keptHi = urbanKeptMin, urbanKeptMax
	}
	serving := n - int(math.Round(float64(n)*between(rng, keptLo, keptHi)))
	serving = min(max(serving, min(1, len(linked))), len(linked))
	groups := b.clusterGrids(rng, linked, serving)
	var excess []int
	for i, g := range groups {
		if len(g) > maxGridsPerOfficer {
			slices.SortStableFunc(g, func(p, q int) int { return cmpFloat(b.stationDistance(si, p), b.stationDistance(si, q)) })
			groups[i], excess = g[:maxGridsPerOfficer], append(excess, g[maxGridsPerOfficer:]...)
		}
	}
	for _, g := range excess {
		b.shareGrid(groups, g)
	}
	shared := min(sharedRural, len(linked))
	if urban {
		shared = int(math.Round(sharedUrban * float64(len(linked))))
	}
	for _, g := range linked[:shared] {
		b.shareGrid(groups, g)
	}
	for _, g := range groups {
		slices.Sort(g)
		b.addResponder(rng, geo.RolePolice, si, g, 0.85)
	}
	for i := serving; i < n; i++ {
		b.addResponder(rng, geo.RolePolice, si, nil, 0.85)
	}
	return groups
}

// shareGrid links grid g to a second officer: the cluster not holding it
// whose nearest grid is nearest to g, among those below
// maxGridsPerOfficer; none when there is no such cluster.
func (b *builder) shareGrid(groups [][]int, g int) {
	gx, gy := b.gridCentre(g)
	best, bestD := -1, math.Inf(1)
	for i, grp := range groups {
		if len(grp) >= maxGridsPerOfficer || slices.Contains(grp, g) {
			continue
		}
		for _, h := range grp {
			x, y := b.gridCentre(h)
			if d := math.Hypot(x-gx, y-gy); d < bestD {
				best, bestD = i, d
			}
		}
	}
	if best >= 0 {
		groups[best] = append(groups[best], g)
	}
}

// auxiliaries adds station si's n auxiliaries: some at the station (more
// at a rural one), the rest each working with one of the grid police, drawn with a weight that
// halves at auxiliaryReachM from the station (recruited near it), and
// sharing out that officer's grids.
func (b *builder) auxiliaries(rng *rand.Rand, si, n int, groups [][]int) {
	share := ruralAuxiliaryKept
	if b.towns[b.stations[si].town].urban {
		share = urbanAuxiliaryKept
	}
	kept := int(math.Round(float64(n) * share))
	if len(groups) == 0 {
		kept = n
	}
	per := make([]int, len(groups))
	if len(groups) > 0 {
		w := make([]float64, len(groups))
		for i, g := range groups {
			var d float64
			for _, h := range g {
				d += b.stationDistance(si, h)
			}
			d /= float64(len(g))
			w[i] = 1 / (1 + (d/auxiliaryReachM)*(d/auxiliaryReachM))
		}
		c := newCumulative(w)
		for j := 0; j < n-kept; j++ {
			per[c.pick(rng)]++
		}
	}
	for gi, g := range groups {
		g = b.withinReach(si, g)
		for j := 0; j < per[gi]; j++ {
			var mine []int
			if len(g) >= per[gi] {
				mine = g[j*len(g)/per[gi] : (j+1)*len(g)/per[gi]]
			} else {
				mine = []int{g[j%len(g)]}
			}
			b.addResponder(rng, geo.RoleAuxiliary, si, mine, 0.85)
		}
	}
	for j := 0; j < kept; j++ {
		b.addResponder(rng, geo.RoleAuxiliary, si, nil, 0.85)
	}
}

// withinReach returns the grids of a cluster that an auxiliary of station
// si works in: those within auxiliaryRangeM of the station, or the one
// nearest it when none is.
func (b *builder) withinReach(si int, grids []int) []int {
	var out []int
	near, nearD := grids[0], math.Inf(1)
	for _, g := range grids {
		d := b.stationDistance(si, g)
		if d <= auxiliaryRangeM {
			out = append(out, g)
		}
		if d < nearD {
			near, nearD = g, d
		}
	}
	if len(out) == 0 {
		return []int{near}
	}
	return out
}
