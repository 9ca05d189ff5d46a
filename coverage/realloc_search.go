package coverage

import (
	"context"
	"fmt"
	"math"
	"slices"

	"gridwatch/geo"
)

// The local search's limits.
const (
	// reallocMaxSwaps bounds the improving replacements.
	reallocMaxSwaps = 50
	// reallocLocalBudget bounds the candidates it evaluates.
	reallocLocalBudget = 3_000_000
)

// search returns the planned moves, leaving the receiver unchanged. When
// every plan can be enumerated (reallocExhaustiveNodes), the best is
// returned. Otherwise three plans are built: greedy from the start; greedy after first staffing the
// unstaffed grids (whose index rises and falls with the staffed maximum,
// which misleads a greedy step); and a beam search extended greedily. The
// best is improved by local search.
func (st *reallocState) search(ctx context.Context) ([]reallocMove, error) {
	if st.c.MaxMoves == 0 {
		return nil, nil
	}
	// A small district is searched whole, so its plan is optimal.
	if plan, ok, err := st.exhaustive(ctx, reallocExhaustiveNodes); err != nil || ok {
		return plan, err
	}
	return st.heuristic(ctx)
}

// heuristic is the search of a district too large to search whole.
func (st *reallocState) heuristic(ctx context.Context) ([]reallocMove, error) {
	var plan []reallocMove
	best := st.objective()
	consider := func(start func(*reallocState) ([]reallocMove, error)) error {
		s := st.clone()
		p, err := start(s)
		if err != nil {
			return err
		}
		if p, err = s.greedy(ctx, p); err != nil {
			return err
		}
		if o := s.objective(); o.better(best) {
			plan, best = p, o
		}
		return nil
	}
	starts := []func(*reallocState) ([]reallocMove, error){
		func(*reallocState) ([]reallocMove, error) { return nil, nil },
		func(s *reallocState) ([]reallocMove, error) { return s.staffFirst(), nil },
		func(s *reallocState) ([]reallocMove, error) {
			p, _, err := s.beam(ctx)
			if err == nil {
				s.applyLoose(p)
			}
			return p, err
		},
	}
	for i, start := range starts {
		if i == 1 && st.nu == 0 {
			continue
		}
		if err := consider(start); err != nil {
			return nil, err
		}
	}
	plan, err := st.improve(ctx, plan, best)
	if err != nil {
		return nil, err
	}
	return st.trim(ctx, plan)
}

// staffFirst makes, while grids are unstaffed and moves are left, the best
// move (or pair of moves) into the unstaffed grid with the highest demand,
// whether or not it improves the objective, and returns the moves.
func (st *reallocState) staffFirst() []reallocMove {
	var plan []reallocMove
	worst := reallocObjective{max: math.Inf(1), spread: math.Inf(1), below: math.MaxInt}
	for st.nu > 0 && len(plan) < st.c.MaxMoves {
		u := st.uorder[0]
		best, found := worst, false
		var bm reallocMove
		for k := range st.officers {
			if st.officers[k].role != 0 {
				continue
			}
			st.sources(k, func(from int) {
				m := reallocMove{officer: k, from: from, to: u}
				if st.canJoin(k, from, u) {
					if o, ok := st.evalIf(m, best.worseThan); ok && st.withinReach(m) {
						best, bm, found = o, m, true
					}
				}
			})
		}
		var moves []reallocMove
		switch {
		case found:
			moves = []reallocMove{bm}
		case len(plan)+2 <= st.c.MaxMoves:
			if pair, _, ok := st.bestPair([]int{u}, worst); ok {
				moves = pair[:]
			}
		}
		if len(moves) == 0 {
			break
		}
		for _, m := range moves {
			st.apply(m)
		}
		plan = append(plan, moves...)
	}
	return plan
}

