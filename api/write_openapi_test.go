package api

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/go-chi/chi/v5"
	"github.com/stretchr/testify/require"
)

// TestOpenAPI_DeclaresEveryRouteAndMethod walks the router of a server
// that writes: every route and method is in /openapi.json (with literal
// collection paths), and the bearer scheme is declared.
func TestOpenAPI_DeclaresEveryRouteAndMethod(t *testing.T) {
	t.Parallel()
	ss := newSecureServer(t, nil)
	rec := call(t, ss, "GET", "/openapi.json", adminSecret, nil)
	require.Equal(t, http.StatusOK, rec.Code)
	var doc struct {
		Paths      map[string]map[string]any `json:"paths"`
		Components struct {
			SecuritySchemes map[string]any `json:"securitySchemes"`
		} `json:"components"`
	}
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &doc))
	require.Contains(t, doc.Components.SecuritySchemes, "bearer")
	var missing []string
	require.NoError(t, chi.Walk(ss.handler.(chi.Routes), func(method, route string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		if method == http.MethodHead || method == http.MethodOptions || strings.HasSuffix(route, "*") {
			return nil
		}
		path := strings.ReplaceAll(route, "{collectionId}", "places")
		if p := doc.Paths[path]; p == nil || p[strings.ToLower(method)] == nil {
			missing = append(missing, method+" "+path)
		}
		return nil
	}))
	require.Empty(t, missing)
}
