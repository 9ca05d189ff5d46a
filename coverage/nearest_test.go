package coverage_test

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/stretchr/testify/require"

	"gridwatch/coverage"
	"gridwatch/geo"
)

// randomNow is the reference time of the random responders.
var randomNow = time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC)

// randomResponders returns an atlas of n responders scattered over a
// district-sized box, every tenth one sharing the position of another (so
// that distances tie and ids decide), with random roles, availability and
// report ages up to two hours.
func randomResponders(t testing.TB, n int, seed uint64) *geo.Atlas {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 1))
	d := &geo.Dataset{Stations: []*geo.Station{{ID: "S", Name: "Station", Point: orb.Point{106, 37.4}}}}
	for i := range n {
		p := orb.Point{105.6 + 1.0*rng.Float64(), 36.9 + 0.8*rng.Float64()}
		if i%10 == 9 {
			p = d.Responders[rng.IntN(i)].Point
		}
		d.Responders = append(d.Responders, &geo.Responder{
			ID:   fmt.Sprintf("R%05d", (i*7919)%n), // ids not in position order
			Name: "r", Role: geo.Roles[rng.IntN(len(geo.Roles))], Station: "S", Point: p,
			Available: rng.Float64() < 0.8, Updated: randomNow.Add(-time.Duration(rng.IntN(7200)) * time.Second),
		})
	}
	a, err := geo.NewAtlas(d, geo.Options{})
	require.NoError(t, err)
	return a
}

// bruteNearest is the reference: every responder, filtered, sorted by
// arrival time (distance × circuity ÷ speed of its role; the default
// order) or by haversine distance (order distance), then id.
func bruteNearest(rs []*geo.Responder, q coverage.NearestQuery) []string {
	eta := q.ETA
	if eta == nil {
		eta = coverage.DefaultETA()
	}
	type cand struct {
		d  float64
		id string
	}
	var cs []cand
	for _, r := range rs {
		if len(q.Roles) > 0 && !slices.Contains(q.Roles, r.Role) {
			continue
		}
		fresh := q.MaxAge == 0 || q.Now.Sub(r.Updated) <= q.MaxAge
		if q.Available && !(r.Available && fresh) {
			continue
		}
		d := geo.Distance(q.Point, r.Point)
		if q.MaxDistanceM > 0 && d > q.MaxDistanceM {
			continue
		}
		key := d
		if q.Order != coverage.OrderDistance {
			t := eta[r.Role]
			key = d * t.Circuity / t.SpeedMPS
		}
		cs = append(cs, cand{key, r.ID})
	}
	slices.SortFunc(cs, func(a, b cand) int {
		if c := cmp.Compare(a.d, b.d); c != 0 {
			return c
		}
		return strings.Compare(a.id, b.id)
	})
	out := []string{}
	for i := 0; i < len(cs) && i < q.K; i++ {
		out = append(out, cs[i].id)
	}
	return out
}

func hitIDs(hs []coverage.Hit) []string {
	out := []string{}
	for _, h := range hs {
		out = append(out, h.Responder.ID)
	}
	return out
}

