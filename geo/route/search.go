package route

import (
	"math"

	"github.com/paulmach/orb"
)

// Tree holds the travel times of one bounded Dijkstra search on the base
// graph: from the nearest of some sources (forward) or to the nearest of
// some targets (reverse).
type Tree struct {
	n       *Network
	prof    Profile
	reverse bool
	limit   float64
	dist    []float64
	parent  []int32 // index of the arc in out (forward) or in (reverse) that reached the node; -1 for none
	roots   []Place
	bySeg   map[int32][]int // roots per segment, for trips along one segment
}

// From returns the times from the nearest of the sources to every node
// reachable within limitS seconds (0 or +Inf: no limit). Sources that did
// not snap are ignored.
func (n *Network) From(sources []Place, p Profile, limitS float64) *Tree {
	return n.search(sources, p, limitS, false)
}

// To returns the times from every node reachable within limitS seconds to
// the nearest of the targets, as From does in reverse.
func (n *Network) To(targets []Place, p Profile, limitS float64) *Tree {
	return n.search(targets, p, limitS, true)
}

func (n *Network) search(roots []Place, p Profile, limitS float64, reverse bool) *Tree {
	if !(limitS > 0) {
		limitS = math.Inf(1)
	}
	t := &Tree{n: n, prof: p, reverse: reverse, limit: limitS, dist: make([]float64, len(n.pts)),
		parent: make([]int32, len(n.pts)), bySeg: map[int32][]int{}}
	for i := range t.dist {
		t.dist[i], t.parent[i] = math.Inf(1), -1
	}
	var h minHeap
	acc := p.accessMPS()
	seed := func(node int32, s float64) {
		if s < t.dist[node] && s <= limitS {
			t.dist[node] = s
			h.push(s, node)
		}
	}
	for _, r := range roots {
		if !r.onRoad {
			continue
		}
		t.roots = append(t.roots, r)
		t.bySeg[r.seg] = append(t.bySeg[r.seg], len(t.roots)-1)
		s := &n.segs[r.seg]
		v := p.speedMPS(s.kmh)
		base := r.AccessM / acc
		if !reverse {
			seed(s.b, base+r.toB/v) // On → b, along the segment
			if r.backToA(s) {
				seed(s.a, base+r.fromA/v)
			}
		} else {
			seed(s.a, base+r.fromA/v) // a → On
			if r.fromB(s) {
				seed(s.b, base+r.toB/v)
			}
		}
	}
	adj := &n.out
	if reverse {
		adj = &n.in
	}
	for len(h) > 0 {
		it := h.pop()
		if it.key > t.dist[it.node] {
			continue
		}
		lo := adj.first[it.node]
		for k, a := range adj.of(it.node) {
			d := it.key + n.segs[a.seg].seconds(p)
			if d < t.dist[a.head] && d <= limitS {
				t.dist[a.head], t.parent[a.head] = d, lo+int32(k)
				h.push(d, a.head)
			}
		}
	}
	return t
}

// Node returns the time at node i, seconds; +Inf when beyond the limit.
func (t *Tree) node(i int32) float64 { return t.dist[i] }

// Seconds returns the travel time between q and the tree's roots: from the
// nearest source to q (From) or from q to the nearest target (To),
// seconds; +Inf when q did not snap or is beyond the limit.
func (t *Tree) Seconds(q Place) float64 {
	if !q.onRoad {
		return math.Inf(1)
	}
	n, p := t.n, t.prof
	s := &n.segs[q.seg]
	v := p.speedMPS(s.kmh)
	acc := p.accessMPS()
	best := math.Inf(1)
	if !t.reverse {
		best = t.dist[s.a] + q.fromA/v // a → On
		if q.fromB(s) {
			best = math.Min(best, t.dist[s.b]+q.toB/v)
		}
	} else {
		best = t.dist[s.b] + q.toB/v // On → b
		if q.backToA(s) {
			best = math.Min(best, t.dist[s.a]+q.fromA/v)
		}
	}
	for _, ri := range t.bySeg[q.seg] {
		r := t.roots[ri]
		src, dst := r, q
		if t.reverse {
			src, dst = q, r
		}
		if d, ok := alongSegment(s, src, dst); ok {
			best = math.Min(best, r.AccessM/acc+d/v)
		}
	}
	best += q.AccessM / acc
	if best > t.limit {
		return math.Inf(1)
	}
	return best
}

// backToA reports whether a trip starting at the place may go to the
// segment's first node: the segment is two-way, or the place is that node.
func (p Place) backToA(s *segment) bool { return !s.oneway || p.fromA == 0 }

// fromB reports whether a trip may reach the place from the segment's
// second node: the segment is two-way, or the place is that node.
func (p Place) fromB(s *segment) bool { return !s.oneway || p.toB == 0 }