// improve runs the local search: while dropping one move of the
// plan and extending the rest greedily improves it, it does, until
// reallocLocalBudget more candidates have been evaluated. The rest is made
// in any order (a grid may give someone before the move that refills it),
// and a candidate is kept only when its moves can be put in an order that
// keeps every grid at its minimum.
func (st *reallocState) improve(ctx context.Context, plan []reallocMove, best reallocObjective) ([]reallocMove, error) {
	budget := *st.evals + reallocLocalBudget
	for range reallocMaxSwaps {
		improved := false
		for _, drop := range reallocDrops(len(plan)) {
			if *st.evals > budget {
				return plan, nil
			}
			others := slices.Clone(plan)
			for k := len(drop) - 1; k >= 0; k-- {
				others = slices.Delete(others, drop[k], drop[k]+1)
			}
			trial := st.clone()
			if !trial.applyLoose(others) {
				continue
			}
			cand, err := trial.greedy(ctx, others)
			if err != nil {
				return nil, err
			}
			o := trial.objective()
			if !o.better(best) {
				continue
			}
			if seq, ok := st.sequence(cand); ok {
				plan, best, improved = seq, o, true
				break
			}
		}
		if !improved {
			break
		}
	}
	return plan, nil
}

// reallocDrops lists the move positions of a plan of n moves, each as a
// set of one.
func reallocDrops(n int) [][]int {
	var out [][]int
	for i := range n {
		out = append(out, []int{i})
	}
	return out
}

// applyLoose makes the moves in order, allowing a grid below its minimum
// on the way; it reports false when a move is not allowed otherwise.
func (st *reallocState) applyLoose(moves []reallocMove) bool {
	for _, m := range moves {
		if !st.allowed(m, false) {
			return false
		}
		st.apply(m)
	}
	return true
}

// sequence returns the moves in an order in which each is allowed when
// made (repeatedly the first move allowed now), or false when it finds
// none.
func (st *reallocState) sequence(moves []reallocMove) ([]reallocMove, bool) {
	s := st.clone()
	left := slices.Clone(moves)
	out := make([]reallocMove, 0, len(moves))
	for len(left) > 0 {
		k := slices.IndexFunc(left, s.valid)
		if k < 0 {
			return nil, false
		}
		s.apply(left[k])
		out = append(out, left[k])
		left = slices.Delete(left, k, k+1)
	}
	return out, true
}

// greedy extends plan with the best improving move, one at a time, up to
// the most moves allowed.
func (st *reallocState) greedy(ctx context.Context, plan []reallocMove) ([]reallocMove, error) {
	for len(plan) < st.c.MaxMoves {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("reallocate: %w", err)
		}
		moves := st.step(st.c.MaxMoves - len(plan))
		if len(moves) == 0 {
			break
		}
		for _, m := range moves {
			st.apply(m)
		}
		plan = append(plan, moves...)
	}
	return plan, nil
}

// bestMove returns the allowed move that improves the objective most, if
// any. Only a move that changes the grid holding the highest index (or,
// with unstaffed grids, the staffed grid setting their rule) can lower the
// highest index, so those moves are searched first; every move is searched
// only when none of them lowers it.
func (st *reallocState) bestMove() (reallocMove, bool) {
	cur := st.objective()
	best, found := cur, false
	var bm reallocMove
	consider := func(m reallocMove) {
		if o, ok := st.evalIf(m, best.worseThan); ok && st.withinReach(m) {
			best, bm, found = o, m, true
		}
	}
	targets := st.peakGrids()
	for k := range st.officers {
		if st.officers[k].role != 0 {
			continue
		}
		serves := st.splitW != nil && slices.ContainsFunc(targets, func(g int) bool { return loadContainsInt(st.officers[k].grids, g) })
		st.sources(k, func(from int) {
			if serves {
				st.targets(k, from, consider)
				return
			}
			for _, to := range targets {
				if st.canJoin(k, from, to) {
					consider(reallocMove{officer: k, from: from, to: to})
				}
			}
		})
	}
	if found && (reallocObjective{max: best.max}).better(reallocObjective{max: cur.max}) {
		return bm, true
	}
	for k := range st.officers {
		st.sources(k, func(from int) { st.targets(k, from, consider) })
	}
	return bm, found
}

