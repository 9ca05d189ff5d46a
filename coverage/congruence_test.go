package coverage_test

import (
	"context"
	"math"
	"testing"

	"github.com/stretchr/testify/require"

	"gridwatch/coverage"
	"gridwatch/geo"
)

// congExact returns the exact share of each fixture grid in each beat: the
// grids and beats are lon/lat rectangles, so their intersections are too,
// and loadRectArea gives their exact areas.
func congExact() map[string]map[string]float64 {
	beats := map[string][4]float64{"B1": {0, 0, 1.3, 2}, "B2": {1.3, 0, 3, 0.7}, "B3": {1.3, 0.7, 3, 2}}
	out := map[string]map[string]float64{}
	for _, g := range loadGrids {
		out[g.id] = map[string]float64{}
		whole := loadRectArea(g.x, g.y, g.x+1, g.y+1)
		for id, b := range beats {
			x0, y0 := math.Max(g.x, b[0]), math.Max(g.y, b[1])
			x1, y1 := math.Min(g.x+1, b[2]), math.Min(g.y+1, b[3])
			if x1 > x0 && y1 > y0 {
				out[g.id][id] = loadRectArea(x0, y0, x1, y1) / whole
			}
		}
	}
	return out
}

// congExactDominant returns the dominant beat and share of each grid and
// the exact district score.
func congExactDominant() (map[string]string, map[string]float64, float64) {
	beat, share := map[string]string{}, map[string]float64{}
	var in, tot float64
	for _, g := range loadGrids {
		for id, s := range congExact()[g.id] {
			if s > share[g.id] {
				beat[g.id], share[g.id] = id, s
			}
		}
		a := loadRectArea(g.x, g.y, g.x+1, g.y+1)
		in += a * share[g.id]
		tot += a
	}
	return beat, share, in / tot
}

func TestCongruence_ErrorAgainstExactGeometry(t *testing.T) {
	t.Parallel()
	a := loadAtlas(t)
	beat, share, score := congExactDominant()
	tests := []struct {
		name       string
		resolution int
		maxErr     float64 // share of a grid's area
	}{
		{"adaptive", 0, 0.01},
		{"res 10", 10, 0.05},
		{"res 11", 11, 0.015},
		{"res 12", 12, 0.005},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := coverage.Congruence(context.Background(), a, coverage.CongruenceOptions{Resolution: tt.resolution, SplitTolerance: coverage.DefaultSplitTolerance})
			require.NoError(t, err)
			var worst float64
			for _, g := range c.Grids {
				require.Equal(t, beat[g.Grid.ID], g.DominantBeat, g.Grid.ID)
				worst = math.Max(worst, math.Abs(g.Share-share[g.Grid.ID]))
				exact := congExact()[g.Grid.ID]
				var sum float64
				for _, b := range g.Beats {
					sum += b.Share
					worst = math.Max(worst, math.Abs(b.Share-exact[b.Beat]))
				}
				require.InDelta(t, 1, sum, 1e-9)
				require.Equal(t, share[g.Grid.ID] < 0.99, g.Split, g.Grid.ID)
				if tt.resolution != 0 && g.Cells > 0 {
					require.Equal(t, tt.resolution, g.Resolution)
				}
			}
			t.Logf("%s: largest error of a beat share %.4f of the grid's area; score %.4f, exact %.4f", tt.name, worst, c.Score, score)
			require.LessOrEqual(t, worst, tt.maxErr)
			require.InDelta(t, score, c.Score, tt.maxErr)
			require.Equal(t, 3, c.SplitGrids, "G2, G3 and G5")
		})
	}
}

func TestCongruence_PiecesOutsideTheDominantBeat(t *testing.T) {
	t.Parallel()
	a := loadAtlas(t)
	c, err := coverage.Congruence(context.Background(), a, coverage.CongruenceOptions{Pieces: true, SplitTolerance: coverage.DefaultSplitTolerance})
	require.NoError(t, err)
	exact := congExact()
	byGrid := map[string]coverage.GridCongruence{}
	for _, g := range c.Grids {
		byGrid[g.Grid.ID] = g
	}
	tests := []struct {
		grid, dominant string
		pieces         map[string]int // beat → pieces in it
	}{
		{"G1", "B1", nil},
		{"G2", "B2", map[string]int{"B1": 1, "B3": 1}},
		{"G3", "B2", map[string]int{"B3": 1}},
		{"G5", "B3", map[string]int{"B1": 1}},
	}
	for _, tt := range tests {
		t.Run(tt.grid, func(t *testing.T) {
			g := byGrid[tt.grid]
			require.Equal(t, tt.dominant, g.DominantBeat)
			got := map[string]int{}
			for _, p := range g.Pieces {
				got[p.Beat]++
				require.Equal(t, tt.grid, p.Grid)
				require.Equal(t, tt.dominant, p.DominantBeat)
				require.Greater(t, geo.RingArea(p.Polygon[0]), 0.0, "outer ring counter-clockwise")
				for _, h := range p.Polygon[1:] {
					require.Less(t, geo.RingArea(h), 0.0, "holes clockwise")
				}
				// The piece is the beat's part of the grid, to within the
				// cells along its edges.
				want := exact[tt.grid][p.Beat] * g.AreaM2
				require.InEpsilon(t, want, p.AreaM2, 0.08, "piece in %s", p.Beat)
				require.InDelta(t, p.AreaM2, geo.PolygonArea(p.Polygon), 1e-6*p.AreaM2)
			}
			if tt.pieces == nil {
				require.Empty(t, g.Pieces)
				return
			}
			require.Equal(t, tt.pieces, got)
		})
	}
}

