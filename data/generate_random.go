package data

import (
	"math"
	"math/rand/v2"
	"sort"
)

// Randomness for the generator. Everything is derived from the seed: streams
// of math/rand/v2 PCG generators for sequential draws, and stateless hashes
// for values tied to a place (mesh vertices, noise lattices), so that one
// stage's draws never shift another's.

// mix64 is the SplitMix64 finaliser: a bijective 64-bit hash.
func mix64(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

// hash3 hashes a seed, a salt and two integer coordinates.
func hash3(seed, salt uint64, a, b int64) uint64 {
	h := mix64(seed ^ (salt+1)*0x9e3779b97f4a7c15)
	h = mix64(h ^ uint64(a)*0xff51afd7ed558ccd)
	return mix64(h ^ uint64(b)*0xc4ceb9fe1a85ec53)
}

// unit maps a hash to [0, 1).
func unit(h uint64) float64 { return float64(h>>11) / (1 << 53) }

// round7 rounds a coordinate to 7 decimal places, the precision of the
// GeoJSON output, so that a round trip through GeoJSON is exact.
func round7(v float64) float64 { return math.Round(v*1e7) / 1e7 }

// valueNoise is smooth two-dimensional value noise in [-1, 1] with the given
// wavelength in metres; it is a pure function of its fields and the point.
type valueNoise struct {
	seed, salt uint64
	wave       float64
}

func smoothstep(t float64) float64 { return t * t * (3 - 2*t) }

// at returns the noise at (x, y), metres.
func (n valueNoise) at(x, y float64) float64 {
	u, v := x/n.wave, y/n.wave
	fi, fj := math.Floor(u), math.Floor(v)
	i, j := int64(fi), int64(fj)
	su, sv := smoothstep(u-fi), smoothstep(v-fj)
	c := func(di, dj int64) float64 { return 2*unit(hash3(n.seed, n.salt, i+di, j+dj)) - 1 }
	lo := c(0, 0) + (c(1, 0)-c(0, 0))*su
	hi := c(0, 1) + (c(1, 1)-c(0, 1))*su
	return lo + (hi-lo)*sv
}

// fbm sums three octaves of the noise, scaled back to about [-1, 1].
func (n valueNoise) fbm(x, y float64) float64 {
	s := n.at(x, y)
	s += 0.5 * valueNoise{n.seed, n.salt + 7919, n.wave / 2}.at(x, y)
	s += 0.25 * valueNoise{n.seed, n.salt + 15887, n.wave / 4}.at(x, y)
	return s / 1.75
}

// lognormal draws exp(N(0, sigma²)).
func lognormal(rng *rand.Rand, sigma float64) float64 {
	return math.Exp(rng.NormFloat64() * sigma)
}

// between draws uniformly from [lo, hi).
func between(rng *rand.Rand, lo, hi float64) float64 { return lo + (hi-lo)*rng.Float64() }

// splitInt divides total into len(w) integer parts in proportion to the
// weights, each at least least (or total/len(w) when total is too small for
// that), by the largest-remainder method. The parts sum to total.
func splitInt(total int, w []float64, least int) []int {
	n := len(w)
	out := make([]int, n)
	if n == 0 {
		return out
	}
	if least*n > total {
		least = total / n
	}
	rest := total - least*n
	var sum float64
	for _, x := range w {
		sum += x
	}
	type rem struct {
		i int
		r float64
	}
	rems := make([]rem, n)
	given := 0
	for i, x := range w {
		share := float64(rest) / float64(n)
		if sum > 0 {
			share = float64(rest) * x / sum
		}
		f := math.Floor(share)
		out[i] = least + int(f)
		given += int(f)
		rems[i] = rem{i, share - f}
	}
	sort.SliceStable(rems, func(a, b int) bool { return rems[a].r > rems[b].r })
	for k := 0; k < rest-given; k++ {
		out[rems[k%n].i]++
	}
	return out
}

// cumulative is a running sum of weights, for weighted draws.
type cumulative []float64

func newCumulative(w []float64) cumulative {
	c := make(cumulative, len(w))
	var s float64
	for i, x := range w {
		s += x
		c[i] = s
	}
	return c
}

// pick draws an index with probability proportional to its weight; items of
// zero weight are never drawn. The weights must not all be zero.
func (c cumulative) pick(rng *rand.Rand) int {
	x := rng.Float64() * c[len(c)-1]
	i := sort.Search(len(c), func(i int) bool { return c[i] > x })
	if i == len(c) {
		i = len(c) - 1
	}
	return i
}

// shuffled returns 0..n-1 in a random order.
func shuffled(rng *rand.Rand, n int) []int {
	p := make([]int, n)
	for i := range p {
		p[i] = i
	}
	rng.Shuffle(n, func(i, j int) { p[i], p[j] = p[j], p[i] })
	return p
}

// normDeg maps an angle to [0, 360), rounded to 0.1 degree.
func normDeg(a float64) float64 {
	a = math.Mod(a, 360)
	if a < 0 {
		a += 360
	}
	a = math.Round(a*10) / 10
	if a >= 360 || a == 0 {
		a = 0 // also turns -0 into 0
	}
	return a
}
