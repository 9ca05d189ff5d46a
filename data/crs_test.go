package data_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/paulmach/orb"
	"github.com/stretchr/testify/require"

	"gridwatch/data"
	"gridwatch/geo"
)

// Reference pairs published with two widely used open implementations,
// written lon, lat:
//   - WGS84 → GCJ-02: the test vectors of eviltransform
//     (github.com/googollee/eviltransform, shared by its Python, PHP and Go
//     ports), and the README example of coordtransform
//     (github.com/wandergis/coordtransform) near Tiananmen;
//   - GCJ-02 → BD-09 and WGS84 → BD-09: coordtransform's README example
//     (also asserted by hutool's CoordinateUtilTest and geocraft).
//
// eviltransform's own BD-09 vectors are not used: its BD-09 step takes
// sin(y·π) where the formula Baidu's clients and coordtransform use takes
// sin(y·π·3000/180), which moves points by tens of metres.
var (
	gcjReference = []struct {
		name     string
		wgs, gcj orb.Point
	}{
		{"Shanghai", orb.Point{121.5272106, 31.1774276}, orb.Point{121.531541859215, 31.17530398364597}},
		{"Shenzhen", orb.Point{113.912316, 22.543847}, orb.Point{113.9171764808363, 22.540796131694766}},
		{"Beijing", orb.Point{116.377817, 39.911954}, orb.Point{116.38404722455657, 39.91334545536069}},
		{"Tiananmen", orb.Point{116.404, 39.915}, orb.Point{116.41024449916938, 39.91640428150164}},
	}
	bdReference = []struct {
		name         string
		wgs, gcj, bd orb.Point
	}{
		{"Tiananmen from GCJ-02", orb.Point{}, orb.Point{116.404, 39.915}, orb.Point{116.41036949371029, 39.92133699351021}},
		{"Tiananmen from WGS84", orb.Point{116.404, 39.915}, orb.Point{}, orb.Point{116.41662724378733, 39.922699552216216}},
	}
)

// refTolM is how close the conversions must come to the published values,
// in metres: 1 cm. (Some ports write the Krasovsky semi-major axis as
// 6,378,137 m instead of 6,378,245 m, which moves a 500 m shift by about
// 1 cm; the inverses are compared with the published forward values.)
const refTolM = 0.01

func TestCRS_ReferencePoints(t *testing.T) {
	t.Parallel()
	for _, tt := range gcjReference {
		t.Run("gcj02 "+tt.name, func(t *testing.T) {
			t.Parallel()
			require.Less(t, geo.Distance(data.WGS84ToGCJ02(tt.wgs), tt.gcj), refTolM)
			require.Less(t, geo.Distance(data.GCJ02ToWGS84(tt.gcj), tt.wgs), refTolM)
			require.Greater(t, geo.Distance(tt.wgs, tt.gcj), 100.0, "the shift is hundreds of metres")
		})
	}
	for _, tt := range bdReference {
		t.Run("bd09 "+tt.name, func(t *testing.T) {
			t.Parallel()
			if tt.gcj != (orb.Point{}) {
				require.Less(t, geo.Distance(data.GCJ02ToBD09(tt.gcj), tt.bd), refTolM)
				require.Less(t, geo.Distance(data.BD09ToGCJ02(tt.bd), tt.gcj), refTolM)
			}
			if tt.wgs != (orb.Point{}) {
				require.Less(t, geo.Distance(data.WGS84ToBD09(tt.wgs), tt.bd), refTolM)
				require.Less(t, geo.Distance(data.BD09ToWGS84(tt.bd), tt.wgs), refTolM)
			}
		})
	}
}

// TestCRS_RoundTrip measures the round-trip error over random points of
// China: WGS84 → X → WGS84 and X → WGS84 → X stay within a micrometre.
func TestCRS_RoundTrip(t *testing.T) {
	t.Parallel()
	for _, c := range []data.CRS{data.GCJ02, data.BD09} {
		t.Run(string(c), func(t *testing.T) {
			t.Parallel()
			rng := rand.New(rand.NewPCG(5, 5))
			var worst float64
			for range 10000 {
				p := orb.Point{75 + 60*rng.Float64(), 18 + 35*rng.Float64()}
				worst = math.Max(worst, geo.Distance(c.ToWGS84(c.FromWGS84(p)), p))
				worst = math.Max(worst, geo.Distance(c.FromWGS84(c.ToWGS84(p)), p))
			}
			t.Logf("%s round trip: worst error %.2g m over 20,000 conversions", c, worst)
			require.Less(t, worst, 1e-6)
		})
	}
}

func TestCRS_OutsideChinaIsIdentity(t *testing.T) {
	t.Parallel()
	for _, p := range []orb.Point{{2.35, 48.85}, {-74, 40.7}, {139.7, 35.7}} {
		require.Equal(t, p, data.GCJ02.ToWGS84(p))
		require.Equal(t, p, data.GCJ02.FromWGS84(p))
		require.Equal(t, p, data.WGS84.ToWGS84(p))
	}
	// Hongsibao is inside: its GCJ-02 shift is a few hundred metres.
	hsb := orb.Point{106.07, 37.42}
	d := geo.Distance(data.WGS84ToGCJ02(hsb), hsb)
	require.True(t, d > 200 && d < 800, "shift %.0f m", d)
}

func TestParseCRS(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in string
		want     data.CRS
		bad      bool
	}{
		{"empty is WGS84", "", data.WGS84, false},
		{"wgs84", "wgs84", data.WGS84, false},
		{"upper case", "GCJ02", data.GCJ02, false},
		{"bd09", "bd09", data.BD09, false},
		{"unknown", "epsg:4490", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := data.ParseCRS("input_crs", tt.in)
			if tt.bad {
				require.Error(t, err)
				require.Equal(t, geo.Invalid, geo.ErrorCode(err))
				require.Contains(t, err.(*geo.Error).Problems[0].Field, "input_crs")
				return
			}
			require.NoError(t, err)
			require.Equal(t, tt.want, got)
		})
	}
}
