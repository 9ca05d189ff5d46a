package coverage

import (
	"context"
	"fmt"
	"runtime"
	"sort"
	"sync"

	"github.com/paulmach/orb"
	"github.com/uber/h3-go/v4"

	"gridwatch/geo"
)

// DefaultSplitTolerance is the default CongruenceOptions.SplitTolerance:
// a grid is split across beats when more than 1% of it lies outside its
// dominant beat, well above the overlay's sampling error.
const DefaultSplitTolerance = 0.01

// CongruenceOptions tune Congruence.
type CongruenceOptions struct {
	// Resolution is the H3 resolution every grid is sampled at, in
	// [MinCongruenceResolution, MaxCongruenceResolution]; 0 picks per grid
	// the coarsest one that puts at least CongruenceMinCells cell centres in
	// it.
	Resolution int
	// SplitTolerance is the share of a grid's area that may lie outside its
	// dominant beat before the grid counts as split, in [0, 1).
	SplitTolerance float64
	// Pieces asks for the outlines of the parts of each grid outside its
	// dominant beat.
	Pieces bool
}

// Validate checks the options, naming every bad field.
func (o CongruenceOptions) Validate() error {
	var ps geo.Problems
	if o.Resolution != 0 && (o.Resolution < MinCongruenceResolution || o.Resolution > MaxCongruenceResolution) {
		ps.Add("query", -1, "", "resolution", fmt.Sprintf("an H3 resolution in [%d, %d], or none for one chosen per grid; got %d",
			MinCongruenceResolution, MaxCongruenceResolution, o.Resolution))
	}
	if !(o.SplitTolerance >= 0 && o.SplitTolerance < 1) {
		ps.Add("query", -1, "", "split_tolerance", fmt.Sprintf("a share in [0, 1), got %g", o.SplitTolerance))
	}
	return ps.Err("invalid congruence options")
}

// BeatShare is the share of a grid's area that lies in one beat.
type BeatShare struct {
	// Beat is the beat's id; empty for the part in no beat.
	Beat string
	// Share is the share of the grid's area, in [0, 1].
	Share float64
}

// MisfitPiece is a connected part of a grid outside its dominant beat.
type MisfitPiece struct {
	// Grid is the grid's id.
	Grid string
	// DominantBeat is the id of the grid's dominant beat.
	DominantBeat string
	// Beat is the id of the beat the piece lies in; empty for none.
	Beat string
	// Polygon is the piece's outline: the union of its H3 cells.
	Polygon orb.Polygon
	// AreaM2 is the piece's area, m².
	AreaM2 float64
}

// GridCongruence is how one grid lines up with the police beats.
type GridCongruence struct {
	// Grid is the grid.
	Grid *geo.Grid
	// AreaM2 is the grid's exact area, m².
	AreaM2 float64
	// Resolution is the H3 resolution the grid was sampled at; 0 when no
	// beat boundary comes near the grid and its answer is exact.
	Resolution int
	// Cells is the number of cell centres sampled in the grid (0 when
	// Resolution is 0).
	Cells int
	// Beats are the shares of the grid in each beat it meets (and in no
	// beat, Beat ""), largest first.
	Beats []BeatShare
	// DominantBeat is the beat holding the largest share; empty when the
	// grid lies in no beat.
	DominantBeat string
	// Share is the share of the grid's area inside DominantBeat.
	Share float64
	// Split reports whether more than the tolerance lies outside
	// DominantBeat (false for a grid in no beat).
	Split bool
	// Pieces are the parts outside DominantBeat, when asked for.
	Pieces []MisfitPiece
}

// CongruenceResult is beat–grid congruence (警网同构) over a district.
type CongruenceResult struct {
	// Grids are the grids, in grid layer order.
	Grids []GridCongruence
	// Score is the district congruence score: the share of the district's
	// grid area that lies in its grid's dominant beat (area-weighted mean of
	// Share), in [0, 1]; 1 means every grid lies within one beat.
	Score float64
	// SplitGrids is the number of split grids.
	SplitGrids int
	// GridsWithoutBeat is the number of grids that lie in no beat at all.
	GridsWithoutBeat int
	// Options are the options used.
	Options CongruenceOptions
}

// Congruence measures how the grids line up with the beats. The overlay is
// sampled on H3 cells (orb has no polygon intersection): each grid is
// covered by the cells whose centre lies in it (geo.PolygonCells, the
// selection of h3.PolygonToCells), and
// each cell counts for the beat containing its centre. A grid's shares are
// cell counts over its cell count (cells of one grid differ in area by far
// less than the sampling error), and areas are shares of the grid's exact
// area. A grid that no beat boundary comes near (no beat edge meets its
// bounding box) lies wholly in one beat or in none, and is answered exactly
// without sampling. The error against exact geometry is measured in the
// tests: with the adaptive resolution (at least CongruenceMinCells cells a
// grid) it stays well under one percentage point of a grid's area.
func Congruence(ctx context.Context, a *geo.Atlas, opt CongruenceOptions) (*CongruenceResult, error) {
	if err := opt.Validate(); err != nil {
		return nil, err
	}
	res := &CongruenceResult{Grids: make([]GridCongruence, a.Grids.Len()), Options: opt}
	beats := make([]geo.PreparedPolygon, a.Beats.Len())
	for i, b := range a.Beats.Items() {
		beats[i] = geo.Prepare(b.Polygon)
	}
	if err := congEachGrid(ctx, a.Grids.Len(), func(i int) {
		res.Grids[i] = congGrid(a, beats, a.Grids.At(i), opt)
	}); err != nil {
		return nil, err
	}
	var total, inside float64
	for _, gc := range res.Grids {
		total += gc.AreaM2
		inside += gc.AreaM2 * gc.Share
		if gc.Split {
			res.SplitGrids++
		}
		if gc.DominantBeat == "" {
			res.GridsWithoutBeat++
		}
	}
	if total > 0 {
		res.Score = inside / total
	}
	return res, nil
}

