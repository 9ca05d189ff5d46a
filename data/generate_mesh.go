package data

import (
	"math"

	"github.com/paulmach/orb"

	"gridwatch/geo"
)

// The district is built on a mesh of jittered pointy-top hexagons in the
// "odd-r" offset layout, in metres in a local frame around the seat. Every
// vertex is shared by at most three hexagons, so any two hexagons of a
// region that meet at a vertex also share an edge: a connected set of
// hexagons dissolves into one polygon whose rings never touch themselves.
// Vertices are jittered by a hash of their lattice position, so neighbours
// share them exactly; the jitter is small enough that hexagons stay convex.
const (
	hexR      = 300.0             // circumradius, metres
	hexW      = 519.6152422706632 // sqrt(3) * hexR: spacing of columns
	hexH      = 1.5 * hexR        // spacing of rows
	hexArea   = hexW * hexH       // area of one hexagon, m²
	hexJitter = 0.12 * hexR       // largest vertex shift along each axis
	// hexSafe is the radius around a hexagon's lattice centre that stays
	// inside it whatever the jitter: the inradius less the largest shift.
	hexSafe = 0.66 * hexR
)

// Salts of the hashes tied to places.
const (
	saltVertexX uint64 = iota + 1
	saltVertexY
)

// frame converts local metres (x east, y north of an origin) to WGS84
// longitude and latitude, rounded to 7 decimal places.
type frame struct {
	lon0, lat0 float64
	mLon, mLat float64 // metres per degree at the origin
}

func newFrame(lon, lat float64) frame {
	mLon, mLat := geo.MetresPerDegree(lat)
	return frame{lon0: lon, lat0: lat, mLon: mLon, mLat: mLat}
}

// point returns the rounded lon/lat of local point (x, y).
func (f frame) point(x, y float64) orb.Point {
	return orb.Point{round7(f.lon0 + x/f.mLon), round7(f.lat0 + y/f.mLat)}
}

// xy returns the local metres of a lon/lat point.
func (f frame) xy(p orb.Point) (float64, float64) {
	return (p[0] - f.lon0) * f.mLon, (p[1] - f.lat0) * f.mLat
}

// mesh is the lattice of hexagons around the district and the hexagons
// (hexes) that make up the district, numbered in row-major order.
type mesh struct {
	f      frame
	seed   uint64
	r0, c0 int     // lattice row and column of slot 0
	nr, nc int     // lattice rows and columns
	slot   []int32 // lattice slot -> hex, or -1 outside the district
	row    []int32 // hex -> lattice row
	col    []int32 // hex -> lattice column
}

// len returns the number of hexes.
func (m *mesh) len() int { return len(m.row) }

// latticeCentre returns the centre of lattice hexagon (r, c) without jitter.
func latticeCentre(r, c int) (float64, float64) {
	return float64(c)*hexW + float64(r&1)*hexW/2, float64(r) * hexH
}

// latticeNeighbours returns the six neighbours of lattice hexagon (r, c).
func latticeNeighbours(r, c int) [6][2]int {
	if r&1 == 0 {
		return [6][2]int{{r, c - 1}, {r, c + 1}, {r - 1, c - 1}, {r - 1, c}, {r + 1, c - 1}, {r + 1, c}}
	}
	return [6][2]int{{r, c - 1}, {r, c + 1}, {r - 1, c}, {r - 1, c + 1}, {r + 1, c}, {r + 1, c + 1}}
}

// latticeRound returns the lattice hexagon whose unjittered outline holds (x, y).
func latticeRound(x, y float64) (int, int) {
	q := (math.Sqrt(3)/3*x - y/3) / hexR
	z := (2.0 / 3 * y) / hexR
	rx, ry, rz := math.Round(q), math.Round(-q-z), math.Round(z)
	dx, dy, dz := math.Abs(rx-q), math.Abs(ry+q+z), math.Abs(rz-z)
	switch {
	case dx > dy && dx > dz:
		rx = -ry - rz
	case dy <= dz:
		rz = -rx - ry
	}
	r := int(rz)
	return r, int(rx) + (r-(r&1))/2
}

