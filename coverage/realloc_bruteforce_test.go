package coverage_test

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/stretchr/testify/require"

	"gridwatch/coverage"
	"gridwatch/geo"
)

// bfOfficer is a responder of a brute-force instance.
type bfOfficer struct {
	id    string
	role  geo.Role
	grids []int
}

// bfMove moves officer (index) from grid from (-1: station) to grid to.
type bfMove struct{ officer, from, to int }

// bfInstance is a small district and constraints, with a reference
// evaluator written from the definitions (independent of the planner).
type bfInstance struct {
	grids    []string
	centre   []orb.Point
	demand   []float64
	officers []bfOfficer
	split    coverage.Split
	c        coverage.ReallocConstraints
	station  orb.Point
}

// bfObjective is the planner's objective.
type bfObjective struct {
	max, spread float64
	below       int
}

func (o bfObjective) better(p bfObjective) bool {
	if math.Abs(o.max-p.max) > 1e-9*math.Max(1, p.max) {
		return o.max < p.max
	}
	if math.Abs(o.spread-p.spread) > 1e-9*math.Max(1, p.spread) {
		return o.spread < p.spread
	}
	return o.below < p.below
}

func bfRoleIndex(r geo.Role) int {
	return map[geo.Role]int{geo.RolePolice: 0, geo.RoleAuxiliary: 1, geo.RoleGridWorker: 2, geo.RoleVolunteer: 3}[r]
}

// evaluate returns the objective with every officer serving grids.
func (in *bfInstance) evaluate(grids [][]int) bfObjective {
	n := len(in.grids)
	weight := make([]float64, n)
	var sumD float64
	for _, d := range in.demand {
		sumD += d
	}
	for g, d := range in.demand {
		weight[g] = 1
		if in.split == coverage.SplitDemand && sumD > 0 {
			weight[g] = math.Max(d, coverage.DemandFloor*sumD/float64(n))
		}
	}
	police := make([]float64, n)
	head := make([][4]int, n)
	for k, o := range in.officers {
		var w float64
		for _, g := range grids[k] {
			w += weight[g]
		}
		for _, g := range grids[k] {
			head[g][bfRoleIndex(o.role)]++
			if o.role == geo.RolePolice {
				police[g] += weight[g] / w
			}
		}
	}
	li := make([]float64, n)
	top := 0.0
	for g := range li {
		if head[g][0] > 0 {
			li[g] = in.demand[g] / police[g]
			top = math.Max(top, li[g])
		}
	}
	var o bfObjective
	var sum float64
	for g := range li {
		if head[g][0] == 0 {
			li[g] = top + 1 + in.demand[g]
		}
		o.max = math.Max(o.max, li[g])
		sum += li[g]
		if head[g][0] < 1 {
			o.below++ // the grid norm: a linked police officer
		}
	}
	for g := range li {
		o.spread += (li[g] - sum/float64(n)) * (li[g] - sum/float64(n))
	}
	o.spread = math.Sqrt(o.spread / float64(n))
	return o
}

// after returns every officer's grids after the moves.
func (in *bfInstance) after(moves []bfMove) [][]int {
	out := make([][]int, len(in.officers))
	for k, o := range in.officers {
		out[k] = append([]int(nil), o.grids...)
	}
	for _, m := range moves {
		var keep []int
		for _, g := range out[m.officer] {
			if g != m.from {
				keep = append(keep, g)
			}
		}
		out[m.officer] = append(keep, m.to)
	}
	return out
}

// candidates lists every single move allowed alone, ignoring the minimum
// headcounts (checked on whole sets).
func (in *bfInstance) candidates() []bfMove {
	var out []bfMove
	for k, o := range in.officers {
		if !slices.Contains(in.c.Roles, o.role) {
			continue
		}
		froms := o.grids
		if len(o.grids) == 0 {
			if !in.c.FromStation {
				continue
			}
			froms = []int{-1}
		}
		for _, from := range froms {
			start := in.station
			if from >= 0 {
				start = in.centre[from]
			}
			for to := range in.grids {
				if to == from || slices.Contains(o.grids, to) {
					continue
				}
				if in.c.MaxDistanceM > 0 && geo.Distance(start, in.centre[to]) > in.c.MaxDistanceM {
					continue
				}
				out = append(out, bfMove{k, from, to})
			}
		}
	}
	return out
}