// alongSegment returns the metres from src.On to dst.On along their shared
// segment, when the segment may be driven that way.
func alongSegment(s *segment, src, dst Place) (float64, bool) {
	if s.oneway && dst.fromA < src.fromA {
		return 0, false
	}
	return Distance(src.On, dst.On), true
}

// Route is a trip from a point to a point.
type Route struct {
	// Seconds is the travel time.
	Seconds float64
	// Metres is the length: both access legs and the roads.
	Metres float64
	// AccessM is the length of the two access legs, metres.
	AccessM float64
	// Line is the way: from the start, its access leg, the roads, the
	// access leg to the end.
	Line orb.LineString
}

// RouteDijkstra returns the fastest route from one place to another by
// plain Dijkstra on the base graph, stopping once the destination is
// settled: the baseline that Route is measured against. ok is false when
// there is no route.
func (n *Network) RouteDijkstra(from, to Place, p Profile) (Route, bool) {
	if !from.onRoad || !to.onRoad {
		return Route{}, false
	}
	dist := make([]float64, len(n.pts))
	parent := make([]int32, len(n.pts))
	for i := range dist {
		dist[i], parent[i] = math.Inf(1), -1
	}
	acc := p.accessMPS()
	fs, ts := &n.segs[from.seg], &n.segs[to.seg]
	fv, tv := p.speedMPS(fs.kmh), p.speedMPS(ts.kmh)
	var h minHeap
	seed := func(node int32, s float64) {
		if s < dist[node] {
			dist[node] = s
			h.push(s, node)
		}
	}
	start := from.AccessM / acc
	seed(fs.b, start+from.toB/fv)
	if from.backToA(fs) {
		seed(fs.a, start+from.fromA/fv)
	}
	best, via := math.Inf(1), int32(-1) // via: the node the route leaves the road graph at; -1 along one segment
	if from.seg == to.seg {
		if d, ok := alongSegment(fs, from, to); ok {
			best = start + d/fv
		}
	}
	finish := func(u int32) {
		var d float64
		switch {
		case u == ts.a:
			d = dist[u] + to.fromA/tv
		case u == ts.b && to.fromB(ts):
			d = dist[u] + to.toB/tv
		default:
			return
		}
		if d < best {
			best, via = d, u
		}
	}
	for len(h) > 0 && h.minKey() < best {
		it := h.pop()
		if it.key > dist[it.node] {
			continue
		}
		finish(it.node)
		lo := n.out.first[it.node]
		for k, a := range n.out.of(it.node) {
			d := it.key + n.segs[a.seg].seconds(p)
			if d < dist[a.head] {
				dist[a.head], parent[a.head] = d, lo+int32(k)
				h.push(d, a.head)
			}
		}
	}
	if math.IsInf(best, 1) {
		return Route{}, false
	}
	best += to.AccessM / acc
	var w walk
	for u := via; u >= 0; {
		w.nodes = append(w.nodes, u)
		pa := parent[u]
		if pa < 0 {
			break
		}
		w.metres += n.segs[n.out.arcs[pa].seg].metres
		u = n.tail(pa)
	}
	for i, j := 0, len(w.nodes)-1; i < j; i, j = i+1, j-1 {
		w.nodes[i], w.nodes[j] = w.nodes[j], w.nodes[i]
	}
	return n.routeOf(from, to, w, best), true
}

// tail returns the node an arc of out leaves from.
func (n *Network) tail(outArc int32) int32 {
	a := n.out.arcs[outArc]
	s := &n.segs[a.seg]
	if s.a == a.head {
		return s.b
	}
	return s.a
}

// walk is the road part of a route: the nodes in order (none for a trip
// along one segment) and the metres of road between them.
type walk struct {
	nodes  []int32
	metres float64
}

// routeOf assembles a route through the walk's nodes.
func (n *Network) routeOf(from, to Place, w walk, seconds float64) Route {
	r := Route{Seconds: seconds, AccessM: from.AccessM + to.AccessM}
	if len(w.nodes) == 0 {
		r.Metres = r.AccessM + Distance(from.On, to.On)
	} else {
		r.Metres = r.AccessM + w.metres + partial(&n.segs[from.seg], from, w.nodes[0]) +
			partial(&n.segs[to.seg], to, w.nodes[len(w.nodes)-1])
	}
	line := make(orb.LineString, 1, len(w.nodes)+4)
	line[0] = from.Point
	add := func(p orb.Point) {
		if p != line[len(line)-1] {
			line = append(line, p)
		}
	}
	add(from.On)
	for _, u := range w.nodes {
		add(n.pts[u])
	}
	add(to.On)
	add(to.Point)
	if len(line) == 1 {
		line = append(line, to.Point)
	}
	r.Line = line
	return r
}

// partial is the metres between a place and an end node of its segment.
func partial(s *segment, p Place, node int32) float64 {
	if node == s.a {
		return p.fromA
	}
	return p.toB
}
