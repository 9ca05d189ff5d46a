package geo

import (
	"time"

	"github.com/paulmach/orb"
)

// CameraSource is the programme a camera belongs to.
type CameraSource string

// Camera sources.
const (
	// SourceXueliang is the Xueliang public-security video project (雪亮工程).
	SourceXueliang CameraSource = "xueliang"
	// SourceRuralGroundNetwork is the Rural Ground Network (乡村地网).
	SourceRuralGroundNetwork CameraSource = "rural_ground_network"
	// SourceCourtyard is a villager's own camera, shared with the network.
	SourceCourtyard CameraSource = "courtyard"
)

// CameraSources lists every camera source.
var CameraSources = []CameraSource{SourceXueliang, SourceRuralGroundNetwork, SourceCourtyard}

// Valid reports whether s is a known source.
func (s CameraSource) Valid() bool {
	for _, c := range CameraSources {
		if c == s {
			return true
		}
	}
	return false
}

// CameraType is the kind of camera.
type CameraType string

// Camera types.
const (
	TypeFixed          CameraType = "fixed"           // fixed bullet camera
	TypePTZ            CameraType = "ptz"             // pan-tilt-zoom: sees all around
	TypeDome           CameraType = "dome"            // dome: sees all around
	TypeHighMast       CameraType = "high_mast"       // high-mast watch camera, long range
	TypeFaceCapture    CameraType = "face_capture"    // face capture, short range
	TypeVehicleCapture CameraType = "vehicle_capture" // number-plate capture
)

// CameraTypes lists every camera type.
var CameraTypes = []CameraType{TypeFixed, TypePTZ, TypeDome, TypeHighMast, TypeFaceCapture, TypeVehicleCapture}

// Valid reports whether t is a known type.
func (t CameraType) Valid() bool {
	for _, c := range CameraTypes {
		if c == t {
			return true
		}
	}
	return false
}

// Omnidirectional reports whether the type sees all around (PTZ and dome),
// so that its viewshed is a disc whatever its bearing and field of view.
func (t CameraType) Omnidirectional() bool { return t == TypePTZ || t == TypeDome }

// MaxCameraRange is the longest range a camera may have, in metres.
const MaxCameraRange = 5000

// Camera is a video camera.
type Camera struct {
	// ID is unique among cameras.
	ID string
	// Source is the programme the camera belongs to.
	Source CameraSource
	// Type is the kind of camera.
	Type CameraType
	// Point is the camera's position (WGS84 lon/lat).
	Point orb.Point
	// BearingDeg is the direction the camera faces, degrees clockwise from
	// north, in [0, 360).
	BearingDeg float64
	// FOVDeg is the horizontal field of view, degrees, in (0, 360].
	FOVDeg float64
	// RangeM is how far the camera usefully sees, metres, in (0, 5000].
	RangeM float64
	// Online reports whether the camera is working.
	Online bool
	// Installed is the installation date (midnight UTC of that day).
	Installed time.Time
	// Grid is the id of the grid containing Point; derived, empty outside
	// every grid.
	Grid string
}

// FeatureID implements Feature.
func (c *Camera) FeatureID() string { return c.ID }

// FeatureGeometry implements Feature.
func (c *Camera) FeatureGeometry() Geometry { return c.Point }
