package geo

import (
	"math"

	"github.com/paulmach/orb"
	"github.com/uber/h3-go/v4"
)

// cellDisk is the disk of H3 cells within grid distance k of an origin cell,
// as h3.GridDisk returns it, with a model of the cells' centres in a tangent
// frame, so that the cells well inside or well outside a shape are sorted
// without asking H3 for each centre (a cgo call, about 1 µs).
//
// Away from pentagons h3.GridDisk lists the disk as a spiral: the origin,
// then ring after ring, each ring starting one step along the I axis and
// walking its six sides along the J, −I, K, −J, I and −K directions. H3 cell
// centres are exact lattice points in the gnomonic plane of an icosahedron
// face, and within a few kilometres that plane maps to the tangent plane
// almost affinely, so a centre is modelled as e0 + a·eI + b·eJ from its
// lattice offset (a, b). The model is fitted to the exact centres of the
// origin's neighbours and checked against the exact centres of cells on the
// outermost ring; errM bounds its error. A disk near an icosahedron face
// edge (where the lattice bends) or near a pentagon, or a disk whose check
// fails, is not modelled: every centre is then exact.
type cellDisk struct {
	cells    []h3.Cell
	k        int
	frame    tangentFrame
	e0       [2]float64
	eI, eJ   [2]float64
	errM     float64
	modelled bool
}

// Model checks: disks reaching further than modelCheckWideM are checked at
// twelve cells of their outer ring (six corners, six mid-sides), smaller
// ones at one corner. The model error found is multiplied by modelSafety;
// modelFloorM is the smallest error bound used.
const (
	modelCheckWideM = 150
	modelSafety     = 2
	modelFloorM     = 0.003
)

// newCellDisk returns a disk of cells at resolution res that holds every
// cell whose centre lies within radius metres of the point (px, py) of the
// frame's plane.
func newCellDisk(frame tangentFrame, px, py float64, res int, radius float64) *cellDisk {
	origin := PointCell(frame.unproject(px, py), res)
	spacing := CellSpacingM(res)
	ring := h3.GridDisk(origin, 1)
	d := &cellDisk{cells: ring, k: 1, frame: frame}
	if len(ring) != 7 || nearFaceEdge(frame.unproject(px, py), radius+4*spacing) {
		return exactDisk(origin, frame, res, radius)
	}
	d.fit()
	s := d.minSpacing()
	if s < spacing/3 || s > spacing*3 {
		return exactDisk(origin, frame, res, radius)
	}
	// Ring k's centres lie on the hexagon with vertices k·(I, I+J, J, −I,
	// −I−J, −J), so a cell on ring k+1 is at least (k+1)·inradius from the
	// origin's centre.
	off := math.Hypot(d.e0[0]-px, d.e0[1]-py)
	k := int(math.Floor((radius+off)/d.inradius())) + 1
	if k > 1 {
		d.k, d.cells = k, h3.GridDisk(origin, k)
		if len(d.cells) != 3*k*k+3*k+1 {
			return exactDisk(origin, frame, res, radius)
		}
	}
	if !d.check() {
		return exactDisk(origin, frame, res, radius)
	}
	return d
}

// exactDisk returns an unmodelled disk, wide enough for the smallest cells
// H3 has (about 0.6 of the average spacing).
func exactDisk(origin h3.Cell, frame tangentFrame, res int, radius float64) *cellDisk {
	s := CellSpacingM(res) * 0.6
	k := int(math.Ceil((radius+2*s)/(s*math.Sqrt(3)/2))) + 1
	return &cellDisk{cells: h3.GridDisk(origin, k), k: k, frame: frame}
}

// fit fits the model to the exact centres of the origin and of its
// neighbours along I and J (ring 1 lists I+J, J, −I, −I−J, −J, I). The
// model's error grows with the square of the distance from the origin; the
// check measures it.
func (d *cellDisk) fit() {
	p := func(i int) [2]float64 {
		x, y := d.frame.project(CellCenter(d.cells[i]))
		return [2]float64{x, y}
	}
	d.e0 = p(0)
	pI, pJ := p(6), p(2)
	d.eI = [2]float64{pI[0] - d.e0[0], pI[1] - d.e0[1]}
	d.eJ = [2]float64{pJ[0] - d.e0[0], pJ[1] - d.e0[1]}
}

// check compares the model with exact centres on the outer ring, sets errM
// and reports whether the disk is the spiral the model assumes.
func (d *cellDisk) check() bool {
	k := d.k
	first := 1 + 3*k*(k-1) // the first cell of ring k
	checks := []int{first + 6*k - 1}
	if float64(k)*d.minSpacing() > modelCheckWideM {
		checks = checks[:0]
		for side := 0; side < 6; side++ {
			checks = append(checks, first+side*k+k-1, first+side*k+k/2)
		}
	}
	var worst float64
	for _, i := range checks {
		a, b := spiralOffset(i)
		x, y := d.model(a, b)
		wx, wy := d.frame.project(CellCenter(d.cells[i]))
		worst = math.Max(worst, math.Hypot(x-wx, y-wy))
	}
	if worst > 0.1*d.minSpacing() {
		return false
	}
	d.errM = math.Max(modelFloorM, modelSafety*worst)
	d.modelled = true
	return true
}

