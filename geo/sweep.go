package geo

import (
	"math"
	"slices"

	"github.com/paulmach/orb"
)

// SweepStepM is the spacing of an AreaSweep's scanlines that NewAreaSweep
// uses when given 0, in metres.
const SweepStepM = 1.0

// SweepClasses is the number of sector classes an AreaSweep measures apart:
// a sector counts towards every class whose bit is set in its class mask.
const SweepClasses = 2

// AreaSweep measures how much of some polygons the union of some sectors
// covers, without building the union: on horizontal scanlines of the
// tangent plane at an origin (the orthographic projection, whose area scale
// is within 1e-6 of 1 within 9 km of it), each sector's chord is computed
// exactly (a disc's chord cut by the two rays of its opening), the chords
// are merged per class, and their overlap with each polygon's chords (by
// the even-odd rule, so holes count out) is summed; each scanline stands
// for a band of the step's height (the midpoint rule). The error is that of
// the midpoint rule along y alone: for a 30 m disc at a 1 m step, 0.01 % of
// its area (tested). An AreaSweep is for one goroutine; Reset reuses it.
type AreaSweep struct {
	frame tangentFrame
	step  float64
	polys []sweepPolygon
	chord []sweepChord
	rowLo int // the lowest row of any polygon
	rowHi int // the highest row of any polygon, exclusive

	// Buffers reused between Measure calls.
	counts []int32
	sorted []sweepChord
	merged [SweepClasses][]float64
	cross  []float64
}

// sweepPolygon is a polygon in the plane: its non-horizontal edges sorted
// by their lower end, and the rows it spans.
type sweepPolygon struct {
	edges  []sweepEdge
	lo, hi int // rows, hi exclusive
	area   [SweepClasses]float64
}

type sweepEdge struct {
	ylo, yhi float64
	x, dxdy  float64 // x at ylo; dx/dy
}

// sweepChord is a sector's chord on one row.
type sweepChord struct {
	row    int32
	class  uint8
	x0, x1 float64
}

// NewAreaSweep returns a sweep in the tangent plane at origin with
// scanlines stepM metres apart (SweepStepM when 0 or less).
func NewAreaSweep(origin orb.Point, stepM float64) *AreaSweep {
	w := &AreaSweep{}
	w.Reset(origin, stepM)
	return w
}

// Reset empties the sweep and moves it to a new origin and step, keeping
// its buffers.
func (w *AreaSweep) Reset(origin orb.Point, stepM float64) {
	if stepM <= 0 {
		stepM = SweepStepM
	}
	w.frame, w.step = newTangentFrame(origin), stepM
	w.polys, w.chord = w.polys[:0], w.chord[:0]
	w.rowLo, w.rowHi = math.MaxInt, math.MinInt
}

// rowY returns the y of row j: rows lie at the middle of their bands.
func (w *AreaSweep) rowY(j int) float64 { return (float64(j) + 0.5) * w.step }

// rowsOf returns the rows whose y lies in [ylo, yhi] (hi exclusive).
func (w *AreaSweep) rowsOf(ylo, yhi float64) (lo, hi int) {
	return int(math.Ceil(ylo/w.step - 0.5)), int(math.Floor(yhi/w.step-0.5)) + 1
}

// AddPolygon adds a polygon to measure (outer ring and holes, closed or
// not) and returns its index for Covered.
func (w *AreaSweep) AddPolygon(p orb.Polygon) int {
	sp := sweepPolygon{}
	if len(w.polys) < cap(w.polys) {
		sp.edges = w.polys[:len(w.polys)+1][len(w.polys)].edges[:0]
	}
	ymin, ymax := math.Inf(1), math.Inf(-1)
	for _, r := range p {
		n := len(r)
		if n > 1 && r[0] == r[n-1] {
			n--
		}
		if n < 3 {
			continue
		}
		px, py := w.frame.project(r[n-1])
		for i := range n {
			x, y := w.frame.project(r[i])
			if y != py {
				e := sweepEdge{ylo: py, yhi: y, x: px, dxdy: (x - px) / (y - py)}
				if y < py {
					e.ylo, e.yhi, e.x = y, py, x
				}
				sp.edges = append(sp.edges, e)
			}
			ymin, ymax = math.Min(ymin, y), math.Max(ymax, y)
			px, py = x, y
		}
	}
	slices.SortFunc(sp.edges, func(a, b sweepEdge) int {
		if a.ylo < b.ylo {
			return -1
		}
		if a.ylo > b.ylo {
			return 1
		}
		return 0
	})
	if len(sp.edges) > 0 {
		sp.lo, sp.hi = w.rowsOf(ymin, ymax)
		w.rowLo, w.rowHi = min(w.rowLo, sp.lo), max(w.rowHi, sp.hi)
	}
	w.polys = append(w.polys, sp)
	return len(w.polys) - 1
}

