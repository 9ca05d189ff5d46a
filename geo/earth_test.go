package geo_test

import (
	"fmt"
	"math"
	"testing"

	"github.com/paulmach/orb"
	"github.com/stretchr/testify/require"
	"github.com/uber/h3-go/v4"

	"gridwatch/geo"
)

// vectorDistance is the great-circle distance by the angle between the two
// positions' unit vectors, atan2(|a×b|, a·b): independent of haversine.
func vectorDistance(a, b orb.Point) float64 {
	unit := func(p orb.Point) [3]float64 {
		lon, lat := p[0]*math.Pi/180, p[1]*math.Pi/180
		return [3]float64{math.Cos(lat) * math.Cos(lon), math.Cos(lat) * math.Sin(lon), math.Sin(lat)}
	}
	u, v := unit(a), unit(b)
	cx := u[1]*v[2] - u[2]*v[1]
	cy := u[2]*v[0] - u[0]*v[2]
	cz := u[0]*v[1] - u[1]*v[0]
	dot := u[0]*v[0] + u[1]*v[1] + u[2]*v[2]
	return geo.EarthRadius * math.Atan2(math.Sqrt(cx*cx+cy*cy+cz*cz), dot)
}

func TestDistance(t *testing.T) {
	t.Parallel()
	oneDegree := geo.EarthRadius * math.Pi / 180
	beijing, shanghai := orb.Point{116.4074, 39.9042}, orb.Point{121.4737, 31.2304}
	tests := []struct {
		name string
		a, b orb.Point
		want float64
		tol  float64 // metres
	}{
		{"same point", orb.Point{lon0, lat0}, orb.Point{lon0, lat0}, 0, 0},
		{"one degree of latitude", orb.Point{lon0, 37}, orb.Point{lon0, 38}, oneDegree, 1e-6},
		{"one degree of longitude on the equator", orb.Point{10, 0}, orb.Point{11, 0}, oneDegree, 1e-6},
		{"one degree of longitude at 60N is half", orb.Point{10, 60}, orb.Point{11, 60},
			vectorDistance(orb.Point{10, 60}, orb.Point{11, 60}), 1e-6},
		{"pole to pole", orb.Point{0, -90}, orb.Point{0, 90}, math.Pi * geo.EarthRadius, 1e-6},
		{"antipodes on the equator", orb.Point{0, 0}, orb.Point{180, 0}, math.Pi * geo.EarthRadius, 1e-6},
		{"across the antimeridian", orb.Point{179.5, 0}, orb.Point{-179.5, 0}, oneDegree, 1e-6},
		{"Beijing to Shanghai, vector formula", beijing, shanghai, vectorDistance(beijing, shanghai), 1e-6},
		{"Beijing to Shanghai, published 1067 km", beijing, shanghai, 1_067_000, 2_000},
		{"1 m east at the fixture", orb.Point{lon0, lat0}, orb.Point{lon0 + 1/(oneDegree*math.Cos(lat0*math.Pi/180)), lat0}, 1, 1e-6},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			require.InDelta(t, tt.want, geo.Distance(tt.a, tt.b), tt.tol)
			require.InDelta(t, tt.want, geo.Distance(tt.b, tt.a), tt.tol, "not symmetric")
		})
	}
}

func TestDestination_RoundTrip(t *testing.T) {
	t.Parallel()
	starts := map[string]orb.Point{
		"fixture": {lon0, lat0}, "equator": {0, 0}, "south": {-70, -55}, "near antimeridian": {179.99, 10},
	}
	for name, p := range starts {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			for bearing := 0.0; bearing < 360; bearing += 22.5 {
				for _, dist := range []float64{0, 1, 250, 5000, 100_000} {
					q := geo.Destination(p, bearing, dist)
					require.Empty(t, geo.CheckPoint(q), "bearing %g dist %g", bearing, dist)
					require.InDelta(t, dist, geo.Distance(p, q), 1e-6+dist*1e-9, "bearing %g", bearing)
				}
			}
		})
	}
}

func TestDestination_Directions(t *testing.T) {
	t.Parallel()
	oneDegree := geo.EarthRadius * math.Pi / 180
	tests := []struct {
		name    string
		from    orb.Point
		bearing float64
		dist    float64
		want    orb.Point
	}{
		{"north one degree", orb.Point{lon0, 37}, 0, oneDegree, orb.Point{lon0, 38}},
		{"south one degree", orb.Point{lon0, 37}, 180, oneDegree, orb.Point{lon0, 36}},
		{"east on the equator", orb.Point{10, 0}, 90, oneDegree, orb.Point{11, 0}},
		{"west on the equator", orb.Point{10, 0}, 270, oneDegree, orb.Point{9, 0}},
		{"east across the antimeridian", orb.Point{179.5, 0}, 90, oneDegree, orb.Point{-179.5, 0}},
		{"west across the antimeridian", orb.Point{-179.5, 0}, 270, oneDegree, orb.Point{179.5, 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := geo.Destination(tt.from, tt.bearing, tt.dist)
			require.InDelta(t, tt.want[0], got[0], 1e-9)
			require.InDelta(t, tt.want[1], got[1], 1e-9)
		})
	}
}

