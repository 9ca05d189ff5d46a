package data

import (
	"math"
	"math/rand/v2"
	"sort"

	"github.com/paulmach/orb"

	"gridwatch/geo"
)

// settlement is a built-up footprint while it is being built. Its outline
// is star-shaped around its centre and lies within hexSafe of its hex's
// centre, so it is wholly inside its hex and so inside its grid.
type settlement struct {
	grid    int
	hex     int32
	cx, cy  float64      // centre, metres
	ring    [][2]float64 // outline, metres, counter-clockwise, open
	pop, hh int
	fan     cumulative // cumulative areas of the triangles centre-ring[i]-ring[i+1]
}

// Footprint sizes: built-up area per household.
const (
	ruralPlotM2 = 380 // a courtyard house with its share of lanes
	minFootM2   = 2500
)

// buildSettlements places each grid's settlements in hexes near roads and
// canals and shares the grid's households and people out among them, so
// that they sum exactly to the grid's.
func (b *builder) buildSettlements() error {
	rng := b.rng(stageSettlements)
	for gi, g := range b.grids {
		v := b.villages[g.village]
		var shapes []settlement
		if v.kind == geo.KindCommunity {
			shapes = b.urbanShapes(rng, g)
		} else {
			shapes = b.ruralShapes(rng, g)
		}
		w := make([]float64, len(shapes))
		for i := range w {
			w[i] = lognormal(rng, 0.4)
		}
		hh := splitInt(g.hh, w, 1)
		extra := splitInt(g.pop-g.hh, toFloats(hh), 0)
		for i := range shapes {
			s := shapes[i]
			s.grid, s.hh, s.pop = gi, hh[i], hh[i]+extra[i]
			si := len(b.setts)
			g.setts = append(g.setts, si)
			v.setts = append(v.setts, si)
			b.setts = append(b.setts, &s)
		}
	}
	for _, v := range b.villages {
		sort.SliceStable(v.setts, func(i, j int) bool { return b.setts[v.setts[i]].pop > b.setts[v.setts[j]].pop })
	}
	b.emitSettlements()
	return nil
}

func toFloats(xs []int) []float64 {
	out := make([]float64, len(xs))
	for i, x := range xs {
		out[i] = float64(x)
	}
	return out
}

// ruralShapes draws the footprints of a rural grid: one or more, each in
// its own hex, preferring hexes on or near a road or canal, each elongated
// along it and sized by the households it will hold.
func (b *builder) ruralShapes(rng *rand.Rand, g *gridUnit) []settlement {
	n := int(math.Ceil(float64(g.hh) / 120))
	if rng.Float64() < 0.35 {
		n++
	}
	n = max(1, min(n, len(g.hexes), 8, g.hh))
	order := make([]int32, len(g.hexes))
	copy(order, g.hexes)
	score := make(map[int32]float64, len(order))
	for _, h := range order {
		score[h] = float64(b.net.hops[h]) + 2.5*rng.Float64()
	}
	sort.SliceStable(order, func(i, j int) bool { return score[order[i]] < score[order[j]] })
	out := make([]settlement, n)
	for i := range out {
		h := order[i]
		area := math.Max(minFootM2, float64(g.hh)/float64(n)*ruralPlotM2*between(rng, 0.8, 1.25))
		bearing := float64(b.net.bearing[h])
		if rng.Float64() < 0.25 {
			bearing += 90
		}
		cx, cy := b.m.centre(h)
		out[i] = b.footprint(rng, h, cx, cy, area, between(rng, 1.4, 3), bearing, hexSafe, true)
	}
	return out
}

// urbanShapes draws the residential compounds of an urban grid (one hex):
// one large block, or two side by side.
func (b *builder) urbanShapes(rng *rand.Rand, g *gridUnit) []settlement {
	h := g.hexes[0]
	cx, cy := b.m.centre(h)
	bearing := float64(b.net.bearing[h])
	if g.hh < 2 || rng.Float64() < 0.6 {
		return []settlement{b.footprint(rng, h, cx, cy, hexArea*between(rng, 0.3, 0.45), between(rng, 1, 1.6), bearing, hexSafe, false)}
	}
	d := hexSafe / 2
	s, c := math.Sincos(bearing * math.Pi / 180)
	out := make([]settlement, 2)
	for i, sign := range []float64{-1, 1} {
		out[i] = b.footprint(rng, h, cx+sign*d*s, cy+sign*d*c, hexArea*0.2, between(rng, 1, 1.5), bearing+90, hexSafe-d, false)
	}
	return out
}

