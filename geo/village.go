package geo

import "github.com/paulmach/orb"

// VillageKind is the kind of a village-level unit (村级).
type VillageKind string

// Village kinds.
const (
	KindVillage   VillageKind = "village"   // 行政村, rural
	KindCommunity VillageKind = "community" // 社区, urban
)

// Valid reports whether k is a known village kind.
func (k VillageKind) Valid() bool { return k == KindVillage || k == KindCommunity }

// Village is a village-level unit (行政村 or 社区): the lowest of the three
// governance levels, made of grids.
type Village struct {
	// ID is unique among villages.
	ID string
	// Name is the unit's name.
	Name string
	// Kind is village or community.
	Kind VillageKind
	// Township is the id of the township the village belongs to.
	Township string
	// Polygon is the village's outline, the union of its grids (WGS84).
	Polygon orb.MultiPolygon
}

// FeatureID implements Feature.
func (v *Village) FeatureID() string { return v.ID }

// FeatureGeometry implements Feature.
func (v *Village) FeatureGeometry() Geometry { return v.Polygon }
