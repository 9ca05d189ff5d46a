package coverage

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/paulmach/orb"

	"gridwatch/geo"
	"gridwatch/geo/route"
)

// Limits and defaults of a nearest-responders query.
const (
	// DefaultK is the number of responders a query returns by default.
	DefaultK = 5
	// MaxK is the most responders one query may ask for.
	MaxK = 100
	// DefaultMaxAge is how old a responder's last report may be before the
	// responder counts as unavailable: 30 minutes.
	DefaultMaxAge = 30 * time.Minute
)

// Order is how a nearest-responders answer ranks its responders.
type Order string

// The orders.
const (
	// OrderETA ranks by estimated arrival time (the default: a patrol car
	// farther away may arrive before a volunteer on foot).
	OrderETA Order = "eta"
	// OrderDistance ranks by great-circle distance.
	OrderDistance Order = "distance"
)

// ParseOrder reads an order, defaulting to OrderETA when s is empty.
func ParseOrder(s string) (Order, error) {
	switch Order(s) {
	case "":
		return OrderETA, nil
	case OrderETA, OrderDistance:
		return Order(s), nil
	}
	return "", &geo.Error{Code: geo.Invalid, Message: fmt.Sprintf("order: expected eta or distance, got %q", s),
		Problems: []geo.Problem{{Layer: "query", Index: -1, Field: "order", Expected: "eta or distance"}}}
}

// NearestQuery asks for the K responders nearest to Point that pass the
// filters, by estimated arrival time (Order eta, the default) or by
// great-circle distance (Order distance), ties broken by id (bytewise).
type NearestQuery struct {
	// Point is where help is needed (WGS84).
	Point orb.Point
	// K is the number of responders wanted, 1 to MaxK.
	K int
	// Roles keeps only responders of these roles; empty keeps every role.
	Roles []geo.Role
	// Available keeps only responders who can take a call now: marked
	// available and, when MaxAge is positive, reported within MaxAge of
	// Now. When false, every responder is eligible.
	Available bool
	// MaxAge is how old a report may be for its responder to count as
	// available; 0 turns the check off.
	MaxAge time.Duration
	// Now is the reference time that report ages are measured against.
	Now time.Time
	// MaxDistanceM keeps only responders at most this many metres away;
	// 0 means no limit.
	MaxDistanceM float64
	// ETA is the arrival-time model; nil means DefaultETA.
	ETA ETA
	// Network, when set and not empty, ranks responders by their arrival
	// time on this road network instead of great-circle distance (see
	// nearestNetwork); where the point reaches no road the answer falls
	// back to the straight line. MaxDistanceM still bounds the
	// great-circle distance.
	Network *route.Network
	// Routes asks, on the network, for each responder's route.
	Routes bool
	// Order ranks the answer: OrderETA (also when empty) or OrderDistance.
	Order Order
}

// Hit is one responder found by Nearest.
type Hit struct {
	// Responder is the responder.
	Responder *geo.Responder
	// Rank is the 1-based position in the answer.
	Rank int
	// DistanceM is the great-circle (haversine) distance, metres.
	DistanceM float64
	// ETAS is the estimated arrival time, seconds.
	ETAS float64
	// AvailableNow reports whether the responder is marked available and,
	// when the query checks ages, reported recently enough.
	AvailableNow bool
	// AgeS is the age of the responder's last report at the reference
	// time, seconds (negative for a report dated after it).
	AgeS float64
	// Model is how ETAS was estimated.
	Model ETAModel
	// Route is the responder's route on the network, when asked for.
	Route *route.Route
}

// Validate checks the query and reports every bad field at once, naming
// the query parameter (k, role, max_age_s, max_distance_m, lon, lat).
func (q NearestQuery) Validate() error {
	var ps geo.Problems
	bad := func(field, expected string) { ps.Add("query", -1, "", field, expected) }
	if q.K < 1 || q.K > MaxK {
		bad("k", fmt.Sprintf("an integer from 1 to %d, got %d", MaxK, q.K))
	}
	for _, r := range q.Roles {
		if !r.Valid() {
			bad("role", fmt.Sprintf("roles among %s, got %q", roleList(), r))
		}
	}
	if q.MaxAge < 0 {
		bad("max_age_s", fmt.Sprintf("a number of seconds >= 0, got %g", q.MaxAge.Seconds()))
	}
	if !(q.MaxDistanceM >= 0) || math.IsInf(q.MaxDistanceM, 0) {
		bad("max_distance_m", fmt.Sprintf("a finite number of metres >= 0, got %g", q.MaxDistanceM))
	}
	checkPoint(&ps, q.Point)
	if q.Order != "" && q.Order != OrderETA && q.Order != OrderDistance {
		bad("order", fmt.Sprintf("eta or distance, got %q", q.Order))
	}
	if q.ETA != nil {
		if err := q.ETA.Validate(); err != nil {
			return err
		}
	}
	return ps.Err("invalid nearest-responders query")
}

