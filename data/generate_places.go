package data

import (
	"math"
	"math/rand/v2"

	"github.com/paulmach/orb"

	"gridwatch/geo"
)

// placeInfo is what the camera stage needs to know of a key place.
type placeInfo struct {
	x, y float64 // metres
	sett int     // the settlement it belongs to, or -1
}

// buildPlaces puts the key places of every township (offices, school,
// health centre, market, bank, ...) in its seat and those of every village
// (committee, clinic, entrances, school, mosque, ...) in its settlements.
func (b *builder) buildPlaces() error {
	rng := b.rng(stagePlaces)
	for ti := range b.towns {
		b.townPlaces(rng, ti)
	}
	for _, v := range b.villages {
		b.villagePlaces(rng, v)
	}
	for i, p := range b.places {
		p.ID = ids("P", 4, i, len(b.places))
	}
	b.ds.Places = b.places
	return nil
}

// addPlace adds a key place at (x, y), metres, belonging to settlement si.
func (b *builder) addPlace(kind, name string, x, y float64, si int) {
	pt := b.m.f.point(x, y)
	p := &geo.Place{Name: name, Kind: kind, Point: pt, Grid: b.gridOf(pt)}
	b.places = append(b.places, p)
	b.placeInfo = append(b.placeInfo, placeInfo{x: x, y: y, sett: si})
}

// gridOf returns the id of the grid holding lon/lat point pt, or "".
func (b *builder) gridOf(pt orb.Point) string {
	if h := b.m.locate(pt); h >= 0 {
		return b.grids[b.hexGrid[h]].id
	}
	return ""
}

// inSettlement returns a random point in one of the village's settlements:
// its largest when main is set, else one drawn by population.
func (b *builder) inSettlement(rng *rand.Rand, v *village, main bool) (float64, float64, int) {
	si := v.setts[0]
	if !main {
		w := make([]float64, len(v.setts))
		for i, s := range v.setts {
			w[i] = float64(b.setts[s].pop) + 1
		}
		si = v.setts[newCumulative(w).pick(rng)]
	}
	x, y := b.setts[si].randomPoint(rng)
	return x, y, si
}

// townPlaces adds a township's own places, in the village around its seat
// (or anywhere in town for an urban subdistrict).
func (b *builder) townPlaces(rng *rand.Rand, ti int) {
	t := b.towns[ti]
	seat := b.villages[b.hexVillage[t.seed]]
	at := func(kind, name string) {
		v := seat
		if t.urban {
			v = b.villages[t.villages[rng.IntN(len(t.villages))]]
		}
		x, y, si := b.inSettlement(rng, v, false)
		b.addPlace(kind, name, x, y, si)
	}
	switch {
	case ti == 0:
		at("government", "红寺堡区人民政府")
		at("hospital", "红寺堡区人民医院")
		at("hospital", "红寺堡区中医医院")
	case t.urban:
		at("hospital", t.short+"医院")
	}
	office := t.name + "人民政府"
	if t.urban {
		office = t.name + "办事处"
	}
	at("government", office)
	at("school", t.short+"中学")
	at("market", t.short+"农贸市场")
	at("bank", t.short+"农商银行")
	at("square", t.short+"文化广场")
	if t.urban {
		for i := 1; i <= max(1, len(t.villages)/2); i++ {
			at("school", t.short+"第"+numeral(i)+"小学")
		}
		at("mosque", t.short+"清真大寺")
		at("bank", t.short+"邮政储蓄银行")
	} else {
		at("clinic", t.short+"卫生院")
	}
	if t.kind != geo.KindTownship {
		at("bus_station", t.short+"汽车站")
	}
	b.petrolStation(rng, t)
}

// petrolStation puts a filling station beside the road nearest the seat.
func (b *builder) petrolStation(rng *rand.Rand, t *township) {
	if len(b.net.roads) == 0 {
		return
	}
	cx, cy := b.m.centre(t.seed)
	best, bd := 0, math.Inf(1)
	for i, s := range b.net.roads {
		if d := math.Hypot(s.x-cx, s.y-cy); d < bd {
			best, bd = i, d
		}
	}
	s := b.net.roads[best]
	side := 25.0
	if rng.Float64() < 0.5 {
		side = -side
	}
	sn, cs := math.Sincos(s.bearing * math.Pi / 180)
	b.addPlace("petrol_station", t.short+"加油站", s.x+side*cs, s.y-side*sn, -1)
}

// villagePlaces adds a village's or community's places.
func (b *builder) villagePlaces(rng *rand.Rand, v *village) {
	at := func(kind, name string, main bool) {
		x, y, si := b.inSettlement(rng, v, main)
		b.addPlace(kind, name, x, y, si)
	}
	maybe := func(p float64, kind, name string) {
		if rng.Float64() < p {
			at(kind, name, false)
		}
	}
	if v.kind == geo.KindCommunity {
		at("government", v.name+"居委会", true)
		at("clinic", v.name+"卫生服务站", false)
		maybe(0.8, "kindergarten", v.stem+"幼儿园")
		maybe(0.4, "school", v.stem+"小学")
		maybe(0.3, "mosque", v.stem+"清真寺")
		maybe(0.3, "square", v.stem+"广场")
		maybe(0.3, "bank", v.stem+"储蓄所")
		maybe(0.2, "market", v.stem+"菜市场")
		return
	}
	at("government", v.name+"村委会", true)
	b.entrances(rng, v, 1+rng.IntN(3))
	at("clinic", v.name+"卫生室", true)
	maybe(0.6, "school", v.stem+"小学")
	maybe(0.5, "kindergarten", v.stem+"幼儿园")
	maybe(0.7, "mosque", v.stem+"清真寺")
	maybe(0.4, "square", v.name+"文化广场")
	maybe(0.15, "market", v.stem+"集市")
}

// entrances adds n village entrances, each just outside a corner of one of
// the village's largest settlements, named by the side it is on.
func (b *builder) entrances(rng *rand.Rand, v *village, n int) {
	sides := map[string]bool{}
	for e := 0; e < n; e++ {
		si := v.setts[e%len(v.setts)]
		s := b.setts[si]
		p := s.ring[rng.IntN(len(s.ring))]
		dx, dy := p[0]-s.cx, p[1]-s.cy
		l := math.Hypot(dx, dy)
		x, y := p[0]+15*dx/l, p[1]+15*dy/l
		side := "东"
		switch {
		case math.Abs(dx) >= math.Abs(dy) && dx < 0:
			side = "西"
		case math.Abs(dx) < math.Abs(dy) && dy > 0:
			side = "北"
		case math.Abs(dx) < math.Abs(dy):
			side = "南"
		}
		name := v.name + side + "口"
		if sides[name] {
			name = v.name + side + "口" + numeral(e+1)
		}
		sides[name] = true
		b.addPlace("village_entrance", name, x, y, si)
	}
}
