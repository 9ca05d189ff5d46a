package coverage_test

import (
	"context"
	"math"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"gridwatch/coverage"
	"gridwatch/geo"
)

func TestReallocate_RejectsBadConstraints(t *testing.T) {
	t.Parallel()
	a := loadAtlas(t)
	l, err := coverage.Load(a, coverage.LoadOptions{Window: loadWindow(t, a)})
	require.NoError(t, err)
	tests := []struct {
		name   string
		change func(c *coverage.ReallocConstraints)
		field  string
	}{
		{"negative moves", func(c *coverage.ReallocConstraints) { c.MaxMoves = -1 }, "max_moves"},
		{"too many moves", func(c *coverage.ReallocConstraints) { c.MaxMoves = coverage.MaxReallocMoves + 1 }, "max_moves"},
		{"no roles", func(c *coverage.ReallocConstraints) { c.Roles = nil }, "roles"},
		{"unknown role", func(c *coverage.ReallocConstraints) { c.Roles = []geo.Role{"police", "sheriff"} }, "roles[1]"},
		{"negative distance", func(c *coverage.ReallocConstraints) { c.MaxDistanceM = -5 }, "max_distance_m"},
		{"infinite distance", func(c *coverage.ReallocConstraints) { c.MaxDistanceM = math.Inf(1) }, "max_distance_m"},
		{"negative minimum", func(c *coverage.ReallocConstraints) { c.MinPerGrid.Police = -1 }, "min_police_per_grid"},
		{"huge minimum", func(c *coverage.ReallocConstraints) { c.MinPerGrid.Volunteers = 1000 }, "min_volunteers_per_grid"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := coverage.DefaultReallocConstraints()
			tt.change(&c)
			_, err := coverage.Reallocate(context.Background(), a, l, c)
			var ge *geo.Error
			require.ErrorAs(t, err, &ge)
			require.Equal(t, geo.Invalid, ge.Code)
			require.Len(t, ge.Problems, 1)
			require.Equal(t, tt.field, ge.Problems[0].Field)
		})
	}
}

func TestReallocate_StaffsTheUnstaffedGrid(t *testing.T) {
	t.Parallel()
	a := loadAtlas(t)
	l, err := coverage.Load(a, coverage.LoadOptions{Window: loadWindow(t, a)})
	require.NoError(t, err)
	p, err := coverage.Reallocate(context.Background(), a, l, coverage.DefaultReallocConstraints())
	require.NoError(t, err)
	// G4 has nobody, so its index tops every other until someone joins it;
	// only G2 has two officers to give, directly or through a chain.
	require.Equal(t, 1, p.Before.GridsUnstaffed)
	require.Zero(t, p.After.GridsUnstaffed)
	require.Less(t, p.After.MaxLoadIndex, p.Before.MaxLoadIndex)
	joined := false
	for _, m := range p.Moves {
		joined = joined || m.ToGrid == "G4"
		require.Contains(t, []string{"G2", "G5", "G6", "G3", "G1"}, m.FromGrid)
		require.InDelta(t, geo.Distance(a.Grids.At(a.Grids.Index(m.FromGrid)).Polygon.Bound().Center(),
			a.Grids.At(a.Grids.Index(m.ToGrid)).Polygon.Bound().Center()), m.DistanceM, 1e-6)
	}
	require.True(t, joined)
	require.Equal(t, "G2", p.Moves[0].FromGrid, "the first move leaves the only grid with two officers")
}

func TestReallocate_ZeroMoves(t *testing.T) {
	t.Parallel()
	a := loadAtlas(t)
	l, err := coverage.Load(a, coverage.LoadOptions{Window: loadWindow(t, a)})
	require.NoError(t, err)
	c := coverage.DefaultReallocConstraints()
	c.MaxMoves = 0
	p, err := coverage.Reallocate(context.Background(), a, l, c)
	require.NoError(t, err)
	require.Empty(t, p.Moves)
	require.Equal(t, p.Before, p.After)
}

// reallocApply returns the atlas with the moves made on its responders.
func reallocApply(t *testing.T, a *geo.Atlas, moves []coverage.Move) *geo.Atlas {
	t.Helper()
	for _, m := range moves {
		r, ok := a.Responders.Get(m.Officer)
		require.True(t, ok)
		cp := *r
		cp.Grids = slices.DeleteFunc(slices.Clone(r.Grids), func(g string) bool { return g == m.FromGrid })
		cp.Grids = append(cp.Grids, m.ToGrid)
		var err error
		a, err = a.Apply(geo.LayerResponders, []geo.Feature{&cp}, nil)
		require.NoError(t, err)
	}
	return a
}

