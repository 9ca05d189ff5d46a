package geo

import (
	"math"
	"slices"

	"github.com/paulmach/orb"
	"github.com/uber/h3-go/v4"
)

// CellPart is one edge-connected part of a set of H3 cells with its outline.
type CellPart struct {
	// Cells are the part's cells, sorted by index.
	Cells []h3.Cell
	// Polygon is the part's outline: a counter-clockwise outer ring and
	// clockwise holes, closed, vertices exactly the cells' own vertices.
	Polygon orb.Polygon
}

// CellsOutline returns the outline of a set of H3 cells (duplicates
// allowed) as a MultiPolygon, one polygon per edge-connected part, in the
// order of CellParts. h3-go v4.1.0 cannot do this (CellsToMultiPolygon
// panics), and the C function underneath is quadratic.
func CellsOutline(cells []h3.Cell) orb.MultiPolygon {
	parts := CellParts(cells)
	out := make(orb.MultiPolygon, 0, len(parts))
	for _, p := range parts {
		out = append(out, p.Polygon)
	}
	return out
}

// CellParts splits a set of H3 cells (duplicates allowed) into its
// edge-connected parts and outlines each, in linear time: the edges that two
// cells of the set share cancel, the cells that share one are joined into a
// part (union-find), and the edges left are traced into rings. A part's
// outer ring is counter-clockwise and its holes clockwise (RFC 7946). Parts
// come sorted by their smallest cell.
//
// Neighbouring cells compute their shared vertices separately, and the two
// results can differ in the last bits; vertices are therefore matched on a
// lattice of vertexTolerance degrees (0.1 mm) that tolerates differences
// up to a quarter of it, far below the distance between two distinct
// vertices of any H3 resolution (over 0.5 m at resolution 15). The cells
// must share one resolution.
func CellParts(cells []h3.Cell) []CellPart {
	cs := slices.Clone(cells)
	slices.Sort(cs)
	cs = slices.Compact(cs)
	rings := make([]orb.Ring, len(cs))
	for i, c := range cs {
		r := CellRing(c)
		rings[i] = r[:len(r)-1]
	}
	return outlineParts(cs, rings)
}

// outlineParts is CellParts given each cell's open counter-clockwise ring.
func outlineParts(cs []h3.Cell, rings []orb.Ring) []CellPart {
	vs := newVertexSet(6 * len(cs))
	uf := newUnionFind(len(cs))
	type edge = uint64
	key := func(a, b int32) edge { return uint64(uint32(a))<<32 | uint64(uint32(b)) }
	owner := make(map[edge]int32, 4*len(cs))
	ids := make([]int32, 0, 10)
	for i, r := range rings {
		ids = ids[:0]
		for _, p := range r {
			id := vs.id(p)
			if len(ids) > 0 && ids[len(ids)-1] == id {
				continue
			}
			ids = append(ids, id)
		}
		for len(ids) > 1 && ids[0] == ids[len(ids)-1] {
			ids = ids[:len(ids)-1]
		}
		for k := range ids {
			a, b := ids[k], ids[(k+1)%len(ids)]
			if o, ok := owner[key(b, a)]; ok {
				delete(owner, key(b, a))
				uf.union(int(o), i)
				continue
			}
			owner[key(a, b)] = int32(i)
		}
	}
	// The edges left bound the parts; with hexagons (three cells at every
	// vertex) no vertex has two outgoing boundary edges, but pentagons and
	// malformed input are handled by keeping a list per vertex.
	next := make(map[int32][]int32, len(owner))
	for e := range owner {
		a, b := int32(e>>32), int32(uint32(e))
		next[a] = append(next[a], b)
	}
	starts := make([]int32, 0, len(next))
	for a, bs := range next {
		starts = append(starts, a)
		slices.Sort(bs)
	}
	slices.Sort(starts)
	ringsOf := map[int][]orb.Ring{}
	for _, s := range starts {
		for len(next[s]) > 0 {
			ring, part := traceRing(next, vs, s, func(a, b int32) int { return uf.find(int(owner[key(a, b)])) })
			ringsOf[part] = append(ringsOf[part], ring)
		}
	}
	return assembleParts(cs, uf, ringsOf)
}