// validSet reports whether a set of moves of distinct officers can be made
// one at a time, in some order, without a move taking its grid below the
// minimum: every order is tried.
func (in *bfInstance) validSet(moves []bfMove) bool {
	mins := [4]int{in.c.MinPerGrid.Police, in.c.MinPerGrid.Auxiliaries, in.c.MinPerGrid.GridWorkers, in.c.MinPerGrid.Volunteers}
	var try func(head [][4]int, left []bfMove) bool
	try = func(head [][4]int, left []bfMove) bool {
		if len(left) == 0 {
			return true
		}
		for i, m := range left {
			r := bfRoleIndex(in.officers[m.officer].role)
			if m.from >= 0 && head[m.from][r]-1 < mins[r] {
				continue
			}
			next := slices.Clone(head)
			if m.from >= 0 {
				next[m.from][r]--
			}
			next[m.to][r]++
			if try(next, slices.Delete(slices.Clone(left), i, i+1)) {
				return true
			}
		}
		return false
	}
	head := make([][4]int, len(in.grids))
	for _, o := range in.officers {
		for _, g := range o.grids {
			head[g][bfRoleIndex(o.role)]++
		}
	}
	return try(head, moves)
}

// cyclic reports whether moves of one role between grids go round a
// cycle (a swap A→B, B→A is the shortest): found by removing, over and
// over, every grid that no remaining move leaves or none enters.
func (in *bfInstance) cyclic(moves []bfMove) bool {
	for r := range 4 {
		var edges []bfMove
		for _, m := range moves {
			if m.from >= 0 && bfRoleIndex(in.officers[m.officer].role) == r {
				edges = append(edges, m)
			}
		}
		for changed := true; changed; {
			changed = false
			for i := 0; i < len(edges); i++ {
				e := edges[i]
				leaves := slices.ContainsFunc(edges, func(f bfMove) bool { return f.from == e.to })
				enters := slices.ContainsFunc(edges, func(f bfMove) bool { return f.to == e.from })
				if !leaves || !enters {
					edges = slices.Delete(edges, i, i+1)
					changed = true
					break
				}
			}
		}
		if len(edges) > 0 {
			return true
		}
	}
	return false
}

// distance returns the total length of the moves: grid centre to grid
// centre, or station to grid centre.
func (in *bfInstance) distance(moves []bfMove) float64 {
	var d float64
	for _, m := range moves {
		start := in.station
		if m.from >= 0 {
			start = in.centre[m.from]
		}
		d += geo.Distance(start, in.centre[m.to])
	}
	return d
}

// bfPlan is a set of moves with its objective and total distance.
type bfPlan struct {
	moves []bfMove
	obj   bfObjective
	dist  float64
}

// optimal returns the plans that the definition of the planner's objective
// makes optimal (docs/load.md): the lowest highest load index M*; within
// the tie tolerance of M*, the lowest spread S*; within the tolerance of
// S*, the fewest grids below the norm; of those, the shortest.
func bfOptimal(plans []bfPlan, tol float64) []bfPlan {
	near := func(v, best float64) bool { return v <= best+tol*best+1e-9*math.Max(1, best) }
	m := math.Inf(1)
	for _, p := range plans {
		m = math.Min(m, p.obj.max)
	}
	var c1 []bfPlan
	s := math.Inf(1)
	for _, p := range plans {
		if near(p.obj.max, m) {
			c1 = append(c1, p)
			s = math.Min(s, p.obj.spread)
		}
	}
	var c2 []bfPlan
	b := math.MaxInt
	for _, p := range c1 {
		if near(p.obj.spread, s) {
			c2 = append(c2, p)
			b = min(b, p.obj.below)
		}
	}
	d := math.Inf(1)
	for _, p := range c2 {
		if p.obj.below == b {
			d = math.Min(d, p.dist)
		}
	}
	var out []bfPlan
	for _, p := range c2 {
		if p.obj.below == b && p.dist <= d+1e-6 {
			out = append(out, p)
		}
	}
	return out
}

