package data

import (
	"bytes"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/stretchr/testify/require"

	"gridwatch/geo"
)

func TestDecodeGeoJSON_Roads(t *testing.T) {
	t.Parallel()
	line := `{"type":"LineString","coordinates":[[106,37.4],[106.01,37.4]]}`
	road := func(id, props string) string {
		return `{"type":"Feature","id":"` + id + `","geometry":` + line + `,"properties":{` + props + `}}`
	}
	text := `{"type":"FeatureCollection","features":[` +
		road("a", `"class":"county"`) + "," +
		road("b", `"class":"village","name":"东路","oneway":true,"speed_kmh":25,"bridge":true`) + `]}`
	items, err := DecodeGeoJSON(geo.LayerRoads, strings.NewReader(text))
	require.NoError(t, err)
	require.Equal(t, []geo.Feature{
		&geo.Road{ID: "a", Class: geo.RoadCounty, Line: orb.LineString{{106, 37.4}, {106.01, 37.4}}},
		&geo.Road{ID: "b", Name: "东路", Class: geo.RoadVillage, Oneway: true, SpeedKMH: 25, Bridge: true,
			Line: orb.LineString{{106, 37.4}, {106.01, 37.4}}},
	}, items)
	require.Equal(t, 40.0, items[0].(*geo.Road).Speed(), "an absent speed is the class's default")

	var buf bytes.Buffer
	require.NoError(t, EncodeGeoJSON(&buf, items))
	require.Contains(t, buf.String(), `"speed_kmh":40`, "output carries the speed used")

	cases := []struct {
		name, text string
		field      string
		want       string
	}{
		{"point geometry", `{"type":"FeatureCollection","features":[{"type":"Feature","id":"a","geometry":{"type":"Point","coordinates":[106,37.4]},"properties":{"class":"county"}}]}`, "geometry", "a LineString, got Point"},
		{"no class", `{"type":"FeatureCollection","features":[` + road("a", `"name":"x"`) + `]}`, "class", "required"},
		{"speed as text", `{"type":"FeatureCollection","features":[` + road("a", `"class":"county","speed_kmh":"fast"`) + `]}`, "speed_kmh", "a number"},
		{"unknown property", `{"type":"FeatureCollection","features":[` + road("a", `"class":"county","lanes":2`) + `]}`, "lanes", "no such property"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := DecodeGeoJSON(geo.LayerRoads, strings.NewReader(tc.text))
			ps := problemsOf(t, err)
			require.Equal(t, tc.field, ps[0].Field)
			require.Contains(t, ps[0].Expected, tc.want)
		})
	}
}

func TestDecodeGeoJSON_Waterways(t *testing.T) {
	t.Parallel()
	text := `{"type":"FeatureCollection","features":[{"type":"Feature","id":"w","geometry":{"type":"LineString","coordinates":[[106,37.3],[106,37.5]]},"properties":{"kind":"canal","name":"一干渠"}}]}`
	items, err := DecodeGeoJSON(geo.LayerWaterways, strings.NewReader(text))
	require.NoError(t, err)
	require.Equal(t, []geo.Feature{&geo.Waterway{ID: "w", Name: "一干渠", Kind: geo.WaterwayCanal, Line: orb.LineString{{106, 37.3}, {106, 37.5}}}}, items)
}
