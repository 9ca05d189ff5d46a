package api

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"gridwatch/geo"
)

// TestLimits_BadInputGetsThePrecise4xx is the table of docs/bad-input.md:
// each kind of bad input and the answer it gets.
func TestLimits_BadInputGetsThePrecise4xx(t *testing.T) {
	t.Parallel()
	deep := strings.Repeat("[", 100) + strings.Repeat("]", 100)
	tests := []struct {
		name, method, target, contentType, body string
		status                                  int
		limit, field                            string
	}{
		{"oversized body", "POST", "/collections/places/items", mediaGeoJSON, featureCollection(strings.Repeat(placeFeature("x", 106.005, 37.405, "school")+",", 1000) + placeFeature("y", 106.005, 37.405, "school")), 413, "body_bytes", ""},
		{"too many features", "POST", "/collections/places/items", mediaGeoJSON, featureCollection(placeFeature("a", 106.005, 37.405, "school"), placeFeature("b", 106.005, 37.405, "school"), placeFeature("c", 106.005, 37.405, "school"), placeFeature("d", 106.005, 37.405, "school")), 413, "features", ""},
		{"huge k", "GET", "/responders/nearest?lon=106.01&lat=37.41&k=1000000", "", "", 400, "k", "k"},
		{"NaN coordinate", "POST", "/collections/places/items", mediaGeoJSON, `{"type":"Feature","id":"n","geometry":{"type":"Point","coordinates":[NaN,37.4]},"properties":{"name":"n","kind":"school"}}`, 400, "", "body"},
		{"Infinity coordinate", "POST", "/collections/places/items", mediaGeoJSON, `{"type":"Feature","id":"n","geometry":{"type":"Point","coordinates":[1e400,37.4]},"properties":{"name":"n","kind":"school"}}`, 400, "", "feature"},
		{"longitude out of range", "POST", "/collections/places/items", mediaGeoJSON, placeFeature("n", 181, 37.4, "school"), 400, "", "geometry"},
		{"latitude out of range", "POST", "/collections/places/items", mediaGeoJSON, placeFeature("n", 106, -91, "school"), 400, "", "geometry"},
		{"deeply nested JSON", "POST", "/collections/places/items", mediaGeoJSON, `{"type":"Feature","x":` + deep + `}`, 400, "json_depth", ""},
		{"invalid UTF-8", "POST", "/collections/places/items", mediaGeoJSON, "{\"type\":\"Feature\",\"id\":\"\xff\xfe\"}", 400, "", "body"},
		{"unknown property", "POST", "/collections/places/items", mediaGeoJSON, `{"type":"Feature","id":"n","geometry":{"type":"Point","coordinates":[106.005,37.405]},"properties":{"name":"n","kind":"school","colour":"red"}}`, 400, "", "colour"},
		{"unknown member", "POST", "/collections/places/items", mediaGeoJSON, `{"type":"Feature","id":"n","style":1,"geometry":{"type":"Point","coordinates":[106.005,37.405]},"properties":{"name":"n","kind":"school"}}`, 400, "", "style"},
		{"unknown collection member", "PUT", "/collections/places/items", mediaGeoJSON, `{"type":"FeatureCollection","features":[],"extra":true}`, 400, "", "extra"},
		{"foreign crs", "PUT", "/collections/places/items", mediaGeoJSON, `{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"EPSG:3857"}},"features":[]}`, 400, "", "crs"},
		{"trailing data", "POST", "/collections/places/items", mediaGeoJSON, placeFeature("n", 106.005, 37.405, "school") + "{}", 400, "", "body"},
		{"not JSON", "POST", "/collections/places/items", mediaGeoJSON, "hello", 400, "", "body"},
		{"empty body", "POST", "/collections/places/items", mediaGeoJSON, "", 400, "", "body"},
		{"wrong content type", "POST", "/collections/places/items", "application/xml", "<x/>", 400, "", "Content-Type"},
		{"CSV for a polygon layer", "PUT", "/collections/grids/items", "text/csv", "id,lon,lat\n", 400, "", "Content-Type"},
		{"malformed CSV", "PUT", "/collections/places/items", "text/csv", "id,lon,lat,name,kind\n\"p1,1", 400, "", ""},
		{"CSV with an unknown column", "PUT", "/collections/places/items", "text/csv", "id,lon,lat,name,kind,colour\np1,106.005,37.405,x,school,red\n", 400, "", "colour"},
		{"query cost", "GET", "/collections/incidents/items?limit=10000", "", "", 400, "query_cost", ""},
		{"unknown query parameter", "POST", "/collections/places/items?force=1", mediaGeoJSON, placeFeature("n", 106.005, 37.405, "school"), 400, "", "force"},
		{"bad dry_run", "POST", "/collections/places/items?dry_run=perhaps", mediaGeoJSON, placeFeature("n", 106.005, 37.405, "school"), 400, "", "dry_run"},
		{"bad bbox", "GET", "/collections/grids/items?bbox=1,2,3", "", "", 400, "", "bbox"},
		{"no such collection", "POST", "/collections/nope/items", mediaGeoJSON, placeFeature("n", 106.005, 37.405, "school"), 404, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ss := newSecureServer(t, func(o *Options) {
				o.Limits = Limits{MaxBodyBytes: 64 << 10, MaxFeatures: 3, MaxQueryCost: 1000}
			})
			before := ss.versions()
			rec := call(t, ss, tt.method, tt.target, adminSecret, []byte(tt.body), "Content-Type", tt.contentType)
			p := requireProblem(t, rec, tt.status)
			require.Equal(t, tt.limit, p.Limit, rec.Body.String())
			if tt.limit != "" {
				require.Positive(t, p.Max)
			}
			if tt.field != "" {
				require.NotEmpty(t, p.Errors, rec.Body.String())
				require.Equal(t, tt.field, p.Errors[0].Field, rec.Body.String())
			}
			require.Equal(t, before, ss.versions())
			require.Zero(t, ss.store.count())
		})
	}
}

