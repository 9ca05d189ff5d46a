package coverage

import (
	"context"

	"gridwatch/geo"
)

// ReallocateHeuristic plans as Reallocate does on a district too large to
// search whole, whatever its size: the tests hold the heuristic to the
// rules that exhaustive search keeps by construction.
func ReallocateHeuristic(ctx context.Context, a *geo.Atlas, load *LoadResult, c ReallocConstraints) (*ReallocPlan, error) {
	return reallocate(ctx, a, load, c, func(st *reallocState, ctx context.Context) ([]reallocMove, error) {
		if c.MaxMoves == 0 {
			return nil, nil
		}
		return st.heuristic(ctx)
	})
}
