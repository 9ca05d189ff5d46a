package route

import "math"

// A contraction hierarchy (Geisberger et al., "Contraction Hierarchies:
// Faster and Simpler Hierarchical Routing in Road Networks", WEA 2008):
// nodes are contracted one by one, least important first; contracting v
// adds a shortcut u → w for every pair of arcs u → v → w that is the only
// shortest path between u and w among the nodes left (a bounded "witness"
// search looks for another). A query then runs Dijkstra upwards (to
// higher-ranked nodes) from both ends and meets at the top.

// chArc is an arc of the hierarchy: a base arc (seg >= 0) or a shortcut
// of two arcs (c1 then c2).
type chArc struct {
	from, to int32
	w        float64
	seg      int32 // base arc: its segment; -1 for a shortcut
	c1, c2   int32
}

// hierarchy is one profile's contraction hierarchy.
type hierarchy struct {
	rank        []int32
	arcs        []chArc
	up, down    [][]int32 // per node: arcs to higher-ranked nodes (up, at from) and from higher-ranked nodes (down, at to)
	shortcutsNo int
}

// witnessSettleLimit bounds each witness search: a search that gives up
// adds a shortcut that may not be needed, which costs query time but never
// correctness.
const witnessSettleLimit = 60

// hierarchyFor returns the profile's hierarchy, building it on first use.
func (n *Network) hierarchyFor(p Profile) *hierarchy {
	key := p.MaxKMH
	if key >= n.maxKMH || key < 0 {
		key = 0 // a cap at or above every road's speed changes nothing
	}
	n.mu.Lock()
	e, ok := n.chs[key]
	if !ok {
		e = &chEntry{}
		n.chs[key] = e
	}
	n.mu.Unlock()
	e.once.Do(func() { e.h = n.contract(Profile{MaxKMH: key, AccessKMH: 1}) })
	return e.h
}

// contractor is the state of one contraction.
type contractor struct {
	h       *hierarchy
	out, in [][]int32 // live arcs per node (to and from it)
	done    []bool
	deleted []int32 // contracted neighbours, per node
	dist    []float64
	stamp   []int32
	round   int32
	heap    minHeap
}

// contract builds the hierarchy of the base graph with profile p's weights.
func (n *Network) contract(p Profile) *hierarchy {
	nn := len(n.pts)
	h := &hierarchy{rank: make([]int32, nn), up: make([][]int32, nn), down: make([][]int32, nn)}
	c := &contractor{h: h, out: make([][]int32, nn), in: make([][]int32, nn), done: make([]bool, nn),
		deleted: make([]int32, nn), dist: make([]float64, nn), stamp: make([]int32, nn)}
	// Base arcs, the lightest of parallel ones.
	type pair struct{ a, b int32 }
	lightest := map[pair]int32{}
	for u := int32(0); int(u) < nn; u++ {
		for _, a := range n.out.of(u) {
			w := n.segs[a.seg].seconds(p)
			k := pair{u, a.head}
			if i, ok := lightest[k]; ok {
				if w < h.arcs[i].w {
					h.arcs[i].w, h.arcs[i].seg = w, a.seg
				}
				continue
			}
			lightest[k] = int32(len(h.arcs))
			h.arcs = append(h.arcs, chArc{from: u, to: a.head, w: w, seg: a.seg, c1: -1, c2: -1})
		}
	}
	for i, a := range h.arcs {
		c.out[a.from] = append(c.out[a.from], int32(i))
		c.in[a.to] = append(c.in[a.to], int32(i))
	}
	var order minHeap
	for v := int32(0); int(v) < nn; v++ {
		order.push(c.priority(v), v)
	}
	next := int32(0)
	for len(order) > 0 {
		it := order.pop()
		if c.done[it.node] {
			continue
		}
		if pr := c.priority(it.node); len(order) > 0 && pr > order.minKey() {
			order.push(pr, it.node)
			continue
		}
		c.contractNode(it.node, true)
		c.done[it.node] = true
		h.rank[it.node] = next
		next++
	}
	for i, a := range h.arcs {
		if h.rank[a.to] > h.rank[a.from] {
			h.up[a.from] = append(h.up[a.from], int32(i))
		} else {
			h.down[a.to] = append(h.down[a.to], int32(i))
		}
	}
	return h
}

// priority is the edge difference of contracting v (shortcuts added less
// arcs removed) plus its contracted neighbours, which spreads the
// contraction evenly over the graph.
func (c *contractor) priority(v int32) float64 {
	added := c.contractNode(v, false)
	removed := 0
	for _, ai := range c.in[v] {
		if !c.done[c.h.arcs[ai].from] {
			removed++
		}
	}
	for _, ai := range c.out[v] {
		if !c.done[c.h.arcs[ai].to] {
			removed++
		}
	}
	return float64(added-removed) + float64(c.deleted[v])
}

// contractNode counts (apply false) or adds (apply true) the shortcuts
// that contracting v needs.
func (c *contractor) contractNode(v int32, apply bool) int {
	h := c.h
	added := 0
	for _, ia := range c.in[v] {
		in := h.arcs[ia]
		u := in.from
		if c.done[u] || u == v {
			continue
		}
		maxW := 0.0
		for _, oa := range c.out[v] {
			if x := h.arcs[oa].to; !c.done[x] && x != u {
				maxW = math.Max(maxW, in.w+h.arcs[oa].w)
			}
		}
		if maxW == 0 {
			continue
		}
		c.witness(u, v, maxW)
		for _, oa := range c.out[v] {
			o := h.arcs[oa]
			x := o.to
			if c.done[x] || x == u {
				continue
			}
			w := in.w + o.w
			if c.stamp[x] == c.round && c.dist[x] <= w {
				continue // a witness path is no longer
			}
			added++
			if apply {
				i := int32(len(h.arcs))
				h.arcs = append(h.arcs, chArc{from: u, to: x, w: w, seg: -1, c1: ia, c2: oa})
				c.out[u] = append(c.out[u], i)
				c.in[x] = append(c.in[x], i)
				h.shortcutsNo++
				// Later witness searches from u see the shortcut.
				if c.stamp[x] != c.round || w < c.dist[x] {
					c.stamp[x], c.dist[x] = c.round, w
				}
			}
		}
	}
	if apply {
		for _, ia := range c.in[v] {
			c.deleted[h.arcs[ia].from]++
		}
		for _, oa := range c.out[v] {
			c.deleted[h.arcs[oa].to]++
		}
	}
	return added
}

// witness runs Dijkstra from u among the nodes not contracted, avoiding
// v, up to maxW seconds or witnessSettleLimit settled nodes; c.dist holds
// its distances for the nodes stamped with c.round.
func (c *contractor) witness(u, v int32, maxW float64) {
	c.round++
	h := c.h
	c.heap = c.heap[:0]
	c.stamp[u], c.dist[u] = c.round, 0
	c.heap.push(0, u)
	settled := 0
	for len(c.heap) > 0 && settled < witnessSettleLimit {
		it := c.heap.pop()
		if it.key > c.dist[it.node] {
			continue
		}
		if it.key > maxW {
			break
		}
		settled++
		for _, ai := range c.out[it.node] {
			a := h.arcs[ai]
			if a.to == v || c.done[a.to] {
				continue
			}
			d := it.key + a.w
			if c.stamp[a.to] != c.round || d < c.dist[a.to] {
				c.stamp[a.to], c.dist[a.to] = c.round, d
				c.heap.push(d, a.to)
			}
		}
	}
}
