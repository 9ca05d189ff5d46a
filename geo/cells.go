package geo

import (
	"math"

	"github.com/paulmach/orb"
	"github.com/uber/h3-go/v4"
)

// h3EarthRadius is the radius H3 computes areas with, in metres; CellAreaM2
// rescales its areas to EarthRadius.
const h3EarthRadius = 6371007.180918475

// h3AreaScale converts an H3 area to an area on the sphere of EarthRadius.
const h3AreaScale = (EarthRadius / h3EarthRadius) * (EarthRadius / h3EarthRadius)

// The bit layout of an H3 cell index (H3 v4): 4 mode bits, 3 reserved bits,
// 4 resolution bits, 7 base-cell bits, then 15 digits of 3 bits, digit 1
// first. Parents and centre children are bit operations on it.
const (
	h3ResShift = 52
	h3ResMask  = uint64(0xF) << h3ResShift
	h3MaxRes   = 15
	h3Digit    = 3
)

// CellResolution returns the resolution of a cell, read from its bits.
func CellResolution(c h3.Cell) int { return int((uint64(c) & h3ResMask) >> h3ResShift) }

// CellParent returns the ancestor of c at resolution res (c itself when res
// is c's resolution). It is a bit operation, much cheaper than the cgo call
// behind h3.Cell.Parent; res must lie in [0, CellResolution(c)].
func CellParent(c h3.Cell, res int) h3.Cell {
	unused := uint64(1)<<(uint(h3MaxRes-res)*h3Digit) - 1
	return h3.Cell((uint64(c)&^h3ResMask | uint64(res)<<h3ResShift) | unused)
}

// CellCenterChild returns the centre descendant of c at resolution res, at
// or finer than c's: the descendant whose centre is c's centre.
func CellCenterChild(c h3.Cell, res int) h3.Cell {
	from := CellResolution(c)
	span := uint(res-from) * h3Digit
	shift := uint(h3MaxRes-res) * h3Digit
	digits := ((uint64(1) << span) - 1) << shift // the digits from+1..res, set to 0
	return h3.Cell(uint64(c)&^h3ResMask&^digits | uint64(res)<<h3ResShift)
}

// PointCell returns the cell at resolution res that contains pt.
func PointCell(pt orb.Point, res int) h3.Cell {
	return h3.LatLngToCell(h3.NewLatLng(pt[1], pt[0]), res)
}

// CellCenter returns the centre of a cell as a lon/lat point.
func CellCenter(c h3.Cell) orb.Point {
	ll := h3.CellToLatLng(c)
	return orb.Point{ll.Lng, ll.Lat}
}

// CellRing returns the boundary of a cell as a closed counter-clockwise
// ring (RFC 7946 outer-ring order).
func CellRing(c h3.Cell) orb.Ring {
	b := h3.CellToBoundary(c)
	r := make(orb.Ring, len(b), len(b)+1)
	for i, ll := range b {
		r[i] = orb.Point{ll.Lng, ll.Lat}
	}
	if shoelace(r) < 0 {
		for i, j := 0, len(r)-1; i < j; i, j = i+1, j-1 {
			r[i], r[j] = r[j], r[i]
		}
	}
	return append(r, r[0])
}

// CellPolygon returns a cell as a polygon with a counter-clockwise ring.
func CellPolygon(c h3.Cell) orb.Polygon { return orb.Polygon{CellRing(c)} }

// CellAreaM2 returns the area of a cell on the sphere of EarthRadius, in
// square metres (h3.CellAreaM2 uses a radius 1.6 m shorter).
func CellAreaM2(c h3.Cell) float64 { return h3.CellAreaM2(c) * h3AreaScale }

// CellSpacingM returns the average distance between the centres of
// neighbouring cells at resolution res, in metres (√3 times the average
// edge length).
func CellSpacingM(res int) float64 { return math.Sqrt(3) * h3.HexagonEdgeLengthAvgM(res) }

// shoelace returns twice the signed planar area of an open or closed ring in
// degrees (positive counter-clockwise), relative to its first vertex.
func shoelace(r orb.Ring) float64 {
	var s float64
	o := r[0]
	for i := 1; i+1 < len(r); i++ {
		a := orb.Point{r[i][0] - o[0], r[i][1] - o[1]}
		b := orb.Point{r[i+1][0] - o[0], r[i+1][1] - o[1]}
		s += a[0]*b[1] - b[0]*a[1]
	}
	return s
}