// peakGrids returns the staffed grid with the highest index and, when some
// grids are unstaffed, the unstaffed grid with the highest demand.
func (st *reallocState) peakGrids() []int {
	var out []int
	if len(st.order) > 0 {
		out = append(out, st.order[0])
	}
	if len(st.uorder) > 0 {
		out = append(out, st.uorder[0])
	}
	return out
}

// sources calls fn with every grid officer k may leave now (-1: its
// station).
func (st *reallocState) sources(k int, fn func(from int)) {
	o := &st.officers[k]
	if st.moved[k] || !st.movable[o.role] {
		return
	}
	if len(o.grids) == 0 {
		if st.c.FromStation && o.hasStation {
			fn(-1)
		}
		return
	}
	for _, a := range o.grids {
		if st.head[a][o.role]-1 >= st.mins[o.role] {
			fn(a)
		}
	}
}

// targets calls consider with every move of officer k from from.
func (st *reallocState) targets(k, from int, consider func(reallocMove)) {
	for to := range st.police {
		if st.canJoin(k, from, to) {
			consider(reallocMove{officer: k, from: from, to: to})
		}
	}
}

// canJoin reports whether officer k may move from from to grid to: a grid
// they do not serve, by a move that closes no cycle.
func (st *reallocState) canJoin(k, from, to int) bool {
	return to != from && !loadContainsInt(st.officers[k].grids, to) && !st.closesCycle(st.officers[k].role, from, to)
}

// closesCycle reports whether a move of role r from grid from to grid to
// would close a cycle with the moves made: a path of moves of that role
// from to back to from (a swap is the cycle of two). Such a set of moves
// gives each grid of the cycle back the headcount it had: a planner would
// throw it out.
func (st *reallocState) closesCycle(r, from, to int) bool {
	if from < 0 || len(st.made) == 0 {
		return false
	}
	out := false
	for _, m := range st.made {
		if m.from == to && st.officers[m.officer].role == r {
			out = true
			break
		}
	}
	if !out {
		return false
	}
	seen := []int{to}
	for i := 0; i < len(seen); i++ {
		for _, m := range st.made {
			if m.from != seen[i] || st.officers[m.officer].role != r {
				continue
			}
			if m.to == from {
				return true
			}
			if !slices.Contains(seen, m.to) {
				seen = append(seen, m.to)
			}
		}
	}
	return false
}

// summary describes the current state.
func (st *reallocState) summary() ReallocSummary {
	o := st.objective()
	return ReallocSummary{MaxLoadIndex: o.max, LoadIndexSpread: o.spread, GridsBelowNorm: o.below, GridsUnstaffed: st.nu}
}

// describe replays the moves on a copy of the state and returns them with
// each touched grid's index before and after, and the final summary.
func (st *reallocState) describe(a *geo.Atlas, moves []reallocMove) ([]Move, ReallocSummary) {
	s := st.clone()
	out := make([]Move, 0, len(moves))
	for _, m := range moves {
		o := s.officers[m.officer]
		r := a.Responders.At(o.resp)
		mv := Move{Officer: r.ID, Role: r.Role, ToGrid: a.Grids.At(m.to).ID, From: s.origin(m), To: s.centroid[m.to]}
		mv.DistanceM = geo.Distance(mv.From, mv.To)
		mv.ToBefore = s.indexOf(m.to)
		var fromBefore float64
		if m.from >= 0 {
			mv.FromGrid = a.Grids.At(m.from).ID
			fromBefore = s.indexOf(m.from)
		} else {
			mv.FromStation = r.Station
		}
		s.apply(m)
		mv.ToAfter = s.indexOf(m.to)
		if m.from >= 0 {
			after := s.indexOf(m.from)
			mv.FromBefore, mv.FromAfter = &fromBefore, &after
		}
		out = append(out, mv)
	}
	final := s.objective()
	for i := range out {
		out[i].Reason = st.reason(a, moves, i, final)
	}
	return out, s.summary()
}