// TestNearest_MatchesBruteForce compares 10,000 random queries (random
// points in and around the responders' box, random k, filters and order)
// with the brute-force reference: same ids in the same order, ties of
// either key included.
func TestNearest_MatchesBruteForce(t *testing.T) {
	t.Parallel()
	a := randomResponders(t, 600, 1)
	rs := a.Responders.Items()
	rng := rand.New(rand.NewPCG(2, 2))
	ties := map[coverage.Order]int{}
	for i := range 10000 {
		q := coverage.NearestQuery{
			Point: orb.Point{105.3 + 1.6*rng.Float64(), 36.6 + 1.4*rng.Float64()},
			K:     1 + rng.IntN(coverage.MaxK), Available: rng.IntN(2) == 0, Now: randomNow,
			Order: []coverage.Order{"", coverage.OrderETA, coverage.OrderDistance}[rng.IntN(3)],
		}
		if i%4 == 0 {
			q.Point = rs[rng.IntN(len(rs))].Point // on a responder, often a shared position
		}
		if rng.IntN(3) == 0 {
			q.Roles = []geo.Role{geo.Roles[rng.IntN(4)], geo.Roles[rng.IntN(4)]}
		}
		if rng.IntN(2) == 0 {
			q.MaxAge = time.Duration(rng.IntN(7200)) * time.Second
		}
		if rng.IntN(3) == 0 {
			q.MaxDistanceM = 20000 * rng.Float64()
		}
		got, err := coverage.Nearest(a.Responders, q)
		require.NoError(t, err)
		want := bruteNearest(rs, q)
		require.Equal(t, want, hitIDs(got), "query %d: %+v", i, q)
		for j, h := range got {
			if h.Rank != j+1 || h.DistanceM != geo.Distance(q.Point, h.Responder.Point) {
				t.Fatalf("query %d hit %d: rank %d, distance %g", i, j, h.Rank, h.DistanceM)
			}
			if j > 0 && h.DistanceM == got[j-1].DistanceM && h.Responder.Role == got[j-1].Responder.Role {
				ties[cmp.Or(q.Order, coverage.OrderETA)]++
			}
			if j > 0 && q.Order != coverage.OrderDistance && h.ETAS < got[j-1].ETAS {
				t.Fatalf("query %d hit %d: arrives sooner than the hit before it", i, j)
			}
		}
	}
	require.Positive(t, ties[coverage.OrderETA], "the test must exercise ties of arrival times")
	require.Positive(t, ties[coverage.OrderDistance], "the test must exercise ties of distances")
}

func TestNearest_Filters(t *testing.T) {
	t.Parallel()
	a := stripAtlas(t)
	pt := orb.Point{106.125, 37.425} // in g3, between P3 and A1
	now := coverage.ReferenceTime(a, time.Now())
	base := coverage.NearestQuery{Point: pt, K: 10, Available: true, MaxAge: coverage.DefaultMaxAge, Now: now}
	tests := []struct {
		name   string
		modify func(q *coverage.NearestQuery)
		want   []string
	}{
		{"default: available and fresh", func(*coverage.NearestQuery) {}, []string{"A1", "P1", "W1"}},
		{"age check off keeps the stale officer", func(q *coverage.NearestQuery) { q.MaxAge = 0 }, []string{"P3", "A1", "P1", "W1"}},
		{"age limit just above P3's age", func(q *coverage.NearestQuery) { q.MaxAge = 2*time.Hour + 10*time.Minute }, []string{"P3", "A1", "P1", "W1"}},
		{"available=false keeps everyone", func(q *coverage.NearestQuery) { q.Available = false }, []string{"P3", "A1", "P2", "P1", "W1"}},
		{"role police", func(q *coverage.NearestQuery) { q.Roles = []geo.Role{geo.RolePolice} }, []string{"P1"}},
		{"roles police and auxiliary", func(q *coverage.NearestQuery) {
			q.Roles = []geo.Role{geo.RolePolice, geo.RoleAuxiliary}
		}, []string{"A1", "P1"}},
		{"max distance 2 km", func(q *coverage.NearestQuery) { q.MaxDistanceM = 2000 }, []string{"A1"}},
		{"k 1", func(q *coverage.NearestQuery) { q.K = 1 }, []string{"A1"}},
		{"nothing in range", func(q *coverage.NearestQuery) { q.MaxDistanceM = 1 }, []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			q := base
			tt.modify(&q)
			got, err := coverage.Nearest(a.Responders, q)
			require.NoError(t, err)
			require.Equal(t, tt.want, hitIDs(got))
			require.Equal(t, bruteNearest(a.Responders.Items(), q), hitIDs(got))
		})
	}
}

