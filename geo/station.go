package geo

import "github.com/paulmach/orb"

// Station is a police station (派出所).
type Station struct {
	// ID is unique among stations.
	ID string
	// Name is the station's name.
	Name string
	// Point is the station's position (WGS84 lon/lat).
	Point orb.Point
}

// FeatureID implements Feature.
func (s *Station) FeatureID() string { return s.ID }

// FeatureGeometry implements Feature.
func (s *Station) FeatureGeometry() Geometry { return s.Point }
