package coverage_test

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
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
		if head[g][0] < 1 || head[g][1] < 2 {
			o.below++
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

// optimum enumerates every set of at most MaxMoves moves of distinct
// officers and returns the best objective.
func (in *bfInstance) optimum() (bfObjective, int) {
	o, n, _ := in.optimumSet()
	return o, n
}

func (in *bfInstance) optimumSet() (bfObjective, int, []bfMove) {
	var bestSet []bfMove
	cands := in.candidates()
	best := in.evaluate(in.after(nil))
	sets := 0
	used := map[int]bool{}
	var chosen []bfMove
	var rec func(start int)
	rec = func(start int) {
		if len(chosen) > 0 && in.validSet(chosen) {
			sets++
			if o := in.evaluate(in.after(chosen)); o.better(best) {
				best = o
				bestSet = append([]bfMove(nil), chosen...)
			}
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
	return best, sets, bestSet
}

// bfRandom builds a random instance: 4 to 6 grids in two rows, 3 to 5
// police officers with 1 to 3 grids each, up to 2 at the station, a few
// auxiliaries, and random constraints.
func bfRandom(t *testing.T, rng *rand.Rand) (*geo.Atlas, *bfInstance) {
	t.Helper()
	n := 4 + rng.IntN(3)
	d := &geo.Dataset{Meta: geo.Meta{Name: "brute force", AsOf: loadAsOf},
		Stations: []*geo.Station{{ID: "S1", Name: "Station", Point: loadPoint(1.5, 1)}}}
	in := &bfInstance{station: loadPoint(1.5, 1)}
	for i := range n {
		x, y := float64(i%3), float64(i/3)
		pop := rng.IntN(3000)
		id := fmt.Sprintf("G%d", i+1)
		d.Grids = append(d.Grids, &geo.Grid{ID: id, Name: id, Village: "V", Township: "T",
			Polygon: loadRect(x, y, x+1, y+1), Population: pop, Households: pop / 3})
		in.grids = append(in.grids, id)
		in.centre = append(in.centre, loadPoint(x+0.5, y+0.5))
		for k := range rng.IntN(4) {
			d.Incidents = append(d.Incidents, &geo.Incident{ID: fmt.Sprintf("I%d-%d", i, k), Category: "c", Source: geo.Source110,
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
		d.Responders = append(d.Responders, r)
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
		MinPerGrid: coverage.Staff[int]{Police: rng.IntN(2)}, FromStation: rng.IntN(2) == 0}
	if rng.IntN(3) == 0 {
		in.c.MaxDistanceM = 1200
	}
	if rng.IntN(4) == 0 {
		in.c.Roles = append(in.c.Roles, geo.RoleAuxiliary)
	}
	a, err := geo.NewAtlas(d, geo.Options{})
	require.NoError(t, err)
	return a, in
}

func TestReallocate_WithinFivePercentOfBruteForce(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(4, 2026))
	const instances = 60
	var worst, total float64
	optimal, improvable := 0, 0
	for i := range instances {
		a, in := bfRandom(t, rng)
		l, err := coverage.Load(a, coverage.LoadOptions{Split: in.split})
		require.NoError(t, err)
		for _, g := range l.Grids {
			in.demand = append(in.demand, g.Demand)
		}
		p, err := coverage.Reallocate(context.Background(), a, l, in.c)
		require.NoError(t, err)
		var moves []bfMove
		for _, m := range p.Moves {
			k := a.Responders.Index(m.Officer)
			from := -1
			if m.FromGrid != "" {
				from = a.Grids.Index(m.FromGrid)
			}
			moves = append(moves, bfMove{k, from, a.Grids.Index(m.ToGrid)})
		}
		require.LessOrEqual(t, len(moves), in.c.MaxMoves)
		require.True(t, in.validSet(moves), "instance %d: the plan breaks a constraint", i)
		got := in.evaluate(in.after(moves))
		require.InDelta(t, got.max, p.After.MaxLoadIndex, 1e-9, "instance %d", i)
		require.InDelta(t, got.spread, p.After.LoadIndexSpread, 1e-9, "instance %d", i)
		best, sets := in.optimum()
		require.False(t, got.better(best), "instance %d: better than exhaustive search", i)
		ratio := got.max / best.max
		worst = math.Max(worst, ratio)
		total += ratio
		if !best.better(got) {
			optimal++
		}
		if best.better(in.evaluate(in.after(nil))) {
			improvable++
		}
		if ratio > 1.05 {
			_, _, set := in.optimumSet()
			t.Errorf("instance %d (%d sets, split %s, %+v): planner %.4f with %v, optimum %.4f with %v",
				i, sets, in.split, in.c, got.max, moves, best.max, set)
		}
	}
	t.Logf("planner / brute-force optimum of the highest load index over %d instances (%d improvable): worst %.4f, mean %.4f; whole objective optimal in %d",
		instances, improvable, worst, total/instances, optimal)
}
