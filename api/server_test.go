package api

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"gridwatch/geo"
)

// newTestServer returns a server over the fixture atlas with n incidents.
func newTestServer(t testing.TB, n int) (*Server, *geo.Atlas) {
	t.Helper()
	a := fixtureAtlas(t, n)
	return New(Options{Atlas: func() *geo.Atlas { return a }}), a
}

// get performs a GET on h; headers come in name, value pairs.
func get(t testing.TB, h http.Handler, target string, headers ...string) *httptest.ResponseRecorder {
	t.Helper()
	return do(t, h, http.MethodGet, target, headers...)
}

func do(t testing.TB, h http.Handler, method, target string, headers ...string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, target, nil)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// decode decodes a JSON response body into a value of type T.
func decode[T any](t testing.TB, rec *httptest.ResponseRecorder) T {
	t.Helper()
	var v T
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &v), rec.Body.String())
	return v
}

// requireProblem checks that rec is a problem+json with the status and
// returns it.
func requireProblem(t testing.TB, rec *httptest.ResponseRecorder, status int) problem {
	t.Helper()
	require.Equal(t, status, rec.Code, rec.Body.String())
	require.Equal(t, mediaProblem, rec.Header().Get("Content-Type"))
	p := decode[problem](t, rec)
	require.Equal(t, status, p.Status)
	require.NotEmpty(t, p.Type)
	require.NotEmpty(t, p.Title)
	require.NotEmpty(t, p.Detail)
	return p
}

// syncBuffer is a bytes.Buffer safe for concurrent writes, for logs.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func TestServer_UnknownRouteIs404Problem(t *testing.T) {
	t.Parallel()
	s, _ := newTestServer(t, 10)
	for _, path := range []string{"/nope", "/collections/grids/nope", "/collections/grids/items/g1/more"} {
		p := requireProblem(t, get(t, s, path), http.StatusNotFound)
		require.Equal(t, geo.NotFound, p.Code)
	}
}

func TestServer_WrongMethodIs405Problem(t *testing.T) {
	t.Parallel()
	s, _ := newTestServer(t, 10)
	for _, method := range []string{http.MethodPost, http.MethodPut, http.MethodDelete, http.MethodPatch} {
		rec := do(t, s, method, "/collections/grids")
		requireProblem(t, rec, http.StatusMethodNotAllowed)
		require.Contains(t, rec.Header().Get("Allow"), "GET")
	}
}

func TestServer_HeadAnswersWithoutBody(t *testing.T) {
	t.Parallel()
	s, _ := newTestServer(t, 10)
	ts := httptest.NewServer(s)
	defer ts.Close()
	resp, err := http.Head(ts.URL + "/collections/grids/items")
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Equal(t, mediaGeoJSON, resp.Header.Get("Content-Type"))
}

func TestServer_NoAtlasIs503(t *testing.T) {
	t.Parallel()
	s := New(Options{Atlas: func() *geo.Atlas { return nil }})
	for _, path := range []string{"/", "/collections", "/collections/grids/items", "/healthz"} {
		p := requireProblem(t, get(t, s, path), http.StatusServiceUnavailable)
		require.Equal(t, geo.Unavailable, p.Code)
	}
}

func TestServer_PanicIs500Problem(t *testing.T) {
	t.Parallel()
	var logs syncBuffer
	s := New(Options{
		Atlas:  func() *geo.Atlas { panic("boom") },
		Logger: slog.New(slog.NewJSONHandler(&logs, nil)),
	})
	rec := get(t, s, "/collections")
	p := requireProblem(t, rec, http.StatusInternalServerError)
	require.Equal(t, geo.Internal, p.Code)
	require.NotContains(t, rec.Body.String(), "boom", "internal details stay in the log")
	require.Contains(t, logs.String(), "boom")
}

func TestServer_RequestIDOnEveryLogLine(t *testing.T) {
	t.Parallel()
	var logs syncBuffer
	a := fixtureAtlas(t, 10)
	s := New(Options{Atlas: func() *geo.Atlas { return a }, Logger: slog.New(slog.NewJSONHandler(&logs, nil))})
	// Finding 14: the client's X-Request-Id is kept as its own field, not
	// taken as the request id (a client could reuse another's).
	rec := get(t, s, "/collections/grids/items?bogus=1", "X-Request-Id", "req-42")
	requireProblem(t, rec, http.StatusBadRequest)
	id := rec.Header().Get("X-Request-Id")
	require.NotEqual(t, "req-42", id)
	require.NotEmpty(t, id)
	require.Equal(t, id, decode[problem](t, rec).RequestID)
	require.Equal(t, "req-42", decode[problem](t, rec).ClientRequestID)
	again := get(t, s, "/collections/grids/items?bogus=1", "X-Request-Id", "req-42")
	require.NotEqual(t, id, again.Header().Get("X-Request-Id"), "two requests, two ids")
	require.Contains(t, logs.String(), `"client_request_id":"req-42"`)
	rec = get(t, s, "/collections", "X-Request-Id", "bad id with spaces")
	require.NotEmpty(t, rec.Header().Get("X-Request-Id"))
	require.NotEqual(t, "bad id with spaces", rec.Header().Get("X-Request-Id"))

	lines := strings.Split(strings.TrimSpace(logs.String()), "\n")
	require.GreaterOrEqual(t, len(lines), 3) // refusal + 2 requests
	for _, line := range lines {
		var entry map[string]any
		require.NoError(t, json.Unmarshal([]byte(line), &entry))
		require.NotEmpty(t, entry["request_id"], line)
	}
}

func TestStatusOf_EveryCode(t *testing.T) {
	t.Parallel()
	tests := map[geo.Code]int{
		geo.Invalid: 400, geo.Unauthorized: 401, geo.Forbidden: 403, geo.NotFound: 404,
		geo.Conflict: 409, geo.Precondition: 412, geo.TooLarge: 413, geo.RateLimited: 429,
		geo.Unavailable: 503, geo.Internal: 500, geo.Code("unknown"): 500,
	}
	for code, status := range tests {
		require.Equal(t, status, StatusOf(code), code)
	}
}

func TestWriteError_ListsProblems(t *testing.T) {
	t.Parallel()
	s, _ := newTestServer(t, 1)
	req := httptest.NewRequest(http.MethodGet, "/x", nil)
	rec := httptest.NewRecorder()
	s.writeError(rec, req, &geo.Error{Code: geo.Invalid, Message: "invalid dataset",
		Problems: []geo.Problem{{Layer: "grids", Index: 3, ID: "g4", Field: "population", Expected: "a count >= 0"}}})
	p := requireProblem(t, rec, http.StatusBadRequest)
	require.Equal(t, "invalid dataset", p.Detail)
	require.Equal(t, []geo.Problem{{Layer: "grids", Index: 3, ID: "g4", Field: "population", Expected: "a count >= 0"}}, p.Errors)
	require.Contains(t, rec.Body.String(), `"errors":[{"layer":"grids","index":3,"id":"g4","field":"population","expected":"a count \u003e= 0"}]`)
}

func TestServer_TrailingSlashIsIgnored(t *testing.T) {
	t.Parallel()
	s, _ := newTestServer(t, 5)
	for _, path := range []string{"/collections/", "/collections/grids/", "/collections/grids/items/?limit=1"} {
		require.Equal(t, http.StatusOK, get(t, s, path).Code, path)
	}
}
