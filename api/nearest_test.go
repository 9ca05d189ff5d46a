package api

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/stretchr/testify/require"

	"gridwatch/coverage"
	"gridwatch/data"
	"gridwatch/geo"
)

// dispatchNow is the test clock: 10 minutes after the last fixture
// responder (r8) reported; the others reported 1.5 h apart before it.
var dispatchNow = fixtureResponderTime.Add(7*90*time.Minute + 10*time.Minute)

// newDispatchServer returns a server over the fixture with the test clock,
// a holder and the development flag for positions.
func newDispatchServer(t testing.TB, dev bool) (*Server, *AtlasHolder) {
	t.Helper()
	h := NewAtlasHolder(fixtureAtlas(t, 40))
	s := New(Options{Holder: h, DevPositions: dev, Now: func() time.Time { return dispatchNow }})
	t.Cleanup(func() { _ = s.Close() })
	return s, h
}

// nearestFC is the decoded answer of one point.
type nearestFC struct {
	Type     string `json:"type"`
	Features []struct {
		ID       string         `json:"id"`
		Geometry geoPoint       `json:"geometry"`
		Props    map[string]any `json:"properties"`
	} `json:"features"`
	NumberReturned int `json:"numberReturned"`
}

type geoPoint struct {
	Type        string    `json:"type"`
	Coordinates []float64 `json:"coordinates"`
}

func (fc nearestFC) ids() []string {
	out := []string{}
	for _, f := range fc.Features[1:] {
		out = append(out, f.ID)
	}
	return out
}

// bruteIDs is the reference of the default order: every responder that
// passes the filters, by arrival time (distance × circuity ÷ speed of its
// role) and id.
func bruteIDs(a *geo.Atlas, pt orb.Point, k int, keep func(r *geo.Responder) bool) []string {
	return bruteIDsBy(coverage.OrderETA, a, pt, k, keep)
}

// bruteIDsBy is the reference of either order.
func bruteIDsBy(order coverage.Order, a *geo.Atlas, pt orb.Point, k int, keep func(r *geo.Responder) bool) []string {
	eta := coverage.DefaultETA()
	key := func(r *geo.Responder) float64 {
		d := geo.Distance(pt, r.Point)
		if order == coverage.OrderDistance {
			return d
		}
		return d * eta[r.Role].Circuity / eta[r.Role].SpeedMPS
	}
	rs := slices.Clone(a.Responders.Items())
	rs = slices.DeleteFunc(rs, func(r *geo.Responder) bool { return !keep(r) })
	slices.SortFunc(rs, func(x, y *geo.Responder) int {
		if c := cmp.Compare(key(x), key(y)); c != 0 {
			return c
		}
		return strings.Compare(x.ID, y.ID)
	})
	out := []string{}
	for i := 0; i < len(rs) && i < k; i++ {
		out = append(out, rs[i].ID)
	}
	return out
}

func getNearest(t *testing.T, s http.Handler, q string) nearestFC {
	t.Helper()
	rec := get(t, s, "/responders/nearest?"+q)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	require.Equal(t, mediaGeoJSON, rec.Header().Get("Content-Type"))
	return decode[nearestFC](t, rec)
}

func TestNearest_MatchesBruteForceOverHTTP(t *testing.T) {
	t.Parallel()
	s, h := newDispatchServer(t, false)
	a := h.Load()
	rng := rand.New(rand.NewPCG(3, 3))
	for i := range 200 {
		pt := fixPoint(-0.5+3*rng.Float64(), -0.5+3*rng.Float64())
		k := 1 + rng.IntN(8)
		order := []coverage.Order{"", coverage.OrderETA, coverage.OrderDistance}[rng.IntN(3)]
		fc := getNearest(t, s, fmt.Sprintf("lon=%v&lat=%v&k=%d&max_age_s=0&order=%s", pt[0], pt[1], k, order))
		want := bruteIDsBy(cmp.Or(order, coverage.OrderETA), a, pt, k, func(r *geo.Responder) bool { return r.Available })
		require.Equal(t, want, fc.ids(), "point %d, order %q", i, order)
		require.Equal(t, len(fc.Features), fc.NumberReturned, "numberReturned counts the features")
		require.Equal(t, string(cmp.Or(order, coverage.OrderETA)), fc.Features[0].Props["order"])
	}
}

