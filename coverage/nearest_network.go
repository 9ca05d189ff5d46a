package coverage

import (
	"math"

	"github.com/paulmach/orb"

	"gridwatch/geo"
	"gridwatch/geo/route"
)

// ETAModel names how arrival times are estimated.
type ETAModel string

// Arrival-time models.
const (
	// ModelStraight is great-circle distance × circuity ÷ speed (ETA).
	ModelStraight ETAModel = "straight"
	// ModelNetwork is the fastest trip on the road network: off-road to
	// the nearest road, the roads at their speeds (capped by the role's
	// top speed), off-road to the point.
	ModelNetwork ETAModel = "network"
)

// Valid reports whether m is a known model.
func (m ETAModel) Valid() bool { return m == ModelStraight || m == ModelNetwork }

// DefaultModel returns the model to use on an atlas: the network where it
// has roads, else the straight line.
func DefaultModel(a *geo.Atlas) ETAModel {
	if a != nil && a.Network() != nil && !a.Network().Empty() {
		return ModelNetwork
	}
	return ModelStraight
}

// nearestNetwork fills best with the k responders of l that arrive at
// q.Point soonest on the road network, keyed by seconds, and returns the
// snapped point; ok is false when the point reaches no road.
//
// It walks the R-tree outward as nearestIndexed does. A responder's trip
// is never faster than the straight line at the top speed of its profile
// (route.Network.TopMPS), so once the lower bound of the great-circle
// distance of every unseen responder, divided by the highest top speed of
// any role, exceeds the k-th best time, no unseen responder can arrive
// sooner and the walk stops: the answer is exact, as a scan of every
// responder would give. Responders that reach no road (farther than the
// network's access distance from every road they can reach without
// crossing a waterway) are left out.
func nearestNetwork(l *geo.Layer[*geo.Responder], q NearestQuery, f filter, best *topK) (route.Place, bool) {
	n := q.Network
	target, ok := n.Snap(q.Point)
	if !ok || l.Len() == 0 {
		return target, ok
	}
	top, profiles := 0.0, map[geo.Role]route.Profile{}
	for _, r := range geo.Roles {
		if f.roles != nil && !f.roles[r] {
			continue
		}
		p := q.ETA[r].Profile()
		profiles[r] = p
		top = math.Max(top, n.TopMPS(p))
	}
	b := l.Bound()
	c := math.Cos(deg * math.Max(math.Max(math.Abs(b.Min[1]), math.Abs(b.Max[1])), math.Abs(q.Point[1])))
	visit := func(r *geo.Responder) {
		if !f.accept(r) {
			return
		}
		d := geo.Distance(q.Point, r.Point)
		if q.MaxDistanceM > 0 && d > q.MaxDistanceM {
			return
		}
		p := profiles[r.Role]
		if best.full() && d/n.TopMPS(p) > best.worst() {
			return // cannot beat the k-th best even in a straight line
		}
		from, ok := n.Snap(r.Point)
		if !ok {
			return
		}
		if s, ok := n.Seconds(from, target, p); ok {
			best.offer(s, r)
		}
	}
	if crossesAntimeridian(b, q.Point) {
		for _, r := range l.Items() {
			visit(r)
		}
		return target, true
	}
	l.Nearby(q.Point, func(i int, degDist2 float64) bool {
		if best.full() && lowerBound(math.Sqrt(degDist2), c)/top > best.worst() {
			return false
		}
		visit(l.At(i))
		return true
	})
	return target, true
}

// networkHits returns the candidates ranked by network time as hits, with
// each responder's route when q.Routes is set.
func networkHits(t *topK, q NearestQuery, target route.Place) []Hit {
	f := newFilter(q)
	out := make([]Hit, len(t.items))
	for i, c := range t.items {
		h := Hit{
			Responder: c.r, Rank: i + 1, DistanceM: geo.Distance(q.Point, c.r.Point),
			ETAS: c.dist, Model: ModelNetwork,
			AvailableNow: f.availableNow(c.r),
			AgeS:         q.Now.Sub(c.r.Updated).Seconds(),
		}
		if q.Routes {
			from, _ := q.Network.Snap(c.r.Point)
			if r, ok := q.Network.Route(from, target, q.ETA[c.r.Role].Profile()); ok {
				h.Route = &r
			}
		}
		out[i] = h
	}
	return out
}

// RouteBetween returns the fastest trip from one point to another for a
// role on the atlas's road network; ok is false when either point reaches
// no road or no road joins them.
func RouteBetween(a *geo.Atlas, from, to orb.Point, t Travel) (route.Route, bool) {
	n := a.Network()
	if n == nil {
		return route.Route{}, false
	}
	pf, ok := n.Snap(from)
	if !ok {
		return route.Route{}, false
	}
	pt, ok := n.Snap(to)
	if !ok {
		return route.Route{}, false
	}
	return n.Route(pf, pt, t.Profile())
}
