package geo

import (
	"math"

	"github.com/paulmach/orb"
)

// DefaultPlausibleMarginM is how far outside the bounding box of a
// district's grids a point may lie and still be a plausible position of
// something the district tracks: 50 km, a responder sent to a
// neighbouring county.
const DefaultPlausibleMarginM = 50_000

// PlausibleBound returns the bounding box of the atlas's grids grown by
// marginM metres on every side, and false when the atlas has no grids
// (then nothing is known of where the district lies).
func (a *Atlas) PlausibleBound(marginM float64) (orb.Bound, bool) {
	if a == nil || a.Grids == nil || a.Grids.Len() == 0 {
		return orb.Bound{}, false
	}
	b := a.Grids.Bound()
	lat := math.Max(math.Abs(b.Min[1]), math.Abs(b.Max[1]))
	mLon, mLat := MetresPerDegree(lat)
	dLon, dLat := 180.0, marginM/mLat
	if mLon > 0 {
		dLon = math.Min(marginM/mLon, 180)
	}
	return orb.Bound{
		Min: orb.Point{math.Max(b.Min[0]-dLon, -180), math.Max(b.Min[1]-dLat, -90)},
		Max: orb.Point{math.Min(b.Max[0]+dLon, 180), math.Min(b.Max[1]+dLat, 90)},
	}, true
}
