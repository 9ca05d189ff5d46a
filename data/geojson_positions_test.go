package data

import (
	"testing"

	"github.com/stretchr/testify/require"

	"gridwatch/geo"
)

func TestShortPosition(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, raw string
		depth     int
		path      string
		short     bool
	}{
		{"point", `[106.07, 37.4]`, 1, "", false},
		{"point with altitude", `[106.07, 37.4, 1200]`, 1, "", false},
		{"empty point", `[]`, 1, "", true},
		{"one number", `[106.07]`, 1, "", true},
		{"negative one number", ` [ -1.5 ] `, 1, "", true},
		{"line", `[[1,2],[3,4]]`, 2, "", false},
		{"short second position", `[[1,2],[3]]`, 2, "[1]", true},
		{"polygon", `[[[0,0],[1,0],[1,1],[0,0]]]`, 3, "", false},
		{"polygon short", `[[[0,0],[1,0],[1,1],[0,0]],[[0,0],[],[1,1]]]`, 3, "[1][1]", true},
		{"multipolygon", `[[[[0,0],[1,0],[1,1],[0,0]]],[[[5,5],[6]]]]`, 4, "[1][0][1]", true},
		{"empty polygon is the decoder's", `[]`, 3, "", false},
		{"exponent", `[1e2, -3E-1]`, 1, "", false},
		{"strings are the decoder's", `["a"]`, 1, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			path, short := shortPosition([]byte(tt.raw), tt.depth)
			require.Equal(t, tt.short, short)
			require.Equal(t, tt.path, path)
		})
	}
}

// TestDecodeFeature_RefusesShortPositions: a short position was read as
// zeros ([] as [0, 0], [106.07] as [106.07, 0]).
func TestDecodeFeature_RefusesShortPositions(t *testing.T) {
	t.Parallel()
	for _, coords := range []string{`[]`, `[106.07]`} {
		raw := `{"type":"Feature","id":"p9","geometry":{"type":"Point","coordinates":` + coords + `},"properties":{"name":"x","kind":"school"}}`
		item, ps := DecodeFeature(geo.LayerPlaces, 0, []byte(raw))
		require.Nil(t, item, coords)
		require.Len(t, ps, 1, coords)
		require.Equal(t, "geometry.coordinates", ps[0].Field)
		require.Equal(t, "p9", ps[0].ID)
	}
	raw := `{"type":"Feature","id":"p9","geometry":{"type":"Point","coordinates":[106.07,37.4]},"properties":{"name":"x","kind":"school"}}`
	item, ps := DecodeFeature(geo.LayerPlaces, 0, []byte(raw))
	require.Empty(t, ps)
	require.Equal(t, "p9", item.FeatureID())
}
