package coverage_test

import (
	"context"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"gridwatch/coverage"
)

// worse reports whether o is worse than p, exactly (no tolerance).
func (o bfObjective) worse(p bfObjective) bool {
	if math.Abs(o.max-p.max) > 1e-9*math.Max(1, p.max) {
		return o.max > p.max
	}
	if math.Abs(o.spread-p.spread) > 1e-9*math.Max(1, p.spread) {
		return o.spread > p.spread
	}
	return o.below > p.below
}

// nilEffect returns what makes a plan hold a move with no effect: a swap
// (two moves of one role between the same two grids, opposite ways), a
// cycle of moves, or one or two moves whose removal (the rest still allowed
// in some order) leaves the objective no worse. Empty when there is none.
func (in *bfInstance) nilEffect(moves []bfMove) string {
	for i, m := range moves {
		for _, n := range moves[i+1:] {
			if m.from >= 0 && n.from == m.to && n.to == m.from && in.officers[m.officer].role == in.officers[n.officer].role {
				return "a swap"
			}
		}
	}
	if in.cyclic(moves) {
		return "a cycle"
	}
	got := in.evaluate(in.after(moves))
	drop := func(idx ...int) bool {
		var rest []bfMove
		for k, m := range moves {
			if !slices.Contains(idx, k) {
				rest = append(rest, m)
			}
		}
		return in.validSet(rest) && !in.evaluate(in.after(rest)).worse(got)
	}
	for i := range moves {
		if drop(i) {
			return "a move that changes nothing"
		}
		for j := i + 1; j < len(moves); j++ {
			if drop(i, j) {
				return "two moves that together change nothing"
			}
		}
	}
	return ""
}

// The heuristic (forced here on districts small enough for exhaustive
// search) never returns a swap, a cycle or a move without effect, on 1,000
// random districts with up to 6 moves, half of them with no minimum.
func TestReallocate_HeuristicNeverReturnsANilEffectMove(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(14, 1000))
	withMoves := 0
	for i := range 1000 {
		a, in := bfRandom(t, rng)
		in.c.MaxMoves = 2 + rng.IntN(5)
		if rng.IntN(2) == 0 {
			in.c.MinPerGrid.Police = 0
		}
		l, err := coverage.Load(a, coverage.LoadOptions{Split: in.split})
		require.NoError(t, err)
		for _, g := range l.Grids {
			in.demand = append(in.demand, g.Demand)
		}
		p, err := coverage.ReallocateHeuristic(context.Background(), a, l, in.c)
		require.NoError(t, err)
		moves := bfPlanOf(a, p)
		require.True(t, in.validSet(moves), "instance %d: the plan breaks a constraint", i)
		if why := in.nilEffect(moves); why != "" {
			t.Fatalf("instance %d (%+v, split %s): the plan %v holds %s", i, in.c, in.split, moves, why)
		}
		if len(moves) > 0 {
			withMoves++
			require.True(t, in.evaluate(in.after(nil)).worse(in.evaluate(in.after(moves))), "instance %d: the plan beats no move", i)
		}
		for _, m := range p.Moves {
			require.NotEmpty(t, m.Reason)
		}
	}
	require.Greater(t, withMoves, 500)
}