// optimum enumerates every set of at most MaxMoves moves of distinct
// officers (allowed in some order, without a cycle) and returns the
// optimal plans and the number of sets.
func (in *bfInstance) optimum() ([]bfPlan, int) {
	plans, sets := in.plans()
	return bfOptimal(plans, in.c.TieTolerance), sets
}

// plans returns every allowed set of moves, the empty one first.
func (in *bfInstance) plans() ([]bfPlan, int) {
	cands := in.candidates()
	plans := []bfPlan{{obj: in.evaluate(in.after(nil))}}
	sets := 0
	used := map[int]bool{}
	var chosen []bfMove
	var rec func(start int)
	rec = func(start int) {
		if len(chosen) > 0 && in.validSet(chosen) && !in.cyclic(chosen) {
			sets++
			mv := append([]bfMove(nil), chosen...)
			plans = append(plans, bfPlan{moves: mv, obj: in.evaluate(in.after(mv)), dist: in.distance(mv)})
		}
		if len(chosen) == in.c.MaxMoves {
			return
		}
		for i := start; i < len(cands); i++ {
			m := cands[i]
			if used[m.officer] {
				continue
			}
			used[m.officer] = true
			chosen = append(chosen, m)
			rec(i + 1)
			chosen = chosen[:len(chosen)-1]
			used[m.officer] = false
		}
	}
	rec(0)
	return plans, sets
}