func TestNearest_QueryPointAndResponders(t *testing.T) {
	t.Parallel()
	s, h := newDispatchServer(t, false)
	a := h.Load()
	pt := fixPoint(1.5, 0.5) // in g3 (east, bottom), beat B2
	fc := getNearest(t, s, fmt.Sprintf("lon=%v&lat=%v&max_age_s=0&available=false&k=3", pt[0], pt[1]))
	require.Equal(t, "FeatureCollection", fc.Type)
	q := fc.Features[0].Props
	require.Equal(t, "query", q["kind"])
	require.Equal(t, true, q["inside_district"])
	require.Equal(t, "g3", q["grid"])
	require.Equal(t, "V2", q["village"])
	require.Equal(t, "T2", q["township"])
	require.Equal(t, "B2", q["beat"])
	require.Equal(t, "S1", q["station"])
	require.Equal(t, "wgs84", q["input_crs"])
	var assigned []string
	for _, r := range a.Responders.Items() {
		if slices.Contains(r.Grids, "g3") {
			assigned = append(assigned, r.ID)
		}
	}
	slices.Sort(assigned)
	require.ElementsMatch(t, assigned, q["assigned"])
	require.Equal(t, []float64{pt[0], pt[1]}, fc.Features[0].Geometry.Coordinates)

	require.Len(t, fc.Features, 4)
	for i, f := range fc.Features[1:] {
		r, ok := a.Responders.Get(f.ID)
		require.True(t, ok)
		d := geo.Distance(pt, r.Point)
		eta := d * 1.4 / (map[geo.Role]float64{geo.RolePolice: 40, geo.RoleAuxiliary: 30, geo.RoleGridWorker: 15, geo.RoleVolunteer: 1.3 * 3.6}[r.Role] / 3.6)
		require.Equal(t, "responder", f.Props["kind"])
		require.Equal(t, float64(i+1), f.Props["rank"])
		require.InDelta(t, d, f.Props["distance_m"], 0.006)
		require.InDelta(t, eta, f.Props["eta_s"], 0.06)
		require.Equal(t, string(r.Role), f.Props["role"], "the responder's own properties come along")
		require.Equal(t, r.Available, f.Props["available"])
		require.Equal(t, r.Available, f.Props["available_now"], "without the age check, available_now is the flag")
	}
}

func TestNearest_Filters(t *testing.T) {
	t.Parallel()
	s, h := newDispatchServer(t, false)
	a := h.Load()
	pt := fixPoint(1, 1)
	fresh := func(r *geo.Responder) bool { return dispatchNow.Sub(r.Updated) <= 30*time.Minute }
	tests := []struct {
		name  string
		query string
		k     int
		keep  func(r *geo.Responder) bool
	}{
		{"default: available and reported within 30 minutes", "", 5, func(r *geo.Responder) bool { return r.Available && fresh(r) }},
		{"age check off", "&max_age_s=0", 5, func(r *geo.Responder) bool { return r.Available }},
		{"age 4 hours", "&max_age_s=14400", 5, func(r *geo.Responder) bool {
			return r.Available && dispatchNow.Sub(r.Updated) <= 4*time.Hour
		}},
		{"everyone", "&available=false&k=8", 8, func(*geo.Responder) bool { return true }},
		{"police", "&available=false&role=police", 8, func(r *geo.Responder) bool { return r.Role == geo.RolePolice }},
		{"police and volunteers", "&available=false&role=police,volunteer&k=3", 3, func(r *geo.Responder) bool {
			return r.Role == geo.RolePolice || r.Role == geo.RoleVolunteer
		}},
		{"within 800 m", "&available=false&max_distance_m=800&k=100", 100, func(r *geo.Responder) bool {
			return geo.Distance(pt, r.Point) <= 800
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			fc := getNearest(t, s, fmt.Sprintf("lon=%v&lat=%v", pt[0], pt[1])+tt.query)
			require.Equal(t, bruteIDs(a, pt, tt.k, tt.keep), fc.ids())
		})
	}
}

func TestNearest_OutsideTheDistrict(t *testing.T) {
	t.Parallel()
	s, h := newDispatchServer(t, false)
	pt := fixPoint(10, 10)
	fc := getNearest(t, s, fmt.Sprintf("lon=%v&lat=%v&max_age_s=0&k=2", pt[0], pt[1]))
	q := fc.Features[0].Props
	require.Equal(t, false, q["inside_district"])
	for _, k := range []string{"grid", "village", "township", "beat", "station"} {
		v, ok := q[k]
		require.True(t, ok, k)
		require.Nil(t, v, k)
	}
	require.Equal(t, []any{}, q["assigned"])
	require.Equal(t, bruteIDs(h.Load(), pt, 2, func(r *geo.Responder) bool { return r.Available }), fc.ids(), "nearest still works")
}

func TestNearest_ChineseInputCoordinates(t *testing.T) {
	t.Parallel()
	s, h := newDispatchServer(t, false)
	pt := fixPoint(0.7, 0.3)
	for _, c := range []data.CRS{data.GCJ02, data.BD09} {
		in := c.FromWGS84(pt)
		require.Greater(t, geo.Distance(in, pt), 100.0)
		fc := getNearest(t, s, fmt.Sprintf("lon=%v&lat=%v&input_crs=%s&max_age_s=0", in[0], in[1], c))
		q := fc.Features[0]
		require.Equal(t, string(c), q.Props["input_crs"])
		require.Equal(t, []any{in[0], in[1]}, q.Props["input_coordinates"])
		got := orb.Point{q.Geometry.Coordinates[0], q.Geometry.Coordinates[1]}
		require.Less(t, geo.Distance(got, pt), 0.02, "answers are WGS84 (rounded to 7 decimals)")
		require.Equal(t, "g1", q.Props["grid"])
		require.Equal(t, bruteIDs(h.Load(), pt, 5, func(r *geo.Responder) bool { return r.Available }), fc.ids())
	}
}

