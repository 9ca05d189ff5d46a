package data

import (
	"fmt"
	"math"
	"strings"

	"github.com/paulmach/orb"

	"gridwatch/geo"
)

// CRS names a coordinate system that input points may arrive in. Inside
// gridwatch every point is WGS84; conversions happen only at the edges, here.
type CRS string

// The input coordinate systems.
const (
	// WGS84 is GPS longitude/latitude (and CGCS2000, which is within
	// centimetres of it): no conversion.
	WGS84 CRS = "wgs84"
	// GCJ02 is the obfuscated system of Chinese consumer web maps (Gaode/
	// AMap, Tencent, Google Maps in China): WGS84 shifted by a few hundred
	// metres by a published non-linear formula.
	GCJ02 CRS = "gcj02"
	// BD09 is Baidu Maps' system: GCJ-02 rotated and shifted once more.
	BD09 CRS = "bd09"
)

// CRSs lists every input coordinate system.
var CRSs = []CRS{WGS84, GCJ02, BD09}

// ParseCRS reads an input coordinate system name (case-insensitive; empty
// means WGS84). A bad name is an Invalid *geo.Error naming field.
func ParseCRS(field, s string) (CRS, error) {
	switch c := CRS(strings.ToLower(strings.TrimSpace(s))); c {
	case "":
		return WGS84, nil
	case WGS84, GCJ02, BD09:
		return c, nil
	}
	var ps geo.Problems
	ps.Add("query", -1, "", field, fmt.Sprintf("wgs84, gcj02 or bd09, got %q", s))
	return "", ps.Err("unknown coordinate system")
}

// ToWGS84 converts a point given in c to WGS84.
func (c CRS) ToWGS84(p orb.Point) orb.Point {
	switch c {
	case GCJ02:
		return GCJ02ToWGS84(p)
	case BD09:
		return BD09ToWGS84(p)
	}
	return p
}

// FromWGS84 converts a WGS84 point to c.
func (c CRS) FromWGS84(p orb.Point) orb.Point {
	switch c {
	case GCJ02:
		return WGS84ToGCJ02(p)
	case BD09:
		return WGS84ToBD09(p)
	}
	return p
}

// The constants of the GCJ-02 formula as published (and used by every open
// implementation): the Krasovsky 1940 ellipsoid's semi-major axis and first
// eccentricity squared.
const (
	gcjA  = 6378245.0
	gcjEE = 0.00669342162296594323
)

// bdXPi is the constant of the BD-09 rotation.
const bdXPi = math.Pi * 3000.0 / 180.0

// inverseTol is the tolerance of the iterative inverses, in degrees (about
// 0.1 µm): they stop when a step moves the point by less.
const inverseTol = 1e-12

// inverseMaxSteps bounds the iterations of the inverses; each step gains
// about three decimal places, so a handful suffice.
const inverseMaxSteps = 30

// InChina reports whether p lies in the rectangle where Chinese maps apply
// the GCJ-02 shift (the rectangle every open implementation uses: longitude
// 72.004–137.8347, latitude 0.8293–55.8271). Outside it GCJ-02 and BD-09's
// GCJ-02 step are the identity.
func InChina(p orb.Point) bool {
	return p[0] >= 72.004 && p[0] <= 137.8347 && p[1] >= 0.8293 && p[1] <= 55.8271
}

// WGS84ToGCJ02 applies the GCJ-02 shift to a WGS84 point.
func WGS84ToGCJ02(p orb.Point) orb.Point {
	if !InChina(p) {
		return p
	}
	dLon, dLat := gcjDelta(p)
	return orb.Point{p[0] + dLon, p[1] + dLat}
}

// GCJ02ToWGS84 removes the GCJ-02 shift. The shift has no closed-form
// inverse; this solves WGS84ToGCJ02(w) = p by fixed-point iteration, which
// converges to within inverseTol degrees.
func GCJ02ToWGS84(p orb.Point) orb.Point {
	if !InChina(p) {
		return p
	}
	return invert(p, WGS84ToGCJ02)
}

