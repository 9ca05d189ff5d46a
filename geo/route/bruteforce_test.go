package route

import (
	"math"

	"github.com/paulmach/orb"
)

// bruteNet is an independent reference: the same rules as Network, in the
// plainest way (every segment scanned, an O(V²) Dijkstra without a heap).
type bruteNet struct {
	pts  []orb.Point
	segs []bruteSeg
	bars [][2]orb.Point
	maxA float64
}

type bruteSeg struct {
	a, b   int
	metres float64
	kmh    float64
	oneway bool
}

func newBrute(roads []Road, barriers []orb.LineString, maxAccess float64) *bruteNet {
	bn := &bruteNet{maxA: maxAccess}
	for _, bl := range barriers {
		for i := 1; i < len(bl); i++ {
			bn.bars = append(bn.bars, [2]orb.Point{bl[i-1], bl[i]})
		}
	}
	idx := map[[2]int64]int{}
	node := func(p orb.Point) int {
		k := [2]int64{int64(math.Round(p[0] * 1e7)), int64(math.Round(p[1] * 1e7))}
		if i, ok := idx[k]; ok {
			return i
		}
		idx[k] = len(bn.pts)
		bn.pts = append(bn.pts, p)
		return len(bn.pts) - 1
	}
	for _, r := range roads {
		for i := 1; i < len(r.Line); i++ {
			a, b := node(r.Line[i-1]), node(r.Line[i])
			if a == b || (!r.Bridge && bn.crosses(r.Line[i-1], r.Line[i])) {
				continue
			}
			bn.segs = append(bn.segs, bruteSeg{a, b, Distance(bn.pts[a], bn.pts[b]), r.SpeedKMH, r.Oneway})
		}
	}
	return bn
}

func (bn *bruteNet) crosses(p, q orb.Point) bool {
	side := func(a, b, c orb.Point) int {
		v := (b[0]-a[0])*(c[1]-a[1]) - (b[1]-a[1])*(c[0]-a[0])
		switch {
		case v > 0:
			return 1
		case v < 0:
			return -1
		}
		return 0
	}
	for _, w := range bn.bars {
		if side(p, q, w[0])*side(p, q, w[1]) < 0 && side(w[0], w[1], p)*side(w[0], w[1], q) < 0 {
			return true
		}
	}
	return false
}

// bruteSnap is the nearest reachable point over every segment.
type bruteSnap struct {
	ok     bool
	seg    int
	on     orb.Point
	access float64
}

func (bn *bruteNet) snap(p orb.Point) bruteSnap {
	best := bruteSnap{access: math.Inf(1)}
	mLon, mLat := metresPerDegree(p[1])
	for i, s := range bn.segs {
		on := closestOnSegment(p, bn.pts[s.a], bn.pts[s.b], mLon, mLat)
		d := Distance(p, on)
		if d < best.access && d <= bn.maxA && (d == 0 || !bn.crosses(p, on)) {
			best = bruteSnap{true, i, on, d}
		}
	}
	return best
}

func capKMH(p Profile, kmh float64) float64 {
	if p.MaxKMH > 0 && p.MaxKMH < kmh {
		return p.MaxKMH
	}
	return kmh
}

// seconds is the fastest time from point x to point y, +Inf when none.
func (bn *bruteNet) seconds(x, y orb.Point, p Profile) float64 {
	sx, sy := bn.snap(x), bn.snap(y)
	if !sx.ok || !sy.ok {
		return math.Inf(1)
	}
	acc := capKMH(p, p.AccessKMH) / 3.6
	nn := len(bn.pts)
	dist := make([]float64, nn)
	done := make([]bool, nn)
	for i := range dist {
		dist[i] = math.Inf(1)
	}
	fs := bn.segs[sx.seg]
	fv := capKMH(p, fs.kmh) / 3.6
	dist[fs.b] = sx.access/acc + Distance(sx.on, bn.pts[fs.b])/fv
	if !fs.oneway || sx.on == bn.pts[fs.a] { // a one-way segment may be left backwards only from its first node
		dist[fs.a] = math.Min(dist[fs.a], sx.access/acc+Distance(bn.pts[fs.a], sx.on)/fv)
	}
	for {
		u := -1
		for i := range dist {
			if !done[i] && !math.IsInf(dist[i], 1) && (u < 0 || dist[i] < dist[u]) {
				u = i
			}
		}
		if u < 0 {
			break
		}
		done[u] = true
		for _, s := range bn.segs {
			w := s.metres / (capKMH(p, s.kmh) / 3.6)
			if s.a == u && dist[u]+w < dist[s.b] {
				dist[s.b] = dist[u] + w
			}
			if !s.oneway && s.b == u && dist[u]+w < dist[s.a] {
				dist[s.a] = dist[u] + w
			}
		}
	}
	ts := bn.segs[sy.seg]
	tv := capKMH(p, ts.kmh) / 3.6
	best := dist[ts.a] + Distance(bn.pts[ts.a], sy.on)/tv
	if !ts.oneway || sy.on == bn.pts[ts.b] {
		best = math.Min(best, dist[ts.b]+Distance(sy.on, bn.pts[ts.b])/tv)
	}
	if sx.seg == sy.seg {
		fa, ta := Distance(bn.pts[fs.a], sx.on), Distance(bn.pts[fs.a], sy.on)
		if !fs.oneway || ta >= fa {
			best = math.Min(best, sx.access/acc+Distance(sx.on, sy.on)/fv)
		}
	}
	return best + sy.access/acc
}
