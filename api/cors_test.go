package api

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestCORS_Preflight(t *testing.T) {
	t.Parallel()
	s, _ := newTestServer(t, 5)
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
	s, _ := newTestServer(t, 5)
	for _, path := range []string{"/", "/collections/grids/items", "/collections/nope", "/collections/grids/items?limit=0"} {
		rec := get(t, s, path, "Origin", "https://map.example.org")
		require.Equal(t, "*", rec.Header().Get("Access-Control-Allow-Origin"), path)
		for _, name := range []string{"ETag", "Link"} {
			require.Contains(t, rec.Header().Get("Access-Control-Expose-Headers"), name, path)
		}
	}
}
