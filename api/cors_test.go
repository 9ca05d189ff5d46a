package api

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"gridwatch/geo"
)

func TestCORS_Preflight(t *testing.T) {
	t.Parallel()
	s := newSecureServer(t, nil)
	rec := do(t, s, http.MethodOptions, "/collections/grids/items",
		"Origin", "https://map.example.org", "Access-Control-Request-Method", "GET",
		"Access-Control-Request-Headers", "If-None-Match, Authorization")
	require.Equal(t, http.StatusNoContent, rec.Code)
	require.Empty(t, rec.Body.Bytes())
	h := rec.Header()
	require.Equal(t, "*", h.Get("Access-Control-Allow-Origin"))
	require.Contains(t, h.Get("Access-Control-Allow-Methods"), "GET")
	for _, name := range []string{"Authorization", "Content-Type", "If-None-Match", "If-Match"} {
		require.Contains(t, h.Get("Access-Control-Allow-Headers"), name)
	}
}

func TestCORS_EveryResponseIsShared(t *testing.T) {
	t.Parallel()
	s := newSecureServer(t, nil)
	for _, path := range []string{"/", "/collections/grids/items", "/collections/nope", "/collections/grids/items?limit=0"} {
		rec := get(t, s, path, "Origin", "https://map.example.org", "Authorization", "Bearer "+viewerSecret)
		require.Equal(t, "*", rec.Header().Get("Access-Control-Allow-Origin"), path)
		for _, name := range []string{"ETag", "Link"} {
			require.Contains(t, rec.Header().Get("Access-Control-Expose-Headers"), name, path)
		}
	}
}

// Finding 13: the token-less demo answered every page with
// Access-Control-Allow-Origin: *, so any web site its user visited could
// read the data. Without tokens only the --cors-origin origins may.
func TestCORS_DemoSharesWithNamedOriginsOnly(t *testing.T) {
	t.Parallel()
	a := fixtureAtlas(t, 5)
	demo := New(Options{Atlas: func() *geo.Atlas { return a }})
	for _, method := range []string{http.MethodGet, http.MethodOptions} {
		rec := do(t, demo, method, "/collections/responders/items", "Origin", "https://evil.example.com", "Access-Control-Request-Method", "GET")
		require.Empty(t, rec.Header().Get("Access-Control-Allow-Origin"), method)
		require.Contains(t, rec.Header().Values("Vary"), "Origin")
	}
	named := New(Options{Atlas: func() *geo.Atlas { return a }, CORSOrigins: []string{"http://localhost:5173"}})
	rec := get(t, named, "/collections/responders/items", "Origin", "http://localhost:5173")
	require.Equal(t, "http://localhost:5173", rec.Header().Get("Access-Control-Allow-Origin"))
	rec = get(t, named, "/collections/responders/items", "Origin", "https://evil.example.com")
	require.Empty(t, rec.Header().Get("Access-Control-Allow-Origin"))
}
