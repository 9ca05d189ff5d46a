package coverage

import (
	"context"
	"fmt"
	"math"

	"github.com/paulmach/orb"

	"gridwatch/geo"
)

// MaxReallocMoves bounds ReallocConstraints.MaxMoves.
const MaxReallocMoves = 200

// ReallocConstraints are what a reallocation may do.
type ReallocConstraints struct {
	// MaxMoves is the most moves allowed, in [0, MaxReallocMoves] (body
	// member max_moves; default 10).
	MaxMoves int
	// Roles are the roles that may move (roles; default police). Moves of
	// other roles than police change headcounts, not the load index.
	Roles []geo.Role
	// MaxDistanceM is the longest move, metres between the two grids'
	// centroids (max_distance_m); 0 means no limit.
	MaxDistanceM float64
	// MinPerGrid is the headcount per role that a move may not take a grid
	// below (min_police_per_grid, min_auxiliaries_per_grid,
	// min_grid_workers_per_grid, min_volunteers_per_grid; default 1 police
	// officer, 0 of the others). A grid already below it gives no one.
	MinPerGrid Staff[int]
	// FromStation also lets responders kept at their station (serving no
	// grid) move into one grid (from_station; default false). Such a move
	// starts at the station's position.
	FromStation bool
}

// DefaultReallocConstraints returns the default constraints.
func DefaultReallocConstraints() ReallocConstraints {
	return ReallocConstraints{MaxMoves: 10, Roles: []geo.Role{geo.RolePolice}, MinPerGrid: Staff[int]{Police: 1}}
}

// Validate checks the constraints, naming every bad field as the body
// member that sets it.
func (c ReallocConstraints) Validate() error {
	var ps geo.Problems
	bad := func(field, expected string) { ps.Add("body", -1, "", field, expected) }
	if c.MaxMoves < 0 || c.MaxMoves > MaxReallocMoves {
		bad("max_moves", fmt.Sprintf("a whole number in [0, %d], got %d", MaxReallocMoves, c.MaxMoves))
	}
	if len(c.Roles) == 0 {
		bad("roles", "at least one of police, auxiliary, grid_worker, volunteer")
	}
	for i, r := range c.Roles {
		if !r.Valid() {
			bad(fmt.Sprintf("roles[%d]", i), fmt.Sprintf("police, auxiliary, grid_worker or volunteer, got %q", r))
		}
	}
	if math.IsNaN(c.MaxDistanceM) || math.IsInf(c.MaxDistanceM, 0) || c.MaxDistanceM < 0 {
		bad("max_distance_m", fmt.Sprintf("a distance in metres > 0 (0 or absent: no limit), got %g", c.MaxDistanceM))
	}
	for _, f := range []struct {
		name string
		v    int
	}{
		{"min_police_per_grid", c.MinPerGrid.Police}, {"min_auxiliaries_per_grid", c.MinPerGrid.Auxiliaries},
		{"min_grid_workers_per_grid", c.MinPerGrid.GridWorkers}, {"min_volunteers_per_grid", c.MinPerGrid.Volunteers},
	} {
		if f.v < 0 || f.v > MaxNormHeadcount {
			bad(f.name, fmt.Sprintf("a whole number in [0, %d], got %d", MaxNormHeadcount, f.v))
		}
	}
	return ps.Err("invalid reallocation constraints")
}

// Move reassigns one responder from one of their grids (or from their
// station) to another grid; their other assignments stay.
type Move struct {
	// Officer is the responder's id.
	Officer string
	// Role is the responder's role.
	Role geo.Role
	// FromGrid is the grid left; empty for a move from the station.
	FromGrid string
	// FromStation is the station left, for a move from the station.
	FromStation string
	// ToGrid is the grid joined.
	ToGrid string
	// From is the centroid of FromGrid, or the station's position.
	From orb.Point
	// To is the centroid of ToGrid.
	To orb.Point
	// DistanceM is the geodesic distance From–To, metres.
	DistanceM float64
	// FromBefore and FromAfter are FromGrid's load index just before and
	// after the move; nil for a move from the station.
	FromBefore, FromAfter *float64
	// ToBefore and ToAfter are ToGrid's load index just before and after.
	ToBefore, ToAfter float64
}

// ReallocSummary describes the district's load before or after a plan.
type ReallocSummary struct {
	// MaxLoadIndex is the highest load index of a grid.
	MaxLoadIndex float64
	// LoadIndexSpread is the standard deviation of the grids' load indexes
	// (over every grid, unstaffed grids by their ranking rule).
	LoadIndexSpread float64
	// GridsBelowNorm is the number of grids below the grid norm (fewer
	// linked police officers than Norm.GridPolice).
	GridsBelowNorm int
	// GridsUnstaffed is the number of grids without a police officer.
	GridsUnstaffed int
}

// ReallocPlan is a proposed list of moves, in the order they apply.
type ReallocPlan struct {
	// Moves are the moves.
	Moves []Move
	// Before and After summarise the district before and after the moves,
	// with the load index normalised by the district means before them.
	Before, After ReallocSummary
	// Evaluations is the number of candidate moves evaluated.
	Evaluations int
}

// Reallocate proposes up to c.MaxMoves moves that minimise the highest load
// index of the district, then (on a tie) the spread of the load index,
// then the number of grids below the norm; the index keeps the district
// means of load (from before the moves). Each responder moves at most once,
// and no move takes its grid below the minimum when it is made (a grid may
// first receive someone, then give someone). A plan is only proposed when
// it improves that objective.
//
// The search is a heuristic (see search): greedy plans, a beam search over
// single moves and chains of two (someone joins a grid so that its officer
// can leave for a loaded one), and a local search. The tests compare it
// with exhaustive search on small districts (docs/load.md).
func Reallocate(ctx context.Context, a *geo.Atlas, load *LoadResult, c ReallocConstraints) (*ReallocPlan, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	st := newReallocState(a, load, c)
	plan := &ReallocPlan{Before: st.summary()}
	moves, err := st.search(ctx)
	if err != nil {
		return nil, err
	}
	plan.Evaluations = *st.evals
	plan.Moves, plan.After = st.describe(a, moves)
	return plan, nil
}
