package geo

import (
	"math"

	"github.com/paulmach/orb"
)

// EarthRadius is the one Earth radius of the project: the IUGG mean radius,
// in metres. Every distance and area in gridwatch uses it.
const EarthRadius = 6371008.8

const deg = math.Pi / 180

// Distance returns the haversine (great-circle) distance between a and b, in
// metres, on a sphere of radius EarthRadius.
func Distance(a, b orb.Point) float64 {
	lat1, lat2 := a[1]*deg, b[1]*deg
	dlat := lat2 - lat1
	dlon := (b[0] - a[0]) * deg
	h := math.Sin(dlat/2)*math.Sin(dlat/2) + math.Cos(lat1)*math.Cos(lat2)*math.Sin(dlon/2)*math.Sin(dlon/2)
	if h > 1 {
		h = 1
	}
	return 2 * EarthRadius * math.Asin(math.Sqrt(h))
}

// Destination returns the point reached from p after travelling dist metres
// on the initial bearing bearingDeg (degrees clockwise from north) along a
// great circle.
func Destination(p orb.Point, bearingDeg, dist float64) orb.Point {
	lat1, lon1 := p[1]*deg, p[0]*deg
	b := bearingDeg * deg
	d := dist / EarthRadius
	lat2 := math.Asin(math.Sin(lat1)*math.Cos(d) + math.Cos(lat1)*math.Sin(d)*math.Cos(b))
	lon2 := lon1 + math.Atan2(math.Sin(b)*math.Sin(d)*math.Cos(lat1), math.Cos(d)-math.Sin(lat1)*math.Sin(lat2))
	lon := math.Mod(lon2/deg+540, 360) - 180
	return orb.Point{lon, lat2 / deg}
}

// RingArea returns the signed area of a ring on the sphere, in square metres:
// positive for counter-clockwise rings (seen from above, lon east, lat north),
// negative for clockwise ones. The ring may be closed or not.
func RingArea(r orb.Ring) float64 {
	n := len(r)
	if n < 3 {
		return 0
	}
	if r[0] == r[n-1] {
		n--
	}
	if n < 3 {
		return 0
	}
	// Chamberlain and Duquette, "Some algorithms for polygons on a sphere"
	// (JPL 2007): each edge adds the area between it and the south pole,
	// R²/2·Δλ·(2 + sin φ1 + sin φ2), which is exact for edges along parallels
	// and meridians. Walking east along the bottom of a counter-clockwise ring
	// adds less than walking west along its top takes away, so the sum is
	// negative for counter-clockwise rings; the sign is flipped to match the
	// right-hand rule.
	var sum float64
	for i := 0; i < n; i++ {
		p1 := r[i]
		p2 := r[(i+1)%n]
		sum += (p2[0] - p1[0]) * deg * (2 + math.Sin(p1[1]*deg) + math.Sin(p2[1]*deg))
	}
	return -sum * EarthRadius * EarthRadius / 2
}

// PolygonArea returns the area of a polygon on the sphere, in square metres:
// the outer ring's area less its holes', whatever the rings' orientation.
func PolygonArea(p orb.Polygon) float64 {
	if len(p) == 0 {
		return 0
	}
	a := math.Abs(RingArea(p[0]))
	for _, h := range p[1:] {
		a -= math.Abs(RingArea(h))
	}
	return a
}

// MultiPolygonArea returns the summed area of the polygons, in square metres.
func MultiPolygonArea(mp orb.MultiPolygon) float64 {
	var a float64
	for _, p := range mp {
		a += PolygonArea(p)
	}
	return a
}

// MetresPerDegree returns the length in metres of one degree of longitude and
// of latitude at latitude lat, on the sphere.
func MetresPerDegree(lat float64) (lon, latM float64) {
	latM = EarthRadius * deg
	return latM * math.Cos(lat*deg), latM
}