// footprint returns a chamfered rectangle of about the given area and
// aspect, long side along bearing, centred at (cx, cy) and shrunk to stay
// within radius maxRad of it; with shift it is then moved by a random offset
// that keeps it within maxRad of (cx, cy).
func (b *builder) footprint(rng *rand.Rand, h int32, cx, cy, area, aspect, bearing, maxRad float64, shift bool) settlement {
	hl, hw := math.Sqrt(area*aspect)/2, math.Sqrt(area/aspect)/2
	if r := math.Hypot(hl, hw); r > maxRad {
		hl, hw = hl*maxRad/r, hw*maxRad/r
	}
	if shift {
		room := maxRad - math.Hypot(hl, hw)
		th, d := rng.Float64()*2*math.Pi, room*math.Sqrt(rng.Float64())
		cx, cy = cx+d*math.Cos(th), cy+d*math.Sin(th)
	}
	c := 0.25 * math.Min(hl, hw)
	local := [8][2]float64{{hl, -hw + c}, {hl, hw - c}, {hl - c, hw}, {-hl + c, hw},
		{-hl, hw - c}, {-hl, -hw + c}, {-hl + c, -hw}, {hl - c, -hw}}
	su, cu := math.Sincos(bearing * math.Pi / 180) // long axis (u) along the bearing
	s := settlement{hex: h, cx: cx, cy: cy, ring: make([][2]float64, len(local))}
	for i, p := range local {
		k := between(rng, 0.9, 1)
		u, v := p[0]*k, p[1]*k
		// u along (su, cu); v along (-cu, su), a quarter turn anticlockwise.
		s.ring[i] = [2]float64{cx + u*su - v*cu, cy + u*cu + v*su}
	}
	w := make([]float64, len(s.ring))
	for i, p := range s.ring {
		q := s.ring[(i+1)%len(s.ring)]
		w[i] = math.Abs((p[0]-cx)*(q[1]-cy)-(q[0]-cx)*(p[1]-cy)) / 2
	}
	s.fan = newCumulative(w)
	return s
}

// randomPoint returns a point drawn uniformly inside the footprint, metres.
func (s *settlement) randomPoint(rng *rand.Rand) (float64, float64) {
	i := s.fan.pick(rng)
	p, q := s.ring[i], s.ring[(i+1)%len(s.ring)]
	u, v := rng.Float64(), rng.Float64()
	if u+v > 1 {
		u, v = 1-u, 1-v
	}
	return s.cx + u*(p[0]-s.cx) + v*(q[0]-s.cx), s.cy + u*(p[1]-s.cy) + v*(q[1]-s.cy)
}

// emitSettlements adds the settlements to the dataset, numbered and named
// by village.
func (b *builder) emitSettlements() {
	out := make([]*geo.Settlement, len(b.setts))
	seq := make([]int, len(b.villages))
	for i, s := range b.setts {
		g := b.grids[s.grid]
		v := b.villages[g.village]
		seq[g.village]++
		name := v.name + numeral(seq[g.village]) + "组"
		if v.kind == geo.KindCommunity {
			name = v.name + numeral(seq[g.village]) + "号院"
		}
		ring := make(orb.Ring, len(s.ring)+1)
		for j, p := range s.ring {
			ring[j] = b.m.f.point(p[0], p[1])
		}
		ring[len(s.ring)] = ring[0]
		out[i] = &geo.Settlement{ID: ids("S", 5, i, len(b.setts)), Name: name, Grid: g.id,
			Polygon: orb.Polygon{ring}, Population: s.pop, Households: s.hh}
	}
	b.ds.Settlements = out
}
