package coverage

import (
	"context"
	"encoding/binary"
	"fmt"
	"slices"
	"sort"
)

// The beam search of the planner.
const (
	// reallocBeamWidth is how many partial plans the beam keeps.
	reallocBeamWidth = 10
	// reallocBeamBranch is how many next actions each partial plan tries.
	reallocBeamBranch = 10
	// reallocBeamPeaks is how many of the highest-index grids the beam's
	// single moves may join.
	reallocBeamPeaks = 8
	// reallocCombine is how many of the best single moves the beam also
	// tries two at a time.
	reallocCombine = 8
)

// reallocAction is one step of a plan: a move, or a pair (refill first).
type reallocAction struct {
	moves []reallocMove
	obj   reallocObjective
}

// reallocNode is a partial plan of the beam: its state is made from its
// parent's when the node is expanded.
type reallocNode struct {
	st     *reallocState
	parent *reallocState
	last   []reallocMove // the moves made on parent
	plan   []reallocMove
	obj    reallocObjective
}

// state returns the node's state, making it the first time.
func (n *reallocNode) state() *reallocState {
	if n.st == nil {
		n.st = n.parent.clone()
		for _, m := range n.last {
			n.st.apply(m)
		}
		n.parent = nil
	}
	return n.st
}

// beam returns the best plan found by a beam search over plans grouped by
// their number of moves: each of the reallocBeamWidth best distinct plans
// of n moves is extended by its reallocBeamBranch best next actions,
// improving or not, into plans of n+1 (a move) or n+2 moves (a pair). The
// actions tried are moves into the grids of highest index (and, with a
// demand split, any move of an officer serving one) and the pairs of
// eachPair.
func (st *reallocState) beam(ctx context.Context) ([]reallocMove, reallocObjective, error) {
	best := reallocNode{st: st, obj: st.objective()}
	levels := make([][]reallocNode, st.c.MaxMoves+1)
	levels[0] = []reallocNode{best}
	seen := map[string]bool{}
	for n := 0; n < st.c.MaxMoves; n++ {
		if err := ctx.Err(); err != nil {
			return nil, best.obj, fmt.Errorf("reallocate: %w", err)
		}
		sort.SliceStable(levels[n], func(i, j int) bool { return levels[n][i].obj.better(levels[n][j].obj) })
		levels[n] = levels[n][:min(len(levels[n]), reallocBeamWidth)]
		for i := range levels[n] {
			node := &levels[n][i]
			if node.obj.better(best.obj) {
				best = *node
			}
			ns := node.state()
			for _, act := range ns.topActions(reallocBeamBranch, st.c.MaxMoves-n) {
				plan := append(slices.Clone(node.plan), act.moves...)
				key := reallocPlanKey(plan)
				if seen[key] {
					continue
				}
				seen[key] = true
				levels[len(plan)] = append(levels[len(plan)], reallocNode{parent: ns, last: act.moves, plan: plan, obj: act.obj})
			}
		}
		levels[n] = nil
	}
	for _, node := range levels[st.c.MaxMoves] {
		if node.obj.better(best.obj) {
			best = node
		}
	}
	return best.plan, best.obj, nil
}

// reallocPlanKey identifies a plan whatever the order of its moves.
func reallocPlanKey(plan []reallocMove) string {
	ms := slices.Clone(plan)
	slices.SortFunc(ms, func(a, b reallocMove) int {
		if a.officer != b.officer {
			return a.officer - b.officer
		}
		if a.from != b.from {
			return a.from - b.from
		}
		return a.to - b.to
	})
	buf := make([]byte, 0, 12*len(ms))
	for _, m := range ms {
		for _, v := range [3]int{m.officer, m.from, m.to} {
			buf = binary.LittleEndian.AppendUint32(buf, uint32(int32(v)))
		}
	}
	return string(buf)
}

// topActions returns the n best single moves and the n best pairs of the
// beam's neighbourhood, each best first, whether or not they improve the
// objective; pairs only when budget allows two moves.
func (st *reallocState) topActions(n, budget int) []reallocAction {
	if budget < 1 {
		return nil
	}
	var singles, pairs reallocTop
	singles.n, pairs.n = max(n, reallocCombine), n
	want, push := singles.want, singles.push
	wide := &singles
	peaks := st.rankedGrids(reallocBeamPeaks)
	for k := range st.officers {
		serves := st.splitW != nil && slices.ContainsFunc(peaks, func(g int) bool { return loadContainsInt(st.officers[k].grids, g) })
		st.sources(k, func(from int) {
			try := func(m reallocMove) {
				if o, ok := st.evalIf(m, want); ok && st.withinReach(m) {
					push(o, m)
				}
			}
			if serves {
				st.targets(k, from, try)
				return
			}
			for _, to := range peaks {
				if st.canJoin(k, from, to) {
					try(reallocMove{officer: k, from: from, to: to})
				}
			}
		})
	}
	if budget >= 2 {
		st.eachPair(st.peakGrids(), pairs.want, func(pair [2]reallocMove, o reallocObjective) { pairs.push(o, pair[:]...) })
		st.combine2(wide.top, &pairs)
	}
	return append(singles.top[:min(n, len(singles.top))], pairs.top...)
}

// reallocTop keeps the n best actions pushed, best first.
type reallocTop struct {
	n   int
	top []reallocAction
}

// want reports whether an action of objective o would be kept.
func (t *reallocTop) want(o reallocObjective) bool {
	return len(t.top) < t.n || o.better(t.top[len(t.top)-1].obj)
}

// push keeps the action if it is among the n best.
func (t *reallocTop) push(o reallocObjective, moves ...reallocMove) {
	i := sort.Search(len(t.top), func(i int) bool { return o.better(t.top[i].obj) })
	t.top = slices.Insert(t.top, i, reallocAction{moves: slices.Clone(moves), obj: o})
	if len(t.top) > t.n {
		t.top = t.top[:t.n]
	}
}

// rankedGrids returns the n grids of highest load index, highest first:
// the unstaffed grids by demand, then the staffed ones.
func (st *reallocState) rankedGrids(n int) []int {
	out := make([]int, 0, n)
	for _, list := range [2][]int{st.uorder, st.order} {
		for _, g := range list {
			if len(out) == n {
				return out
			}
			out = append(out, g)
		}
	}
	return out
}

// combine2 pushes onto pairs every two of the single-move actions made
// together (by distinct officers, in an allowed order).
func (st *reallocState) combine2(singles []reallocAction, pairs *reallocTop) {
	for i, a := range singles {
		first := a.moves[0]
		var s *reallocState
		for _, b := range singles[i+1:] {
			second := b.moves[0]
			if second.officer == first.officer {
				continue
			}
			if s == nil {
				s = st.clone()
				s.apply(first)
			}
			if !s.allowed(second, true) {
				continue
			}
			if o, ok := s.evalIf(second, pairs.want); ok {
				pairs.push(o, first, second)
			}
		}
	}
}
