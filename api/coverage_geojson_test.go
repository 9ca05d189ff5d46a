package api

import (
	"encoding/json"
	"math"
	"testing"

	"github.com/stretchr/testify/require"
)

// requireRFC7946 checks a GeoJSON document against RFC 7946 as gridwatch
// writes it: no crs member, positions of two numbers in lon/lat range with
// at most 7 decimals, closed linear rings of four or more positions, outer
// rings counter-clockwise and holes clockwise (the right-hand rule).
func requireRFC7946(t testing.TB, body []byte) {
	t.Helper()
	var doc map[string]any
	require.NoError(t, json.Unmarshal(body, &doc))
	require.NotContains(t, doc, "crs")
	switch doc["type"] {
	case "FeatureCollection":
		for _, f := range doc["features"].([]any) {
			requireRFC7946Feature(t, f.(map[string]any))
		}
	case "Feature":
		requireRFC7946Feature(t, doc)
	default:
		t.Fatalf("not GeoJSON: type %v", doc["type"])
	}
}

func requireRFC7946Feature(t testing.TB, f map[string]any) {
	t.Helper()
	require.Equal(t, "Feature", f["type"])
	require.Contains(t, f, "properties")
	g := f["geometry"].(map[string]any)
	coords := g["coordinates"]
	switch g["type"] {
	case "Point":
		requirePosition(t, coords)
	case "Polygon":
		requirePolygon(t, coords.([]any))
	case "MultiPolygon":
		for _, p := range coords.([]any) {
			requirePolygon(t, p.([]any))
		}
	default:
		t.Fatalf("unexpected geometry %v", g["type"])
	}
}

func requirePolygon(t testing.TB, rings []any) {
	t.Helper()
	require.NotEmpty(t, rings)
	for i, r := range rings {
		ring := r.([]any)
		require.GreaterOrEqual(t, len(ring), 4, "a linear ring has four or more positions")
		var area float64
		for j, p := range ring {
			requirePosition(t, p)
			if j+1 < len(ring) {
				a, b := p.([]any), ring[j+1].([]any)
				area += a[0].(float64)*b[1].(float64) - b[0].(float64)*a[1].(float64)
			}
		}
		require.Equal(t, ring[0], ring[len(ring)-1], "closed ring")
		if i == 0 {
			require.Greater(t, area, 0.0, "outer ring counter-clockwise")
		} else {
			require.Less(t, area, 0.0, "holes clockwise")
		}
	}
}

func requirePosition(t testing.TB, p any) {
	t.Helper()
	xy := p.([]any)
	require.Len(t, xy, 2)
	lon, lat := xy[0].(float64), xy[1].(float64)
	require.True(t, lon >= -180 && lon <= 180 && lat >= -90 && lat <= 90, "lon, lat order and range: %v", xy)
	for _, v := range []float64{lon, lat} {
		require.InDelta(t, math.Round(v*1e7)/1e7, v, 1e-12, "7 decimals at most")
	}
}
