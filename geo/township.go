package geo

import "github.com/paulmach/orb"

// TownshipKind is the kind of a township-level unit (乡镇级).
type TownshipKind string

// Township kinds.
const (
	KindSubdistrict TownshipKind = "subdistrict" // 街道, urban
	KindTown        TownshipKind = "town"        // 镇
	KindTownship    TownshipKind = "township"    // 乡
)

// Valid reports whether k is a known township kind.
func (k TownshipKind) Valid() bool {
	return k == KindSubdistrict || k == KindTown || k == KindTownship
}

// Township is a township-level unit (乡镇, 街道): the middle of the three
// governance levels.
type Township struct {
	// ID is unique among townships.
	ID string
	// Name is the unit's name, e.g. "红寺堡镇".
	Name string
	// Kind is subdistrict, town or township.
	Kind TownshipKind
	// Polygon is the unit's outline, the union of its villages' grids (WGS84).
	Polygon orb.MultiPolygon
}

// FeatureID implements Feature.
func (t *Township) FeatureID() string { return t.ID }

// FeatureGeometry implements Feature.
func (t *Township) FeatureGeometry() Geometry { return t.Polygon }
