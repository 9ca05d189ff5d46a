package api

import (
	"encoding/json"
	"testing"

	"github.com/paulmach/orb"
	"github.com/stretchr/testify/require"

	"gridwatch/data"
	"gridwatch/geo"
)

// decodeJSON encodes v and decodes it into generic JSON values.
func decodeJSON(t *testing.T, v any) map[string]any {
	t.Helper()
	raw, err := json.Marshal(v)
	require.NoError(t, err)
	var out map[string]any
	require.NoError(t, json.Unmarshal(raw, &out))
	return out
}

// The typed encoding of a responder is the same JSON as the generic
// data.ToFeature, for every responder of the default dataset and for one
// without grids and with unrounded coordinates.
func TestResponderFeature_SameAsToFeature(t *testing.T) {
	t.Parallel()
	d, err := data.Default()
	require.NoError(t, err)
	rs := append([]*geo.Responder{}, d.Responders...)
	odd := *rs[0]
	odd.Grids, odd.Point = nil, orb.Point{106.123456789, 37.987654321}
	rs = append(rs, &odd)
	for _, r := range rs {
		require.Equal(t, decodeJSON(t, data.ToFeature(r)), decodeJSON(t, responderFeature(r)), r.ID)
	}
}

// A hit of a nearest answer carries the responder's own properties, as
// data.ToFeature gives them, and its place in the answer.
func TestNearestAnswer_HitProperties(t *testing.T) {
	t.Parallel()
	srv, h := newDispatchServer(t, false)
	rec := get(t, srv, "/responders/nearest?lon=106.01&lat=37.41&k=3&available=false")
	require.Equal(t, 200, rec.Code, rec.Body.String())
	fc := decode[map[string]any](t, rec)
	a := h.Load()
	feats := fc["features"].([]any)
	require.Len(t, feats, 4)
	for i, f := range feats[1:] {
		props := f.(map[string]any)["properties"].(map[string]any)
		r, ok := a.Responders.Get(props["id"].(string))
		require.True(t, ok)
		want := decodeJSON(t, data.ToFeature(r))["properties"].(map[string]any)
		for _, k := range []string{"kind", "rank", "distance_m", "eta_s", "eta_model", "available_now", "age_s"} {
			require.Contains(t, props, k)
			delete(props, k)
		}
		require.Equal(t, want, props, "hit %d", i+1)
	}
}
