package geo

import "github.com/paulmach/orb"

// WaterwayKind is what a waterway is.
type WaterwayKind string

// Waterway kinds.
const (
	WaterwayCanal WaterwayKind = "canal" // irrigation canal (干渠, 支渠)
	WaterwayRiver WaterwayKind = "river" // river or stream
)

// WaterwayKinds lists every waterway kind.
var WaterwayKinds = []WaterwayKind{WaterwayCanal, WaterwayRiver}

// Valid reports whether k is a known waterway kind.
func (k WaterwayKind) Valid() bool { return k == WaterwayCanal || k == WaterwayRiver }

// Waterway is a canal or river: a barrier that roads cross only at bridges
// and that nobody crosses off the road.
type Waterway struct {
	// ID is unique among waterways.
	ID string
	// Name is the waterway's name; may be empty.
	Name string
	// Kind is canal or river.
	Kind WaterwayKind
	// Line is the waterway's centre line (WGS84), at least two positions.
	Line orb.LineString
}

// FeatureID implements Feature.
func (w *Waterway) FeatureID() string { return w.ID }

// FeatureGeometry implements Feature.
func (w *Waterway) FeatureGeometry() Geometry { return w.Line }
