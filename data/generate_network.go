package data

import (
	"math"
	"math/rand/v2"
)

// Settlements in the resettlement district are strung along roads and
// irrigation canals. The generator draws both as meandering polylines (in
// metres), marks the hexes they pass through, and records how far every hex
// is from them; the last stage turns them into the roads and waterways
// layers (generate_roads.go).

// sample is a point on a road, metres, with the road's bearing there
// (degrees clockwise from north).
type sample struct{ x, y, bearing float64 }

// network is what the later stages need to know of roads and canals.
type network struct {
	hops    []int16   // per hex: steps to the nearest hex on a road or canal
	bearing []float32 // per hex: bearing of that road or canal
	road    []bool    // per hex: a road passes through it
	roads   []sample  // points every 100 m along the roads, inside the district

	trunk  []polyline // the roads drawn: the tree joining the seats, then the highways
	tree   int        // how many of trunk belong to the tree
	waters []polyline // the canals drawn: each main canal, then its branches
	mains  []bool     // per waters: a main canal
}

type polyline [][2]float64

// buildNetwork draws the roads (a tree joining the township seats, and a
// few highways) and the canals (main canals running north-south with
// branches), and measures every hex's distance to them.
func (b *builder) buildNetwork() error {
	rng := b.rng(stageNetwork)
	n := b.m.len()
	b.net = network{hops: make([]int16, n), bearing: make([]float32, n), road: make([]bool, n)}
	for i := range b.net.hops {
		b.net.hops[i] = -1
	}
	centres := make([][2]float64, len(b.towns))
	for i, t := range b.towns {
		centres[i][0], centres[i][1] = b.m.centre(t.seed)
	}
	var roads []polyline
	roads = append(roads, roadTree(rng, centres)...)
	b.net.tree = len(roads)
	roads = append(roads, b.highways(rng, centres)...)
	for _, r := range roads {
		b.trace(r, true)
	}
	b.net.trunk = roads
	b.net.waters, b.net.mains = b.canals(rng)
	for _, c := range b.net.waters {
		b.trace(c, false)
	}
	b.spread()
	return nil
}

// meander returns a wandering polyline from a to z: each segment longer
// than 400 m is split at a midpoint pushed sideways by up to rough times
// its length.
func meander(rng *rand.Rand, a, z [2]float64, rough float64) polyline {
	pts := polyline{a, z}
	for {
		next := polyline{pts[0]}
		for i := 0; i+1 < len(pts); i++ {
			p, q := pts[i], pts[i+1]
			dx, dy := q[0]-p[0], q[1]-p[1]
			if l := math.Hypot(dx, dy); l > 400 {
				off := (2*rng.Float64() - 1) * rough * l
				next = append(next, [2]float64{(p[0]+q[0])/2 - dy/l*off, (p[1]+q[1])/2 + dx/l*off})
			}
			next = append(next, q)
		}
		if len(next) == len(pts) {
			return pts
		}
		pts = next
	}
}

// roadTree joins the township seats by roads, each new seat to the nearest
// one already joined (Prim's tree), starting at the district seat.
func roadTree(rng *rand.Rand, centres [][2]float64) []polyline {
	joined := []int{0}
	in := make([]bool, len(centres))
	in[0] = true
	var out []polyline
	for len(joined) < len(centres) {
		bi, bj, bd := -1, -1, math.Inf(1)
		for _, i := range joined {
			for j := range centres {
				if in[j] {
					continue
				}
				if d := math.Hypot(centres[i][0]-centres[j][0], centres[i][1]-centres[j][1]); d < bd {
					bi, bj, bd = i, j, d
				}
			}
		}
		out = append(out, meander(rng, centres[bi], centres[bj], 0.12))
		joined = append(joined, bj)
		in[bj] = true
	}
	return out
}

