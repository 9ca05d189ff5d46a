package geo

import (
	"math"
	"slices"

	"github.com/paulmach/orb"
	"github.com/uber/h3-go/v4"
)

// PolygonCells returns the H3 cells at resolution res whose centre lies in
// p by the rule of PreparedPolygon.Contains (inside the outer ring, outside
// every hole, edges straight in lon/lat), sorted. It selects cells by
// centre like h3.PolygonToCells but asks H3 for the exact centre only of
// cells within a few millimetres of an edge (see cellDisk), which makes it
// several times faster.
func PolygonCells(p orb.Polygon, res int) []h3.Cell {
	if len(p) == 0 || len(p[0]) < 4 {
		return nil
	}
	frame := newTangentFrame(p.Bound().Center())
	pp := newPlanePolygon(frame, p)
	var radius float64
	for _, pt := range pp.rings[0] {
		radius = math.Max(radius, math.Hypot(pt[0], pt[1]))
	}
	d := newCellDisk(frame, 0, 0, res, radius)
	m := d.errorM() + pp.bend + 0.001
	box := pp.box
	box.Min = orb.Point{box.Min[0] - m, box.Min[1] - m}
	box.Max = orb.Point{box.Max[0] + m, box.Max[1] + m}
	prep := Prepare(p)
	var out []h3.Cell
	d.each(func(i int, x, y float64) {
		if !box.Contains(orb.Point{x, y}) {
			return
		}
		in, near := pp.locate(x, y, m)
		if near {
			in = prep.Contains(CellCenter(d.cells[i]))
		}
		if in {
			out = append(out, d.cells[i])
		}
	})
	slices.Sort(out)
	return out
}

// planePolygon is a polygon projected to a tangent plane, vertex by vertex.
// Its edges are straight in the plane while the polygon's are straight in
// lon/lat; bend bounds the distance between the two, metres.
type planePolygon struct {
	rings [][]orb.Point
	boxes [][]orb.Bound // of each edge
	box   orb.Bound
	bend  float64
}

func newPlanePolygon(f tangentFrame, p orb.Polygon) planePolygon {
	pp := planePolygon{box: orb.Bound{Min: orb.Point{math.Inf(1), math.Inf(1)}, Max: orb.Point{math.Inf(-1), math.Inf(-1)}}}
	for _, r := range p {
		ring := make([]orb.Point, len(r))
		for i, pt := range r {
			x, y := f.project(pt)
			ring[i] = orb.Point{x, y}
			pp.box = pp.box.Extend(ring[i])
		}
		for i := 0; i+1 < len(r); i++ {
			// A lon/lat-straight edge maps to a gentle curve; its midpoint
			// is where it strays furthest from the chord.
			mx, my := f.project(orb.Point{(r[i][0] + r[i+1][0]) / 2, (r[i][1] + r[i+1][1]) / 2})
			cx, cy := (ring[i][0]+ring[i+1][0])/2, (ring[i][1]+ring[i+1][1])/2
			pp.bend = math.Max(pp.bend, 1.5*math.Hypot(mx-cx, my-cy))
		}
		boxes := make([]orb.Bound, max(len(ring)-1, 0))
		for i := range boxes {
			boxes[i] = orb.Bound{Min: ring[i], Max: ring[i]}.Extend(ring[i+1])
		}
		pp.rings = append(pp.rings, ring)
		pp.boxes = append(pp.boxes, boxes)
	}
	return pp
}

// locate returns whether (x, y) is inside the plane polygon (even-odd over
// all rings) and whether it lies within m of an edge.
func (pp planePolygon) locate(x, y, m float64) (in, near bool) {
	for ri, r := range pp.rings {
		for i, box := range pp.boxes[ri] {
			a, b := r[i], r[i+1]
			if (a[1] > y) != (b[1] > y) && x < (b[0]-a[0])*(y-a[1])/(b[1]-a[1])+a[0] {
				in = !in
			}
			if !near && x >= box.Min[0]-m && x <= box.Max[0]+m && y >= box.Min[1]-m && y <= box.Max[1]+m {
				near = segmentDist2(a, b, x, y) <= m*m
			}
		}
	}
	return in, near
}

// segmentDist2 returns the squared distance from (x, y) to segment ab.
func segmentDist2(a, b orb.Point, x, y float64) float64 {
	dx, dy := b[0]-a[0], b[1]-a[1]
	t := 0.0
	if l2 := dx*dx + dy*dy; l2 > 0 {
		t = math.Max(0, math.Min(1, ((x-a[0])*dx+(y-a[1])*dy)/l2))
	}
	ex, ey := a[0]+t*dx-x, a[1]+t*dy-y
	return ex*ex + ey*ey
}
