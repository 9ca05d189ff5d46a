package coverage

import (
	"math"
	"slices"

	"github.com/paulmach/orb"

	"gridwatch/geo"
)

// changes appends to buf the changes of police share and headcount that
// move m makes (none for a move of another role) and returns it. A grid
// appears once.
func (st *reallocState) changes(m reallocMove, buf []reallocChange) []reallocChange {
	o := &st.officers[m.officer]
	if o.role != 0 {
		return buf
	}
	if m.from < 0 {
		return append(buf, reallocChange{grid: m.to, dp: 1, dh: 1})
	}
	if st.splitW == nil {
		k := float64(len(o.grids))
		return append(buf, reallocChange{grid: m.from, dp: -1 / k, dh: -1}, reallocChange{grid: m.to, dp: 1 / k, dh: 1})
	}
	var w float64
	for _, g := range o.grids {
		w += st.splitW[g]
	}
	w2 := w - st.splitW[m.from] + st.splitW[m.to]
	for _, g := range o.grids {
		c := reallocChange{grid: g, dp: -st.splitW[g] / w}
		if g == m.from {
			c.dh = -1
		} else {
			c.dp += st.splitW[g] / w2
		}
		buf = append(buf, c)
	}
	return append(buf, reallocChange{grid: m.to, dp: st.splitW[m.to] / w2, dh: 1})
}

// belowDelta returns how the moves (of distinct responders) change the
// number of grids below the norm.
func (st *reallocState) belowDelta(moves ...reallocMove) int {
	var touched [4]int
	n := 0
	for _, m := range moves {
		for _, g := range [2]int{m.from, m.to} {
			if g >= 0 && !slices.Contains(touched[:n], g) {
				touched[n] = g
				n++
			}
		}
	}
	d := 0
	for _, g := range touched[:n] {
		h := st.head[g]
		before := st.belowNorm(h)
		for _, m := range moves {
			r := st.officers[m.officer].role
			if g == m.from {
				h[r]--
			}
			if g == m.to {
				h[r]++
			}
		}
		if after := st.belowNorm(h); after != before {
			if after {
				d++
			} else {
				d--
			}
		}
	}
	return d
}

// eval returns the objective after move m, without making it.
func (st *reallocState) eval(m reallocMove) reallocObjective {
	o, _ := st.evalIf(m, func(reallocObjective) bool { return true })
	return o
}

// evalIf returns the objective after move m, without making it, and
// whether want accepts it. The count of grids below the norm (the last
// key) is only worked out when the other keys leave want undecided.
func (st *reallocState) evalIf(m reallocMove, want func(reallocObjective) bool) (reallocObjective, bool) {
	*st.evals++
	st.buf = st.changes(m, st.buf[:0])
	return st.scoreIf(st.score(st.buf), want, m)
}

// scoreIf completes o, scored with the count below the norm unchanged,
// with the count after the moves when want could accept it.
func (st *reallocState) scoreIf(o reallocObjective, want func(reallocObjective) bool, moves ...reallocMove) (reallocObjective, bool) {
	o.below = math.MinInt
	if !want(o) {
		return o, false
	}
	o.below = st.below + st.belowDelta(moves...)
	return o, want(o)
}

// score returns the objective after the changes, counting the grids below
// the norm as now.
func (st *reallocState) score(ch []reallocChange) reallocObjective {
	s1, s2, nu, sd, sd2 := st.s1, st.s2, st.nu, st.sd, st.sd2
	top, topD := math.Inf(-1), math.Inf(-1)
	for _, c := range ch {
		g, d := c.grid, st.demand[c.grid]
		if st.head[g][0] > 0 {
			s1 -= st.li[g]
			s2 -= st.li[g] * st.li[g]
		} else {
			nu--
			sd -= d
			sd2 -= d * d
		}
		if st.head[g][0]+c.dh > 0 {
			v := d / (st.police[g] + c.dp)
			s1 += v
			s2 += v * v
			top = math.Max(top, v)
		} else {
			nu++
			sd += d
			sd2 += d * d
			topD = math.Max(topD, d)
		}
	}
	for _, g := range st.order {
		if !reallocTouches(ch, g) {
			top = math.Max(top, st.li[g])
			break
		}
	}
	if math.IsInf(top, -1) {
		top = 0
	}
	topD = math.Max(topD, st.firstUnstaffedDemand(ch))
	return st.combine(top, s1, s2, nu, sd, sd2, topD, st.below)
}

