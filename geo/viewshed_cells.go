package geo

import (
	"math"
	"slices"

	"github.com/uber/h3-go/v4"
)

// Cells returns the H3 cells at resolution res whose centre lies in the
// sector (by Contains), sorted. It is the same set as testing the centre of
// every cell of a large enough h3.GridDisk, but asks H3 for the exact
// centre only of cells within a few millimetres of the sector's edge; the
// others are sorted on modelled centres (see cellDisk).
func (s Sector) Cells(res int) []h3.Cell {
	out := s.AppendCells(nil, res)
	slices.Sort(out)
	return out
}

// AppendCells appends the cells of Cells to dst in no particular order and
// returns the extended slice, for callers that gather many sectors' cells
// and sort them once (SortCells).
func (s Sector) AppendCells(dst []h3.Cell, res int) []h3.Cell {
	if !s.ok {
		return dst
	}
	px, py, radius := s.enclosingCircle()
	d := newCellDisk(s.frame, px, py, res, radius)
	m := d.errorM()
	w := newWedge(s)
	d.each(func(i int, x, y float64) {
		switch w.classify(x, y, m) {
		case cellIn:
			dst = append(dst, d.cells[i])
		case cellUnsure:
			if s.Contains(CellCenter(d.cells[i])) {
				dst = append(dst, d.cells[i])
			}
		}
	})
	return dst
}

// enclosingCircle returns a circle of the sector's tangent plane that holds
// it: for an opening of 2α ≤ 120° the circle through the apex and the arc's
// ends, of radius r/(2 cos α) on the axis (it holds the whole arc), else the
// disc of the range.
func (s Sector) enclosingCircle() (px, py, radius float64) {
	if s.Disc() || s.half > math.Pi/3 {
		return 0, 0, s.planeR
	}
	c := s.planeR / (2 * math.Cos(s.half))
	return c * math.Sin(s.bearing), c * math.Cos(s.bearing), c
}

// Classes of a modelled cell centre.
const (
	cellOut = iota
	cellIn
	cellUnsure
)

// wedge is a sector in its tangent plane, for classifying points with a
// margin: the disc of radius planeR cut by the two rays u1 (the bearing less
// half the opening) and u2 (the bearing plus half).
type wedge struct {
	planeR  float64
	disc    bool
	reflex  bool // the opening exceeds 180°
	u1, u2  [2]float64
	inPlane func(x, y float64) bool
}

func newWedge(s Sector) wedge {
	a1, a2 := s.bearing-s.half, s.bearing+s.half
	return wedge{planeR: s.planeR, disc: s.Disc(), reflex: s.FOVDeg > 180,
		u1: [2]float64{math.Sin(a1), math.Cos(a1)}, u2: [2]float64{math.Sin(a2), math.Cos(a2)},
		inPlane: s.containsPlane}
}

// classify sorts a point known within m metres: in or out when every point
// within m of it is, unsure otherwise.
func (w wedge) classify(x, y, m float64) int {
	r2 := x*x + y*y
	if out := w.planeR + m; r2 > out*out {
		return cellOut
	}
	in := w.planeR - m
	if w.disc {
		if in > 0 && r2 < in*in {
			return cellIn
		}
		return cellUnsure
	}
	r := math.Sqrt(r2)
	if r <= m {
		return cellUnsure
	}
	// Distance to the two rays, and which side of them the point is on.
	// c = r·sin(φ − θ) for a point at bearing φ and a ray at bearing θ:
	// positive when the point is clockwise of the ray (x east, y north).
	c1 := w.u1[1]*x - w.u1[0]*y
	c2 := w.u2[1]*x - w.u2[0]*y
	dist := math.Min(rayDistance(w.u1, x, y, c1, r), rayDistance(w.u2, x, y, c2, r))
	if dist <= m {
		return cellUnsure
	}
	var inside bool
	if w.reflex {
		inside = !(c1 < 0 && c2 > 0) // not strictly in the complementary wedge
	} else {
		inside = c1 >= 0 && c2 <= 0
	}
	if !inside {
		return cellOut
	}
	if r2 < in*in {
		return cellIn
	}
	return cellUnsure
}

