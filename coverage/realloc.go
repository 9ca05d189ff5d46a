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
	// TieTolerance is the relative difference of the highest load index
	// (and of its spread) under which two plans count as tied, so that the
	// one with the shorter total distance wins (tie_tolerance; default
	// DefaultTieTolerance; in [0, 1)).
	TieTolerance float64
}

// DefaultTieTolerance is the default ReallocConstraints.TieTolerance: 1 %
// of the load index.
const DefaultTieTolerance = 0.01

// DefaultReallocConstraints returns the default constraints.
func DefaultReallocConstraints() ReallocConstraints {
	return ReallocConstraints{MaxMoves: 10, Roles: []geo.Role{geo.RolePolice}, MinPerGrid: Staff[int]{Police: 1},
		TieTolerance: DefaultTieTolerance}
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
	if !(c.TieTolerance >= 0 && c.TieTolerance < 1) {
		bad("tie_tolerance", fmt.Sprintf("a share in [0, 1), got %g", c.TieTolerance))
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
	// Reason says why the move is in the plan: what it does to the grid
	// joined, and what the plan would lose without it.
	Reason string
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
	// TotalDistanceM is the sum of the moves' distances, metres.
	TotalDistanceM float64
	// Evaluations is the number of candidate moves evaluated.
	Evaluations int
	// Binding names the constraints that keep a plan without moves from
	// lowering the load (body members, e.g. min_police_per_grid); empty
	// when the plan has moves or when no constraint is to blame.
	Binding []string
	// Explanation says in words why the plan has no moves (which
	// constraint binds, and what to try); empty when it has moves.
	Explanation string
}

// Reallocate proposes up to c.MaxMoves moves that minimise the highest load
// index of the district, then the spread of the load index, then the
// number of grids below the grid norm, then the total distance moved; the
// index keeps the district means of load (from before the moves). The
// first two keys are compared with the relative tolerance c.TieTolerance:
// plans within it count as tied, so the shorter wins. Each responder moves
// at most once, no move takes its grid below the minimum when it is made (a
// grid may first receive someone, then give someone), and no moves of one
// role go round in a cycle (A→B with B→A, or A→B→C→A): a plan never holds
// a swap or a move another undoes. A plan is only proposed when it beats
// making no move; when it has no moves, Binding and Explanation say why.
//
// A small district is searched exhaustively. A larger one takes a
// heuristic (see search): greedy plans, a beam search over single moves
// and chains of two (someone joins a grid so that its officer can leave for
// a loaded one), a local search, then a trim that drops or shortens moves
// while the plan stays within the tolerance. The tests compare it with
// exhaustive search on small districts (docs/load.md).
func Reallocate(ctx context.Context, a *geo.Atlas, load *LoadResult, c ReallocConstraints) (*ReallocPlan, error) {
	return reallocate(ctx, a, load, c, (*reallocState).search)
}

// reallocate plans with the search given.
func reallocate(ctx context.Context, a *geo.Atlas, load *LoadResult, c ReallocConstraints,
	search func(*reallocState, context.Context) ([]reallocMove, error)) (*ReallocPlan, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	st := newReallocState(a, load, c)
	plan := &ReallocPlan{Before: st.summary()}
	moves, err := search(st, ctx)
	if err != nil {
		return nil, err
	}
	plan.Evaluations = *st.evals
	plan.Moves, plan.After = st.describe(a, moves)
	for _, m := range plan.Moves {
		plan.TotalDistanceM += m.DistanceM
	}
	if len(plan.Moves) == 0 {
		plan.Binding, plan.Explanation = st.explain()
	}
	return plan, nil
}
