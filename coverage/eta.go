package coverage

import (
	"fmt"
	"math"
	"sort"

	"gridwatch/geo"
	"gridwatch/geo/route"
)

// Travel is how one role moves: its mean door-to-door speed and the
// circuity of its routes (route length ÷ great-circle distance).
type Travel struct {
	// SpeedMPS is the mean speed, metres per second; it must be positive.
	SpeedMPS float64 `json:"speed_mps"`
	// Circuity is route length ÷ straight-line distance; at least 1.
	Circuity float64 `json:"circuity"`
	// RoadMaxMPS caps the speed of every road on the network model, m/s
	// (an e-bike on a national road); 0 means the roads' own speeds.
	RoadMaxMPS float64 `json:"road_max_mps,omitempty"`
	// AccessMPS is the off-road speed of the network model's access legs
	// (to the nearest road and from it), m/s; 0 means DefaultAccessKMH,
	// capped by RoadMaxMPS.
	AccessMPS float64 `json:"access_mps,omitempty"`
}

// DefaultAccessKMH is the off-road speed of a vehicle between a point and
// the nearest road: 15 km/h, a car or motorcycle on an unmapped farm track
// or lane (an assumption, not a measurement: half the design speed of the
// slowest grade of road in JTG B01-2014, 20 km/h, rounded down). Walkers
// keep their walking speed.
const DefaultAccessKMH = 15.0

// Profile returns the travel as a road-network profile.
func (t Travel) Profile() route.Profile {
	p := route.Profile{MaxKMH: t.RoadMaxMPS * 3.6, AccessKMH: t.AccessMPS * 3.6}
	if p.AccessKMH == 0 {
		p.AccessKMH = DefaultAccessKMH
	}
	return p
}

// ETA is the arrival-time model: arrival time = haversine distance ×
// circuity ÷ speed, per role. It knows nothing about roads; it is the
// dispatcher's first estimate, not a route.
type ETA map[geo.Role]Travel

// The default travel of each role and where each figure comes from. The
// district is a resettlement basin of planned villages on a grid of
// township roads (DOMAIN.md); responders start from where they last
// reported.
const (
	// DefaultCircuity is the circuity of every role: the mean ratio of
	// road to straight-line distance, about 1.4 (1.417), that Boscoe,
	// Henry and Zdeb measured over the United States ("A nationwide
	// comparison of driving distance versus straight-line distance to
	// hospitals", The Professional Geographer 64(2), 2012). Planned
	// villages on a rectangular road grid have a circuity near √2 ≈ 1.41
	// for trips at 45° to the grid and 1 along it, which agrees.
	DefaultCircuity = 1.4

	// DefaultPoliceSpeedKMH is a community police officer's speed in a
	// patrol car: 40 km/h, the design speed of a Class III highway in
	// China's Technical Standard of Highway Engineering (JTG B01-2014),
	// the class of most township roads.
	DefaultPoliceSpeedKMH = 40.0

	// DefaultAuxiliarySpeedKMH is a police auxiliary's speed on a police
	// motorcycle or with an officer: 30 km/h, the design speed of a
	// Class IV highway (village roads) in JTG B01-2014.
	DefaultAuxiliarySpeedKMH = 30.0

	// DefaultGridWorkerSpeedKMH is a grid worker's speed on an electric
	// bicycle: 15 km/h. GB 17761-2018 caps e-bikes at 25 km/h; 15 km/h
	// allows for village lanes, starts and stops (an assumption, not a
	// measurement: configure it where it is known).
	DefaultGridWorkerSpeedKMH = 15.0

	// DefaultVolunteerSpeedKMH is a volunteer's speed on foot: 1.3 m/s
	// (4.68 km/h), the comfortable walking speed of adults in Bohannon,
	// "Comfortable and maximum walking speed of adults aged 20–79 years",
	// Age and Ageing 26(1), 1997 (1.27–1.46 m/s by age and sex).
	DefaultVolunteerSpeedKMH = 1.3 * 3.6
)

// DefaultETA returns the default arrival-time model (see the Default*
// variables for each figure and its source). The result is a new map that
// the caller may change.
func DefaultETA() ETA {
	kmh := func(v, roadMax float64) Travel {
		return Travel{SpeedMPS: v / 3.6, Circuity: DefaultCircuity, RoadMaxMPS: roadMax / 3.6}
	}
	return ETA{
		geo.RolePolice:     kmh(DefaultPoliceSpeedKMH, 0),
		geo.RoleAuxiliary:  kmh(DefaultAuxiliarySpeedKMH, DefaultAuxiliaryRoadMaxKMH),
		geo.RoleGridWorker: kmh(DefaultGridWorkerSpeedKMH, DefaultGridWorkerRoadMaxKMH),
		geo.RoleVolunteer:  kmh(DefaultVolunteerSpeedKMH, DefaultVolunteerSpeedKMH),
	}
}

// Top speeds on the road network (the network model; the straight-line
// model uses the mean speeds above). A police car drives every road at
// the road's speed.
const (
	// DefaultAuxiliaryRoadMaxKMH caps a police auxiliary's motorcycle at
	// 60 km/h on the network: an assumption (a motorcycle, often with a
	// passenger, on rural roads), not a measurement.
	DefaultAuxiliaryRoadMaxKMH = 60.0
	// DefaultGridWorkerRoadMaxKMH caps a grid worker's e-bike at 25 km/h,
	// the design speed limit of GB 17761-2018.
	DefaultGridWorkerRoadMaxKMH = 25.0
)

// Validate checks that every role has a travel with a positive finite
// speed and a circuity of at least 1.
func (e ETA) Validate() error {
	var ps geo.Problems
	for _, r := range geo.Roles {
		t, ok := e[r]
		switch {
		case !ok:
			ps.Add("eta", -1, string(r), "speed_mps", "a travel for role "+string(r))
		case !(t.SpeedMPS > 0) || math.IsInf(t.SpeedMPS, 0):
			ps.Add("eta", -1, string(r), "speed_mps", fmt.Sprintf("a positive speed in m/s, got %g", t.SpeedMPS))
		case !(t.Circuity >= 1) || math.IsInf(t.Circuity, 0):
			ps.Add("eta", -1, string(r), "circuity", fmt.Sprintf("a circuity of at least 1, got %g", t.Circuity))
		case !(t.RoadMaxMPS >= 0) || math.IsInf(t.RoadMaxMPS, 0):
			ps.Add("eta", -1, string(r), "road_max_mps", fmt.Sprintf("0 (no cap) or a positive speed in m/s, got %g", t.RoadMaxMPS))
		case !(t.AccessMPS >= 0) || math.IsInf(t.AccessMPS, 0):
			ps.Add("eta", -1, string(r), "access_mps", fmt.Sprintf("0 (the default) or a positive speed in m/s, got %g", t.AccessMPS))
		}
	}
	return ps.Err("invalid arrival-time model")
}

// Seconds returns the estimated arrival time, in seconds, of a responder
// of role r distM metres (great circle) away. An unknown role arrives
// never (+Inf).
func (e ETA) Seconds(r geo.Role, distM float64) float64 {
	t, ok := e[r]
	if !ok || !(t.SpeedMPS > 0) {
		return math.Inf(1)
	}
	return distM * t.Circuity / t.SpeedMPS
}

// Roles returns the roles of the model in sorted order.
func (e ETA) Roles() []geo.Role {
	out := make([]geo.Role, 0, len(e))
	for r := range e {
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}
