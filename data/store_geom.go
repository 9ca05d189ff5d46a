package data

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"
)

// GeoPackage binary geometry (OGC 12-128r19 §2.1.3): a header ("GP",
// version 0, flags, the SRS id, an optional envelope) followed by the
// geometry as standard WKB.

// srsWGS84 is the SRS id of every geometry in the store: EPSG:4326, stored
// as x = longitude, y = latitude as GeoPackage requires.
const srsWGS84 = 4326

const (
	gpkgFlagLittleEndian = 0x01
	gpkgEnvelopeXY       = 1 << 1 // envelope [minx, maxx, miny, maxy]
	gpkgFlagEmpty        = 0x10
	gpkgFlagExtended     = 0x20
)

// errGeometryBlob marks a malformed GeoPackage geometry.
var errGeometryBlob = errors.New("data: malformed GeoPackage geometry")

// EncodeGeoPackageGeometry encodes g as a GeoPackage geometry blob in
// EPSG:4326, little-endian, with an XY envelope for everything but points.
func EncodeGeoPackageGeometry(g orb.Geometry) ([]byte, error) {
	body, err := wkb.Marshal(g, binary.LittleEndian)
	if err != nil {
		return nil, fmt.Errorf("data: encode %s as WKB: %w", g.GeoJSONType(), err)
	}
	flags := byte(gpkgFlagLittleEndian)
	_, isPoint := g.(orb.Point)
	if !isPoint {
		flags |= gpkgEnvelopeXY
	}
	out := make([]byte, 0, 8+32+len(body))
	out = append(out, 'G', 'P', 0, flags)
	out = binary.LittleEndian.AppendUint32(out, uint32(srsWGS84))
	if !isPoint {
		b := g.Bound()
		for _, v := range []float64{b.Min[0], b.Max[0], b.Min[1], b.Max[1]} {
			out = binary.LittleEndian.AppendUint64(out, math.Float64bits(v))
		}
	}
	return append(out, body...), nil
}

// DecodeGeoPackageGeometry decodes a GeoPackage geometry blob. It refuses
// empty geometries, extended (non-standard) geometry types, SRS other than
// EPSG:4326 and malformed WKB.
func DecodeGeoPackageGeometry(blob []byte) (orb.Geometry, error) {
	if len(blob) < 8 || blob[0] != 'G' || blob[1] != 'P' {
		return nil, fmt.Errorf("%w: no GP header", errGeometryBlob)
	}
	if blob[2] != 0 {
		return nil, fmt.Errorf("%w: version %d, expected 0", errGeometryBlob, blob[2])
	}
	flags := blob[3]
	if flags&gpkgFlagExtended != 0 {
		return nil, fmt.Errorf("%w: extended geometry types are not supported", errGeometryBlob)
	}
	if flags&gpkgFlagEmpty != 0 {
		return nil, fmt.Errorf("%w: empty geometry", errGeometryBlob)
	}
	var order binary.ByteOrder = binary.BigEndian
	if flags&gpkgFlagLittleEndian != 0 {
		order = binary.LittleEndian
	}
	if srs := int32(order.Uint32(blob[4:8])); srs != srsWGS84 {
		return nil, fmt.Errorf("%w: SRS id %d, expected %d (WGS 84)", errGeometryBlob, srs, srsWGS84)
	}
	var envelope int
	switch (flags >> 1) & 0x07 {
	case 0:
	case 1:
		envelope = 32
	case 2, 3:
		envelope = 48
	case 4:
		envelope = 64
	default:
		return nil, fmt.Errorf("%w: envelope code %d", errGeometryBlob, (flags>>1)&0x07)
	}
	if len(blob) < 8+envelope+5 {
		return nil, fmt.Errorf("%w: %d bytes is too short", errGeometryBlob, len(blob))
	}
	g, err := wkb.Unmarshal(blob[8+envelope:])
	if err != nil {
		return nil, fmt.Errorf("%w: %w", errGeometryBlob, err)
	}
	return g, nil
}
