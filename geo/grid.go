package geo

import "github.com/paulmach/orb"

// Grid is a basic governance grid (网格): the unit that has a grid worker and,
// under "one police officer per grid", a community police officer. The grids
// of a district tile it without gaps or overlaps.
type Grid struct {
	// ID is unique among grids.
	ID string
	// Name is the grid's name.
	Name string
	// Village is the id of the village the grid belongs to.
	Village string
	// Township is the id of the township the grid belongs to; it must be the
	// village's township.
	Township string
	// Polygon is the grid's outline (WGS84).
	Polygon orb.Polygon
	// Population is the number of residents, people.
	Population int
	// Households is the number of households.
	Households int
}

// FeatureID implements Feature.
func (g *Grid) FeatureID() string { return g.ID }

// FeatureGeometry implements Feature.
func (g *Grid) FeatureGeometry() Geometry { return g.Polygon }