// congEachGrid calls fn for every index in [0, n) on GOMAXPROCS workers,
// stopping early when ctx ends.
func congEachGrid(ctx context.Context, n int, fn func(i int)) error {
	workers := min(runtime.GOMAXPROCS(0), max(n, 1))
	next := make(chan int)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				fn(i)
			}
		}()
	}
	var err error
	for i := 0; i < n; i++ {
		if err = ctx.Err(); err != nil {
			break
		}
		next <- i
	}
	close(next)
	wg.Wait()
	if err != nil {
		return fmt.Errorf("congruence: %w", err)
	}
	return nil
}

// congGrid samples one grid against the prepared beats.
func congGrid(a *geo.Atlas, beats []geo.PreparedPolygon, g *geo.Grid, opt CongruenceOptions) GridCongruence {
	area := geo.PolygonArea(g.Polygon)
	gc := GridCongruence{Grid: g, AreaM2: area}
	gb := g.Polygon.Bound()
	var cands []int
	crossed := false
	a.Beats.Search(gb, func(i int) bool {
		cands = append(cands, i)
		crossed = crossed || congEdgesMeet(a.Beats.At(i).Polygon, gb)
		return true
	})
	sort.Ints(cands)
	beatAt := func(pt orb.Point) int {
		for _, b := range cands {
			if beats[b].Contains(pt) {
				return b
			}
		}
		return -1
	}
	if !crossed && len(g.Polygon) > 0 && len(g.Polygon[0]) > 0 {
		// Every point of the bounding box is in the same beat, or in none.
		b := beatAt(g.Polygon[0][0])
		congShares(a, &gc, map[int]int{b: 1}, 1, opt)
		if opt.Pieces && b < 0 {
			gc.Pieces = []MisfitPiece{{Grid: g.ID, Polygon: g.Polygon, AreaM2: area}}
		}
		return gc
	}
	cells, r := congPolygonCells(g.Polygon, congResolution(opt.Resolution, area, congInteriorPoint(g.Polygon)))
	gc.Resolution, gc.Cells = r, len(cells)
	if len(cells) == 0 {
		return gc
	}
	beatOf := make([]int, len(cells)) // beat layer index, -1 for none
	count := map[int]int{}
	for k, c := range cells {
		beatOf[k] = beatAt(geo.CellCenter(c))
		count[beatOf[k]]++
	}
	dominant := congShares(a, &gc, count, len(cells), opt)
	if opt.Pieces && gc.Share < 1 {
		gc.Pieces = congPieces(a, gc, cells, beatOf, dominant)
	}
	return gc
}

// congEdgesMeet reports whether an edge of p meets the box b.
func congEdgesMeet(p orb.Polygon, b orb.Bound) bool {
	for _, r := range p {
		for k := 0; k+1 < len(r); k++ {
			seg := orb.Bound{Min: r[k], Max: r[k]}.Extend(r[k+1])
			if seg.Intersects(b) {
				return true
			}
		}
	}
	return false
}

// congShares sets the grid's beat shares, dominant beat and split flag from
// the number of samples in each beat (-1: none) and returns the dominant
// beat's layer index (-1 when none).
func congShares(a *geo.Atlas, gc *GridCongruence, count map[int]int, total int, opt CongruenceOptions) int {
	order := make([]int, 0, len(count))
	for b := range count {
		order = append(order, b)
	}
	// Largest share first; on a tie a beat before no beat, then layer order.
	sort.Slice(order, func(i, j int) bool {
		bi, bj := order[i], order[j]
		if count[bi] != count[bj] {
			return count[bi] > count[bj]
		}
		if (bi < 0) != (bj < 0) {
			return bj < 0
		}
		return bi < bj
	})
	dominant := -1
	for _, b := range order {
		id := ""
		if b >= 0 {
			id = a.Beats.At(b).ID
			if dominant < 0 {
				dominant = b
			}
		}
		gc.Beats = append(gc.Beats, BeatShare{Beat: id, Share: float64(count[b]) / float64(total)})
	}
	if dominant >= 0 {
		gc.DominantBeat = a.Beats.At(dominant).ID
		gc.Share = float64(count[dominant]) / float64(total)
		gc.Split = 1-gc.Share > opt.SplitTolerance
	}
	return dominant
}

// congPieces outlines the cells of a grid outside its dominant beat (all
// of them when it has none), one set of pieces per beat they fall in.
func congPieces(a *geo.Atlas, gc GridCongruence, cells []h3.Cell, beatOf []int, dominant int) []MisfitPiece {
	groups := map[int][]h3.Cell{}
	var keys []int
	for k, c := range cells {
		b := beatOf[k]
		if b >= 0 && b == dominant {
			continue
		}
		if _, ok := groups[b]; !ok {
			keys = append(keys, b)
		}
		groups[b] = append(groups[b], c)
	}
	sort.Ints(keys)
	var out []MisfitPiece
	for _, b := range keys {
		id := ""
		if b >= 0 {
			id = a.Beats.At(b).ID
		}
		for _, p := range geo.CellsOutline(groups[b]) {
			out = append(out, MisfitPiece{Grid: gc.Grid.ID, DominantBeat: gc.DominantBeat, Beat: id,
				Polygon: p, AreaM2: geo.PolygonArea(p)})
		}
	}
	return out
}