func TestRingArea(t *testing.T) {
	t.Parallel()
	ccw := block(0, 0, 1, 1)[0]
	cw := ccw.Clone()
	cw.Reverse()
	a, b := cellAt(0, 0), cellAt(1, 1)
	small := sphereRectArea(a[0], a[1], b[0], b[1])
	tests := []struct {
		name string
		ring orb.Ring
		want float64
	}{
		{"counter-clockwise is positive", ccw, small},
		{"clockwise is negative", cw, -small},
		{"open ring", ccw[:4], small},
		{"one degree square", rect(106, 37, 107, 38)[0], sphereRectArea(106, 37, 107, 38)},
		{"ten degrees south of the equator", rect(-10, -20, 0, -10)[0], sphereRectArea(-10, -20, 0, -10)},
		{"band across the equator", rect(0, -5, 20, 5)[0], sphereRectArea(0, -5, 20, 5)},
		{"two points", orb.Ring{{0, 0}, {1, 1}}, 0},
		{"closed two points", orb.Ring{{0, 0}, {1, 1}, {0, 0}}, 0},
		{"empty", nil, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := geo.RingArea(tt.ring)
			require.InDelta(t, tt.want, got, math.Abs(tt.want)*1e-9)
			if tt.want != 0 {
				require.Equal(t, tt.want > 0, got > 0, "sign")
			}
		})
	}
}

func TestRingArea_H3Cells(t *testing.T) {
	t.Parallel()
	for _, res := range []int{6, 8, 10} {
		t.Run(fmt.Sprintf("res %d", res), func(t *testing.T) {
			t.Parallel()
			c := h3.LatLngToCell(h3.NewLatLng(lat0, lon0), res)
			ring := cellRing(c)
			require.Greater(t, geo.RingArea(ring), 0.0, "h3 boundaries are counter-clockwise")
			require.InEpsilon(t, h3.CellAreaM2(c), geo.RingArea(ring), 1e-3)
		})
	}
}

func TestPolygonArea(t *testing.T) {
	t.Parallel()
	outer := block(0, 0, 3, 3)
	hole := block(1, 1, 2, 2)[0]
	reversed := hole.Clone()
	reversed.Reverse()
	a, b, c, d := cellAt(0, 0), cellAt(3, 3), cellAt(1, 1), cellAt(2, 2)
	full := sphereRectArea(a[0], a[1], b[0], b[1])
	holeArea := sphereRectArea(c[0], c[1], d[0], d[1])
	tests := []struct {
		name string
		p    orb.Polygon
		want float64
	}{
		{"no hole", outer, full},
		{"clockwise hole", orb.Polygon{outer[0], reversed}, full - holeArea},
		{"hole wound like its outer ring", orb.Polygon{outer[0], hole}, full - holeArea},
		{"clockwise outer ring", orb.Polygon{reversedRing(outer[0]), reversed}, full - holeArea},
		{"empty", nil, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			require.InEpsilon(t, tt.want+1, geo.PolygonArea(tt.p)+1, 1e-9)
		})
	}
	t.Run("multipolygon sums its parts", func(t *testing.T) {
		t.Parallel()
		mp := orb.MultiPolygon{{outer[0], hole}, block(5, 5, 6, 6)}
		want := full - holeArea + geo.PolygonArea(block(5, 5, 6, 6))
		require.InEpsilon(t, want, geo.MultiPolygonArea(mp), 1e-12)
	})
}

func TestMetresPerDegree(t *testing.T) {
	t.Parallel()
	oneDegree := geo.EarthRadius * math.Pi / 180
	for _, lat := range []float64{0, lat0, 60, -60} {
		t.Run(fmt.Sprintf("lat %g", lat), func(t *testing.T) {
			t.Parallel()
			lon, latM := geo.MetresPerDegree(lat)
			require.InDelta(t, oneDegree, latM, 1e-9)
			require.InDelta(t, oneDegree*math.Cos(lat*math.Pi/180), lon, 1e-9)
			require.InEpsilon(t, geo.Distance(orb.Point{0, lat}, orb.Point{1e-4, lat}), lon*1e-4, 1e-6)
		})
	}
}

func reversedRing(r orb.Ring) orb.Ring {
	c := r.Clone()
	c.Reverse()
	return c
}

// cellRing returns an H3 cell's boundary as a closed orb ring.
func cellRing(c h3.Cell) orb.Ring {
	var r orb.Ring
	for _, ll := range c.Boundary() {
		r = append(r, orb.Point{ll.Lng, ll.Lat})
	}
	return append(r, r[0])
}
