package coverage_test

import (
	"testing"

	"github.com/paulmach/orb"
	"github.com/stretchr/testify/require"

	"gridwatch/coverage"
	"gridwatch/geo"
)

func TestResponsible(t *testing.T) {
	t.Parallel()
	a := stripAtlas(t)
	as := coverage.NewAssignments(a.Responders)
	tests := []struct {
		name                                   string
		pt                                     orb.Point
		inside                                 bool
		grid, village, township, beat, station string
		assigned                               []string
	}{
		{"west of g1", orb.Point{106.01, 37.41}, true, "g1", "V1", "T1", "B1", "S1", []string{"P1", "W1"}},
		{"g2 in beat B1", orb.Point{106.06, 37.41}, true, "g2", "V1", "T1", "B1", "S1", []string{"P1"}},
		{"g2 in beat B2", orb.Point{106.09, 37.41}, true, "g2", "V1", "T1", "B2", "S2", []string{"P1"}},
		{"g3", orb.Point{106.12, 37.44}, true, "g3", "V2", "T2", "B2", "S2", []string{"A1", "P3"}},
		{"g4", orb.Point{106.19, 37.44}, true, "g4", "V2", "T2", "B2", "S2", []string{"P2"}},
		{"north of the district", orb.Point{106.1, 37.5}, false, "", "", "", "", "", nil},
		{"far away", orb.Point{-70, -30}, false, "", "", "", "", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			for _, idx := range []*coverage.Assignments{as, nil} {
				got := coverage.Responsible(a, tt.pt, idx)
				require.Equal(t, tt.pt, got.Point)
				require.Equal(t, tt.inside, got.InsideDistrict)
				if !tt.inside {
					require.Nil(t, got.Grid)
					require.Nil(t, got.Village)
					require.Nil(t, got.Township)
					require.Nil(t, got.Beat)
					require.Nil(t, got.Station)
					require.Empty(t, got.Assigned)
					continue
				}
				require.Equal(t, tt.grid, got.Grid.ID)
				require.Equal(t, tt.village, got.Village.ID)
				require.Equal(t, tt.township, got.Township.ID)
				require.Equal(t, tt.beat, got.Beat.ID)
				require.Equal(t, tt.station, got.Station.ID)
				ids := make([]string, len(got.Assigned))
				for i, r := range got.Assigned {
					ids[i] = r.ID
				}
				require.Equal(t, tt.assigned, ids)
			}
		})
	}
}

func TestAssignments_Reindex(t *testing.T) {
	t.Parallel()
	a := stripAtlas(t)
	as := coverage.NewAssignments(a.Responders)
	require.True(t, as.For(a.Responders))
	require.Same(t, as, as.Reindex(a.Responders))

	// A position update: the index carries over and returns the moved
	// responder.
	moved := *a.Responders.At(0)
	moved.Point = orb.Point{106.02, 37.43}
	b, err := a.Update(geo.LayerResponders, []geo.Feature{&moved})
	require.NoError(t, err)
	require.False(t, as.For(b.Responders), "a write makes a new layer")
	bs := as.Reindex(b.Responders)
	require.True(t, bs.For(b.Responders))
	require.Equal(t, moved.Point, bs.Of("g1")[0].Point)

	// A change of assignment: the index is rebuilt.
	reassigned := *a.Responders.At(0)
	reassigned.Grids = []string{"g4"}
	c, err := a.Apply(geo.LayerResponders, []geo.Feature{&reassigned}, nil)
	require.NoError(t, err)
	cs := as.Reindex(c.Responders)
	require.Equal(t, []string{"W1"}, ids(cs.Of("g1")))
	require.Equal(t, []string{"P1", "P2"}, ids(cs.Of("g4")))
	require.Equal(t, ids(coverage.NewAssignments(c.Responders).Of("g4")), ids(cs.Of("g4")))

	var none *coverage.Assignments
	require.Equal(t, []string{"P1", "W1"}, ids(none.Reindex(a.Responders).Of("g1")))
}

func TestAssignments_Moved(t *testing.T) {
	t.Parallel()
	a := stripAtlas(t)
	as := coverage.NewAssignments(a.Responders)
	moved := *a.Responders.At(0)
	moved.Point = orb.Point{106.02, 37.43}
	b, err := a.Update(geo.LayerResponders, []geo.Feature{&moved})
	require.NoError(t, err)
	bs := as.Moved(a.Responders, b.Responders, []string{moved.ID})
	require.True(t, bs.For(b.Responders))
	require.Equal(t, moved.Point, bs.Of("g1")[0].Point, "the moved responder, read from the new layer")
	require.Equal(t, ids(coverage.NewAssignments(b.Responders).Of("g1")), ids(bs.Of("g1")))

	// A replaced responder whose grids changed, or an id the layer
	// lacks: the index is rebuilt, never carried over wrong.
	reassigned := *a.Responders.At(0)
	reassigned.Grids = []string{"g4"}
	c, err := a.Update(geo.LayerResponders, []geo.Feature{&reassigned})
	require.NoError(t, err)
	cs := as.Moved(a.Responders, c.Responders, []string{reassigned.ID})
	require.Equal(t, []string{"W1"}, ids(cs.Of("g1")))
	require.Equal(t, []string{"P1", "P2"}, ids(cs.Of("g4")))
	require.Equal(t, []string{"W1"}, ids(as.Moved(a.Responders, c.Responders, []string{"nobody"}).Of("g1")))

	// An index of another layer than prev is never carried over, even
	// with no id to check.
	require.Equal(t, []string{"W1"}, ids(bs.Moved(a.Responders, c.Responders, nil).Of("g1")))
	var none *coverage.Assignments
	require.Equal(t, []string{"P1", "W1"}, ids(none.Moved(a.Responders, a.Responders, nil).Of("g1")))
}

func ids(rs []*geo.Responder) []string {
	out := []string{}
	for _, r := range rs {
		out = append(out, r.ID)
	}
	return out
}