// reallocSummaryOf measures a load result as the planner summarises it.
func reallocSummaryOf(l *coverage.LoadResult) coverage.ReallocSummary {
	var s coverage.ReallocSummary
	var sum, sum2 float64
	for i, g := range l.Grids {
		if i == 0 || g.LoadIndex > s.MaxLoadIndex {
			s.MaxLoadIndex = g.LoadIndex
		}
		sum += g.LoadIndex
		if g.BelowNorm {
			s.GridsBelowNorm++
		}
		if !g.Staffed() {
			s.GridsUnstaffed++
		}
	}
	mean := sum / float64(len(l.Grids))
	for _, g := range l.Grids {
		sum2 += (g.LoadIndex - mean) * (g.LoadIndex - mean)
	}
	s.LoadIndexSpread = math.Sqrt(sum2 / float64(len(l.Grids)))
	return s
}

func TestReallocate_AgreesWithLoadAfterTheMoves(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		split  coverage.Split
		change func(c *coverage.ReallocConstraints)
	}{
		{"default", coverage.SplitEqual, func(*coverage.ReallocConstraints) {}},
		{"from the station, nobody below 0", coverage.SplitEqual, func(c *coverage.ReallocConstraints) {
			c.FromStation, c.MinPerGrid.Police = true, 0
		}},
		{"demand split", coverage.SplitDemand, func(c *coverage.ReallocConstraints) {
			c.FromStation, c.MinPerGrid.Police = true, 0
		}},
		{"auxiliaries too", coverage.SplitEqual, func(c *coverage.ReallocConstraints) {
			c.Roles = []geo.Role{geo.RolePolice, geo.RoleAuxiliary}
			c.FromStation, c.MinPerGrid.Police = true, 0
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			a := loadAtlas(t)
			opt := coverage.LoadOptions{Window: loadWindow(t, a), Split: tt.split}
			before, err := coverage.Load(a, opt)
			require.NoError(t, err)
			c := coverage.DefaultReallocConstraints()
			tt.change(&c)
			p, err := coverage.Reallocate(context.Background(), a, before, c)
			require.NoError(t, err)
			require.NotEmpty(t, p.Moves)
			reallocRequireSummary(t, reallocSummaryOf(before), p.Before)
			opt.Means = &before.Means
			cur := a
			for i, m := range p.Moves {
				prev, err := coverage.Load(cur, opt)
				require.NoError(t, err)
				cur = reallocApply(t, cur, p.Moves[i:i+1])
				next, err := coverage.Load(cur, opt)
				require.NoError(t, err)
				to := cur.Grids.Index(m.ToGrid)
				require.InDelta(t, prev.Grids[to].LoadIndex, m.ToBefore, 1e-9, "move %d", i)
				require.InDelta(t, next.Grids[to].LoadIndex, m.ToAfter, 1e-9, "move %d", i)
				if m.FromGrid != "" {
					from := cur.Grids.Index(m.FromGrid)
					require.InDelta(t, prev.Grids[from].LoadIndex, *m.FromBefore, 1e-9, "move %d", i)
					require.InDelta(t, next.Grids[from].LoadIndex, *m.FromAfter, 1e-9, "move %d", i)
				} else {
					require.Nil(t, m.FromBefore)
					require.Equal(t, "S1", m.FromStation)
				}
			}
			after, err := coverage.Load(cur, opt)
			require.NoError(t, err)
			reallocRequireSummary(t, reallocSummaryOf(after), p.After)
			require.True(t, p.After.MaxLoadIndex < p.Before.MaxLoadIndex ||
				p.After.LoadIndexSpread < p.Before.LoadIndexSpread || p.After.GridsBelowNorm < p.Before.GridsBelowNorm)
		})
	}
}

func reallocRequireSummary(t *testing.T, want, got coverage.ReallocSummary) {
	t.Helper()
	require.InDelta(t, want.MaxLoadIndex, got.MaxLoadIndex, 1e-9)
	require.InDelta(t, want.LoadIndexSpread, got.LoadIndexSpread, 1e-9)
	require.Equal(t, want.GridsBelowNorm, got.GridsBelowNorm)
	require.Equal(t, want.GridsUnstaffed, got.GridsUnstaffed)
}

func TestReallocate_RespectsTheLongestMove(t *testing.T) {
	t.Parallel()
	a := loadAtlas(t)
	l, err := coverage.Load(a, coverage.LoadOptions{Window: loadWindow(t, a)})
	require.NoError(t, err)
	c := coverage.DefaultReallocConstraints()
	// G2's centre is about 1,420 m from G4's: too far.
	c.MaxDistanceM = 1200
	c.MaxMoves = 5
	p, err := coverage.Reallocate(context.Background(), a, l, c)
	require.NoError(t, err)
	require.NotEmpty(t, p.Moves)
	for _, m := range p.Moves {
		require.LessOrEqual(t, m.DistanceM, 1200.0)
		require.False(t, m.FromGrid == "G2" && m.ToGrid == "G4")
	}
}