func TestCongruence_GridsAwayFromBeatEdgesAreExact(t *testing.T) {
	t.Parallel()
	d := loadDataset(t)
	// One beat around the whole fixture with a margin: no beat edge comes
	// near any grid.
	d.Beats = []*geo.Beat{{ID: "BIG", Name: "Everything", Station: "S1", Polygon: loadRect(-1, -1, 4, 3)}}
	a := loadAtlasOf(t, d)
	c, err := coverage.Congruence(context.Background(), a, coverage.CongruenceOptions{Pieces: true})
	require.NoError(t, err)
	require.InDelta(t, 1, c.Score, 1e-12)
	for _, g := range c.Grids {
		require.Equal(t, "BIG", g.DominantBeat)
		require.Equal(t, 1.0, g.Share)
		require.Zero(t, g.Resolution, "answered without sampling")
		require.Empty(t, g.Pieces)
	}

	// A beat over the west half: G1 and G4 lie inside it away from its
	// edges, G3 and G6 outside every beat away from its edges, G2 and G5
	// are cut in two.
	d = loadDataset(t)
	d.Beats = []*geo.Beat{{ID: "W", Name: "West", Station: "S1", Polygon: loadRect(-1, -1, 1.5, 3)}}
	a = loadAtlasOf(t, d)
	c, err = coverage.Congruence(context.Background(), a, coverage.CongruenceOptions{Pieces: true, SplitTolerance: coverage.DefaultSplitTolerance})
	require.NoError(t, err)
	for _, id := range []string{"G1", "G4"} {
		g := c.Grids[a.Grids.Index(id)]
		require.Equal(t, "W", g.DominantBeat)
		require.Zero(t, g.Resolution, id)
		require.Equal(t, 1.0, g.Share)
	}
	for _, id := range []string{"G3", "G6"} {
		g := c.Grids[a.Grids.Index(id)]
		require.Empty(t, g.DominantBeat, "%s lies in no beat", id)
		require.Zero(t, g.Resolution, id)
		require.False(t, g.Split, "a grid in no beat is not split")
		require.Len(t, g.Pieces, 1)
		require.Equal(t, g.Grid.Polygon, g.Pieces[0].Polygon, "exact: the whole grid")
		require.Empty(t, g.Pieces[0].Beat)
	}
	for _, id := range []string{"G2", "G5"} {
		g := c.Grids[a.Grids.Index(id)]
		require.Equal(t, "W", g.DominantBeat)
		require.InDelta(t, 0.5, g.Share, 0.01)
		require.True(t, g.Split)
		require.Len(t, g.Pieces, 1)
		require.Empty(t, g.Pieces[0].Beat, "the other half is in no beat")
	}
	require.Equal(t, 2, c.GridsWithoutBeat)
	require.Equal(t, 2, c.SplitGrids)
	want := (loadRectArea(0, 0, 1, 2) + loadRectArea(1, 0, 1.5, 2)) / loadRectArea(0, 0, 3, 2)
	require.InDelta(t, want, c.Score, 0.005)
}

func TestCongruence_RejectsBadOptions(t *testing.T) {
	t.Parallel()
	a := loadAtlas(t)
	tests := []struct {
		name  string
		opt   coverage.CongruenceOptions
		field string
	}{
		{"resolution too coarse", coverage.CongruenceOptions{Resolution: 5}, "resolution"},
		{"resolution too fine", coverage.CongruenceOptions{Resolution: 14}, "resolution"},
		{"tolerance 1", coverage.CongruenceOptions{SplitTolerance: 1}, "split_tolerance"},
		{"negative tolerance", coverage.CongruenceOptions{SplitTolerance: -0.1}, "split_tolerance"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := coverage.Congruence(context.Background(), a, tt.opt)
			var ge *geo.Error
			require.ErrorAs(t, err, &ge)
			require.Equal(t, geo.Invalid, ge.Code)
			require.Equal(t, tt.field, ge.Problems[0].Field)
		})
	}
}
