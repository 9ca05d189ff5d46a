package route

import (
	"fmt"
	"math"
	"sync"
	"sync/atomic"

	"github.com/paulmach/orb"
	"github.com/tidwall/rtree"
)

// EarthRadius is the radius of the sphere distances are measured on, in
// metres: the IUGG mean radius.
const EarthRadius = 6371008.8

// DefaultMaxAccessM is how far off the road a point may be to be snapped
// when Options.MaxAccessM is 0: 5 km.
const DefaultMaxAccessM = 5000

// Road is one road as the router sees it.
type Road struct {
	// Line is the centre line, WGS84 lon/lat; consecutive vertices are
	// joined by straight segments.
	Line orb.LineString
	// SpeedKMH is the speed the road is driven at, km/h; positive.
	SpeedKMH float64
	// Oneway is true when the road may be driven only in the direction of
	// its vertices.
	Oneway bool
	// Bridge is true when the road may cross barriers.
	Bridge bool
}

// Options tune New.
type Options struct {
	// MaxAccessM is how far, in metres, a point may be from the nearest
	// road segment it can reach without crossing a barrier; 0 means
	// DefaultMaxAccessM.
	MaxAccessM float64
}

// segment is one straight piece of a road, between two nodes.
type segment struct {
	a, b   int32   // nodes
	metres float64 // great-circle length
	kmh    float64
	oneway bool
	road   int32 // index of the road in the input
}

// arc is a directed step of the base graph.
type arc struct {
	head int32
	seg  int32
}

// adjacency is a compressed list of arcs per node.
type adjacency struct {
	first []int32 // arcs of node u are arcs[first[u]:first[u+1]]
	arcs  []arc
}

func (g *adjacency) of(u int32) []arc { return g.arcs[g.first[u]:g.first[u+1]] }

// Network is an immutable road graph, safe for concurrent use. Its
// contraction hierarchies are built on first use, one per distinct top
// speed of the profiles asked for, and kept.
type Network struct {
	pts      []orb.Point // nodes
	segs     []segment
	out, in  adjacency // forward arcs (u → head) and reverse arcs (head → u, stored at head)
	tree     rtree.RTreeG[int32]
	barriers rtree.RTreeG[[2]orb.Point]
	maxKMH   float64
	cut      int
	maxAcc   float64

	mu  sync.Mutex
	chs map[float64]*chEntry

	snaps     sync.Map // uint64 → Place, for SnapCached
	snapCount atomic.Int64
}

type chEntry struct {
	once sync.Once
	h    *hierarchy
}

// nodeKey is a position rounded to 1e-7 degrees: vertices with the same
// key are one node.
type nodeKey [2]int64

func keyOf(p orb.Point) nodeKey {
	return nodeKey{int64(math.Round(p[0] * 1e7)), int64(math.Round(p[1] * 1e7))}
}

// New builds the network of the roads; barriers are the lines that only
// bridges cross. Roads with fewer than two positions or without a positive
// speed are skipped.
func New(roads []Road, barriers []orb.LineString, opt Options) *Network {
	n := &Network{maxAcc: opt.MaxAccessM, chs: map[float64]*chEntry{}}
	if !(n.maxAcc > 0) {
		n.maxAcc = DefaultMaxAccessM
	}
	for _, bl := range barriers {
		for i := 1; i < len(bl); i++ {
			b := orb.LineString{bl[i-1], bl[i]}.Bound()
			n.barriers.Insert([2]float64(b.Min), [2]float64(b.Max), [2]orb.Point{bl[i-1], bl[i]})
		}
	}
	index := map[nodeKey]int32{}
	node := func(p orb.Point) int32 {
		k := keyOf(p)
		if i, ok := index[k]; ok {
			return i
		}
		i := int32(len(n.pts))
		index[k] = i
		n.pts = append(n.pts, p)
		return i
	}
	for ri, r := range roads {
		if len(r.Line) < 2 || !(r.SpeedKMH > 0) || math.IsInf(r.SpeedKMH, 0) {
			continue
		}
		for i := 1; i < len(r.Line); i++ {
			p, q := r.Line[i-1], r.Line[i]
			a, b := node(p), node(q)
			if a == b {
				continue
			}
			if !r.Bridge && n.crossesBarrier(p, q) {
				n.cut++
				continue
			}
			n.segs = append(n.segs, segment{a: a, b: b, metres: Distance(n.pts[a], n.pts[b]), kmh: r.SpeedKMH, oneway: r.Oneway, road: int32(ri)})
			n.maxKMH = math.Max(n.maxKMH, r.SpeedKMH)
		}
	}
	n.out, n.in = n.adjacencies()
	for i, s := range n.segs {
		b := orb.LineString{n.pts[s.a], n.pts[s.b]}.Bound()
		n.tree.Insert([2]float64(b.Min), [2]float64(b.Max), int32(i))
	}
	return n
}