// traceRing follows boundary edges from s back to s, removing them, and
// returns the closed ring and the part of its first edge.
func traceRing(next map[int32][]int32, vs *vertexSet, s int32, partOf func(a, b int32) int) (orb.Ring, int) {
	ring := orb.Ring{vs.points[s]}
	cur := s
	part := -1
	for {
		outs := next[cur]
		nxt := outs[0]
		if len(outs) == 1 {
			delete(next, cur)
		} else {
			next[cur] = outs[1:]
		}
		if part < 0 {
			part = partOf(cur, nxt)
		}
		ring = append(ring, vs.points[nxt])
		cur = nxt
		if cur == s || len(next[cur]) == 0 {
			break
		}
	}
	if ring[len(ring)-1] != ring[0] {
		ring = append(ring, ring[0])
	}
	return ring, part
}

// assembleParts groups the cells by part and gives each part its rings: the
// counter-clockwise ring is the outer one, the clockwise ones are holes.
func assembleParts(cs []h3.Cell, uf *unionFind, ringsOf map[int][]orb.Ring) []CellPart {
	cellsOf := map[int][]h3.Cell{}
	var roots []int
	for i, c := range cs {
		r := uf.find(i)
		if _, ok := cellsOf[r]; !ok {
			roots = append(roots, r)
		}
		cellsOf[r] = append(cellsOf[r], c)
	}
	out := make([]CellPart, 0, len(roots))
	for _, root := range roots { // in order of each part's smallest cell
		var outer orb.Ring
		var holes []orb.Ring
		best := 0.0
		for _, r := range ringsOf[root] {
			a := RingArea(r)
			if a > best {
				if outer != nil {
					holes = append(holes, outer)
				}
				outer, best = r, a
				continue
			}
			holes = append(holes, r)
		}
		if outer == nil {
			continue
		}
		poly := orb.Polygon{outer}
		for _, h := range holes {
			if math.Abs(RingArea(h)) > 0 {
				poly = append(poly, h)
			}
		}
		out = append(out, CellPart{Cells: cellsOf[root], Polygon: poly})
	}
	return out
}

// vertexTolerance is the distance within which two cell vertices are the
// same vertex, in degrees.
const vertexTolerance = 1e-9

// vertexSet numbers points, treating points within a small fraction of
// vertexTolerance as one: each point is filed under its cell of a
// vertexTolerance lattice, and a point within a quarter cell of a lattice
// line is filed under the cell across it too, so that a copy a few ulps
// away, on either side of the line, finds it with one lookup.
type vertexSet struct {
	byKey  map[[2]int64]int32
	points []orb.Point
}

func newVertexSet(n int) *vertexSet {
	return &vertexSet{byKey: make(map[[2]int64]int32, n), points: make([]orb.Point, 0, n)}
}

// id returns the number of pt, adding it when no known point is within a
// quarter of vertexTolerance.
func (vs *vertexSet) id(pt orb.Point) int32 {
	fx, fy := pt[0]/vertexTolerance, pt[1]/vertexTolerance
	kx, ky := math.Floor(fx), math.Floor(fy)
	k := [2]int64{int64(kx), int64(ky)}
	if id, ok := vs.byKey[k]; ok {
		return id
	}
	id := int32(len(vs.points))
	vs.points = append(vs.points, pt)
	vs.byKey[k] = id
	near := func(f float64) int64 {
		switch {
		case f < 0.25:
			return -1
		case f > 0.75:
			return 1
		}
		return 0
	}
	nx, ny := near(fx-kx), near(fy-ky)
	for _, d := range [][2]int64{{nx, 0}, {0, ny}, {nx, ny}} {
		if d != ([2]int64{}) {
			if _, taken := vs.byKey[[2]int64{k[0] + d[0], k[1] + d[1]}]; !taken {
				vs.byKey[[2]int64{k[0] + d[0], k[1] + d[1]}] = id
			}
		}
	}
	return id
}

// unionFind is a disjoint-set forest with path halving and union by size.
type unionFind struct{ parent, size []int32 }

func newUnionFind(n int) *unionFind {
	u := &unionFind{parent: make([]int32, n), size: make([]int32, n)}
	for i := range u.parent {
		u.parent[i], u.size[i] = int32(i), 1
	}
	return u
}

func (u *unionFind) find(i int) int {
	for int(u.parent[i]) != i {
		u.parent[i] = u.parent[u.parent[i]]
		i = int(u.parent[i])
	}
	return i
}

func (u *unionFind) union(a, b int) {
	ra, rb := u.find(a), u.find(b)
	if ra == rb {
		return
	}
	if u.size[ra] < u.size[rb] {
		ra, rb = rb, ra
	}
	u.parent[rb] = int32(ra)
	u.size[ra] += u.size[rb]
}