func TestLimits_BodyWithoutContentLengthIsCutAt413(t *testing.T) {
	t.Parallel()
	ss := newSecureServer(t, func(o *Options) { o.Limits = Limits{MaxBodyBytes: 1024} })
	body := featureCollection(strings.Repeat(placeFeature("x", 106.005, 37.405, "school")+",", 40) + placeFeature("y", 106.005, 37.405, "school"))
	req := httptest.NewRequest("POST", "/collections/places/items", io.MultiReader(bytes.NewReader([]byte(body))))
	req.ContentLength = -1
	req.Header.Set("Authorization", "Bearer "+adminSecret)
	rec := httptest.NewRecorder()
	ss.ServeHTTP(rec, req)
	p := requireProblem(t, rec, http.StatusRequestEntityTooLarge)
	require.Equal(t, "body_bytes", p.Limit)
	require.Equal(t, int64(1024), p.Max)
}

func TestLimits_RateLimitIs429WithRetryAfter(t *testing.T) {
	t.Parallel()
	ss := newSecureServer(t, func(o *Options) { o.Limits = Limits{RatePerMinute: 3} })
	for i := range 3 {
		require.Equal(t, http.StatusOK, call(t, ss, "GET", "/collections", viewerSecret, nil).Code, i)
	}
	rec := call(t, ss, "GET", "/collections", viewerSecret, nil)
	p := requireProblem(t, rec, http.StatusTooManyRequests)
	require.Equal(t, "rate", p.Limit)
	require.Equal(t, int64(3), p.Max)
	retry, err := strconv.Atoi(rec.Header().Get("Retry-After"))
	require.NoError(t, err)
	require.Positive(t, retry)
	require.Equal(t, http.StatusOK, call(t, ss, "GET", "/collections", analystSecret, nil).Code, "the limit is per token")
}

func TestLimits_TimeoutIs503(t *testing.T) {
	t.Parallel()
	ss := newSecureServer(t, func(o *Options) { o.Limits = Limits{Timeout: 50 * time.Millisecond} })
	ss.store.hold = make(chan struct{})
	rec := call(t, ss, "POST", "/collections/places/items", adminSecret, []byte(placeFeature("p90", 106.005, 37.405, "school")), "Content-Type", mediaGeoJSON)
	p := requireProblem(t, rec, http.StatusServiceUnavailable)
	require.Equal(t, "timeout", p.Limit)
	require.Equal(t, int64(50), p.Max)
	close(ss.store.hold)
	_, applied := ss.atlasNow().Places.Get("p90")
	require.False(t, applied, "a 503 means not applied")
	require.Zero(t, ss.store.count())
}

func TestLimits_OGCLimitClamps(t *testing.T) {
	t.Parallel()
	ss := newSecureServer(t, func(o *Options) { o.MaxLimit = 5 })
	rec := call(t, ss, "GET", "/collections/incidents/items?limit=1000000", analystSecret, nil)
	require.Equal(t, http.StatusOK, rec.Code)
	require.Equal(t, 5, decode[featureCollectionDoc](t, rec).NumberReturned)
}

func TestLimits_QueryCostCountsTheBBoxWithinTheLayer(t *testing.T) {
	t.Parallel()
	ss := newSecureServer(t, func(o *Options) { o.Limits = Limits{MaxQueryCost: 1000} })
	// The fixture is about 2 km × 2 km: 100 features over it cost ~390.
	for _, q := range []string{"limit=100", "bbox=-180,-90,180,90&limit=100", "bbox=106,37.4,106.005,37.405&limit=1000"} {
		require.Equal(t, http.StatusOK, call(t, ss, "GET", "/collections/incidents/items?"+q, analystSecret, nil).Code, q)
	}
	requireProblem(t, call(t, ss, "GET", "/collections/incidents/items?limit=1000", analystSecret, nil), http.StatusBadRequest)
}

func TestBoxAreaKm2_MatchesAnIndependentSum(t *testing.T) {
	t.Parallel()
	// Sum thin strips: each is its width × height in km on a sphere of
	// the project's radius, at the strip's mid latitude.
	minLon, minLat, maxLon, maxLat := 105.5, 37.0, 106.5, 37.8
	const strips = 10_000
	r := geo.EarthRadius / 1000
	var sum float64
	for i := range strips {
		lat := minLat + (float64(i)+0.5)*(maxLat-minLat)/strips
		width := r * (maxLon - minLon) * 3.141592653589793 / 180 * cosDeg(lat)
		height := r * (maxLat - minLat) / strips * 3.141592653589793 / 180
		sum += width * height
	}
	require.InEpsilon(t, sum, boxAreaKm2(minLon, minLat, maxLon, maxLat), 1e-6)
}

func cosDeg(d float64) float64 {
	x := d * 3.141592653589793 / 180
	// cos by its Taylor series to many terms: independent of math.Cos.
	term, sum := 1.0, 1.0
	for n := 1; n < 30; n++ {
		term *= -x * x / float64((2*n-1)*(2*n))
		sum += term
	}
	return sum
}

func TestJSONDepth(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want int
	}{
		{`{}`, 1}, {`[[1],[2]]`, 2}, {`{"a":"[[[[["}`, 1}, {`{"a":"\"[["}`, 1}, {`1`, 0},
		{fmt.Sprintf(`{"a":%s1%s}`, strings.Repeat("[", 5), strings.Repeat("]", 5)), 6},
	}
	for _, tt := range tests {
		require.Equal(t, tt.want, jsonDepth([]byte(tt.in), 100), tt.in)
	}
}