// bfLayouts are the grid layouts of the random instances: checking that
// grids tile a district costs milliseconds, so each layout is indexed once
// and instances only swap its responders and incidents.
var bfLayouts = sync.OnceValues(func() ([]*geo.Atlas, error) {
	rng := rand.New(rand.NewPCG(7, 7))
	var out []*geo.Atlas
	for range 24 {
		n := 4 + rng.IntN(3)
		d := &geo.Dataset{Meta: geo.Meta{Name: "brute force", AsOf: loadAsOf},
			Stations: []*geo.Station{{ID: "S1", Name: "Station", Point: loadPoint(1.5, 1)}}}
		for i := range n {
			x, y := float64(i%3), float64(i/3)
			pop := rng.IntN(3000)
			id := fmt.Sprintf("G%d", i+1)
			d.Grids = append(d.Grids, &geo.Grid{ID: id, Name: id, Village: "V", Township: "T",
				Polygon: loadRect(x, y, x+1, y+1), Population: pop, Households: pop / 3})
		}
		a, err := geo.NewAtlas(d, geo.Options{})
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, nil
})

// bfRandom builds a random instance: one of the layouts of 4 to 6 grids in
// two rows, random incidents, 3 to 5 police officers with 1 to 3 grids
// each, up to 2 at the station, a few auxiliaries, and random constraints.
func bfRandom(t *testing.T, rng *rand.Rand) (*geo.Atlas, *bfInstance) {
	t.Helper()
	layouts, err := bfLayouts()
	require.NoError(t, err)
	a := layouts[rng.IntN(len(layouts))]
	n := a.Grids.Len()
	in := &bfInstance{station: loadPoint(1.5, 1)}
	var incidents, responders []geo.Feature
	for i := range n {
		x, y := float64(i%3), float64(i/3)
		in.grids = append(in.grids, a.Grids.At(i).ID)
		in.centre = append(in.centre, loadPoint(x+0.5, y+0.5))
		for k := range rng.IntN(4) {
			incidents = append(incidents, &geo.Incident{ID: fmt.Sprintf("I%d-%d", i, k), Category: "c", Source: geo.Source110,
				Time: loadAsOf.Add(-time.Duration(1+rng.IntN(300)) * 24 * time.Hour), Point: loadPoint(x+0.3+0.1*float64(k), y+0.5)})
		}
	}
	add := func(role geo.Role, grids []int) {
		o := bfOfficer{id: fmt.Sprintf("R%d", len(in.officers)+1), role: role, grids: grids}
		r := &geo.Responder{ID: o.id, Name: o.id, Role: role, Station: "S1", Point: loadPoint(1, 1), Updated: loadAsOf}
		for _, g := range grids {
			r.Grids = append(r.Grids, in.grids[g])
		}
		in.officers = append(in.officers, o)
		responders = append(responders, r)
	}
	for range 3 + rng.IntN(3) {
		add(geo.RolePolice, rng.Perm(n)[:1+rng.IntN(3)])
	}
	for range rng.IntN(3) {
		add(geo.RolePolice, nil)
	}
	for range rng.IntN(4) {
		add(geo.RoleAuxiliary, rng.Perm(n)[:1+rng.IntN(2)])
	}
	in.split = []coverage.Split{coverage.SplitEqual, coverage.SplitDemand}[rng.IntN(2)]
	in.c = coverage.ReallocConstraints{MaxMoves: 1 + rng.IntN(3), Roles: []geo.Role{geo.RolePolice},
		MinPerGrid: coverage.Staff[int]{Police: rng.IntN(2)}, FromStation: rng.IntN(2) == 0,
		TieTolerance: []float64{0, 0.01, 0.05}[rng.IntN(3)]}
	if rng.IntN(3) == 0 {
		in.c.MaxDistanceM = 1200
	}
	if rng.IntN(4) == 0 {
		in.c.Roles = append(in.c.Roles, geo.RoleAuxiliary)
	}
	a, err = a.WithLayer(geo.LayerIncidents, incidents)
	require.NoError(t, err)
	a, err = a.WithLayer(geo.LayerResponders, responders)
	require.NoError(t, err)
	return a, in
}

// bfPlanOf returns the planner's moves as brute-force moves.
func bfPlanOf(a *geo.Atlas, p *coverage.ReallocPlan) []bfMove {
	var moves []bfMove
	for _, m := range p.Moves {
		from := -1
		if m.FromGrid != "" {
			from = a.Grids.Index(m.FromGrid)
		}
		moves = append(moves, bfMove{a.Responders.Index(m.Officer), from, a.Grids.Index(m.ToGrid)})
	}
	return moves
}

// bfSolve runs the planner on a random instance.
func bfSolve(t *testing.T, rng *rand.Rand) (*geo.Atlas, *bfInstance, *coverage.ReallocPlan) {
	t.Helper()
	a, in := bfRandom(t, rng)
	l, err := coverage.Load(a, coverage.LoadOptions{Split: in.split})
	require.NoError(t, err)
	for _, g := range l.Grids {
		in.demand = append(in.demand, g.Demand)
	}
	p, err := coverage.Reallocate(context.Background(), a, l, in.c)
	require.NoError(t, err)
	return a, in, p
}

// Small districts take the exhaustive search, so its plan must be one of
// the plans that the definition makes optimal, found here by enumerating
// every set of moves independently of the planner.
func TestReallocate_OptimalAgainstBruteForce(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(4, 2026))
	const instances = 60
	improvable := 0
	for i := range instances {
		a, in, p := bfSolve(t, rng)
		moves := bfPlanOf(a, p)
		require.LessOrEqual(t, len(moves), in.c.MaxMoves)
		require.True(t, in.validSet(moves), "instance %d: the plan breaks a constraint", i)
		require.False(t, in.cyclic(moves), "instance %d: the plan has a cycle of moves", i)
		got := in.evaluate(in.after(moves))
		require.InDelta(t, got.max, p.After.MaxLoadIndex, 1e-9, "instance %d", i)
		require.InDelta(t, got.spread, p.After.LoadIndexSpread, 1e-9, "instance %d", i)
		require.InDelta(t, in.distance(moves), p.TotalDistanceM, 1e-6, "instance %d", i)
		best, sets := in.optimum()
		ok := slices.ContainsFunc(best, func(b bfPlan) bool {
			return math.Abs(b.obj.max-got.max) <= 1e-9*math.Max(1, got.max) &&
				math.Abs(b.obj.spread-got.spread) <= 1e-9*math.Max(1, got.spread) &&
				b.obj.below == got.below && math.Abs(b.dist-in.distance(moves)) <= 1e-6
		})
		require.True(t, ok, "instance %d (%d sets, split %s, %+v): planner %+v (%.0f m) with %v, optimal %+v",
			i, sets, in.split, in.c, got, in.distance(moves), moves, best)
		if len(best[0].moves) > 0 {
			improvable++
		}
		if len(moves) == 0 {
			require.NotEmpty(t, p.Explanation, "instance %d: a plan without moves says why", i)
		}
	}
	require.Positive(t, improvable)
	t.Logf("%d instances, %d with moves: the planner's plan optimal in every one", instances, improvable)
}
