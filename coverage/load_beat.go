package coverage

import (
	"math"
	"slices"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"

	"gridwatch/geo"
)

// BeatStaff is who works in one beat (警务区): the responders linked to at
// least one grid of the beat, each counted once, and how the beat meets the
// beat norm (一区一警两辅).
type BeatStaff struct {
	// Beat is the beat.
	Beat *geo.Beat
	// Grids is the number of grids counted in the beat (see GridLoad.Beat).
	Grids int
	// Working is the number of distinct responders of each role linked to
	// at least one of the beat's grids.
	Working Staff[int]
	// ShortPolice and ShortAuxiliaries are how many police officers and
	// auxiliaries the beat lacks to meet the norm (0 when it meets it).
	ShortPolice, ShortAuxiliaries int
	// BelowNorm reports whether the beat is below the beat norm.
	BelowNorm bool
}

// loadGridBeats sets each grid's beat: the beat holding the grid's interior
// point (gridInteriorPoint); none when no beat holds it.
func loadGridBeats(a *geo.Atlas, grids []GridLoad) {
	for i := range grids {
		if b, ok := a.BeatAt(gridInteriorPoint(grids[i].Grid.Polygon)); ok {
			grids[i].Beat = b.ID
		}
	}
}

// loadBeatStaff counts the responders working in each beat, in beat layer
// order, from each responder's grids (assigned) and the grids' beats.
func loadBeatStaff(a *geo.Atlas, assigned [][]int, grids []GridLoad, n Norm) []BeatStaff {
	out := make([]BeatStaff, a.Beats.Len())
	for i, b := range a.Beats.Items() {
		out[i].Beat = b
	}
	beatOf := make([]int, len(grids))
	for g := range grids {
		beatOf[g] = a.Beats.Index(grids[g].Beat)
		if beatOf[g] >= 0 {
			out[beatOf[g]].Grids++
		}
	}
	var seen []int
	for r, resp := range a.Responders.Items() {
		seen = seen[:0]
		for _, g := range assigned[r] {
			if b := beatOf[g]; b >= 0 && !slices.Contains(seen, b) {
				seen = append(seen, b)
				out[b].Working.Add(resp.Role, 1)
			}
		}
	}
	for i := range out {
		b := &out[i]
		b.ShortPolice = max(n.BeatPolice-b.Working.Police, 0)
		b.ShortAuxiliaries = max(n.BeatAuxiliaries-b.Working.Auxiliaries, 0)
		b.BelowNorm = n.BeatBelow(b.Working)
	}
	return out
}

// gridInteriorPoint returns a point inside polygon p: its area centroid
// when that lies inside, else the middle of the widest stretch of the
// horizontal line through the centroid that lies inside (even-odd over
// every ring), else the first vertex.
func gridInteriorPoint(p orb.Polygon) orb.Point {
	if len(p) == 0 || len(p[0]) == 0 {
		return orb.Point{}
	}
	c := reallocCentroid(p)
	if planar.PolygonContains(p, c) {
		return c
	}
	y := c[1]
	var xs []float64
	for _, r := range p {
		for i := 0; i+1 < len(r); i++ {
			a, b := r[i], r[i+1]
			if (a[1] > y) != (b[1] > y) {
				xs = append(xs, a[0]+(y-a[1])*(b[0]-a[0])/(b[1]-a[1]))
			}
		}
	}
	slices.Sort(xs)
	best, width := p[0][0], math.Inf(-1)
	for i := 0; i+1 < len(xs); i += 2 {
		if w := xs[i+1] - xs[i]; w > width {
			best, width = orb.Point{(xs[i] + xs[i+1]) / 2, y}, w
		}
	}
	return best
}
