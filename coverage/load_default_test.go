//go:build dataset

// Tests on the embedded default dataset, outside the race detector (it
// makes them minutes long): make test runs them with -tags dataset
// (make dataset-check).
package coverage_test

import (
	"context"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"gridwatch/coverage"
	"gridwatch/data"
	"gridwatch/geo"
)

// defaultLoad is the load of the embedded default dataset, computed once.
var defaultLoad = sync.OnceValues(func() (*geo.Atlas, *coverage.LoadResult) {
	ds, err := data.Default()
	if err != nil {
		panic(err)
	}
	a, err := geo.NewAtlas(ds, geo.Options{})
	if err != nil {
		panic(err)
	}
	l, err := coverage.Load(a, coverage.LoadOptions{})
	if err != nil {
		panic(err)
	}
	return a, l
})

// The default dataset shows the problems the documents name: some grids
// without a linked officer, some beats short of their officer and two
// auxiliaries, and township loads differing by 3 times or more, while the
// district meets its half-in-grids target.
func TestLoad_DefaultDatasetIsShortStaffed(t *testing.T) {
	t.Parallel()
	a, l := defaultLoad()
	c := l.Compliance
	require.Positive(t, c.GridsBelowNorm)
	require.Less(t, c.GridsBelowNorm, c.Grids/20)
	require.Positive(t, c.BeatsBelowNorm)
	require.Less(t, c.BeatsBelowNorm, c.Beats/2)
	require.InDelta(t, 0.55, *c.PoliceInGridsShare, 0.05, "40–50 % of the police at stations")
	lo, hi := 0.0, 0.0
	for i, u := range l.Summary(a, coverage.LevelTownship) {
		require.NotNil(t, u.LoadIndex, u.Unit.ID)
		if i == 0 || *u.LoadIndex < lo {
			lo = *u.LoadIndex
		}
		hi = max(hi, *u.LoadIndex)
	}
	require.GreaterOrEqual(t, hi/lo, 3.0, "township loads differ by 3 times or more")
}

// The default plan (max_moves 10 and every other default) lowers the
// highest load index by 15 % or more, as the README shows.
func TestReallocate_DefaultPlanOnTheDefaultDataset(t *testing.T) {
	t.Parallel()
	a, l := defaultLoad()
	p, err := coverage.Reallocate(context.Background(), a, l, coverage.DefaultReallocConstraints())
	require.NoError(t, err)
	require.NotEmpty(t, p.Moves)
	require.LessOrEqual(t, p.After.MaxLoadIndex, 0.85*p.Before.MaxLoadIndex)
	require.Less(t, p.After.GridsUnstaffed, p.Before.GridsUnstaffed)
	for _, m := range p.Moves {
		require.NotEmpty(t, m.Reason)
	}
}
