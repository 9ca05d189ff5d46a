package api

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"gridwatch/geo"
)

func TestETag_IfNoneMatchGives304(t *testing.T) {
	t.Parallel()
	s, _ := newTestServer(t, 20)
	for _, path := range []string{"/", "/conformance", "/collections", "/collections/grids", "/collections/grids/items?limit=2",
		"/collections/grids/items/g1", "/openapi.json", "/api.html", "/healthz", "/collections/grids/items?f=html"} {
		rec := get(t, s, path)
		require.Equal(t, http.StatusOK, rec.Code, path)
		tag := rec.Header().Get("ETag")
		require.Regexp(t, `^W/"[0-9a-f]{32}"$`, tag, path)

		again := get(t, s, path, "If-None-Match", tag)
		require.Equal(t, http.StatusNotModified, again.Code, path)
		require.Empty(t, again.Body.Bytes(), path)
		require.Equal(t, tag, again.Header().Get("ETag"))

		require.Equal(t, http.StatusNotModified, get(t, s, path, "If-None-Match", `"other", `+tag).Code, "a list")
		require.Equal(t, http.StatusNotModified, get(t, s, path, "If-None-Match", tag[2:]).Code, "weak comparison")
		require.Equal(t, http.StatusOK, get(t, s, path, "If-None-Match", `W/"0000"`).Code, path)
	}
}

func TestETag_DependsOnQueryAndFormat(t *testing.T) {
	t.Parallel()
	s, _ := newTestServer(t, 20)
	tags := map[string]bool{}
	for _, path := range []string{"/collections/grids/items", "/collections/grids/items?limit=2",
		"/collections/grids/items?limit=2&offset=1", "/collections/grids/items?f=html", "/collections/beats/items"} {
		tags[get(t, s, path).Header().Get("ETag")] = true
	}
	require.Len(t, tags, 5)
	html := get(t, s, "/collections/grids/items", "Accept", "text/html").Header().Get("ETag")
	require.Equal(t, get(t, s, "/collections/grids/items?f=html").Header().Get("ETag") != "", html != "")
	require.NotEqual(t, get(t, s, "/collections/grids/items").Header().Get("ETag"), html)
}

func TestETag_FollowsTheLayersRead(t *testing.T) {
	t.Parallel()
	a := fixtureAtlas(t, 20)
	holder := NewAtlasHolder(a)
	s := New(Options{Atlas: holder.Load})
	tag := func(path string) string { return get(t, s, path).Header().Get("ETag") }
	paths := []string{"/collections/grids/items", "/collections/incidents/items", "/collections", "/healthz", "/"}
	before := map[string]string{}
	for _, p := range paths {
		before[p] = tag(p)
	}

	// A write to incidents: a new atlas sharing every other layer.
	b := *a
	b.Incidents = geo.NewLayer(a.Incidents.Items()[:10], a.Incidents.Version()+1)
	holder.Store(&b)
	require.Equal(t, before["/collections/grids/items"], tag("/collections/grids/items"), "grids did not change")
	require.Equal(t, before["/"], tag("/"), "the landing page reads no layer")
	for _, p := range []string{"/collections/incidents/items", "/collections", "/healthz"} {
		require.NotEqual(t, before[p], tag(p), p)
	}
	require.Equal(t, 10, getItems(t, s, "/collections/incidents/items").NumberMatched)

	// A new atlas built from scratch restarts every version at 1: the tags
	// must change all the same, and the cached features must not be reused.
	fresh := fixtureAtlas(t, 5)
	holder.Store(fresh)
	require.Equal(t, a.Grids.Version(), fresh.Grids.Version())
	require.NotEqual(t, before["/collections/grids/items"], tag("/collections/grids/items"))
	require.NotEqual(t, before["/collections/incidents/items"], tag("/collections/incidents/items"))
	require.Equal(t, 5, getItems(t, s, "/collections/incidents/items").NumberMatched)
}

func TestETag_NotOnErrors(t *testing.T) {
	t.Parallel()
	s, _ := newTestServer(t, 5)
	rec := get(t, s, "/collections/grids/items?limit=0")
	require.Equal(t, http.StatusBadRequest, rec.Code)
	require.Empty(t, rec.Header().Get("ETag"))
	rec = get(t, s, "/collections/grids/items?limit=0", "If-None-Match", "*")
	require.Equal(t, http.StatusBadRequest, rec.Code, "validation comes before the cache check")
}

func TestETagListMatches(t *testing.T) {
	t.Parallel()
	tag := `W/"abc"`
	tests := map[string]bool{
		``: false, `*`: true, `W/"abc"`: true, `"abc"`: true, `"x", W/"abc"`: true,
		`"abcd"`: false, `W/"ab"`: false, ` W/"abc" `: true,
	}
	for list, want := range tests {
		require.Equal(t, want, etagListMatches(list, tag), list)
	}
}
