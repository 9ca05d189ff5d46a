package api

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestOpenAPI_DispatchRoutes(t *testing.T) {
	t.Parallel()
	s, _ := newDispatchServer(t, false)
	rec := get(t, s, "/openapi.json")
	require.Equal(t, http.StatusOK, rec.Code)
	var doc map[string]any
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &doc))
	paths := doc["paths"].(map[string]any)
	tests := []struct {
		path, method string
		params       []string
	}{
		{"/responders/nearest", "get", []string{"lon", "lat", "k", "role", "available", "max_age_s", "max_distance_m", "input_crs"}},
		{"/responders/nearest", "post", []string{"k", "role", "available", "max_age_s", "max_distance_m", "input_crs"}},
		{"/response/gaps", "get", []string{"threshold_s", "scope", "resolution", "role", "max_age_s"}},
		{"/response/grids", "get", []string{"threshold_s", "scope", "resolution", "role", "max_age_s"}},
		{"/collections/responders/items/{featureId}", "patch", []string{"featureId", "input_crs"}},
		{"/collections/responders/items/{featureId}", "get", nil},
	}
	for _, tt := range tests {
		item, ok := paths[tt.path].(map[string]any)
		require.True(t, ok, tt.path)
		op, ok := item[tt.method].(map[string]any)
		require.True(t, ok, "%s %s", tt.method, tt.path)
		var names []string
		for _, raw := range op["parameters"].([]any) {
			names = append(names, openAPIParam(t, doc, raw.(map[string]any))["name"].(string))
		}
		for _, p := range tt.params {
			require.Contains(t, names, p, "%s %s", tt.method, tt.path)
		}
	}
}
