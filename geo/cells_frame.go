package geo

import (
	"math"

	"github.com/paulmach/orb"
)

// tangentFrame is the plane tangent to the sphere at a point, with x east
// and y north, in metres: a point p (a unit vector) maps to R·(p·E, p·N).
// The map is exact both ways on the near hemisphere, and from the frame's
// point the great-circle distance to p is R·asin(|(x, y)|/R) and the initial
// bearing is atan2(x, y), both exactly.
type tangentFrame struct {
	origin  orb.Point
	c, e, n [3]float64
}

func newTangentFrame(pt orb.Point) tangentFrame {
	lat, lon := pt[1]*deg, pt[0]*deg
	sl, cl := math.Sincos(lat)
	so, co := math.Sincos(lon)
	return tangentFrame{
		origin: pt,
		c:      [3]float64{cl * co, cl * so, sl},
		e:      [3]float64{-so, co, 0},
		n:      [3]float64{-sl * co, -sl * so, cl},
	}
}

// unitVector returns the unit vector of a lon/lat point.
func unitVector(pt orb.Point) [3]float64 {
	sl, cl := math.Sincos(pt[1] * deg)
	so, co := math.Sincos(pt[0] * deg)
	return [3]float64{cl * co, cl * so, sl}
}

// project returns the tangent-plane coordinates of pt, metres.
func (f tangentFrame) project(pt orb.Point) (x, y float64) {
	p := unitVector(pt)
	// Subtracting the frame's own vector first keeps the digits of nearby
	// points: the components of p − c are small and exact to 1e-16.
	d := [3]float64{p[0] - f.c[0], p[1] - f.c[1], p[2] - f.c[2]}
	x = EarthRadius * (d[0]*f.e[0] + d[1]*f.e[1] + d[2]*f.e[2])
	y = EarthRadius * (d[0]*f.n[0] + d[1]*f.n[1] + d[2]*f.n[2])
	return x, y
}

// unproject returns the point of the near hemisphere at tangent-plane
// coordinates (x, y), metres.
func (f tangentFrame) unproject(x, y float64) orb.Point {
	u, v := x/EarthRadius, y/EarthRadius
	w := math.Sqrt(math.Max(0, 1-u*u-v*v))
	p := [3]float64{
		w*f.c[0] + u*f.e[0] + v*f.n[0],
		w*f.c[1] + u*f.e[1] + v*f.n[1],
		w*f.c[2] + u*f.e[2] + v*f.n[2],
	}
	return orb.Point{math.Atan2(p[1], p[0]) / deg, math.Asin(math.Max(-1, math.Min(1, p[2]))) / deg}
}
