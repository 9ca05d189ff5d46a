package geo

import "github.com/paulmach/orb"

// Beat is a police beat (警务区) drawn by a police station. Beats need not
// line up with the governance grids; measuring the mismatch is an analysis.
type Beat struct {
	// ID is unique among beats.
	ID string
	// Name is the beat's name.
	Name string
	// Station is the id of the police station the beat belongs to.
	Station string
	// Polygon is the beat's outline (WGS84).
	Polygon orb.Polygon
}

// FeatureID implements Feature.
func (b *Beat) FeatureID() string { return b.ID }

// FeatureGeometry implements Feature.
func (b *Beat) FeatureGeometry() Geometry { return b.Polygon }
