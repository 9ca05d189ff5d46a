package coverage

import (
	"context"
	"fmt"
	"math"
	"slices"
)

// reallocEps is the relative tolerance under which two load figures are
// equal (rounding never counts as a gain).
const reallocEps = 1e-9

// withinBand reports whether objective o is within the tie tolerance of
// anchor: its highest load index and its spread exceed the anchor's by no
// more than the tolerance (relative), and it has no more grids below the
// norm. A plan within the band of a better one ties with it, and the
// shorter of the two wins.
func (st *reallocState) withinBand(o, anchor reallocObjective) bool {
	tol := st.c.TieTolerance
	up := func(v, a float64) bool { return v <= a+tol*math.Abs(a)+reallocEps*math.Max(1, math.Abs(a)) }
	return up(o.max, anchor.max) && up(o.spread, anchor.spread) && o.below <= anchor.below
}

// reallocCandidate is a plan with its objective and total distance.
type reallocCandidate struct {
	plan []reallocMove
	obj  reallocObjective
	dist float64
}

// reallocBanded picks among candidate plans (the empty plan among them):
// the lowest highest index M*; among the plans within the tolerance of
// M*, the lowest spread S*; among those within the tolerance of S*, the
// fewest grids below the norm; among those, the shortest total distance
// (then the lower index, the lower spread, the first). This is the
// optimum that exhaustive search returns.
func reallocBanded(cands []reallocCandidate, tol float64) reallocCandidate {
	near := func(v, best float64) bool {
		return v <= best+tol*math.Abs(best)+reallocEps*math.Max(1, math.Abs(best))
	}
	minOf := func(cs []reallocCandidate, f func(reallocCandidate) float64) float64 {
		m := math.Inf(1)
		for _, c := range cs {
			m = math.Min(m, f(c))
		}
		return m
	}
	keep := func(cs []reallocCandidate, ok func(reallocCandidate) bool) []reallocCandidate {
		var out []reallocCandidate
		for _, c := range cs {
			if ok(c) {
				out = append(out, c)
			}
		}
		return out
	}
	m := minOf(cands, func(c reallocCandidate) float64 { return c.obj.max })
	cands = keep(cands, func(c reallocCandidate) bool { return near(c.obj.max, m) })
	s := minOf(cands, func(c reallocCandidate) float64 { return c.obj.spread })
	cands = keep(cands, func(c reallocCandidate) bool { return near(c.obj.spread, s) })
	b := int(minOf(cands, func(c reallocCandidate) float64 { return float64(c.obj.below) }))
	cands = keep(cands, func(c reallocCandidate) bool { return c.obj.below == b })
	best := cands[0]
	for _, c := range cands[1:] {
		switch {
		case c.dist < best.dist-1e-6:
			best = c
		case c.dist <= best.dist+1e-6 && c.obj.better(best.obj):
			best = c
		}
	}
	return best
}

// trim shortens a plan found by the heuristic while its objective stays
// within the tie tolerance of the plan's: no plan at all when making no
// move is within it; else, while it can, it drops the longest move whose
// loss keeps the plan within the tolerance, or replaces a move by the
// shortest move into the same grid that keeps it there. Every move of the
// result is needed: dropping any one takes the plan out of the tolerance
// (or breaks a minimum).
func (st *reallocState) trim(ctx context.Context, plan []reallocMove) ([]reallocMove, error) {
	if len(plan) == 0 {
		return plan, nil
	}
	s := st.clone()
	for _, m := range plan {
		s.apply(m)
	}
	anchor := s.objective()
	if st.withinBand(st.objective(), anchor) {
		return nil, nil
	}
	for {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("reallocate: %w", err)
		}
		if p, ok := st.dropOne(plan, anchor); ok {
			plan = p
			continue
		}
		if p, ok := st.dropTwo(plan, anchor); ok {
			plan = p
			continue
		}
		if p, ok := st.shortenOne(plan, anchor); ok {
			plan = p
			continue
		}
		return plan, nil
	}
}

// byLength returns the positions of the plan's moves, longest first.
func (st *reallocState) byLength(plan []reallocMove) []int {
	idx := make([]int, len(plan))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int {
		return reallocDesc(st.distance(plan[a]), st.distance(plan[b]), a, b)
	})
	return idx
}

// without returns the state after the plan's moves but the i-th, in an
// order that keeps every minimum, or false when there is none.
func (st *reallocState) without(plan []reallocMove, i int) (*reallocState, []reallocMove, bool) {
	others := slices.Delete(slices.Clone(plan), i, i+1)
	seq, ok := st.sequence(others)
	if !ok {
		return nil, nil, false
	}
	s := st.clone()
	for _, m := range seq {
		s.apply(m)
	}
	return s, seq, true
}

// dropOne drops the longest move whose loss keeps the plan within the
// tolerance of anchor.
func (st *reallocState) dropOne(plan []reallocMove, anchor reallocObjective) ([]reallocMove, bool) {
	for _, i := range st.byLength(plan) {
		s, seq, ok := st.without(plan, i)
		if ok && st.withinBand(s.objective(), anchor) {
			return seq, true
		}
	}
	return nil, false
}

// reallocPairDrops is the longest plan whose pairs of moves trim tries to
// drop together.
const reallocPairDrops = 20

// dropTwo drops a chain of two moves together (one refills a grid for the
// other to leave: neither can go alone) when that keeps the plan within
// the tolerance of anchor, on plans of at most reallocPairDrops moves.
func (st *reallocState) dropTwo(plan []reallocMove, anchor reallocObjective) ([]reallocMove, bool) {
	if len(plan) > reallocPairDrops {
		return nil, false
	}
	for i := range plan {
		for j := range plan {
			if !st.chain(plan[i], plan[j]) {
				continue
			}
			others := slices.Delete(slices.Clone(plan), max(i, j), max(i, j)+1)
			others = slices.Delete(others, min(i, j), min(i, j)+1)
			seq, ok := st.sequence(others)
			if !ok {
				continue
			}
			s := st.clone()
			for _, m := range seq {
				s.apply(m)
			}
			if st.withinBand(s.objective(), anchor) {
				return seq, true
			}
		}
	}
	return nil, false
}

// shortenOne replaces the longest move that has a shorter replacement into
// the same grid keeping the plan within the tolerance of anchor by the
// shortest such replacement.
func (st *reallocState) shortenOne(plan []reallocMove, anchor reallocObjective) ([]reallocMove, bool) {
	for _, i := range st.byLength(plan) {
		s, seq, ok := st.without(plan, i)
		if !ok {
			continue
		}
		cur := st.distance(plan[i])
		best, found := cur-1, false
		var bm reallocMove
		for k := range s.officers {
			if s.officers[k].role != st.officers[plan[i].officer].role {
				continue
			}
			s.sources(k, func(from int) {
				m := reallocMove{officer: k, from: from, to: plan[i].to}
				if m == plan[i] || !s.canJoin(k, from, m.to) || !s.withinReach(m) {
					return
				}
				d := s.distance(m)
				if d >= best {
					return
				}
				if st.withinBand(s.eval(m), anchor) {
					best, bm, found = d, m, true
				}
			})
		}
		if found {
			return append(seq, bm), true
		}
	}
	return nil, false
}

// chain reports whether move b leaves the grid that move a joins, in the
// same role.
func (st *reallocState) chain(a, b reallocMove) bool {
	return b.from >= 0 && b.from == a.to && st.officers[a.officer].role == st.officers[b.officer].role
}
