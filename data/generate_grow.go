package data

import (
	"math"
	"math/rand/v2"
)

// Regions (townships, villages, grids, station territories, beats) are
// grown over the hexes from seeds by a multi-source Dijkstra search with
// noisy step costs: a hex goes to the region that reaches it first, through
// hexes of that region, so every region is connected.

// lloydRounds is how many times partition moves each seed to the middle of
// its region and grows again, which evens out the regions' sizes.
const lloydRounds = 2

type heapItem struct {
	d    float64
	h    int32
	part int32
}

func (a heapItem) less(b heapItem) bool {
	if a.d != b.d {
		return a.d < b.d
	}
	if a.h != b.h {
		return a.h < b.h
	}
	return a.part < b.part
}

// grower runs growths over the hexes of a mesh, reusing its scratch space.
type grower struct {
	m     *mesh
	dist  []float64
	cost  []float64 // scratch step costs, for callers
	mark  []uint32  // mark[h] == stamp: h may be claimed in the current run
	stamp uint32
	heap  []heapItem
}

func newGrower(m *mesh) *grower {
	return &grower{m: m, dist: make([]float64, m.len()), cost: make([]float64, m.len()), mark: make([]uint32, m.len())}
}

func (g *grower) push(it heapItem) {
	g.heap = append(g.heap, it)
	i := len(g.heap) - 1
	for i > 0 {
		p := (i - 1) / 2
		if !g.heap[i].less(g.heap[p]) {
			break
		}
		g.heap[i], g.heap[p] = g.heap[p], g.heap[i]
		i = p
	}
}

func (g *grower) pop() heapItem {
	top := g.heap[0]
	n := len(g.heap) - 1
	g.heap[0] = g.heap[n]
	g.heap = g.heap[:n]
	i := 0
	for {
		l, small := 2*i+1, i
		if l < n && g.heap[l].less(g.heap[small]) {
			small = l
		}
		if l+1 < n && g.heap[l+1].less(g.heap[small]) {
			small = l + 1
		}
		if small == i {
			return top
		}
		g.heap[i], g.heap[small] = g.heap[small], g.heap[i]
		i = small
	}
}

// growSpec describes one growth.
type growSpec struct {
	members []int32               // the hexes that may be claimed; they include the seeds
	seeds   []int32               // one distinct seed per region
	speed   []float64             // per region, nil for all 1
	cost    func(h int32) float64 // cost of entering h, > 0
	limit   int                   // stop after claiming this many hexes; 0 for no limit
}

// run sets label[h] for every member to the region that claims it, or -1
// where none does, and returns the number of hexes claimed.
func (g *grower) run(s growSpec, label []int32) int {
	g.stamp++
	for _, h := range s.members {
		g.mark[h] = g.stamp
		label[h] = -1
		g.dist[h] = math.Inf(1)
	}
	g.heap = g.heap[:0]
	for i, h := range s.seeds {
		g.dist[h] = 0
		g.push(heapItem{0, h, int32(i)})
	}
	claimed := 0
	for len(g.heap) > 0 {
		it := g.pop()
		if label[it.h] >= 0 {
			continue
		}
		label[it.h] = it.part
		claimed++
		if s.limit > 0 && claimed == s.limit {
			break
		}
		sp := 1.0
		if s.speed != nil {
			sp = s.speed[it.part]
		}
		for _, n := range g.m.adj(it.h) {
			if n < 0 || g.mark[n] != g.stamp || label[n] >= 0 {
				continue
			}
			if d := it.d + s.cost(n)/sp; d < g.dist[n] {
				g.dist[n] = d
				g.push(heapItem{d, n, it.part})
			}
		}
	}
	return claimed
}

// collect lists the members of each of k regions, in member order.
func collect(members []int32, label []int32, k int) [][]int32 {
	parts := make([][]int32, k)
	for _, h := range members {
		if l := label[h]; l >= 0 {
			parts[l] = append(parts[l], h)
		}
	}
	return parts
}

