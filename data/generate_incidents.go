package data

import (
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"gridwatch/geo"
)

// incidentKind is a category of incident with how it is usually reported
// and where it usually happens.
type incidentKind struct {
	name   string
	weight float64
	source [3]float64 // weights of 110, 12345, grid_patrol
	road   float64    // share on roads
	field  float64    // share out in fields and empty land
}

func incidentKinds() []incidentKind {
	return []incidentKind{
		{"dispute", 0.20, [3]float64{0.25, 0.2, 0.55}, 0.02, 0.05},
		{"neighbourhood", 0.14, [3]float64{0.1, 0.3, 0.6}, 0, 0},
		{"family", 0.10, [3]float64{0.35, 0.1, 0.55}, 0, 0},
		{"land", 0.09, [3]float64{0.05, 0.45, 0.5}, 0.05, 0.4},
		{"theft", 0.10, [3]float64{0.8, 0.05, 0.15}, 0.1, 0.08},
		{"traffic", 0.10, [3]float64{0.85, 0.1, 0.05}, 0.75, 0.05},
		{"noise", 0.08, [3]float64{0.3, 0.6, 0.1}, 0, 0},
		{"labour", 0.05, [3]float64{0.05, 0.8, 0.15}, 0, 0.05},
		{"fraud", 0.06, [3]float64{0.7, 0.3, 0}, 0, 0},
		{"other", 0.08, [3]float64{0.3, 0.3, 0.4}, 0.05, 0.1},
	}
}

// hourWeights are the relative numbers of reports in each local hour.
func hourWeights() []float64 {
	return []float64{0.3, 0.2, 0.15, 0.1, 0.1, 0.2, 0.5, 1.0, 1.4, 1.6, 1.7, 1.6,
		1.4, 1.3, 1.5, 1.6, 1.7, 1.8, 1.9, 1.9, 1.6, 1.2, 0.8, 0.5}
}

// buildIncidents draws a year of incidents before the as-of date, mostly
// where people live, some on roads and in the fields; nearly all resolved
// in the grid, a few escalated, some recent ones still open. They are
// numbered in time order.
func (b *builder) buildIncidents() error {
	rng := b.rng(stageIncidents)
	kinds := incidentKinds()
	kw := make([]float64, len(kinds))
	for i, k := range kinds {
		kw[i] = k.weight
	}
	pickKind := newCumulative(kw)
	pickSource := make([]cumulative, len(kinds))
	for i, k := range kinds {
		pickSource[i] = newCumulative(k.source[:])
	}
	pw := make([]float64, len(b.setts))
	for i, s := range b.setts {
		pw[i] = float64(s.pop)
	}
	pickSett := newCumulative(pw)
	pickHour := newCumulative(hourWeights())
	start := b.opt.AsOf.AddDate(0, 0, -365)
	out := make([]*geo.Incident, b.n.incidents)
	for i := range out {
		ki := pickKind.pick(rng)
		k := kinds[ki]
		in := &geo.Incident{Category: k.name, Source: geo.IncidentSources[pickSource[ki].pick(rng)]}
		in.Time = b.incidentTime(rng, start, pickHour)
		x, y := b.incidentPlace(rng, k, pickSett)
		in.Point = b.m.f.point(x, y)
		in.Grid = b.gridOf(in.Point)
		in.ResolvedLevel = b.resolution(rng, in.Time)
		out[i] = in
	}
	slices.SortStableFunc(out, func(a, b *geo.Incident) int { return a.Time.Compare(b.Time) })
	for i, in := range out {
		in.ID = ids("I", 6, i, len(out))
	}
	b.ds.Incidents = out
	return nil
}

// incidentTime draws a report time, to the second, in (start, start+365 days].
func (b *builder) incidentTime(rng *rand.Rand, start time.Time, pickHour cumulative) time.Time {
	day := rng.IntN(365)
	utcHour := (pickHour.pick(rng) + 16) % 24 // local hour - 8
	secs := utcHour*3600 + rng.IntN(3600)
	if day == 0 && secs == 0 {
		secs = 1
	}
	return start.AddDate(0, 0, day).Add(time.Duration(secs) * time.Second).In(b.local)
}

// incidentPlace draws where an incident of kind k happened, metres.
func (b *builder) incidentPlace(rng *rand.Rand, k incidentKind, pickSett cumulative) (float64, float64) {
	u := rng.Float64()
	switch {
	case u < k.road && len(b.net.roads) > 0:
		s := b.net.roads[rng.IntN(len(b.net.roads))]
		return s.x + rng.NormFloat64()*6, s.y + rng.NormFloat64()*6
	case u < k.road+k.field:
		h := int32(rng.IntN(b.m.len()))
		x, y := b.m.centre(h)
		th, r := rng.Float64()*2*math.Pi, hexSafe*math.Sqrt(rng.Float64())
		return x + r*math.Cos(th), y + r*math.Sin(th)
	}
	x, y := b.setts[pickSett.pick(rng)].randomPoint(rng)
	return x + rng.NormFloat64()*25, y + rng.NormFloat64()*25
}

// resolution draws the level that resolved an incident reported at t:
// recent ones may still be open; otherwise about 95% in the grid.
func (b *builder) resolution(rng *rand.Rand, t time.Time) geo.Level {
	age := b.opt.AsOf.Sub(t)
	const window = 14 * 24 * time.Hour
	if age < window && rng.Float64() < 0.45*(1-float64(age)/float64(window)) {
		return geo.LevelOpen
	}
	switch u := rng.Float64(); {
	case u < 0.95:
		return geo.LevelGrid
	case u < 0.982:
		return geo.LevelVillage
	case u < 0.995:
		return geo.LevelTownship
	}
	return geo.LevelDistrict
}