// slotOf returns the slot of lattice hexagon (r, c), or -1 off the lattice.
func (m *mesh) slotOf(r, c int) int {
	r, c = r-m.r0, c-m.c0
	if r < 0 || c < 0 || r >= m.nr || c >= m.nc {
		return -1
	}
	return r*m.nc + c
}

// slotRC returns the lattice row and column of a slot.
func (m *mesh) slotRC(s int) (int, int) { return s/m.nc + m.r0, s%m.nc + m.c0 }

// hexAt returns the hex at lattice (r, c), or -1.
func (m *mesh) hexAt(r, c int) int32 {
	s := m.slotOf(r, c)
	if s < 0 {
		return -1
	}
	return m.slot[s]
}

// centre returns the lattice centre of hex h, metres.
func (m *mesh) centre(h int32) (float64, float64) {
	return latticeCentre(int(m.row[h]), int(m.col[h]))
}

// adj returns the neighbours of hex h in the district, -1 where there is none.
func (m *mesh) adj(h int32) [6]int32 {
	var out [6]int32
	for i, rc := range latticeNeighbours(int(m.row[h]), int(m.col[h])) {
		out[i] = m.hexAt(rc[0], rc[1])
	}
	return out
}

// vertex returns the jittered position of lattice vertex (X, L): X counts
// half columns, L counts vertex levels (two per row).
func (m *mesh) vertex(X, L int) (float64, float64) {
	y := float64(L>>1) * hexH
	if L&1 == 0 {
		y -= hexR / 2
	} else {
		y += hexR / 2
	}
	jx := (2*unit(hash3(m.seed, saltVertexX, int64(X), int64(L))) - 1) * hexJitter
	jy := (2*unit(hash3(m.seed, saltVertexY, int64(X), int64(L))) - 1) * hexJitter
	return float64(X)*hexW/2 + jx, y + jy
}

// corners returns the six corners of hex h counter-clockwise from the south
// corner, metres.
func (m *mesh) corners(h int32) [6][2]float64 {
	r, c := int(m.row[h]), int(m.col[h])
	x0, l := 2*c+(r&1), 2*r
	idx := [6][2]int{{x0, l - 1}, {x0 + 1, l}, {x0 + 1, l + 1}, {x0, l + 2}, {x0 - 1, l + 1}, {x0 - 1, l}}
	var out [6][2]float64
	for i, v := range idx {
		out[i][0], out[i][1] = m.vertex(v[0], v[1])
	}
	return out
}

// ring returns the closed, counter-clockwise outline of hex h in lon/lat.
func (m *mesh) ring(h int32) orb.Ring {
	cs := m.corners(h)
	r := make(orb.Ring, 7)
	for i, c := range cs {
		r[i] = m.f.point(c[0], c[1])
	}
	r[6] = r[0]
	return r
}

// locate returns the district hex holding lon/lat point pt, judged on the
// rounded outlines that the grids are made of, or -1 outside the district.
func (m *mesh) locate(pt orb.Point) int32 {
	x, y := m.f.xy(pt)
	r, c := latticeRound(x, y)
	if h := m.hexAt(r, c); h >= 0 && ringHas(m.ring(h), pt) {
		return h
	}
	for _, rc := range latticeNeighbours(r, c) {
		if h := m.hexAt(rc[0], rc[1]); h >= 0 && ringHas(m.ring(h), pt) {
			return h
		}
	}
	return -1
}

// ringHas reports whether pt is inside ring r by the even-odd rule, as the
// geo package judges it.
func ringHas(r orb.Ring, pt orb.Point) bool {
	in := false
	x, y := pt[0], pt[1]
	for i, j := 0, len(r)-1; i < len(r); j, i = i, i+1 {
		a, b := r[i], r[j]
		if (a[1] > y) != (b[1] > y) && x < (b[0]-a[0])*(y-a[1])/(b[1]-a[1])+a[0] {
			in = !in
		}
	}
	return in
}
