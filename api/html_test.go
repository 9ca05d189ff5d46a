package api

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestHTML_PagesRender(t *testing.T) {
	t.Parallel()
	s, _ := newTestServer(t, 30)
	tests := []struct{ path, want string }{
		{"/?f=html", "Synthetic"},
		{"/conformance?f=html", "conf/core"},
		{"/collections?f=html", "Grids"},
		{"/collections/grids?f=html", "Grids"},
		{"/collections/incidents/items?f=html&limit=5", "i0005"},
		{"/collections/grids/items/g2?f=html", "Grid 2"},
		{"/api.html", "/collections/grids/items"},
	}
	for _, tt := range tests {
		rec := get(t, s, tt.path)
		require.Equal(t, http.StatusOK, rec.Code, tt.path)
		require.Equal(t, mediaHTML, rec.Header().Get("Content-Type"), tt.path)
		body := rec.Body.String()
		require.True(t, strings.HasPrefix(body, "<!doctype html>"), tt.path)
		require.Contains(t, body, tt.want, tt.path)
		require.NotContains(t, body, "http://cdn", "no external assets")
		require.NotContains(t, body, "<link ", "no external assets")
	}
}

func TestHTML_AcceptHeaderChoosesHTML(t *testing.T) {
	t.Parallel()
	s, _ := newTestServer(t, 5)
	browser := "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
	require.Equal(t, mediaHTML, get(t, s, "/collections/grids/items", "Accept", browser).Header().Get("Content-Type"))
	require.Equal(t, mediaGeoJSON, get(t, s, "/collections/grids/items", "Accept", "*/*").Header().Get("Content-Type"))
	require.Equal(t, mediaGeoJSON, get(t, s, "/collections/grids/items", "Accept", "application/geo+json, application/json").Header().Get("Content-Type"))
	require.Equal(t, mediaGeoJSON, get(t, s, "/collections/grids/items?f=json", "Accept", browser).Header().Get("Content-Type"))
	require.Equal(t, mediaJSON, get(t, s, "/collections", "Accept", "application/json;q=0.9, text/html;q=0.5").Header().Get("Content-Type"))
}

func TestHTML_EscapesEverything(t *testing.T) {
	t.Parallel()
	s, _ := newTestServer(t, 5)
	for _, path := range []string{"/collections/grids/items?f=html", "/collections/grids/items/g1?f=html",
		"/collections/settlements/items?f=html", "/collections/grids/items?f=html&name=" + url.QueryEscape(scriptName)} {
		body := get(t, s, path).Body.String()
		require.NotContains(t, body, "<script>", path)
		require.Contains(t, body, "&lt;script&gt;", path)
	}
}

func TestHTML_ItemsPageHasPagingLinks(t *testing.T) {
	t.Parallel()
	s, _ := newTestServer(t, 30)
	body := get(t, s, "/collections/incidents/items?f=html&limit=10&offset=10").Body.String()
	require.Contains(t, body, `rel="next"`)
	require.Contains(t, body, `rel="prev"`)
	require.Contains(t, body, "offset=20")
	require.Contains(t, body, "10 of 30 matching")
}
