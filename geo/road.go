package geo

import "github.com/paulmach/orb"

// RoadClass is the administrative or functional class of a road.
type RoadClass string

// Road classes, from the fastest to the slowest. China names its public
// roads by who administers them (国道, 省道, 县道, 乡道, 村道); expressways
// (高速公路) and unpaved tracks (机耕路, canal-side tracks) sit outside that list.
const (
	RoadMotorway   RoadClass = "motorway"   // expressway (高速公路)
	RoadNational   RoadClass = "national"   // national road (国道, G)
	RoadProvincial RoadClass = "provincial" // provincial road (省道, S)
	RoadCounty     RoadClass = "county"     // county road (县道, X)
	RoadTownship   RoadClass = "township"   // township road (乡道, Y)
	RoadVillage    RoadClass = "village"    // village road (村道, C)
	RoadTrack      RoadClass = "track"      // farm or canal-side track (机耕路)
)

// RoadClasses lists every road class, fastest first.
var RoadClasses = []RoadClass{RoadMotorway, RoadNational, RoadProvincial, RoadCounty, RoadTownship, RoadVillage, RoadTrack}

// Valid reports whether c is a known road class.
func (c RoadClass) Valid() bool {
	_, ok := defaultRoadSpeeds[c]
	return ok
}

// DefaultSpeedKMH returns the speed a road of the class is driven at when
// its speed_kmh is not given, km/h; 0 for an unknown class.
//
// The figures are design speeds from China's Technical Standard of
// Highway Engineering (JTG B01-2014, table 3.6.1) for the technical grade
// that roads of each administrative class are usually built to, capped by
// the Road Traffic Safety Law's implementing regulations (道路交通安全法实施条例,
// art. 45: 40 km/h on a highway without a centre line):
//   - motorway 100: expressways are designed for 120, 100 or 80 km/h;
//   - national 80: national roads are mostly grade I or II (80-100 / 60-80);
//   - provincial 60: grade II;
//   - county 40: grade III (40 or 30);
//   - township 30: grade III-IV (30);
//   - village 20: grade IV (20), usually with no centre line;
//   - track 10: unpaved farm and canal-side tracks have no design speed;
//     10 km/h is an assumption (a car on a rutted track), not a standard.
func (c RoadClass) DefaultSpeedKMH() float64 { return defaultRoadSpeeds[c] }

var defaultRoadSpeeds = map[RoadClass]float64{
	RoadMotorway: 100, RoadNational: 80, RoadProvincial: 60, RoadCounty: 40,
	RoadTownship: 30, RoadVillage: 20, RoadTrack: 10,
}

// MaxRoadSpeedKMH is the highest speed_kmh a road may have (China's
// highest legal speed limit is 120 km/h on expressways).
const MaxRoadSpeedKMH = 120

// Road is a stretch of road: a LineString whose consecutive vertices are
// joined by straight segments. Two roads are connected where they share a
// vertex (the same position to 1e-7 degrees), as in OpenStreetMap; roads
// that cross without a shared vertex pass over or under each other.
type Road struct {
	// ID is unique among roads.
	ID string
	// Name is the road's name or number; may be empty.
	Name string
	// Class is one of RoadClasses.
	Class RoadClass
	// Oneway is true when the road may be driven only in the direction of
	// its vertices.
	Oneway bool
	// SpeedKMH is the speed the road is driven at, km/h; 0 means the
	// class's default (DefaultSpeedKMH).
	SpeedKMH float64
	// Bridge is true when the road is a bridge: it may cross a waterway.
	// Where a road that is not a bridge crosses a waterway, it is cut
	// there for routing.
	Bridge bool
	// Line is the road's centre line (WGS84), at least two positions.
	Line orb.LineString
}

// Speed returns the road's speed, km/h: SpeedKMH, or the class's default
// when SpeedKMH is 0.
func (r *Road) Speed() float64 {
	if r.SpeedKMH > 0 {
		return r.SpeedKMH
	}
	return r.Class.DefaultSpeedKMH()
}

// FeatureID implements Feature.
func (r *Road) FeatureID() string { return r.ID }

// FeatureGeometry implements Feature.
func (r *Road) FeatureGeometry() Geometry { return r.Line }
