package geo

import (
	"math"
	"sort"

	"github.com/paulmach/orb"
)

// Dissolve returns the union of polygons that meet only along shared edges,
// such as the grids of a village or a set of H3 cells: edges that two
// polygons share (same two vertices, within 1e-9 degrees) cancel, and the
// remaining edges are traced into rings. Outer rings come out
// counter-clockwise and holes clockwise (RFC 7946); parts that touch at a
// single vertex come out as separate polygons, and a hole that touches its
// outer ring at a vertex comes out as a separate ring, so every ring is
// simple. It is exact when the polygons
// tile without overlaps and neighbours share vertices; it is not a general
// polygon union.
func Dissolve(polys []orb.Polygon) orb.MultiPolygon {
	type key [2]int64
	keyOf := func(p orb.Point) key {
		return key{int64(math.Round(p[0] * 1e9)), int64(math.Round(p[1] * 1e9))}
	}
	type edge struct{ from, to key }
	points := map[key]orb.Point{}
	edges := map[edge]int{}
	addRing := func(r orb.Ring, wantCCW bool) {
		n := len(r)
		if n > 1 && r[0] == r[n-1] {
			n--
		}
		if n < 3 {
			return
		}
		ccw := RingArea(r) > 0
		for i := 0; i < n; i++ {
			a, b := r[i], r[(i+1)%n]
			if ccw != wantCCW {
				a, b = b, a
			}
			ka, kb := keyOf(a), keyOf(b)
			if ka == kb {
				continue
			}
			points[ka], points[kb] = a, b
			if edges[edge{kb, ka}] > 0 {
				edges[edge{kb, ka}]--
				if edges[edge{kb, ka}] == 0 {
					delete(edges, edge{kb, ka})
				}
				continue
			}
			edges[edge{ka, kb}]++
		}
	}
	for _, p := range polys {
		for i, r := range p {
			addRing(r, i == 0)
		}
	}
	out := map[key][]key{}
	for e, n := range edges {
		for ; n > 0; n-- {
			out[e.from] = append(out[e.from], e.to)
		}
	}
	// Trace rings. Start vertices and the edges out of each vertex are in
	// sorted order so the result is deterministic.
	less := func(a, b key) bool {
		if a[0] != b[0] {
			return a[0] < b[0]
		}
		return a[1] < b[1]
	}
	starts := make([]key, 0, len(out))
	for k, to := range out {
		starts = append(starts, k)
		sort.Slice(to, func(i, j int) bool { return less(to[i], to[j]) })
	}
	sort.Slice(starts, func(i, j int) bool { return less(starts[i], starts[j]) })
	var rings []orb.Ring
	for _, s := range starts {
		for len(out[s]) > 0 {
			loop := []key{s}
			prev, cur := s, s
			next := takeLeftmost(out, points, prev, cur, true)
			for {
				prev, cur = cur, next
				loop = append(loop, cur)
				if cur == s {
					break
				}
				next = takeLeftmost(out, points, prev, cur, false)
			}
			for _, l := range splitLoop(loop) {
				ring := make(orb.Ring, len(l))
				for i, k := range l {
					ring[i] = points[k]
				}
				rings = append(rings, ring)
			}
		}
	}
	return assembleRings(rings)
}

// splitLoop splits a closed walk (first vertex equal to the last) at every
// vertex it passes twice, so that each returned walk is a simple closed
// ring: a hole that touches its outer ring at a vertex is traced as part of
// the outer ring and comes apart here.
func splitLoop[K comparable](loop []K) [][]K {
	var rings [][]K
	stack := make([]K, 0, len(loop))
	pos := make(map[K]int, len(loop))
	for _, k := range loop {
		if p, ok := pos[k]; ok {
			ring := append(append([]K(nil), stack[p:]...), k)
			for _, d := range stack[p+1:] {
				delete(pos, d)
			}
			stack = stack[:p+1]
			if len(ring) >= 4 {
				rings = append(rings, ring)
			}
			continue
		}
		pos[k] = len(stack)
		stack = append(stack, k)
	}
	return rings
}

// takeLeftmost removes and returns the outgoing edge of cur that turns most to
// the left coming from prev, which keeps parts that touch at a vertex apart.
func takeLeftmost[K comparable](out map[K][]K, points map[K]orb.Point, prev, cur K, first bool) K {
	cands := out[cur]
	best := 0
	if !first && len(cands) > 1 {
		p, c := points[prev], points[cur]
		in := math.Atan2(c[1]-p[1], c[0]-p[0])
		bestTurn := math.Inf(-1)
		for i, k := range cands {
			q := points[k]
			turn := math.Atan2(q[1]-c[1], q[0]-c[0]) - in
			for turn <= -math.Pi {
				turn += 2 * math.Pi
			}
			for turn > math.Pi {
				turn -= 2 * math.Pi
			}
			if turn > bestTurn {
				best, bestTurn = i, turn
			}
		}
	}
	next := cands[best]
	cands[best] = cands[len(cands)-1]
	out[cur] = cands[:len(cands)-1]
	if len(out[cur]) == 0 {
		delete(out, cur)
	}
	return next
}

// assembleRings sorts traced rings into polygons: counter-clockwise rings are
// outer rings, clockwise ones holes of the smallest outer ring holding them.
func assembleRings(rings []orb.Ring) orb.MultiPolygon {
	var outers []orb.Polygon
	var areas []float64
	var holes []orb.Ring
	for _, r := range rings {
		a := RingArea(r)
		if a > 0 {
			outers = append(outers, orb.Polygon{r})
			areas = append(areas, a)
		} else if a < 0 {
			holes = append(holes, r)
		}
	}
	for _, h := range holes {
		best := -1
		for i, o := range outers {
			if ringContainsRing(o[0], h) && (best < 0 || areas[i] < areas[best]) {
				best = i
			}
		}
		if best >= 0 {
			outers[best] = append(outers[best], h)
		}
	}
	return orb.MultiPolygon(outers)
}