// model returns the modelled centre of the cell at lattice offset (a, b).
func (d *cellDisk) model(a, b int) (x, y float64) {
	fa, fb := float64(a), float64(b)
	return d.e0[0] + fa*d.eI[0] + fb*d.eJ[0], d.e0[1] + fa*d.eI[1] + fb*d.eJ[1]
}

// minSpacing returns the shortest modelled distance between neighbours.
func (d *cellDisk) minSpacing() float64 {
	ij := [2]float64{d.eI[0] + d.eJ[0], d.eI[1] + d.eJ[1]}
	return math.Min(math.Hypot(d.eI[0], d.eI[1]), math.Min(math.Hypot(d.eJ[0], d.eJ[1]), math.Hypot(ij[0], ij[1])))
}

// inradius returns the distance from the origin's centre to the nearest
// side of the hexagon through the centres of ring 1.
func (d *cellDisk) inradius() float64 {
	us := [6][2]float64{d.eI, {d.eI[0] + d.eJ[0], d.eI[1] + d.eJ[1]}, d.eJ,
		{-d.eI[0], -d.eI[1]}, {-d.eI[0] - d.eJ[0], -d.eI[1] - d.eJ[1]}, {-d.eJ[0], -d.eJ[1]}}
	best := math.Inf(1)
	for i, u := range us {
		w := us[(i+1)%6]
		best = math.Min(best, math.Abs(u[0]*w[1]-u[1]*w[0])/math.Hypot(w[0]-u[0], w[1]-u[1]))
	}
	return best
}

// each calls fn with every cell's index in the disk and its centre in the
// frame: modelled (within errM) when the disk is modelled, else exact.
func (d *cellDisk) each(fn func(i int, x, y float64)) {
	if !d.modelled {
		for i, c := range d.cells {
			x, y := d.frame.project(CellCenter(c))
			fn(i, x, y)
		}
		return
	}
	fn(0, d.e0[0], d.e0[1])
	i := 1
	for r := 1; r <= d.k; r++ {
		a, b := r, 0
		for _, dir := range spiralDirs {
			for s := 0; s < r; s++ {
				a, b = a+dir[0], b+dir[1]
				x, y := d.model(a, b)
				fn(i, x, y)
				i++
			}
		}
	}
}

// errorM returns the bound on the error of the centres each reports.
func (d *cellDisk) errorM() float64 {
	if !d.modelled {
		return 0
	}
	return d.errM
}

// spiralDirs are the lattice steps along the six sides of a ring, as (I, J)
// offsets: J, −I, K = −I−J, −J, I, −K = I+J.
var spiralDirs = [6][2]int{{0, 1}, {-1, 0}, {-1, -1}, {0, -1}, {1, 0}, {1, 1}}

// spiralOffset returns the lattice offset of the i-th cell of the spiral
// (the order of each).
func spiralOffset(i int) (a, b int) {
	if i == 0 {
		return 0, 0
	}
	r := 1
	for 1+3*r*(r+1) <= i {
		r++
	}
	j := i - (1 + 3*r*(r-1)) // position in ring r
	side, step := j/r, j%r+1
	a, b = r, 0
	for s := 0; s < side; s++ {
		a, b = a+r*spiralDirs[s][0], b+r*spiralDirs[s][1]
	}
	return a + step*spiralDirs[side][0], b + step*spiralDirs[side][1]
}

// icosahedron holds the unit vectors of the 12 vertices of H3's icosahedron
// (the centres of its pentagons) and the 30 edges between them. It is
// computed once and never changes.
var icosahedron = buildIcosahedron()

type icosa struct {
	vertices [][3]float64
	edges    [][2]int
}

func buildIcosahedron() icosa {
	var ic icosa
	for _, c := range h3.Pentagons(0) {
		ic.vertices = append(ic.vertices, unitVector(CellCenter(c)))
	}
	// Neighbouring vertices are arctan 2 ≈ 63.4° apart, others 116.6° or 180°.
	for i := range ic.vertices {
		for j := i + 1; j < len(ic.vertices); j++ {
			if dot3(ic.vertices[i], ic.vertices[j]) > 0.3 {
				ic.edges = append(ic.edges, [2]int{i, j})
			}
		}
	}
	return ic
}

// nearFaceEdge reports whether pt is within distM metres of an edge of
// H3's icosahedron (which includes its vertices, the pentagons).
func nearFaceEdge(pt orb.Point, distM float64) bool {
	p := unitVector(pt)
	limit := math.Sin(math.Min(distM/EarthRadius, math.Pi/2))
	near := math.Cos(math.Min(distM/EarthRadius, math.Pi))
	for _, e := range icosahedron.edges {
		a, b := icosahedron.vertices[e[0]], icosahedron.vertices[e[1]]
		n := cross3(a, b)
		// The distance to the edge's great circle, and whether the closest
		// point of the circle lies between the edge's ends.
		if math.Abs(dot3(p, n))/math.Sqrt(dot3(n, n)) > limit {
			continue
		}
		if dot3(cross3(a, p), n) >= 0 && dot3(cross3(p, b), n) >= 0 {
			return true
		}
		if dot3(p, a) > near || dot3(p, b) > near {
			return true
		}
	}
	return false
}

func dot3(a, b [3]float64) float64 { return a[0]*b[0] + a[1]*b[1] + a[2]*b[2] }

func cross3(a, b [3]float64) [3]float64 {
	return [3]float64{a[1]*b[2] - a[2]*b[1], a[2]*b[0] - a[0]*b[2], a[0]*b[1] - a[1]*b[0]}
}
