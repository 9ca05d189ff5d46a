package geo

import (
	"time"

	"github.com/paulmach/orb"
)

// Role is what a responder is.
type Role string

// Responder roles: the four layers of force that work a grid.
const (
	RolePolice     Role = "police"      // community police officer (社区民警)
	RoleAuxiliary  Role = "auxiliary"   // police auxiliary (警务助理/辅警)
	RoleGridWorker Role = "grid_worker" // grid worker (网格员)
	RoleVolunteer  Role = "volunteer"   // volunteer police (义警)
)

// Roles lists every role.
var Roles = []Role{RolePolice, RoleAuxiliary, RoleGridWorker, RoleVolunteer}

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	for _, c := range Roles {
		if c == r {
			return true
		}
	}
	return false
}

// Responder is a person who can respond to an incident.
type Responder struct {
	// ID is unique among responders.
	ID string
	// Name is the person's name.
	Name string
	// Role is police, auxiliary, grid_worker or volunteer.
	Role Role
	// Station is the id of the police station the responder reports to.
	Station string
	// Grids are the ids of the grids the responder is assigned to; empty for
	// an officer kept at the station.
	Grids []string
	// Point is the last known position (WGS84 lon/lat).
	Point orb.Point
	// Available reports whether the responder can take a call.
	Available bool
	// Updated is when Point and Available were last reported.
	Updated time.Time
}

// FeatureID implements Feature.
func (r *Responder) FeatureID() string { return r.ID }

// FeatureGeometry implements Feature.
func (r *Responder) FeatureGeometry() Geometry { return r.Point }
