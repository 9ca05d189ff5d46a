package api

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestMetrics_CountRequestsErrorsWritesRefusalsAndLayers(t *testing.T) {
	t.Parallel()
	ss := newSecureServer(t, func(o *Options) { o.Limits = Limits{MaxFeatures: 1} })
	call(t, ss, "GET", "/collections/grids/items", viewerSecret, nil)
	call(t, ss, "GET", "/collections/cameras/items", viewerSecret, nil)
	call(t, ss, "POST", "/collections/places/items", adminSecret, []byte(placeFeature("p90", 106.005, 37.405, "school")), "Content-Type", mediaGeoJSON)
	call(t, ss, "POST", "/collections/places/items", adminSecret, []byte(featureCollection(placeFeature("a", 106.005, 37.405, "school"), placeFeature("b", 106.005, 37.405, "school"))), "Content-Type", mediaGeoJSON)

	rec := call(t, ss, "GET", "/metrics", analystSecret, nil)
	require.Equal(t, http.StatusOK, rec.Code)
	require.Contains(t, rec.Header().Get("Content-Type"), "text/plain")
	text := rec.Body.String()
	for _, want := range []string{
		`gridwatch_http_requests_total{method="GET",route="/collections/{collectionId}/items",status="200"} 1`,
		`gridwatch_http_requests_total{method="GET",route="/collections/{collectionId}/items",status="403"} 1`,
		`gridwatch_http_errors_total{route="/collections/{collectionId}/items",status="403"} 1`,
		`gridwatch_http_request_duration_seconds_bucket{method="GET",route="/collections/{collectionId}/items",le="+Inf"} 2`,
		`gridwatch_writes_total{layer="places",op="add",result="ok"} 1`,
		`gridwatch_limit_refusals_total{limit="features"} 1`,
		`gridwatch_layer_version{layer="places"} 2`,
		`gridwatch_layer_features{layer="places"} 7`,
		`gridwatch_write_group_size_count 1`,
		`go_goroutines`,
	} {
		require.Contains(t, text, want)
	}
}

func TestMetrics_EachServerHasItsOwnRegistry(t *testing.T) {
	t.Parallel()
	a := newSecureServer(t, nil)
	b := newSecureServer(t, nil)
	call(t, a, "GET", "/collections", viewerSecret, nil)
	text := call(t, b, "GET", "/metrics", analystSecret, nil).Body.String()
	require.NotContains(t, text, `route="/collections",status="200"`)
}

func TestAudit_WritesAndPoliceReadsAreLoggedWithTheTokenName(t *testing.T) {
	t.Parallel()
	ss := newSecureServer(t, nil)
	call(t, ss, "GET", "/collections/grids/items", analystSecret, nil)
	call(t, ss, "GET", "/collections/responders/items?limit=3", analystSecret, nil)
	call(t, ss, "GET", "/collections/cameras/items/c01", viewerSecret, nil)
	call(t, ss, "POST", "/collections/places/items", adminSecret, []byte(placeFeature("p90", 106.005, 37.405, "school")), "Content-Type", mediaGeoJSON)
	var lines []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(ss.audit.String()), "\n") {
		var m map[string]any
		require.NoError(t, json.Unmarshal([]byte(l), &m), l)
		lines = append(lines, m)
	}
	require.Len(t, lines, 3, "grids are not police data")
	byPath := map[string]map[string]any{}
	for _, l := range lines {
		byPath[l["path"].(string)] = l
		require.NotEmpty(t, l["request_id"])
	}
	read := byPath["/collections/responders/items"]
	require.Equal(t, "anna", read["token"])
	require.Equal(t, "read", read["msg"])
	require.Equal(t, "limit=3", read["query"])
	require.Equal(t, float64(200), read["status"])
	require.Positive(t, read["bytes"])
	refused := byPath["/collections/cameras/items/c01"]
	require.Equal(t, float64(403), refused["status"], "refused reads are logged too")
	write := byPath["/collections/places/items"]
	require.Equal(t, "ada", write["token"])
	require.Equal(t, "write", write["msg"])
	require.Equal(t, float64(1), write["items"])
	require.Equal(t, []any{"p90"}, write["ids"])
}

func TestReadyz(t *testing.T) {
	t.Parallel()
	ss := newSecureServer(t, nil)
	rec := call(t, ss, "GET", "/readyz", "", nil)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	doc := decode[readyDoc](t, rec)
	require.Equal(t, "ready", doc.Status)
	require.Equal(t, "ok", doc.Checks["store"])
	require.Equal(t, http.StatusUnauthorized, call(t, ss, "GET", "/healthz", "", nil).Code, "/healthz needs a token; /readyz does not")

	empty := New(Options{Atlas: (&AtlasHolder{}).Load})
	requireProblem(t, get(t, empty, "/readyz"), http.StatusServiceUnavailable)

	// Writes in memory (a holder, no store): ready, with no store to check.
	memory := New(Options{Holder: NewAtlasHolder(fixtureAtlas(t, 20))})
	rec = get(t, memory, "/readyz")
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	require.NotContains(t, decode[readyDoc](t, rec).Checks, "store")
}
