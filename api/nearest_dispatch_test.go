package api

import (
	"testing"

	"github.com/stretchr/testify/require"

	"gridwatch/geo"
)

// TestDispatch_AssignmentsCacheOnlyMovesForward: a reader still holding
// the atlas before a write gets its index without replacing the one the
// write pipeline readied for the new atlas (which made every reader of
// the new atlas re-check the whole layer).
func TestDispatch_AssignmentsCacheOnlyMovesForward(t *testing.T) {
	t.Parallel()
	d := newDispatch(Options{})
	a0 := fixtureAtlas(t, 0)
	r, _ := a0.Responders.Get("r2")
	moved := *r
	moved.Point = fixPoint(1.5, 1.5)
	a1, err := a0.Update(geo.LayerResponders, []geo.Feature{&moved})
	require.NoError(t, err)

	require.True(t, d.assignmentsFor(a0).For(a0.Responders))
	d.carryAssignments(a0, a1, []string{"r2"})
	require.True(t, d.assignments.Load().as.For(a1.Responders), "readied for the new atlas")

	old := d.assignmentsFor(a0)
	require.True(t, old.For(a0.Responders), "the old reader gets the old layer's index")
	require.True(t, d.assignments.Load().as.For(a1.Responders), "and the cache stays on the new atlas")
	require.Equal(t, a1.Responders.Version(), d.assignments.Load().version)
}
