package geo_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/paulmach/orb"
	"github.com/stretchr/testify/require"

	"gridwatch/geo"
)

// viewshedBearing returns the initial great-circle bearing from a to b,
// degrees clockwise from north in [0, 360): the textbook formula, written
// independently of geo's tangent-plane test.
func viewshedBearing(a, b orb.Point) float64 {
	r := math.Pi / 180
	y := math.Sin((b[0]-a[0])*r) * math.Cos(b[1]*r)
	x := math.Cos(a[1]*r)*math.Sin(b[1]*r) - math.Sin(a[1]*r)*math.Cos(b[1]*r)*math.Cos((b[0]-a[0])*r)
	return math.Mod(math.Atan2(y, x)/r+360, 360)
}

func TestSector_ContainsByDistanceAndBearing(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(3, 4))
	for i := range 200 {
		c := orb.Point{106 + rng.Float64(), 37 + rng.Float64()}
		bearing, fov, rangeM := rng.Float64()*360, 5+rng.Float64()*355, 5+rng.Float64()*3000
		s := geo.NewSector(c, bearing, fov, rangeM)
		for range 50 {
			pt := geo.Destination(c, rng.Float64()*360, rng.Float64()*rangeM*1.5)
			d := geo.Distance(c, pt)
			diff := math.Abs(math.Mod(viewshedBearing(c, pt)-bearing+540, 360) - 180)
			// Points within a millimetre or a microdegree of the edge may go
			// either way in floating point.
			if math.Abs(d-rangeM) < 1e-3 || math.Abs(diff-fov/2) < 1e-6 {
				continue
			}
			want := d <= rangeM && diff <= fov/2
			require.Equal(t, want, s.Contains(pt), "sector %d: %v to %v, %.3f m, %.4f° off axis", i, c, pt, d, diff)
		}
	}
}

func TestSector_DiscForOmnidirectionalCameras(t *testing.T) {
	t.Parallel()
	c := orb.Point{106.07, 37.42}
	cases := []struct {
		typ  geo.CameraType
		fov  float64
		disc bool
	}{
		{geo.TypePTZ, 60, true},
		{geo.TypeDome, 90, true},
		{geo.TypeFixed, 360, true},
		{geo.TypeFixed, 90, false},
		{geo.TypeHighMast, 30, false},
	}
	for _, tc := range cases {
		t.Run(fmt.Sprintf("%s_%g", tc.typ, tc.fov), func(t *testing.T) {
			t.Parallel()
			s := geo.CameraSector(&geo.Camera{Type: tc.typ, Point: c, BearingDeg: 0, FOVDeg: tc.fov, RangeM: 100})
			require.Equal(t, tc.disc, s.Disc())
			behind := geo.Destination(c, 180, 50)
			require.Equal(t, tc.disc, s.Contains(behind), "a point behind the camera")
			require.True(t, s.Contains(geo.Destination(c, 0, 99.9)), "a point ahead")
			require.False(t, s.Contains(geo.Destination(c, 0, 100.1)), "a point beyond range")
		})
	}
}

func TestSector_AreaIsTheSphericalCapShare(t *testing.T) {
	t.Parallel()
	c := orb.Point{106.07, 37.42}
	cases := []struct{ fov, rangeM float64 }{{360, 100}, {90, 250}, {30, 1500}, {200, 40}}
	for _, tc := range cases {
		t.Run(fmt.Sprintf("%g_%g", tc.fov, tc.rangeM), func(t *testing.T) {
			t.Parallel()
			s := geo.NewSector(c, 45, tc.fov, tc.rangeM)
			// Independent: the cap of angular radius θ has area 2πR²(1 − cos θ)
			// (1 − cos θ loses digits to cancellation at these angles).
			theta := tc.rangeM / geo.EarthRadius
			want := tc.fov / 360 * 2 * math.Pi * geo.EarthRadius * geo.EarthRadius * (1 - math.Cos(theta))
			require.InDelta(t, want, s.AreaM2(), want*1e-4)
			flat := tc.fov / 360 * math.Pi * tc.rangeM * tc.rangeM // the plane's, a hair larger
			require.InDelta(t, flat, s.AreaM2(), flat*1e-7)
			// The polygon's chords cut ViewshedToleranceM at most off the arc.
			poly := s.Polygon()
			require.Greater(t, geo.RingArea(poly[0]), 0.0, "counter-clockwise")
			arc := tc.fov / 360 * 2 * math.Pi * tc.rangeM
			require.InDelta(t, s.AreaM2(), geo.PolygonArea(poly), arc*geo.ViewshedToleranceM+s.AreaM2()*1e-4)
		})
	}
}

func TestSector_BoundHoldsThePolygon(t *testing.T) {
	t.Parallel()
	for _, fov := range []float64{20, 180, 360} {
		s := geo.NewSector(orb.Point{106.07, 37.42}, 300, fov, 800)
		b := s.Bound()
		for _, p := range s.Polygon()[0] {
			require.True(t, b.Contains(p), "fov %g: %v outside %v", fov, p, b)
		}
	}
}
