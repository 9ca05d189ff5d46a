package coverage

import (
	"context"
	"fmt"
)

// reallocExhaustiveNodes bounds the exhaustive search: a district whose
// plans of up to MaxMoves moves number fewer than this is searched whole,
// and the plan found is optimal; a larger one goes to the heuristic.
const reallocExhaustiveNodes = 20_000

// exhaustive searches every plan of up to MaxMoves allowed moves (each
// officer at most once, in any order that keeps every move allowed, no
// cycle) and returns the best by reallocBanded, the empty plan among them.
// ok is false, and nothing is returned, when there are more than budget
// plans.
func (st *reallocState) exhaustive(ctx context.Context, budget int) (plan []reallocMove, ok bool, err error) {
	if reallocPlanEstimate(st.validMoves(), st.c.MaxMoves) > float64(budget) {
		return nil, false, nil
	}
	cands := []reallocCandidate{{obj: st.objective()}}
	seen := map[string]bool{}
	nodes := 0
	var walk func(s *reallocState, path []reallocMove) error
	walk = func(s *reallocState, path []reallocMove) error {
		if len(path) == st.c.MaxMoves {
			return nil
		}
		for _, m := range s.validMoves() {
			next := append(append([]reallocMove(nil), path...), m)
			key := reallocPlanKey(next)
			if seen[key] {
				continue
			}
			seen[key] = true
			if nodes++; nodes > budget {
				return errTooManyPlans
			}
			if nodes%1024 == 0 {
				if err := ctx.Err(); err != nil {
					return fmt.Errorf("reallocate: %w", err)
				}
			}
			child := s.clone()
			child.apply(m)
			cands = append(cands, reallocCandidate{plan: next, obj: child.objective(), dist: st.totalDistance(next)})
			if err := walk(child, next); err != nil {
				return err
			}
		}
		return nil
	}
	switch err := walk(st, nil); err {
	case nil:
		return reallocBanded(cands, st.c.TieTolerance).plan, true, nil
	case errTooManyPlans:
		return nil, false, nil
	default:
		return nil, false, err
	}
}

// validMoves lists every move allowed now.
func (st *reallocState) validMoves() []reallocMove {
	var moves []reallocMove
	for k := range st.officers {
		st.sources(k, func(from int) {
			st.targets(k, from, func(m reallocMove) {
				if st.valid(m) {
					moves = append(moves, m)
				}
			})
		})
	}
	return moves
}

// reallocPlanEstimate estimates the number of plans of up to k of the m
// moves allowed at the start (Σ m^d / d!), to skip at once a search that
// would outgrow its budget.
func reallocPlanEstimate(moves []reallocMove, k int) float64 {
	m := float64(len(moves))
	total, term := 0.0, 1.0
	for d := 1; d <= k; d++ {
		term *= m / float64(d)
		total += term
		if total > 1e12 {
			break
		}
	}
	return total
}

// errTooManyPlans stops an exhaustive search that outgrows its budget.
var errTooManyPlans = fmt.Errorf("reallocate: too many plans to search them all")