// adjacencies builds the forward and reverse arc lists.
func (n *Network) adjacencies() (out, in adjacency) {
	nn := len(n.pts)
	out.first, in.first = make([]int32, nn+1), make([]int32, nn+1)
	each := func(fn func(from, to int32, seg int32)) {
		for i, s := range n.segs {
			fn(s.a, s.b, int32(i))
			if !s.oneway {
				fn(s.b, s.a, int32(i))
			}
		}
	}
	each(func(from, to, _ int32) { out.first[from+1]++; in.first[to+1]++ })
	for i := 0; i < nn; i++ {
		out.first[i+1] += out.first[i]
		in.first[i+1] += in.first[i]
	}
	out.arcs, in.arcs = make([]arc, out.first[nn]), make([]arc, in.first[nn])
	fo, fi := append([]int32(nil), out.first[:nn]...), append([]int32(nil), in.first[:nn]...)
	each(func(from, to, seg int32) {
		out.arcs[fo[from]] = arc{head: to, seg: seg}
		fo[from]++
		in.arcs[fi[to]] = arc{head: from, seg: seg}
		fi[to]++
	})
	return out, in
}

// crossesBarrier reports whether segment pq crosses a barrier at a point
// inside both (planar, in lon/lat: exact enough over a few kilometres).
func (n *Network) crossesBarrier(p, q orb.Point) bool {
	b := orb.LineString{p, q}.Bound()
	found := false
	n.barriers.Search([2]float64(b.Min), [2]float64(b.Max), func(_, _ [2]float64, w [2]orb.Point) bool {
		found = properCross(p, q, w[0], w[1])
		return !found
	})
	return found
}

func orient(a, b, c orb.Point) float64 {
	return (b[0]-a[0])*(c[1]-a[1]) - (b[1]-a[1])*(c[0]-a[0])
}

// properCross reports whether segments ab and cd cross at a point inside both.
func properCross(a, b, c, d orb.Point) bool {
	return orient(a, b, c)*orient(a, b, d) < 0 && orient(c, d, a)*orient(c, d, b) < 0
}

// Distance returns the great-circle (haversine) distance between a and b,
// metres.
func Distance(a, b orb.Point) float64 {
	const deg = math.Pi / 180
	lat1, lat2 := a[1]*deg, b[1]*deg
	dlat, dlon := lat2-lat1, (b[0]-a[0])*deg
	h := math.Sin(dlat/2)*math.Sin(dlat/2) + math.Cos(lat1)*math.Cos(lat2)*math.Sin(dlon/2)*math.Sin(dlon/2)
	return 2 * EarthRadius * math.Asin(math.Sqrt(math.Min(h, 1)))
}

// Nodes returns the number of nodes (distinct road vertices).
func (n *Network) Nodes() int { return len(n.pts) }

// Segments returns the number of road segments in the graph.
func (n *Network) Segments() int { return len(n.segs) }

// Cut returns the number of road segments left out because they cross a
// barrier and are not bridges.
func (n *Network) Cut() int { return n.cut }

// Empty reports whether the network has no road segment.
func (n *Network) Empty() bool { return len(n.segs) == 0 }

// TopSpeedKMH returns the highest road speed of the network, km/h.
func (n *Network) TopSpeedKMH() float64 { return n.maxKMH }

// Profile is how one kind of traveller moves.
type Profile struct {
	// MaxKMH caps every road's speed, km/h (a bicycle on a national
	// road); 0 means no cap.
	MaxKMH float64
	// AccessKMH is the off-road speed of the access legs, km/h; positive.
	// It is capped by MaxKMH too.
	AccessKMH float64
}

// Validate checks the profile.
func (p Profile) Validate() error {
	switch {
	case !(p.MaxKMH >= 0) || math.IsInf(p.MaxKMH, 0):
		return fmt.Errorf("route: top speed must be 0 (none) or a positive km/h, got %g", p.MaxKMH)
	case !(p.AccessKMH > 0) || math.IsInf(p.AccessKMH, 0):
		return fmt.Errorf("route: access speed must be a positive km/h, got %g", p.AccessKMH)
	}
	return nil
}

// AccessMPS returns the profile's off-road speed, m/s: AccessKMH capped
// by MaxKMH.
func (p Profile) AccessMPS() float64 { return p.accessMPS() }

// accessMPS is the profile's off-road speed, m/s.
func (p Profile) accessMPS() float64 {
	v := p.AccessKMH
	if p.MaxKMH > 0 {
		v = math.Min(v, p.MaxKMH)
	}
	return v / 3.6
}

// speedMPS is the profile's speed on a road of kmh, m/s.
func (p Profile) speedMPS(kmh float64) float64 {
	if p.MaxKMH > 0 {
		kmh = math.Min(kmh, p.MaxKMH)
	}
	return kmh / 3.6
}

// TopMPS returns the highest speed a trip of the profile reaches on the
// network, m/s: no trip is faster than the straight line at this speed.
func (n *Network) TopMPS(p Profile) float64 {
	return math.Max(p.speedMPS(n.maxKMH), p.accessMPS())
}

// weight is the seconds to drive segment s with profile p.
func (s *segment) seconds(p Profile) float64 { return s.metres / p.speedMPS(s.kmh) }