// rayDistance returns the distance from (x, y) to the ray from the origin
// along unit vector u, given the cross product c of u and the point.
func rayDistance(u [2]float64, x, y, c, r float64) float64 {
	if u[0]*x+u[1]*y < 0 {
		return r
	}
	return math.Abs(c)
}

// CellMask is a cell at some resolution and which of its seven sample
// points a shape holds: bit 0 is the cell's centre (exactly, as Cells
// decides it), bits 1–6 are the centres of its six outer children at the
// next resolution, as the lattice model places them (within a few
// millimetres of H3's). The seven points sample the cell as the next
// resolution's cells would, so a cell's share seen is the share of its
// set bits.
type CellMask struct {
	// Cell is the cell.
	Cell h3.Cell
	// Mask holds the sample points inside the shape.
	Mask uint8
}

// FullMask is the mask of a cell all of whose sample points are inside.
const FullMask = 0x7F

// AppendCellMasks appends to dst, in no particular order, every cell at
// resolution res with a sample point in the sector, and returns the
// extended slice. The cells with bit 0 set are exactly Cells(res). Near a
// pentagon or an icosahedron edge, where the model does not hold, a cell
// takes all seven bits from its centre.
func (s Sector) AppendCellMasks(dst []CellMask, res int) []CellMask {
	if !s.ok {
		return dst
	}
	px, py, radius := s.enclosingCircle()
	spacing := CellSpacingM(res)
	d := newCellDisk(s.frame, px, py, res, radius+spacing)
	m := d.errorM()
	w := newWedge(s)
	offs, reach, ok := d.childOffsets(res + 1)
	d.each(func(i int, x, y float64) {
		var mask uint8
		switch w.classify(x, y, m+reach) {
		case cellIn:
			mask = FullMask
		case cellUnsure:
			mask = s.sampleMask(w, d, i, x, y, m, offs, ok)
		}
		if mask != 0 {
			dst = append(dst, CellMask{Cell: d.cells[i], Mask: mask})
		}
	})
	return dst
}

// sampleMask tests a cell's centre exactly and its outer children's
// modelled centres in the plane.
func (s Sector) sampleMask(w wedge, d *cellDisk, i int, x, y, m float64, offs [6][2]float64, ok bool) uint8 {
	var mask uint8
	switch w.classify(x, y, m) {
	case cellIn:
		mask = 1
	case cellUnsure:
		if s.Contains(CellCenter(d.cells[i])) {
			mask = 1
		}
	}
	if !ok {
		if mask != 0 {
			return FullMask
		}
		return 0
	}
	for b, o := range offs {
		if w.inPlane(x+o[0], y+o[1]) {
			mask |= 1 << (b + 1)
		}
	}
	return mask
}

// childOffsets returns the offsets from a cell's centre to its six outer
// children's centres at resolution child, in the frame, and the longest.
// H3 refines by aperture 7, turning one way into the odd (class III)
// resolutions and the other way into the even ones: the child lattice's
// unit vectors are (3I + J)/7 and (2J − I)/7, or (2I − J)/7 and (I + 3J)/7.
func (d *cellDisk) childOffsets(child int) ([6][2]float64, float64, bool) {
	var offs [6][2]float64
	if !d.modelled {
		return offs, 0, false
	}
	I, J := d.eI, d.eJ
	var ci, cj [2]float64
	if child%2 == 1 {
		ci = [2]float64{(3*I[0] + J[0]) / 7, (3*I[1] + J[1]) / 7}
		cj = [2]float64{(2*J[0] - I[0]) / 7, (2*J[1] - I[1]) / 7}
	} else {
		ci = [2]float64{(2*I[0] - J[0]) / 7, (2*I[1] - J[1]) / 7}
		cj = [2]float64{(I[0] + 3*J[0]) / 7, (I[1] + 3*J[1]) / 7}
	}
	offs = [6][2]float64{ci, cj, {-ci[0] - cj[0], -ci[1] - cj[1]}, {-ci[0], -ci[1]}, {-cj[0], -cj[1]}, {ci[0] + cj[0], ci[1] + cj[1]}}
	var reach float64
	for _, o := range offs {
		reach = math.Max(reach, math.Hypot(o[0], o[1]))
	}
	return offs, reach, true
}