// origin returns where move m starts: the grid's centroid or the station.
func (st *reallocState) origin(m reallocMove) orb.Point {
	if m.from < 0 {
		return st.officers[m.officer].station
	}
	return st.centroid[m.from]
}

// withinReach reports whether move m is no longer than the limit.
func (st *reallocState) withinReach(m reallocMove) bool {
	return st.c.MaxDistanceM <= 0 || geo.Distance(st.origin(m), st.centroid[m.to]) <= st.c.MaxDistanceM
}

// valid reports whether move m is allowed now.
func (st *reallocState) valid(m reallocMove) bool { return st.allowed(m, true) }

// allowed reports whether move m is allowed now, leaving out the minimum
// headcount unless checkMin is set.
func (st *reallocState) allowed(m reallocMove, checkMin bool) bool {
	if m.officer < 0 || m.officer >= len(st.officers) || st.moved[m.officer] {
		return false
	}
	o := &st.officers[m.officer]
	if !st.movable[o.role] || m.to < 0 || m.to >= len(st.police) || loadContainsInt(o.grids, m.to) {
		return false
	}
	if m.from < 0 {
		if len(o.grids) != 0 || !st.c.FromStation || !o.hasStation {
			return false
		}
	} else if !loadContainsInt(o.grids, m.from) || (checkMin && st.head[m.from][o.role]-1 < st.mins[o.role]) {
		return false
	}
	return st.withinReach(m) && !st.closesCycle(o.role, m.from, m.to)
}

// apply makes move m, which must be allowed (see allowed).
func (st *reallocState) apply(m reallocMove) {
	o := &st.officers[m.officer]
	touched := append(slices.Clone(o.grids), m.to)
	grids := o.grids
	if m.from >= 0 {
		grids = reallocRemove(grids, m.from)
		st.head[m.from][o.role]--
		if o.role == 0 {
			st.policeOf[m.from] = reallocRemove(st.policeOf[m.from], m.officer)
		}
	}
	o.grids = append(slices.Clone(grids), m.to)
	st.head[m.to][o.role]++
	if o.role == 0 {
		st.policeOf[m.to] = append(slices.Clone(st.policeOf[m.to]), m.officer)
		for _, g := range touched {
			st.police[g] = st.shareOfGrid(g)
		}
	}
	st.moved[m.officer] = true
	st.made = append(slices.Clone(st.made), m)
	st.refresh()
}

// distance returns the length of move m, metres.
func (st *reallocState) distance(m reallocMove) float64 {
	return geo.Distance(st.origin(m), st.centroid[m.to])
}

// totalDistance returns the total length of the moves, metres.
func (st *reallocState) totalDistance(moves []reallocMove) float64 {
	var d float64
	for _, m := range moves {
		d += st.distance(m)
	}
	return d
}

// reallocRemove returns list without v, in a new slice.
func reallocRemove(list []int, v int) []int {
	out := make([]int, 0, len(list))
	for _, x := range list {
		if x != v {
			out = append(out, x)
		}
	}
	return out
}

// clone returns a copy of the state sharing the evaluation counter and the
// inner slices that apply never changes in place.
func (st *reallocState) clone() *reallocState {
	c := *st
	c.police = slices.Clone(st.police)
	c.head = slices.Clone(st.head)
	c.li = slices.Clone(st.li)
	c.moved = slices.Clone(st.moved)
	c.officers = slices.Clone(st.officers)
	c.policeOf = slices.Clone(st.policeOf)
	c.order = slices.Clone(st.order)
	c.uorder = slices.Clone(st.uorder)
	c.buf, c.buf2, c.buf3 = nil, nil, nil
	return &c
}