// checkPoint adds a problem for each coordinate out of range.
func checkPoint(ps *geo.Problems, p orb.Point) {
	if !(p[0] >= -180 && p[0] <= 180) {
		ps.Add("query", -1, "", "lon", fmt.Sprintf("a longitude in [-180, 180], got %g", p[0]))
	}
	if !(p[1] >= -90 && p[1] <= 90) {
		ps.Add("query", -1, "", "lat", fmt.Sprintf("a latitude in [-90, 90], got %g", p[1]))
	}
}

func roleList() string {
	names := make([]string, len(geo.Roles))
	for i, r := range geo.Roles {
		names[i] = string(r)
	}
	return strings.Join(names, ", ")
}

// Nearest returns up to q.K responders of l nearest to q.Point that pass
// the filters: those that arrive soonest (OrderETA, the default), or those
// nearest by great-circle distance (OrderDistance), ties broken by id in
// bytewise order. It walks the layer's R-tree outward (see nearestIndexed
// for why stopping early is exact) and falls back to a full scan where the
// R-tree's planar order cannot bound distances (data across the
// antimeridian). On a road network (q.Network) arrival times are network
// times; otherwise they are the straight-line model's (straightSeconds).
func Nearest(l *geo.Layer[*geo.Responder], q NearestQuery) ([]Hit, error) {
	if err := q.Validate(); err != nil {
		return nil, err
	}
	if q.ETA == nil {
		q.ETA = DefaultETA()
	}
	if q.Order == "" {
		q.Order = OrderETA
	}
	f := newFilter(q)
	var best topK
	best.k = q.K
	if q.Network != nil && !q.Network.Empty() && q.Order == OrderETA {
		if target, ok := nearestNetwork(l, q, f, &best); ok {
			return networkHits(&best, q, target), nil
		}
	}
	search(l, q, f, &best)
	if q.Order == OrderDistance && q.Network != nil && !q.Network.Empty() {
		if target, ok := q.Network.Snap(q.Point); ok {
			return best.networkTimes(q, target), nil
		}
	}
	return best.hits(q), nil
}

// straightSeconds is the straight-line model's arrival time of responder r
// distM metres (great circle) from the point: the one place that ranks and
// reports straight-line arrival times.
func straightSeconds(q NearestQuery, r *geo.Responder, distM float64) float64 {
	return q.ETA.Seconds(r.Role, distM)
}

// fastestRate returns the fewest seconds per metre of great-circle
// distance of any role the filter keeps, in the straight-line model:
// no responder of those roles arrives sooner than distance × rate.
func fastestRate(q NearestQuery, f filter) float64 {
	rate := math.Inf(1)
	for _, r := range geo.Roles {
		if f.roles != nil && !f.roles[r] {
			continue
		}
		rate = math.Min(rate, q.ETA.Seconds(r, 1))
	}
	return rate
}

// search fills best with the responders of l nearest to q.Point that pass
// f, by the R-tree walk or, where longitudes may wrap, a full scan.
func search(l *geo.Layer[*geo.Responder], q NearestQuery, f filter, best *topK) {
	switch {
	case l.Len() == 0:
	case crossesAntimeridian(l.Bound(), q.Point):
		nearestScan(l, q, f, best)
	default:
		nearestIndexed(l, q, f, best)
	}
}

// filter holds a query's filters in a form quick to test.
type filter struct {
	roles     map[geo.Role]bool // nil: every role
	available bool
	maxAge    time.Duration
	now       time.Time
}

func newFilter(q NearestQuery) filter {
	f := filter{available: q.Available, maxAge: q.MaxAge, now: q.Now}
	if len(q.Roles) > 0 {
		f.roles = make(map[geo.Role]bool, len(q.Roles))
		for _, r := range q.Roles {
			f.roles[r] = true
		}
	}
	return f
}