// noiseCost returns a step cost of 1 ± amp varying smoothly with the given
// wavelength.
func (b *builder) noiseCost(rng *rand.Rand, wave, amp float64) func(h int32) float64 {
	nz := valueNoise{seed: b.seed, salt: rng.Uint64(), wave: wave}
	return func(h int32) float64 {
		x, y := b.m.centre(h)
		return 1 + amp*nz.fbm(x, y)
	}
}

// partition splits a connected set of hexes into k connected regions of
// similar size (fewer when there are fewer hexes), labelling them 0..k-1.
func (b *builder) partition(members []int32, k int, rng *rand.Rand, label []int32) [][]int32 {
	k = min(k, len(members))
	if k <= 1 {
		for _, h := range members {
			label[h] = 0
		}
		return [][]int32{members}
	}
	wave := hexW * math.Sqrt(float64(len(members))/float64(k)) * 0.8
	noisy := b.noiseCost(rng, wave, 0.6)
	for _, h := range members { // the same costs serve every round
		b.g.cost[h] = noisy(h)
	}
	spec := growSpec{members: members, cost: func(h int32) float64 { return b.g.cost[h] }}
	f := newFPS(b.m, members, nil)
	spec.seeds = f.pick(k, rng)
	for round := 0; ; round++ {
		b.g.run(spec, label)
		parts := collect(members, label, k)
		if round == lloydRounds {
			return parts
		}
		spec.seeds = b.recentre(parts)
	}
}

// recentre returns, for each region, its hex nearest to its mean centre.
func (b *builder) recentre(parts [][]int32) []int32 {
	seeds := make([]int32, len(parts))
	for i, p := range parts {
		var sx, sy float64
		for _, h := range p {
			x, y := b.m.centre(h)
			sx, sy = sx+x, sy+y
		}
		mx, my := sx/float64(len(p)), sy/float64(len(p))
		best := math.Inf(1)
		for _, h := range p {
			x, y := b.m.centre(h)
			if d := (x-mx)*(x-mx) + (y-my)*(y-my); d < best {
				best, seeds[i] = d, h
			}
		}
	}
	return seeds
}

// fps picks seeds among candidate hexes by farthest-point sampling: each
// new seed is the candidate farthest from every point added so far, where a
// candidate's score may be capped (e.g. by its distance to the border).
type fps struct {
	m     *mesh
	cands []int32
	best  []float64 // squared distance to the nearest point added
	cap   []float64 // squared cap of each candidate's score
}

func newFPS(m *mesh, cands []int32, capOf func(h int32) float64) *fps {
	f := &fps{m: m, cands: cands, best: make([]float64, len(cands))}
	for i := range f.best {
		f.best[i] = math.Inf(1)
	}
	if capOf != nil {
		f.cap = make([]float64, len(cands))
		for i, h := range cands {
			c := capOf(h)
			f.cap[i] = c * c
		}
	}
	return f
}

// add records a chosen point (x, y), metres.
func (f *fps) add(x, y float64) {
	for i, h := range f.cands {
		cx, cy := f.m.centre(h)
		if d := (cx-x)*(cx-x) + (cy-y)*(cy-y); d < f.best[i] {
			f.best[i] = d
		}
	}
}

// next returns the best candidate and adds it.
func (f *fps) next() int32 {
	bi, bs := 0, -1.0
	for i, d := range f.best {
		if f.cap != nil && f.cap[i] < d {
			d = f.cap[i]
		}
		if d > bs {
			bi, bs = i, d
		}
	}
	h := f.cands[bi]
	f.add(f.m.centre(h))
	return h
}

// pick returns k distinct seeds, the first one drawn at random.
func (f *fps) pick(k int, rng *rand.Rand) []int32 {
	first := f.cands[rng.IntN(len(f.cands))]
	f.add(f.m.centre(first))
	seeds := []int32{first}
	for len(seeds) < k {
		seeds = append(seeds, f.next())
	}
	return seeds
}
