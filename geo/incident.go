package geo

import (
	"time"

	"github.com/paulmach/orb"
)

// IncidentSource is the channel an incident came in by.
type IncidentSource string

// Incident sources.
const (
	Source110        IncidentSource = "110"         // the 110 police line
	Source12345      IncidentSource = "12345"       // the 12345 citizen hotline
	SourceGridPatrol IncidentSource = "grid_patrol" // found by a grid worker on patrol
)

// IncidentSources lists every incident source.
var IncidentSources = []IncidentSource{Source110, Source12345, SourceGridPatrol}

// Valid reports whether s is a known incident source.
func (s IncidentSource) Valid() bool {
	return s == Source110 || s == Source12345 || s == SourceGridPatrol
}

// Level is a governance level at which a matter is resolved.
type Level string

// Governance levels; an open incident has LevelOpen.
const (
	LevelOpen     Level = ""
	LevelGrid     Level = "grid"
	LevelVillage  Level = "village"
	LevelTownship Level = "township"
	LevelDistrict Level = "district"
)

// Valid reports whether l is a known level or open.
func (l Level) Valid() bool {
	switch l {
	case LevelOpen, LevelGrid, LevelVillage, LevelTownship, LevelDistrict:
		return true
	}
	return false
}

// Incident is a reported matter: a call, a dispute, a patrol finding.
type Incident struct {
	// ID is unique among incidents.
	ID string
	// Time is when the incident was reported.
	Time time.Time
	// Category is a free-form category, e.g. "dispute" or "theft".
	Category string
	// Source is the channel it came in by.
	Source IncidentSource
	// Point is where it happened (WGS84 lon/lat).
	Point orb.Point
	// Grid is the id of the grid containing Point; derived, empty outside
	// every grid.
	Grid string
	// ResolvedLevel is the level that resolved it, empty while open.
	ResolvedLevel Level
}

// FeatureID implements Feature.
func (i *Incident) FeatureID() string { return i.ID }

// FeatureGeometry implements Feature.
func (i *Incident) FeatureGeometry() Geometry { return i.Point }