func TestNearest_ETA(t *testing.T) {
	t.Parallel()
	a := stripAtlas(t)
	pt := stripSettlementCentre(1) // 6 km east of P1
	q := coverage.NearestQuery{Point: pt, K: 1, Roles: []geo.Role{geo.RolePolice}, Available: true, MaxAge: coverage.DefaultMaxAge, Now: stripReported}
	got, err := coverage.Nearest(a.Responders, q)
	require.NoError(t, err)
	require.Len(t, got, 1)
	require.InDelta(t, 6000, got[0].DistanceM, 0.01)
	// 6 km × 1.4 at 40 km/h.
	require.InDelta(t, 6000*1.4/(40/3.6), got[0].ETAS, 1e-6)
	require.True(t, got[0].AvailableNow)
	require.InDelta(t, 0, got[0].AgeS, 1e-9)

	q.ETA = coverage.DefaultETA()
	q.ETA[geo.RolePolice] = coverage.Travel{SpeedMPS: 10, Circuity: 1.2}
	got, err = coverage.Nearest(a.Responders, q)
	require.NoError(t, err)
	require.InDelta(t, 6000*1.2/10, got[0].ETAS, 1e-6)
}

func TestNearest_OutsideTheDistrict(t *testing.T) {
	t.Parallel()
	a := stripAtlas(t)
	pt := orb.Point{106.0, 37.3} // 11 km south of the strip
	require.False(t, coverage.Responsible(a, pt, nil).InsideDistrict)
	q := coverage.NearestQuery{Point: pt, K: 2, Available: true, MaxAge: coverage.DefaultMaxAge, Now: stripReported}
	got, err := coverage.Nearest(a.Responders, q)
	require.NoError(t, err)
	require.Equal(t, bruteNearest(a.Responders.Items(), q), hitIDs(got))
	require.Len(t, got, 2)
}

func TestNearest_Invalid(t *testing.T) {
	t.Parallel()
	a := stripAtlas(t)
	ok := coverage.NearestQuery{Point: orb.Point{106, 37.4}, K: 5}
	tests := []struct {
		name   string
		modify func(q *coverage.NearestQuery)
		field  string
	}{
		{"k 0", func(q *coverage.NearestQuery) { q.K = 0 }, "k"},
		{"k 101", func(q *coverage.NearestQuery) { q.K = 101 }, "k"},
		{"unknown role", func(q *coverage.NearestQuery) { q.Roles = []geo.Role{"sheriff"} }, "role"},
		{"negative age", func(q *coverage.NearestQuery) { q.MaxAge = -time.Second }, "max_age_s"},
		{"negative distance", func(q *coverage.NearestQuery) { q.MaxDistanceM = -1 }, "max_distance_m"},
		{"NaN distance", func(q *coverage.NearestQuery) { q.MaxDistanceM = math.NaN() }, "max_distance_m"},
		{"longitude", func(q *coverage.NearestQuery) { q.Point[0] = 181 }, "lon"},
		{"latitude", func(q *coverage.NearestQuery) { q.Point[1] = -91 }, "lat"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			q := ok
			tt.modify(&q)
			_, err := coverage.Nearest(a.Responders, q)
			require.Error(t, err)
			require.Equal(t, geo.Invalid, geo.ErrorCode(err))
			require.Equal(t, tt.field, err.(*geo.Error).Problems[0].Field)
		})
	}
}

// TestNearest_AntimeridianFallsBack checks a layer that spans the
// antimeridian, where the planar walk cannot bound distances.
func TestNearest_AntimeridianFallsBack(t *testing.T) {
	t.Parallel()
	d := &geo.Dataset{Stations: []*geo.Station{{ID: "S", Name: "S", Point: orb.Point{179.9, 0}}}}
	for i, lon := range []float64{179.95, -179.95, 179.0, -179.0, 0} {
		d.Responders = append(d.Responders, &geo.Responder{ID: fmt.Sprintf("R%d", i), Name: "r", Role: geo.RolePolice,
			Station: "S", Point: orb.Point{lon, 0}, Available: true, Updated: randomNow})
	}
	a, err := geo.NewAtlas(d, geo.Options{})
	require.NoError(t, err)
	q := coverage.NearestQuery{Point: orb.Point{179.99, 0}, K: 3, Now: randomNow}
	got, err := coverage.Nearest(a.Responders, q)
	require.NoError(t, err)
	require.Equal(t, []string{"R0", "R1", "R2"}, hitIDs(got))
	require.Equal(t, bruteNearest(a.Responders.Items(), q), hitIDs(got))
}