// highways are long straight-ish roads across the district through
// township seats.
func (b *builder) highways(rng *rand.Rand, centres [][2]float64) []polyline {
	n := max(1, int(math.Round(2*math.Sqrt(b.opt.Scale))))
	half := math.Hypot(b.box[1]-b.box[0], b.box[3]-b.box[2])
	var out []polyline
	for i := 0; i < n; i++ {
		c := centres[i%len(centres)]
		th := rng.Float64() * math.Pi
		dx, dy := math.Cos(th)*half, math.Sin(th)*half
		out = append(out, meander(rng, [2]float64{c[0] - dx, c[1] - dy}, [2]float64{c[0] + dx, c[1] + dy}, 0.04))
	}
	return out
}

// canals are main canals running roughly north-south across the district,
// with branch canals every few kilometres; main tells which are main canals.
func (b *builder) canals(rng *rand.Rand) (out []polyline, main []bool) {
	x0, x1, y0, y1 := b.box[0], b.box[1], b.box[2], b.box[3]
	n := max(1, int(math.Round(1.5*math.Sqrt(b.opt.Scale))))
	for i := 0; i < n; i++ {
		x := x0 + (float64(i)+0.5+0.4*(rng.Float64()-0.5))/float64(n)*(x1-x0)
		tilt := 0.15 * (y1 - y0) * (2*rng.Float64() - 1)
		mc := meander(rng, [2]float64{x + tilt, y0}, [2]float64{x - tilt, y1}, 0.06)
		out, main = append(out, mc), append(main, true)
		next, side, run := between(rng, 2000, 4000), 1.0, 0.0
		for j := 0; j+1 < len(mc); j++ {
			p, q := mc[j], mc[j+1]
			l := math.Hypot(q[0]-p[0], q[1]-p[1])
			for run+l >= next {
				t := (next - run) / l
				o := [2]float64{p[0] + t*(q[0]-p[0]), p[1] + t*(q[1]-p[1])}
				th := math.Atan2(q[1]-p[1], q[0]-p[0]) + side*math.Pi/2 + (rng.Float64()-0.5)*0.7
				bl := between(rng, 2000, 7000)
				out = append(out, meander(rng, o, [2]float64{o[0] + bl*math.Cos(th), o[1] + bl*math.Sin(th)}, 0.1))
				main = append(main, false)
				side = -side
				next += between(rng, 3000, 5000)
			}
			run += l
		}
	}
	return out, main
}

// trace marks the hexes a polyline passes through, sampling it every 100 m;
// on roads it also keeps the samples.
func (b *builder) trace(pl polyline, isRoad bool) {
	for i := 0; i+1 < len(pl); i++ {
		p, q := pl[i], pl[i+1]
		dx, dy := q[0]-p[0], q[1]-p[1]
		l := math.Hypot(dx, dy)
		if l == 0 {
			continue
		}
		bearing := math.Mod(math.Atan2(dx, dy)*180/math.Pi+360, 360)
		steps := int(math.Ceil(l / 100))
		for s := 0; s < steps; s++ {
			x, y := p[0]+dx*float64(s)/float64(steps), p[1]+dy*float64(s)/float64(steps)
			h := b.m.locate(b.m.f.point(x, y))
			if h < 0 {
				continue
			}
			if b.net.hops[h] < 0 {
				b.net.hops[h] = 0
				b.net.bearing[h] = float32(bearing)
			}
			if isRoad {
				b.net.road[h] = true
				b.net.roads = append(b.net.roads, sample{x, y, bearing})
			}
		}
	}
}

// spread measures each hex's steps to the nearest road or canal hex and
// gives it that hex's bearing.
func (b *builder) spread() {
	var queue []int32
	for h, d := range b.net.hops {
		if d == 0 {
			queue = append(queue, int32(h))
		}
	}
	if len(queue) == 0 { // no road reached the district: measure from its middle
		h := b.towns[0].seed
		b.net.hops[h] = 0
		queue = append(queue, h)
	}
	for i := 0; i < len(queue); i++ {
		h := queue[i]
		for _, a := range b.m.adj(h) {
			if a >= 0 && b.net.hops[a] < 0 {
				b.net.hops[a] = b.net.hops[h] + 1
				b.net.bearing[a] = b.net.bearing[h]
				queue = append(queue, a)
			}
		}
	}
}
