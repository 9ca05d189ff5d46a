package data

import (
	"math"
	"math/rand/v2"
	"sort"
	"time"

	"gridwatch/geo"
)

// gridsWithoutWorker is the share of grids without a grid worker.
const gridsWithoutWorker = 0.03

// buildResponders staffs the stations: police (some in charge of a cluster
// of grids, the rest at the station), auxiliaries working with the grid
// police, about one grid worker per grid and volunteers where people live.
func (b *builder) buildResponders() error {
	rng := b.rng(stageResponders)
	np := splitInt(b.n.police, b.policeWeights(), 2)
	na := splitInt(b.n.auxiliaries, b.auxiliaryWeights(), 1)
	groups := make([][][]int, len(b.stations))
	for si := range b.stations {
		groups[si] = b.police(rng, si, np[si])
	}
	for si := range b.stations {
		b.auxiliaries(rng, si, na[si], groups[si])
	}
	b.gridWorkers(rng)
	b.volunteers(rng)
	for i, r := range b.ds.Responders {
		r.ID = ids("R", 4, i, len(b.ds.Responders))
	}
	return nil
}

// addResponder adds a responder of station si serving grids; one with no
// grids is placed at the station.
func (b *builder) addResponder(rng *rand.Rand, role geo.Role, si int, grids []int, avail float64) {
	r := &geo.Responder{Name: b.names.person(), Role: role, Station: b.stations[si].id}
	var x, y float64
	if len(grids) == 0 {
		s := b.stations[si]
		x, y = s.x+rng.NormFloat64()*25, s.y+rng.NormFloat64()*25
	} else {
		for _, g := range grids {
			r.Grids = append(r.Grids, b.grids[g].id)
		}
		g := b.grids[grids[rng.IntN(len(grids))]]
		x, y = b.setts[g.setts[rng.IntN(len(g.setts))]].randomPoint(rng)
		x, y = x+rng.NormFloat64()*80, y+rng.NormFloat64()*80
	}
	r.Point = b.m.f.point(x, y)
	r.Available = rng.Float64() < avail
	r.Updated = b.lastReport(rng)
	b.ds.Responders = append(b.ds.Responders, r)
}

// lastReport returns when a responder last reported: most within minutes
// of the end of the as-of day, some hours before, a few days before.
func (b *builder) lastReport(rng *rand.Rand) time.Time {
	end := b.opt.AsOf.Add(24 * time.Hour)
	var secs float64
	switch u := rng.Float64(); {
	case u < 0.7:
		secs = between(rng, 30, 20*60)
	case u < 0.9:
		secs = between(rng, 20*60, 3*3600)
	default:
		secs = between(rng, 3*3600, 72*3600)
	}
	return end.Add(-time.Duration(secs) * time.Second).In(b.local)
}

// gridWorkers adds one grid worker to nearly every grid and a second one
// to the most populous grids, up to the target count.
func (b *builder) gridWorkers(rng *rand.Rand) {
	var slots []int
	for gi := range b.grids {
		if rng.Float64() >= gridsWithoutWorker {
			slots = append(slots, gi)
		}
	}
	byPop := make([]int, len(b.grids))
	for i := range byPop {
		byPop[i] = i
	}
	sort.SliceStable(byPop, func(i, j int) bool { return b.grids[byPop[i]].pop > b.grids[byPop[j]].pop })
	for i := 0; len(slots) < b.n.gridWorkers && i < len(byPop); i++ {
		slots = append(slots, byPop[i])
	}
	slots = slots[:min(len(slots), b.n.gridWorkers)]
	sort.Ints(slots)
	for _, gi := range slots {
		b.addResponder(rng, geo.RoleGridWorker, b.grids[gi].station, []int{gi}, 0.9)
	}
}

// volunteers adds the volunteers, each in a grid drawn by population.
func (b *builder) volunteers(rng *rand.Rand) {
	w := make([]float64, len(b.grids))
	for i, g := range b.grids {
		w[i] = float64(g.pop)
	}
	c := newCumulative(w)
	picks := make([]int, b.n.volunteers)
	for i := range picks {
		picks[i] = c.pick(rng)
	}
	sort.Ints(picks)
	for _, gi := range picks {
		b.addResponder(rng, geo.RoleVolunteer, b.grids[gi].station, []int{gi}, 0.75)
	}
}

// gridCentre returns the mean centre of a grid's hexes, metres.
func (b *builder) gridCentre(gi int) (float64, float64) {
	var sx, sy float64
	for _, h := range b.grids[gi].hexes {
		x, y := b.m.centre(h)
		sx, sy = sx+x, sy+y
	}
	n := float64(len(b.grids[gi].hexes))
	return sx / n, sy / n
}

// clusterGrids splits grids into k clusters of nearby grids: seeds spread
// far apart, each grid joining its nearest seed.
func (b *builder) clusterGrids(rng *rand.Rand, grids []int, k int) [][]int {
	if k <= 0 || len(grids) == 0 {
		return nil
	}
	c := make([][2]float64, len(grids))
	for i, g := range grids {
		c[i][0], c[i][1] = b.gridCentre(g)
	}
	dist := func(i, j int) float64 { return math.Hypot(c[i][0]-c[j][0], c[i][1]-c[j][1]) }
	seeds := []int{rng.IntN(len(grids))}
	best := make([]float64, len(grids))
	for i := range best {
		best[i] = dist(i, seeds[0])
	}
	for len(seeds) < k {
		far := 0
		for i, d := range best {
			if d > best[far] {
				far = i
			}
		}
		seeds = append(seeds, far)
		for i := range best {
			best[i] = math.Min(best[i], dist(i, far))
		}
	}
	groups := make([][]int, k)
	for i := range grids {
		near := 0
		for j, s := range seeds {
			if dist(i, s) < dist(i, seeds[near]) {
				near = j
			}
		}
		groups[near] = append(groups[near], grids[i])
	}
	return groups
}