// availableNow reports whether r is marked available and, when ages are
// checked, reported no more than maxAge before now.
func (f filter) availableNow(r *geo.Responder) bool {
	return r.Available && (f.maxAge <= 0 || f.now.Sub(r.Updated) <= f.maxAge)
}

func (f filter) accept(r *geo.Responder) bool {
	if f.roles != nil && !f.roles[r.Role] {
		return false
	}
	return !f.available || f.availableNow(r)
}

// nearestIndexed walks the R-tree in increasing planar distance d (degrees,
// longitude and latitude weighted alike) and stops once no unseen item can
// beat the k-th best: by great-circle distance, or by arrival time, which
// is at least the distance times the fastest rate of the roles kept
// (fastestRate).
//
// Why stopping is exact: every item lies in the layer's bounding box, so
// the query and every item have |latitude| ≤ φmax (the largest of the box
// and the query) and the cosine of each latitude is at least c = cos φmax.
// The haversine of an item Δφ, Δλ away is h = sin²(Δφ/2) + cos φ1 cos φ2
// sin²(Δλ/2) ≥ c²·(sin²(Δφ/2) + sin²(Δλ/2)). Since sin²(√u) is concave for
// √u ≤ π/2, sin²a + sin²b ≥ sin²(√(a²+b²)), so h ≥ c²·sin²(D/2) for an item
// at planar distance D ≤ π (radians), and the great-circle distance is at
// least lowerBound(D) = 2R·asin(c·sin(D/2)), which grows with D. The walk
// visits items in increasing D, so once lowerBound(d) exceeds the k-th
// best distance every unseen item is farther too. (Items with D > π are
// farther still: then max(Δφ, Δλ)/2 > 1.11 rad and h ≥ 0.8c², more than
// c²·sin²(d/2) for the d ≤ 1 rad at which the bound is used.) Longitudes
// must not wrap, which the caller checks.
func nearestIndexed(l *geo.Layer[*geo.Responder], q NearestQuery, f filter, best *topK) {
	b := l.Bound()
	c := math.Cos(deg * math.Max(math.Max(math.Abs(b.Min[1]), math.Abs(b.Max[1])), math.Abs(q.Point[1])))
	rate := 1.0
	if q.Order == OrderETA {
		rate = fastestRate(q, f)
	}
	l.Nearby(q.Point, func(i int, degDist2 float64) bool {
		lb := lowerBound(math.Sqrt(degDist2), c)
		if best.full() && lb*rate*boundSlack > best.worst() {
			return false
		}
		if q.MaxDistanceM > 0 && lb > q.MaxDistanceM {
			return false
		}
		consider(l.At(i), q, f, best)
		return true
	})
}

// nearestScan checks every responder.
func nearestScan(l *geo.Layer[*geo.Responder], q NearestQuery, f filter, best *topK) {
	for _, r := range l.Items() {
		consider(r, q, f, best)
	}
}

// consider offers r to best when it passes the filters.
func consider(r *geo.Responder, q NearestQuery, f filter, best *topK) {
	if !f.accept(r) {
		return
	}
	d := geo.Distance(q.Point, r.Point)
	if q.MaxDistanceM > 0 && d > q.MaxDistanceM {
		return
	}
	key := d
	if q.Order == OrderETA {
		key = straightSeconds(q, r, d)
	}
	best.offerDist(key, d, r)
}

const deg = math.Pi / 180

// boundSlack shrinks the lower bound by far more than the rounding error
// of the float64 arithmetic in it and in geo.Distance (about 1e-15
// relative), so that rounding can never stop the walk too early.
const boundSlack = 1 - 1e-9

// lowerBound returns a lower bound in metres of the great-circle distance
// of any item at planar distance dDeg degrees or more, where c is the
// smallest cosine of latitude over the search (see nearestIndexed). Beyond
// 1 radian it returns 0: no early stop, which is slower but still exact.
func lowerBound(dDeg, c float64) float64 {
	d := dDeg * deg
	if d > 1 || c <= 0 {
		return 0
	}
	return 2 * geo.EarthRadius * math.Asin(c*math.Sin(d/2)) * boundSlack
}

// crossesAntimeridian reports whether some item in b may lie more than
// 180° of longitude from p, where planar longitude differences stop
// bounding great-circle distances.
func crossesAntimeridian(b orb.Bound, p orb.Point) bool {
	return b.Max[0]-p[0] > 180 || p[0]-b.Min[0] > 180
}