// AddSector adds a sector that counts towards the classes set in class
// (bit k for class k). Polygons must be added first: chords outside their
// rows are not kept.
func (w *AreaSweep) AddSector(s Sector, class uint8) {
	if !s.ok || s.RangeM <= 0 || s.FOVDeg <= 0 || class == 0 || w.rowLo >= w.rowHi {
		return
	}
	cx, cy := w.frame.project(s.Center)
	// The sector's own tangent plane maps to this one by the projection of
	// its east and north vectors: a rotation by the meridians' convergence,
	// scaled by less than 1e-6 within a few kilometres.
	eP := [2]float64{dot3(s.frame.e, w.frame.e), dot3(s.frame.e, w.frame.n)}
	nP := [2]float64{dot3(s.frame.n, w.frame.e), dot3(s.frame.n, w.frame.n)}
	r := s.planeR * math.Sqrt(math.Abs(eP[0]*nP[1]-eP[1]*nP[0]))
	dir := func(a float64) [2]float64 {
		sa, ca := math.Sincos(a)
		return [2]float64{sa*eP[0] + ca*nP[0], sa*eP[1] + ca*nP[1]}
	}
	disc := s.Disc()
	reflex := s.FOVDeg > 180
	d1, d2 := dir(s.bearing-s.half), dir(s.bearing+s.half)
	lo, hi := w.rowsOf(cy-r, cy+r)
	lo, hi = max(lo, w.rowLo), min(hi, w.rowHi)
	for j := lo; j < hi; j++ {
		dy := w.rowY(j) - cy
		h := r*r - dy*dy
		if h < 0 {
			continue
		}
		half := math.Sqrt(h)
		x0, x1 := -half, half
		if disc {
			w.chord = append(w.chord, sweepChord{int32(j), class, cx + x0, cx + x1})
			continue
		}
		if !reflex {
			// In the wedge: clockwise of d1 (cross(d1, p) ≤ 0) and
			// anticlockwise of d2 (cross(d2, p) ≥ 0).
			a, b, ok := halfLine(d1, dy, true)
			if !ok {
				continue
			}
			x0, x1 = math.Max(x0, a), math.Min(x1, b)
			a, b, ok = halfLine(d2, dy, false)
			if !ok {
				continue
			}
			x0, x1 = math.Max(x0, a), math.Min(x1, b)
			if x0 < x1 {
				w.chord = append(w.chord, sweepChord{int32(j), class, cx + x0, cx + x1})
			}
			continue
		}
		// A reflex opening: the disc's chord less the convex wedge from d2
		// clockwise to d1.
		a, b, ok := halfLine(d2, dy, true)
		if ok {
			a2, b2, ok2 := halfLine(d1, dy, false)
			a, b, ok = math.Max(a, a2), math.Min(b, b2), ok2
		}
		if !ok || a >= b || b <= x0 || a >= x1 {
			w.chord = append(w.chord, sweepChord{int32(j), class, cx + x0, cx + x1})
			continue
		}
		if a > x0 {
			w.chord = append(w.chord, sweepChord{int32(j), class, cx + x0, cx + a})
		}
		if b < x1 {
			w.chord = append(w.chord, sweepChord{int32(j), class, cx + b, cx + x1})
		}
	}
}

// halfLine returns the part [a, b] of the line at height dy above the
// apex that lies clockwise of the ray along d (cross(d, p) ≤ 0) when cw,
// else anticlockwise of it (cross(d, p) ≥ 0); ok is false when none does.
func halfLine(d [2]float64, dy float64, cw bool) (a, b float64, ok bool) {
	// cross(d, p) = d.x·dy − d.y·x.
	inf := math.Inf(1)
	if d[1] == 0 {
		c := d[0] * dy
		if (cw && c <= 0) || (!cw && c >= 0) {
			return -inf, inf, true
		}
		return 0, 0, false
	}
	t := d[0] * dy / d[1] // where the cross product is zero
	// cross ≤ 0 ⇔ d.y·x ≥ d.x·dy.
	if (d[1] > 0) == cw {
		return t, inf, true
	}
	return -inf, t, true
}

