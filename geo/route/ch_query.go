package route

import (
	"math"
	"sync"
)

// scratch is the per-query state of a hierarchy search, reused through a
// pool so that a query costs what it touches, not the network's size.
type scratch struct {
	dist    [2][]float64
	parent  [2][]int32
	touched []int32
	heap    [2]minHeap
}

var scratchPool sync.Pool

func getScratch(nn int) *scratch {
	s, _ := scratchPool.Get().(*scratch)
	if s == nil || len(s.dist[0]) != nn {
		s = &scratch{}
		for d := 0; d < 2; d++ {
			s.dist[d], s.parent[d] = make([]float64, nn), make([]int32, nn)
			for i := range s.dist[d] {
				s.dist[d][i], s.parent[d][i] = math.Inf(1), -1
			}
		}
	}
	return s
}

func (s *scratch) release() {
	for _, u := range s.touched {
		for d := 0; d < 2; d++ {
			s.dist[d][u], s.parent[d][u] = math.Inf(1), -1
		}
	}
	s.touched = s.touched[:0]
	s.heap[0], s.heap[1] = s.heap[0][:0], s.heap[1][:0]
	scratchPool.Put(s)
}

// Route returns the fastest route from one place to another, on the
// profile's contraction hierarchy (built on first use). ok is false when
// there is no route.
func (n *Network) Route(from, to Place, p Profile) (Route, bool) {
	return n.chQuery(from, to, p, true)
}

// Seconds returns the travel time of the fastest route from one place to
// another, as Route does without assembling the route; ok is false when
// there is none.
func (n *Network) Seconds(from, to Place, p Profile) (float64, bool) {
	r, ok := n.chQuery(from, to, p, false)
	return r.Seconds, ok
}

func (n *Network) chQuery(from, to Place, p Profile, withLine bool) (Route, bool) {
	if !from.onRoad || !to.onRoad {
		return Route{}, false
	}
	h := n.hierarchyFor(p)
	s := getScratch(len(n.pts))
	defer s.release()
	acc := p.accessMPS()
	fs, ts := &n.segs[from.seg], &n.segs[to.seg]
	fv, tv := p.speedMPS(fs.kmh), p.speedMPS(ts.kmh)
	set := func(d int, node int32, key float64, parent int32) bool {
		if key >= s.dist[d][node] {
			return false
		}
		if math.IsInf(s.dist[0][node], 1) && math.IsInf(s.dist[1][node], 1) {
			s.touched = append(s.touched, node)
		}
		s.dist[d][node], s.parent[d][node] = key, parent
		s.heap[d].push(key, node)
		return true
	}
	start := from.AccessM / acc
	set(0, fs.b, start+from.toB/fv, -1)
	if from.backToA(fs) {
		set(0, fs.a, start+from.fromA/fv, -1)
	}
	set(1, ts.a, to.fromA/tv, -1)
	if to.fromB(ts) {
		set(1, ts.b, to.toB/tv, -1)
	}
	best, meet := math.Inf(1), int32(-1)
	if from.seg == to.seg {
		if d, ok := alongSegment(fs, from, to); ok {
			best = start + d/fv
		}
	}
	meetAt := func(u int32) {
		if d := s.dist[0][u] + s.dist[1][u]; d < best {
			best, meet = d, u
		}
	}
	for _, u := range s.touched {
		meetAt(u)
	}
	for {
		d := -1
		k0, k1 := math.Inf(1), math.Inf(1)
		if len(s.heap[0]) > 0 {
			k0 = s.heap[0].minKey()
		}
		if len(s.heap[1]) > 0 {
			k1 = s.heap[1].minKey()
		}
		switch {
		case k0 < best && k0 <= k1:
			d = 0
		case k1 < best:
			d = 1
		}
		if d < 0 {
			break
		}
		it := s.heap[d].pop()
		if it.key > s.dist[d][it.node] {
			continue
		}
		if d == 0 {
			for _, ai := range h.up[it.node] {
				a := &h.arcs[ai]
				if set(0, a.to, it.key+a.w, ai) {
					meetAt(a.to)
				}
			}
		} else {
			for _, ai := range h.down[it.node] {
				a := &h.arcs[ai]
				if set(1, a.from, it.key+a.w, ai) {
					meetAt(a.from)
				}
			}
		}
	}
	if math.IsInf(best, 1) {
		return Route{}, false
	}
	total := best + to.AccessM/acc
	if !withLine {
		return Route{Seconds: total}, true
	}
	var w walk
	if meet >= 0 {
		// Up from the start to the meeting node, then down to the end.
		var ups []int32
		for u := meet; s.parent[0][u] >= 0; u = h.arcs[s.parent[0][u]].from {
			ups = append(ups, s.parent[0][u])
		}
		first := meet
		if len(ups) > 0 {
			first = h.arcs[ups[len(ups)-1]].from
		}
		w.nodes = append(w.nodes, first)
		for i := len(ups) - 1; i >= 0; i-- {
			h.unpack(n, ups[i], &w)
		}
		for u := meet; s.parent[1][u] >= 0; {
			ai := s.parent[1][u]
			h.unpack(n, ai, &w)
			u = h.arcs[ai].to
		}
	}
	return n.routeOf(from, to, w, total), true
}

// unpack appends the base nodes an arc passes through after its tail.
func (h *hierarchy) unpack(n *Network, ai int32, w *walk) {
	a := &h.arcs[ai]
	if a.c1 < 0 {
		w.nodes = append(w.nodes, a.to)
		w.metres += n.segs[a.seg].metres
		return
	}
	h.unpack(n, a.c1, w)
	h.unpack(n, a.c2, w)
}

// Shortcuts returns the number of shortcuts in the hierarchy of the
// profile's top speed (building it if needed).
func (n *Network) Shortcuts(p Profile) int { return n.hierarchyFor(p).shortcutsNo }
