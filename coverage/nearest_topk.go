package coverage

import (
	"math"
	"sort"

	"gridwatch/geo"
	"gridwatch/geo/route"
)

// topK keeps the k best candidates seen so far, sorted by key (distance,
// or seconds on the network) and then id (bytewise), so that the answer
// does not depend on the visiting order.
type topK struct {
	k     int
	items []candidate
}

type candidate struct {
	dist float64 // the ranking key: metres, or seconds
	m    float64 // great-circle distance, metres (NaN: not known)
	r    *geo.Responder
}

// before reports whether a ranks before b.
func (a candidate) before(b candidate) bool {
	if a.dist != b.dist {
		return a.dist < b.dist
	}
	return a.r.ID < b.r.ID
}

func (t *topK) full() bool { return len(t.items) >= t.k }

// worst returns the distance of the k-th candidate; only valid when full.
func (t *topK) worst() float64 { return t.items[len(t.items)-1].dist }

// offer adds a candidate when it ranks among the k best.
func (t *topK) offer(dist float64, r *geo.Responder) { t.offerDist(dist, math.NaN(), r) }

// offerDist adds a candidate ranked by key, with its distance, when it
// ranks among the k best.
func (t *topK) offerDist(key, distM float64, r *geo.Responder) {
	c := candidate{dist: key, m: distM, r: r}
	if t.full() && !c.before(t.items[len(t.items)-1]) {
		return
	}
	i := sort.Search(len(t.items), func(i int) bool { return c.before(t.items[i]) })
	if !t.full() {
		t.items = append(t.items, candidate{})
	}
	copy(t.items[i+1:], t.items[i:len(t.items)-1])
	t.items[i] = c
}

// hits returns the candidates as ranked hits with arrival times.
func (t *topK) hits(q NearestQuery) []Hit {
	f := newFilter(q)
	out := make([]Hit, len(t.items))
	for i, c := range t.items {
		out[i] = Hit{
			Responder: c.r, Rank: i + 1, DistanceM: c.m,
			ETAS:         straightSeconds(q, c.r, c.m),
			AvailableNow: f.availableNow(c.r),
			AgeS:         q.Now.Sub(c.r.Updated).Seconds(),
			Model:        ModelStraight,
		}
	}
	return out
}

// networkTimes returns the candidates (ranked by distance) as hits with
// their arrival times on the network; a responder that reaches no road
// keeps the straight-line time.
func (t *topK) networkTimes(q NearestQuery, target route.Place) []Hit {
	out := t.hits(q)
	for i := range out {
		r := out[i].Responder
		from, ok := q.Network.Snap(r.Point)
		if !ok {
			continue
		}
		p := q.ETA[r.Role].Profile()
		if s, ok := q.Network.Seconds(from, target, p); ok {
			out[i].ETAS, out[i].Model = s, ModelNetwork
			if q.Routes {
				if rt, ok := q.Network.Route(from, target, p); ok {
					out[i].Route = &rt
				}
			}
		}
	}
	return out
}
