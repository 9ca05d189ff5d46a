package coverage

import (
	"math"
	"sort"
)

// reallocShortlist is how many second moves a pair search tries for each
// first move: the responders whose departure raises their grid's load
// index least (responders at the station first).
const reallocShortlist = 48

// step returns the next moves of a plan with budget moves left: the best
// single move, or the best pair when it beats two greedy single moves;
// nil when nothing improves the objective.
func (st *reallocState) step(budget int) []reallocMove {
	m1, ok1 := st.bestMove()
	if budget < 2 {
		if ok1 {
			return []reallocMove{m1}
		}
		return nil
	}
	pair, po, okp := st.bestPair(st.peakGrids(), st.objective())
	switch {
	case !okp && !ok1:
		return nil
	case !okp:
		return []reallocMove{m1}
	case ok1:
		t := st.clone()
		t.apply(m1)
		o := t.objective()
		if m2, ok2 := t.bestMove(); ok2 {
			o = t.eval(m2)
		}
		if !po.better(o) {
			return []reallocMove{m1}
		}
	}
	return pair[:]
}

// reallocSecond is a possible second move of a pair: officer k leaving
// grid from (-1: the station).
type reallocSecond struct {
	k, from int
	cost    float64 // the load index left behind at from
}

// bestPair returns the best pair of police moves whose objective is
// better than bar (see eachPair).
func (st *reallocState) bestPair(peaks []int, bar reallocObjective) ([2]reallocMove, reallocObjective, bool) {
	best := bar
	var bp [2]reallocMove
	found := false
	st.eachPair(peaks, func(o reallocObjective) bool { return o.better(best) }, func(pair [2]reallocMove, o reallocObjective) {
		best, bp, found = o, pair, true
	})
	return bp, best, found
}

// eachPair calls fn with every pair of police moves (and its objective)
// that want accepts: an officer moves from grid a into one of peaks, and
// another officer moves into a first, so that a never drops below the
// minimum. Such a chain lowers a peak where no single move can (a has one
// officer, or losing one would overload it). The second officers tried
// are the shortlist of secondMoves.
func (st *reallocState) eachPair(peaks []int, want func(reallocObjective) bool, fn func([2]reallocMove, reallocObjective)) {
	if !st.movable[0] {
		return
	}
	seconds := st.secondMoves()
	for _, peak := range peaks {
		for k1 := range st.officers {
			if st.officers[k1].role != 0 || st.moved[k1] {
				continue
			}
			for _, a := range st.officers[k1].grids {
				m1 := reallocMove{officer: k1, from: a, to: peak}
				if st.head[a][0] < st.mins[0] || !st.canJoin(k1, a, peak) || !st.withinReach(m1) {
					continue
				}
				st.buf = st.changes(m1, st.buf[:0])
				for _, s := range seconds {
					m2 := reallocMove{officer: s.k, from: s.from, to: a}
					if s.k == k1 || s.from == a || !st.canJoin(s.k, s.from, a) || st.pairCycles(s.from, peak) {
						continue
					}
					*st.evals++
					st.buf2 = st.changes(m2, st.buf2[:0])
					st.buf3 = reallocMerge(st.buf3[:0], st.buf, st.buf2)
					if o, ok := st.scoreIf(st.score(st.buf3), want, m2, m1); ok && st.withinReach(m2) {
						fn([2]reallocMove{m2, m1}, o)
					}
				}
			}
		}
	}
}

// secondMoves lists the police officers who may leave a grid (or their
// station) now, those whose departure leaves the lowest load index behind
// first, at most reallocShortlist of them.
func (st *reallocState) secondMoves() []reallocSecond {
	var out []reallocSecond
	for k := range st.officers {
		if st.officers[k].role != 0 {
			continue
		}
		st.sources(k, func(from int) {
			cost := 0.0
			switch {
			case from >= 0 && st.head[from][0] <= 1:
				cost = math.Inf(1)
			case from >= 0:
				cost = st.demand[from] / (st.police[from] - st.part(k, from))
			}
			out = append(out, reallocSecond{k: k, from: from, cost: cost})
		})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].cost < out[j].cost })
	return out[:min(len(out), reallocShortlist)]
}

// reallocMerge appends to out the changes of a and b together, one per
// grid, and returns it.
func reallocMerge(out, a, b []reallocChange) []reallocChange {
	out = append(out, a...)
	for _, c := range b {
		merged := false
		for i := range out {
			if out[i].grid == c.grid {
				out[i].dp += c.dp
				out[i].dh += c.dh
				merged = true
				break
			}
		}
		if !merged {
			out = append(out, c)
		}
	}
	return out
}

// pairCycles reports whether a chain of police moves — someone from grid
// from into a, then a's officer from a to peak — would close a cycle:
// when from is peak (a swap) or the moves made lead from peak to from.
func (st *reallocState) pairCycles(from, peak int) bool {
	return from >= 0 && (from == peak || st.closesCycle(0, from, peak))
}
