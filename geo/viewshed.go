package geo

import (
	"math"

	"github.com/paulmach/orb"
)

// ViewshedToleranceM is the largest distance, in metres, between the arc of
// a viewshed and the chords of its polygon (Sector.Polygon).
const ViewshedToleranceM = 0.1

// Sector is a camera's viewshed: the points within RangeM metres
// (great-circle distance) of Center whose initial bearing from Center lies
// within FOVDeg/2 of BearingDeg, or every point within range when the sector
// is a disc. Points on the boundary are inside. Build it with NewSector or
// CameraSector; the zero Sector contains nothing.
type Sector struct {
	// Center is the camera's position (lon/lat).
	Center orb.Point
	// BearingDeg is the direction of the sector's axis, degrees clockwise
	// from north.
	BearingDeg float64
	// FOVDeg is the sector's opening angle, degrees; 360 for a disc.
	FOVDeg float64
	// RangeM is the sector's radius, metres.
	RangeM float64

	frame   tangentFrame
	planeR  float64 // R·sin(RangeM/R): the range in the tangent plane
	bearing float64 // radians
	half    float64 // half the opening angle, radians
	bound   orb.Bound
	ok      bool
}

// NewSector returns the sector of the given centre, axis bearing (degrees
// clockwise from north), opening angle (degrees; 360 or more is a disc) and
// range (metres, at most a quarter of the Earth's circumference).
func NewSector(center orb.Point, bearingDeg, fovDeg, rangeM float64) Sector {
	fov := math.Min(math.Max(fovDeg, 0), 360)
	s := Sector{Center: center, BearingDeg: bearingDeg, FOVDeg: fov, RangeM: math.Max(rangeM, 0),
		frame: newTangentFrame(center), bearing: bearingDeg * deg, half: fov / 2 * deg, ok: true}
	s.planeR = EarthRadius * math.Sin(s.RangeM/EarthRadius)
	s.bound = discBound(center, s.RangeM)
	return s
}

// discBound returns a bounding box of the points within rangeM metres of
// center.
func discBound(center orb.Point, rangeM float64) orb.Bound {
	rangeM = math.Max(rangeM, 0)
	dLat := rangeM / EarthRadius / deg
	dLon := 180.0
	if c := math.Cos(center[1] * deg); c > 0 {
		dLon = math.Asin(math.Min(1, math.Sin(rangeM/EarthRadius)/c)) / deg
	}
	return orb.Bound{Min: orb.Point{center[0] - dLon, center[1] - dLat}, Max: orb.Point{center[0] + dLon, center[1] + dLat}}
}

// ViewshedBound returns the bound of a camera's viewshed, as
// CameraSector(c).Bound() does, without building the sector.
func ViewshedBound(c *Camera) orb.Bound { return discBound(c.Point, c.RangeM) }

// CameraSector returns the viewshed of a camera: a disc for PTZ and dome
// cameras and wherever the field of view is 360°, else a sector.
func CameraSector(c *Camera) Sector {
	fov := c.FOVDeg
	if c.Type.Omnidirectional() {
		fov = 360
	}
	return NewSector(c.Point, c.BearingDeg, fov, c.RangeM)
}

// Viewshed returns the viewshed of a camera as a polygon (see
// Sector.Polygon).
func Viewshed(c *Camera) orb.Polygon { return CameraSector(c).Polygon() }

// Disc reports whether the sector is a whole disc.
func (s Sector) Disc() bool { return s.FOVDeg >= 360 }

// Bound returns a bounding box of the sector: the box of its disc.
func (s Sector) Bound() orb.Bound { return s.bound }

// AreaM2 returns the exact area of the sector on the sphere, square metres:
// FOV/360 of the spherical cap of angular radius RangeM/R, whose area is
// 4πR²·sin²(RangeM/2R).
func (s Sector) AreaM2() float64 {
	h := math.Sin(s.RangeM / (2 * EarthRadius))
	return s.FOVDeg / 360 * 4 * math.Pi * EarthRadius * EarthRadius * h * h
}

// Contains reports whether pt lies in the sector (boundary included).
func (s Sector) Contains(pt orb.Point) bool {
	if !s.ok || !s.bound.Contains(pt) {
		return false
	}
	x, y := s.frame.project(pt)
	return s.containsPlane(x, y)
}

// containsPlane is Contains for a point given in the sector's tangent plane.
func (s Sector) containsPlane(x, y float64) bool {
	r2 := x*x + y*y
	if r2 > s.planeR*s.planeR {
		return false
	}
	if s.Disc() || r2 == 0 {
		return true
	}
	return math.Abs(angleDiff(math.Atan2(x, y), s.bearing)) <= s.half
}

// angleDiff returns a − b wrapped into [−π, π].
func angleDiff(a, b float64) float64 {
	d := math.Mod(a-b, 2*math.Pi)
	if d > math.Pi {
		d -= 2 * math.Pi
	} else if d < -math.Pi {
		d += 2 * math.Pi
	}
	return d
}

// Polygon returns the sector as a closed counter-clockwise polygon: the
// centre (unless it is a disc) and points on the arc, reached along great
// circles with Destination, close enough that no chord is more than
// ViewshedToleranceM from the arc.
func (s Sector) Polygon() orb.Polygon {
	step := 2 * math.Pi / 360
	if s.RangeM > ViewshedToleranceM {
		step = math.Max(step, 2*math.Acos(1-ViewshedToleranceM/s.RangeM))
	}
	span := s.FOVDeg * deg
	n := max(int(math.Ceil(span/step)), 1)
	var ring orb.Ring
	if s.Disc() {
		n = max(n, 8)
		for i := 0; i < n; i++ {
			ring = append(ring, Destination(s.Center, 360-float64(i)*360/float64(n), s.RangeM))
		}
	} else {
		ring = append(ring, s.Center)
		for i := 0; i <= n; i++ {
			ring = append(ring, Destination(s.Center, s.BearingDeg+s.FOVDeg/2-float64(i)*s.FOVDeg/float64(n), s.RangeM))
		}
	}
	return orb.Polygon{append(ring, ring[0])}
}
