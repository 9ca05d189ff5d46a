package data

import (
	"math"
	"math/rand/v2"
	"sort"
)

// The district at scale 1: about 3,500 km² inside a box around the seat of
// Hongsibao. At scale S the box and the district grow by sqrt(S) in each
// direction around the seat.
const (
	seatLon        = 106.07
	seatLat        = 37.42
	boxWest        = 105.73
	boxEast        = 106.58
	boxSouth       = 37.07
	boxNorth       = 37.63
	districtAreaM2 = 3500e6
)

// blob is the district's outline: a noisy superellipse centred in the box.
// rho(x, y) is below 1 inside the plain superellipse; the district is the
// set of hexes with the smallest rho, as many as its area asks for.
type blob struct {
	cx, cy, a, b float64
	amp, phase   [5]float64 // harmonics 2..6 of the outline
	nz           valueNoise
}

func newBlob(rng *rand.Rand, seed uint64, x0, x1, y0, y1, k float64) blob {
	bl := blob{cx: (x0 + x1) / 2, cy: (y0 + y1) / 2, a: (x1 - x0) / 2, b: (y1 - y0) / 2}
	for i := range bl.amp {
		bl.amp[i] = between(rng, 0.02, 0.08) / float64(i+2) * 2
		bl.phase[i] = rng.Float64() * 2 * math.Pi
	}
	bl.nz = valueNoise{seed: seed, salt: rng.Uint64(), wave: 9000 * k}
	return bl
}

func (bl blob) rho(x, y float64) float64 {
	u, v := (x-bl.cx)/bl.a, (y-bl.cy)/bl.b
	const p = 2.6
	d := math.Pow(math.Pow(math.Abs(u), p)+math.Pow(math.Abs(v), p), 1/p)
	th := math.Atan2(v, u)
	r := 1.0
	for i, a := range bl.amp {
		r += a * math.Cos(float64(i+2)*th+bl.phase[i])
	}
	r *= 1 + 0.07*bl.nz.fbm(x, y)
	return d / r
}

// buildDistrict lays the lattice over the scaled box and picks the
// district's hexes: the right number by area, in one piece, without holes
// or one-hex notches.
func (b *builder) buildDistrict() error {
	k := math.Sqrt(b.opt.Scale)
	f := newFrame(seatLon, seatLat)
	x0, x1 := (boxWest-seatLon)*k*f.mLon, (boxEast-seatLon)*k*f.mLon
	y0, y1 := (boxSouth-seatLat)*k*f.mLat, (boxNorth-seatLat)*k*f.mLat
	m := &mesh{f: f, seed: b.seed}
	m.r0, m.c0 = int(math.Floor(y0/hexH))-2, int(math.Floor(x0/hexW))-2
	m.nr = int(math.Ceil(y1/hexH)) + 2 - m.r0 + 1
	m.nc = int(math.Ceil(x1/hexW)) + 2 - m.c0 + 1
	m.slot = make([]int32, m.nr*m.nc)

	bl := newBlob(b.rng(stageDistrict), b.seed, x0, x1, y0, y1, k)
	type cand struct {
		s   int
		rho float64
	}
	var cands []cand
	inBox := make([]bool, len(m.slot))
	const margin = 1.2 * hexR
	for s := range m.slot {
		x, y := latticeCentre(m.slotRC(s))
		if x > x0+margin && x < x1-margin && y > y0+margin && y < y1-margin {
			inBox[s] = true
			cands = append(cands, cand{s, bl.rho(x, y)})
		}
	}
	sort.Slice(cands, func(i, j int) bool {
		if cands[i].rho != cands[j].rho {
			return cands[i].rho < cands[j].rho
		}
		return cands[i].s < cands[j].s
	})
	in := make([]bool, len(m.slot))
	for i := 0; i < b.n.hexes && i < len(cands); i++ {
		in[cands[i].s] = true
	}
	m.keepLargest(in)
	m.fillNotches(in, inBox)
	m.fillHoles(in)
	m.index(in)
	b.m = m
	b.box = [4]float64{x0, x1, y0, y1}
	b.g = newGrower(m)
	return nil
}

// slotNeighbours returns the lattice slots next to slot s, -1 off the lattice.
func (m *mesh) slotNeighbours(s int) [6]int {
	var out [6]int
	for i, rc := range latticeNeighbours(m.slotRC(s)) {
		out[i] = m.slotOf(rc[0], rc[1])
	}
	return out
}

// components labels the connected components of the slots where want(s)
// holds, numbered from 0 in slot order; other slots get -1.
func (m *mesh) components(want func(s int) bool) (label []int32, sizes []int) {
	label = make([]int32, len(m.slot))
	for i := range label {
		label[i] = -1
	}
	var queue []int
	for s := range m.slot {
		if label[s] >= 0 || !want(s) {
			continue
		}
		id := int32(len(sizes))
		label[s] = id
		queue = append(queue[:0], s)
		n := 0
		for len(queue) > 0 {
			cur := queue[0]
			queue = queue[1:]
			n++
			for _, t := range m.slotNeighbours(cur) {
				if t >= 0 && label[t] < 0 && want(t) {
					label[t] = id
					queue = append(queue, t)
				}
			}
		}
		sizes = append(sizes, n)
	}
	return label, sizes
}

// keepLargest keeps only the largest connected piece of the district.
func (m *mesh) keepLargest(in []bool) {
	label, sizes := m.components(func(s int) bool { return in[s] })
	best := 0
	for i, n := range sizes {
		if n > sizes[best] {
			best = i
		}
	}
	for s := range in {
		in[s] = in[s] && label[s] == int32(best)
	}
}

// fillHoles adds to the district every outside slot that is enclosed by it,
// so that the grids leave no gap.
func (m *mesh) fillHoles(in []bool) {
	label, sizes := m.components(func(s int) bool { return !in[s] })
	open := make([]bool, len(sizes))
	for s := range m.slot {
		r, c := m.slotRC(s)
		if r == m.r0 || c == m.c0 || r == m.r0+m.nr-1 || c == m.c0+m.nc-1 {
			if label[s] >= 0 {
				open[label[s]] = true
			}
		}
	}
	for s := range in {
		if !in[s] && !open[label[s]] {
			in[s] = true
		}
	}
}

// fillNotches adds outside slots in the box with four or more district
// neighbours, repeatedly, which smooths one-hex notches and inlets.
func (m *mesh) fillNotches(in, inBox []bool) {
	for pass := 0; pass < 8; pass++ {
		var add []int
		for s := range in {
			if in[s] || !inBox[s] {
				continue
			}
			n := 0
			for _, t := range m.slotNeighbours(s) {
				if t >= 0 && in[t] {
					n++
				}
			}
			if n >= 4 {
				add = append(add, s)
			}
		}
		if len(add) == 0 {
			return
		}
		for _, s := range add {
			in[s] = true
		}
	}
}

// index numbers the district's slots as hexes in slot order.
func (m *mesh) index(in []bool) {
	for s := range m.slot {
		if !in[s] {
			m.slot[s] = -1
			continue
		}
		r, c := m.slotRC(s)
		m.slot[s] = int32(len(m.row))
		m.row = append(m.row, int32(r))
		m.col = append(m.col, int32(c))
	}
}
