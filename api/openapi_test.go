package api

import (
	"encoding/json"
	"net/http"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"gridwatch/data"
	"gridwatch/geo"
)

// openAPIParam resolves a parameter of a decoded OpenAPI document.
func openAPIParam(t *testing.T, doc map[string]any, p map[string]any) map[string]any {
	t.Helper()
	if r, ok := p["$ref"].(string); ok {
		require.True(t, strings.HasPrefix(r, "#/components/parameters/"), r)
		name := strings.TrimPrefix(r, "#/components/parameters/")
		resolved, ok := doc["components"].(map[string]any)["parameters"].(map[string]any)[name].(map[string]any)
		require.True(t, ok, r)
		return resolved
	}
	return p
}

func TestOpenAPI_OnePathPerCollectionWithItsFilters(t *testing.T) {
	t.Parallel()
	s, _ := newTestServer(t, 5)
	rec := get(t, s, "/openapi.json")
	require.Equal(t, http.StatusOK, rec.Code)
	require.Equal(t, "application/vnd.oai.openapi+json;version=3.0", rec.Header().Get("Content-Type"))
	var doc map[string]any
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &doc))
	require.Equal(t, "3.0.3", doc["openapi"])
	paths := doc["paths"].(map[string]any)
	for _, p := range []string{"/", "/conformance", "/collections", "/openapi.json", "/api.html", "/healthz"} {
		require.Contains(t, paths, p)
	}
	require.NotContains(t, paths, "/collections/{collectionId}/items", "literal paths only")

	for _, name := range geo.LayerNames {
		sc, _ := data.SchemaOf(name)
		require.Contains(t, paths, "/collections/"+name)
		require.Contains(t, paths, "/collections/"+name+"/items/{featureId}")
		op := paths["/collections/"+name+"/items"].(map[string]any)["get"].(map[string]any)
		byName := map[string]map[string]any{}
		for _, raw := range op["parameters"].([]any) {
			p := openAPIParam(t, doc, raw.(map[string]any))
			byName[p["name"].(string)] = p
		}
		var filters []string
		for n, p := range byName {
			require.Equal(t, "query", p["in"], n)
			if !contains(itemsParams, n) {
				filters = append(filters, n)
			}
		}
		sort.Strings(filters)
		want := filterable(sc)
		sort.Strings(want)
		require.Equal(t, want, filters, name)

		for _, n := range []string{"bbox", "limit", "datetime"} {
			p, ok := byName[n]
			if n == "datetime" && sc.Time == "" {
				require.False(t, ok, "%s has no time", name)
				continue
			}
			require.True(t, ok, "%s %s", name, n)
			require.Equal(t, "form", p["style"], n)
			require.Equal(t, false, p["explode"], n)
		}
		require.Contains(t, byName, "offset")
		require.Contains(t, byName, "f")
		bbox := byName["bbox"]["schema"].(map[string]any)
		require.Equal(t, "array", bbox["type"])
		require.Equal(t, float64(4), bbox["minItems"])
		require.Equal(t, float64(6), bbox["maxItems"])
		require.Equal(t, "number", bbox["items"].(map[string]any)["type"])
		limit := byName["limit"]["schema"].(map[string]any)
		require.Equal(t, map[string]any{"type": "integer", "minimum": float64(1), "maximum": float64(10000), "default": float64(100)}, limit)

		// The collection's feature schema lists every property.
		schemas := doc["components"].(map[string]any)["schemas"].(map[string]any)
		feat := schemas[name+"Feature"].(map[string]any)["properties"].(map[string]any)
		props := feat["properties"].(map[string]any)["properties"].(map[string]any)
		for _, p := range sc.Properties {
			require.Contains(t, props, p.Name, name)
		}
		require.Contains(t, schemas, name+"FeatureCollection")
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func TestOpenAPI_EveryRefResolves(t *testing.T) {
	t.Parallel()
	s, _ := newTestServer(t, 5)
	body := get(t, s, "/openapi.json").Body.Bytes()
	var doc map[string]any
	require.NoError(t, json.Unmarshal(body, &doc))
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			if r, ok := x["$ref"].(string); ok {
				var node any = doc
				for _, part := range strings.Split(strings.TrimPrefix(r, "#/"), "/") {
					m, ok := node.(map[string]any)
					require.True(t, ok, r)
					node, ok = m[part]
					require.True(t, ok, r)
				}
			}
			for _, e := range x {
				walk(e)
			}
		case []any:
			for _, e := range x {
				walk(e)
			}
		}
	}
	walk(doc)
}