// GCJ02ToBD09 converts a GCJ-02 point to BD-09.
func GCJ02ToBD09(p orb.Point) orb.Point {
	x, y := p[0], p[1]
	z := math.Sqrt(x*x+y*y) + 0.00002*math.Sin(y*bdXPi)
	theta := math.Atan2(y, x) + 0.000003*math.Cos(x*bdXPi)
	return orb.Point{z*math.Cos(theta) + 0.0065, z*math.Sin(theta) + 0.006}
}

// BD09ToGCJ02 converts a BD-09 point to GCJ-02: the usual closed-form
// approximate inverse, refined by iteration to within inverseTol degrees.
func BD09ToGCJ02(p orb.Point) orb.Point {
	x, y := p[0]-0.0065, p[1]-0.006
	z := math.Sqrt(x*x+y*y) - 0.00002*math.Sin(y*bdXPi)
	theta := math.Atan2(y, x) - 0.000003*math.Cos(x*bdXPi)
	start := orb.Point{z * math.Cos(theta), z * math.Sin(theta)}
	return refine(start, p, GCJ02ToBD09)
}

// WGS84ToBD09 converts a WGS84 point to BD-09 (through GCJ-02).
func WGS84ToBD09(p orb.Point) orb.Point { return GCJ02ToBD09(WGS84ToGCJ02(p)) }

// BD09ToWGS84 converts a BD-09 point to WGS84 (through GCJ-02).
func BD09ToWGS84(p orb.Point) orb.Point { return GCJ02ToWGS84(BD09ToGCJ02(p)) }

// invert solves forward(w) = target for w, starting from target.
func invert(target orb.Point, forward func(orb.Point) orb.Point) orb.Point {
	return refine(target, target, forward)
}

// refine improves w so that forward(w) = target: each step moves w by the
// residual, which converges because forward is the identity plus a shift
// whose derivative is far below 1.
func refine(w, target orb.Point, forward func(orb.Point) orb.Point) orb.Point {
	for range inverseMaxSteps {
		f := forward(w)
		dx, dy := f[0]-target[0], f[1]-target[1]
		w = orb.Point{w[0] - dx, w[1] - dy}
		if math.Abs(dx) < inverseTol && math.Abs(dy) < inverseTol {
			break
		}
	}
	return w
}

// gcjDelta returns the GCJ-02 shift at WGS84 point p, in degrees.
func gcjDelta(p orb.Point) (dLon, dLat float64) {
	x, y := p[0]-105.0, p[1]-35.0
	dLat = gcjLat(x, y)
	dLon = gcjLon(x, y)
	radLat := p[1] / 180.0 * math.Pi
	magic := math.Sin(radLat)
	magic = 1 - gcjEE*magic*magic
	sqrtMagic := math.Sqrt(magic)
	dLat = (dLat * 180.0) / ((gcjA * (1 - gcjEE)) / (magic * sqrtMagic) * math.Pi)
	dLon = (dLon * 180.0) / (gcjA / sqrtMagic * math.Cos(radLat) * math.Pi)
	return dLon, dLat
}

func gcjLat(x, y float64) float64 {
	r := -100.0 + 2.0*x + 3.0*y + 0.2*y*y + 0.1*x*y + 0.2*math.Sqrt(math.Abs(x))
	r += (20.0*math.Sin(6.0*x*math.Pi) + 20.0*math.Sin(2.0*x*math.Pi)) * 2.0 / 3.0
	r += (20.0*math.Sin(y*math.Pi) + 40.0*math.Sin(y/3.0*math.Pi)) * 2.0 / 3.0
	r += (160.0*math.Sin(y/12.0*math.Pi) + 320*math.Sin(y*math.Pi/30.0)) * 2.0 / 3.0
	return r
}

func gcjLon(x, y float64) float64 {
	r := 300.0 + x + 2.0*y + 0.1*x*x + 0.1*x*y + 0.1*math.Sqrt(math.Abs(x))
	r += (20.0*math.Sin(6.0*x*math.Pi) + 20.0*math.Sin(2.0*x*math.Pi)) * 2.0 / 3.0
	r += (20.0*math.Sin(x*math.Pi) + 40.0*math.Sin(x/3.0*math.Pi)) * 2.0 / 3.0
	r += (150.0*math.Sin(x/12.0*math.Pi) + 300.0*math.Sin(x/30.0*math.Pi)) * 2.0 / 3.0
	return r
}