func TestNearest_BadParameters(t *testing.T) {
	t.Parallel()
	s, _ := newDispatchServer(t, false)
	tests := []struct{ name, query, field string }{
		{"k 0", "lon=106&lat=37.4&k=0", "k"},
		{"k 101", "lon=106&lat=37.4&k=101", "k"},
		{"k text", "lon=106&lat=37.4&k=five", "k"},
		{"unknown role", "lon=106&lat=37.4&role=police,sheriff", "role"},
		{"available", "lon=106&lat=37.4&available=maybe", "available"},
		{"max age", "lon=106&lat=37.4&max_age_s=-1", "max_age_s"},
		{"max distance", "lon=106&lat=37.4&max_distance_m=0", "max_distance_m"},
		{"no lon", "lat=37.4", "lon"},
		{"lat range", "lon=106&lat=95", "lat"},
		{"crs", "lon=106&lat=37.4&input_crs=epsg:3857", "input_crs"},
		{"unknown parameter", "lon=106&lat=37.4&radius=5", "radius"},
		{"html", "lon=106&lat=37.4&f=html", "f"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := requireProblem(t, get(t, s, "/responders/nearest?"+tt.query), http.StatusBadRequest)
			if len(p.Errors) == 0 {
				require.Equal(t, tt.field, p.Limit, "a refused limit names itself")
				return
			}
			require.Equal(t, tt.field, p.Errors[0].Field)
		})
	}
}

func TestNearest_ETag(t *testing.T) {
	t.Parallel()
	s, _ := newDispatchServer(t, false)
	rec := get(t, s, "/responders/nearest?lon=106.01&lat=37.41")
	tag := rec.Header().Get("ETag")
	require.NotEmpty(t, tag)
	require.Equal(t, http.StatusNotModified, get(t, s, "/responders/nearest?lon=106.01&lat=37.41", "If-None-Match", tag).Code)
	require.NotEqual(t, tag, get(t, s, "/responders/nearest?lon=106.01&lat=37.41&k=2").Header().Get("ETag"))
}

func postBatch(t *testing.T, s http.Handler, query string, body []byte) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, "/responders/nearest?"+query, bytes.NewReader(body))
	req.Header.Set("Content-Type", mediaJSON)
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	return rec
}

func TestNearest_Batch(t *testing.T) {
	t.Parallel()
	s, _ := newDispatchServer(t, false)
	pts := []orb.Point{fixPoint(0.2, 0.2), fixPoint(1.8, 1.1), fixPoint(9, 9)}
	body, err := json.Marshal(map[string]any{"points": pts})
	require.NoError(t, err)
	rec := postBatch(t, s, "k=3&max_age_s=0", body)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	got := decode[struct {
		Results []nearestFC `json:"results"`
	}](t, rec)
	require.Len(t, got.Results, len(pts))
	for i, p := range pts {
		one := getNearest(t, s, fmt.Sprintf("lon=%v&lat=%v&k=3&max_age_s=0", p[0], p[1]))
		require.Equal(t, one.ids(), got.Results[i].ids(), "point %d", i)
		require.Equal(t, one.Features[0].Props["grid"], got.Results[i].Features[0].Props["grid"])
	}

	many := make([][2]float64, 1001)
	for i := range many {
		many[i] = [2]float64{106, 37.4}
	}
	body, _ = json.Marshal(map[string]any{"points": many})
	requireProblem(t, postBatch(t, s, "", body), http.StatusRequestEntityTooLarge)

	tests := []struct{ name, body, field string }{
		{"not an object", `[1,2]`, "body"},
		{"unknown member", `{"points": [], "k": 3}`, "k"},
		{"bad position", `{"points": [[106, 37.4], [106]]}`, "points"},
		{"out of range", `{"points": [[106, 37.4], [190, 37.4]]}`, "lon"},
	}
	for _, tt := range tests {
		p := requireProblem(t, postBatch(t, s, "", []byte(tt.body)), http.StatusBadRequest)
		require.Equal(t, tt.field, p.Errors[0].Field, tt.name)
	}
	p := requireProblem(t, postBatch(t, s, "lon=106", []byte(`{"points": []}`)), http.StatusBadRequest)
	require.Equal(t, "lon", p.Errors[0].Field, "a batch takes its points from the body")
}