func TestNearestBatch(t *testing.T) {
	t.Parallel()
	a := randomResponders(t, 300, 3)
	pts := []orb.Point{{106, 37.2}, {105.7, 37.0}, {106.5, 37.6}}
	q := coverage.NearestQuery{K: 4, Available: true, Now: randomNow}
	got, err := coverage.NearestBatch(a.Responders, pts, q)
	require.NoError(t, err)
	require.Len(t, got, len(pts))
	for i, p := range pts {
		q.Point = p
		require.Equal(t, bruteNearest(a.Responders.Items(), q), hitIDs(got[i]), "point %d", i)
	}

	_, err = coverage.NearestBatch(a.Responders, make([]orb.Point, coverage.MaxBatch+1), q)
	require.Equal(t, geo.TooLarge, geo.ErrorCode(err))

	_, err = coverage.NearestBatch(a.Responders, []orb.Point{{106, 37}, {200, 37}}, q)
	require.Equal(t, geo.Invalid, geo.ErrorCode(err))
	p := err.(*geo.Error).Problems[0]
	require.Equal(t, 1, p.Index)
	require.Equal(t, "lon", p.Field)
}

func TestReferenceTime(t *testing.T) {
	t.Parallel()
	a := stripAtlas(t)
	end := time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC)
	before := time.Date(2026, 6, 30, 12, 0, 0, 0, time.UTC)
	require.Equal(t, end, coverage.ReferenceTime(a, end.AddDate(1, 0, 0)), "a past snapshot is judged as of its date")
	require.Equal(t, before, coverage.ReferenceTime(a, before))
	live := *a
	live.Meta.AsOf = time.Time{}
	later := end.AddDate(1, 0, 0)
	require.Equal(t, later, coverage.ReferenceTime(&live, later), "a live dataset follows the clock")
}

// A volunteer on foot 300 m away arrives after a patrol car 2 km away
// (about 323 s against 252 s): by arrival the car comes first, by
// distance the volunteer.
func TestNearest_ArrivalBeatsDistance(t *testing.T) {
	t.Parallel()
	pt := orb.Point{106, 37.4}
	east := func(m float64) orb.Point {
		return orb.Point{pt[0] + m/(geo.EarthRadius*math.Cos(pt[1]*math.Pi/180))*180/math.Pi, pt[1]}
	}
	d := &geo.Dataset{Stations: []*geo.Station{{ID: "S", Name: "Station", Point: pt}},
		Responders: []*geo.Responder{
			{ID: "V1", Name: "v", Role: geo.RoleVolunteer, Station: "S", Point: east(300), Available: true, Updated: randomNow},
			{ID: "P1", Name: "p", Role: geo.RolePolice, Station: "S", Point: east(2000), Available: true, Updated: randomNow},
		}}
	a, err := geo.NewAtlas(d, geo.Options{})
	require.NoError(t, err)
	q := coverage.NearestQuery{Point: pt, K: 2, Now: randomNow}
	got, err := coverage.Nearest(a.Responders, q)
	require.NoError(t, err)
	require.Equal(t, []string{"P1", "V1"}, hitIDs(got), "the default order is by arrival")
	require.InDelta(t, 2000*coverage.DefaultCircuity/(coverage.DefaultPoliceSpeedKMH/3.6), got[0].ETAS, 0.01)
	require.InDelta(t, 300*coverage.DefaultCircuity/(coverage.DefaultVolunteerSpeedKMH/3.6), got[1].ETAS, 0.01)
	q.Order = coverage.OrderDistance
	got, err = coverage.Nearest(a.Responders, q)
	require.NoError(t, err)
	require.Equal(t, []string{"V1", "P1"}, hitIDs(got))
	require.InDelta(t, 300, got[0].DistanceM, 0.01)
	q.Order = "fastest"
	_, err = coverage.Nearest(a.Responders, q)
	require.Equal(t, geo.Invalid, geo.ErrorCode(err))
}
