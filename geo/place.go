package geo

import "github.com/paulmach/orb"

// PlaceKinds lists the known kinds of key place. A camera-coverage analysis
// counts key places in view.
var PlaceKinds = []string{
	"school", "kindergarten", "clinic", "hospital", "market", "village_entrance",
	"mosque", "government", "bank", "bus_station", "square", "petrol_station",
}

// ValidPlaceKind reports whether k is one of PlaceKinds.
func ValidPlaceKind(k string) bool {
	for _, p := range PlaceKinds {
		if p == k {
			return true
		}
	}
	return false
}

// Place is a key place: a school, clinic, market, village entrance, ...
type Place struct {
	// ID is unique among places.
	ID string
	// Name is the place's name.
	Name string
	// Kind is one of PlaceKinds.
	Kind string
	// Point is the place's position (WGS84 lon/lat).
	Point orb.Point
	// Grid is the id of the grid containing Point; derived, empty outside
	// every grid.
	Grid string
}

// FeatureID implements Feature.
func (p *Place) FeatureID() string { return p.ID }

// FeatureGeometry implements Feature.
func (p *Place) FeatureGeometry() Geometry { return p.Point }