// Measure sweeps the rows and sets each polygon's covered areas (read them
// with Covered).
func (w *AreaSweep) Measure() {
	for i := range w.polys {
		w.polys[i].area = [SweepClasses]float64{}
	}
	if len(w.chord) == 0 {
		return
	}
	// Sort the chords by row (counting) and then by start.
	nrows := w.rowHi - w.rowLo
	w.counts = slices.Grow(w.counts[:0], nrows+1)[:nrows+1]
	clear(w.counts)
	for _, c := range w.chord {
		w.counts[int(c.row)-w.rowLo+1]++
	}
	for i := 1; i <= nrows; i++ {
		w.counts[i] += w.counts[i-1]
	}
	w.sorted = slices.Grow(w.sorted[:0], len(w.chord))[:len(w.chord)]
	next := w.counts
	for _, c := range w.chord {
		k := int(c.row) - w.rowLo
		w.sorted[next[k]] = c
		next[k]++
	}
	// next[k] is now the end of row k; its start is next[k-1] (0 for row 0).
	active := make([][]sweepEdge, len(w.polys))
	taken := make([]int, len(w.polys))
	start := 0
	for k := 0; k < nrows; k++ {
		end := int(next[k])
		if start == end {
			continue
		}
		row := w.sorted[start:end]
		start = end
		insertionSortChords(row)
		j := w.rowLo + k
		y := w.rowY(j)
		merged := false
		for pi := range w.polys {
			p := &w.polys[pi]
			if j < p.lo || j >= p.hi {
				continue
			}
			w.cross = p.crossings(y, &active[pi], &taken[pi], w.cross[:0])
			if len(w.cross) < 2 {
				continue
			}
			if !merged {
				for cl := range SweepClasses {
					w.merged[cl] = mergeChords(row, uint8(1)<<cl, w.merged[cl][:0])
				}
				merged = true
			}
			for cl := range SweepClasses {
				p.area[cl] += overlap(w.merged[cl], w.cross) * w.step
			}
		}
	}
}

// crossings returns in dst the sorted x of the polygon's edges crossing
// height y (ylo ≤ y < yhi), keeping the active edges between calls, which
// must come with increasing y.
func (p *sweepPolygon) crossings(y float64, active *[]sweepEdge, taken *int, dst []float64) []float64 {
	for *taken < len(p.edges) && p.edges[*taken].ylo <= y {
		*active = append(*active, p.edges[*taken])
		*taken++
	}
	keep := (*active)[:0]
	for _, e := range *active {
		if e.yhi > y {
			keep = append(keep, e)
			dst = append(dst, e.x+(y-e.ylo)*e.dxdy)
		}
	}
	*active = keep
	slices.Sort(dst)
	return dst
}

// insertionSortChords sorts one row's chords by start (rows hold few).
func insertionSortChords(cs []sweepChord) {
	for i := 1; i < len(cs); i++ {
		c := cs[i]
		j := i
		for ; j > 0 && cs[j-1].x0 > c.x0; j-- {
			cs[j] = cs[j-1]
		}
		cs[j] = c
	}
}

// mergeChords appends to dst the union of the chords of one class, sorted
// by start, as disjoint pairs x0, x1.
func mergeChords(cs []sweepChord, class uint8, dst []float64) []float64 {
	for _, c := range cs {
		if c.class&class == 0 {
			continue
		}
		if n := len(dst); n > 0 && c.x0 <= dst[n-1] {
			if c.x1 > dst[n-1] {
				dst[n-1] = c.x1
			}
			continue
		}
		dst = append(dst, c.x0, c.x1)
	}
	return dst
}

// overlap returns the length common to two sorted lists of disjoint
// intervals given as pairs.
func overlap(a, b []float64) float64 {
	var sum float64
	i, j := 0, 0
	for i+1 < len(a) && j+1 < len(b) {
		lo, hi := a[i], a[i+1]
		if b[j] > lo {
			lo = b[j]
		}
		if b[j+1] < hi {
			hi = b[j+1]
		}
		if hi > lo {
			sum += hi - lo
		}
		if a[i+1] < b[j+1] {
			i += 2
		} else {
			j += 2
		}
	}
	return sum
}

// Covered returns the area of polygon i (by AddPolygon's index) that the
// sectors of each class cover, in square metres, as of the last Measure.
func (w *AreaSweep) Covered(i int) [SweepClasses]float64 { return w.polys[i].area }
