package geo

import "github.com/paulmach/orb"

// Settlement is a built-up footprint inside one grid: where people live.
// Where a dataset has settlements, the settlements of a grid hold exactly the
// grid's population and households.
type Settlement struct {
	// ID is unique among settlements.
	ID string
	// Name is the settlement's name.
	Name string
	// Grid is the id of the grid that contains the settlement.
	Grid string
	// Polygon is the built-up footprint (WGS84).
	Polygon orb.Polygon
	// Population is the number of residents, people.
	Population int
	// Households is the number of households.
	Households int
}

// FeatureID implements Feature.
func (s *Settlement) FeatureID() string { return s.ID }

// FeatureGeometry implements Feature.
func (s *Settlement) FeatureGeometry() Geometry { return s.Polygon }
