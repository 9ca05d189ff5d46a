package data

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"

	"github.com/paulmach/orb/geojson"

	"gridwatch/geo"
)

// DecodeGeoJSON reads a GeoJSON FeatureCollection of a layer. A malformed
// file is refused whole: the error is an Invalid *geo.Error listing every
// problem found, each with the feature's index.
func DecodeGeoJSON(layer string, r io.Reader) ([]geo.Feature, error) {
	items, _, ps, err := decodeGeoJSONPartial(layer, r)
	if err != nil {
		return nil, err
	}
	if err := ps.Err(layer + ": invalid features"); err != nil {
		return nil, err
	}
	return items, nil
}

// decodeGeoJSONPartial reads a layer's FeatureCollection as DecodeGeoJSON
// does, but keeps the features that decode (with their positions in the
// file) beside the problems of the others; err is for a file that is not a
// FeatureCollection at all.
func decodeGeoJSONPartial(layer string, r io.Reader) ([]geo.Feature, []int, geo.Problems, error) {
	raw, err := io.ReadAll(r)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("read %s: %w", layer, err)
	}
	raw = bytes.TrimPrefix(raw, []byte("\xef\xbb\xbf"))
	var fc struct {
		Type     string            `json:"type"`
		Features []json.RawMessage `json:"features"`
	}
	if err := json.Unmarshal(raw, &fc); err != nil {
		return nil, nil, nil, &geo.Error{Code: geo.Invalid, Message: fmt.Sprintf("%s: not a GeoJSON FeatureCollection", layer), Err: JSONError(raw, err)}
	}
	if fc.Type != "FeatureCollection" {
		return nil, nil, nil, &geo.Error{Code: geo.Invalid, Problems: []geo.Problem{{Layer: layer, Index: -1, Field: "type",
			Expected: fmt.Sprintf(`"FeatureCollection", got %q`, fc.Type)}}, Message: layer + ": not a GeoJSON FeatureCollection"}
	}
	items, at, ps := decodeFeatures(layer, fc.Features)
	return items, at, ps, nil
}

// decodeFeatures decodes every feature of a layer: the features that
// decode, the position of each in the file, and the problems of the rest.
func decodeFeatures(layer string, raws []json.RawMessage) (items []geo.Feature, at []int, ps geo.Problems) {
	items = make([]geo.Feature, 0, len(raws))
	for i, rf := range raws {
		item, fps := DecodeFeature(layer, i, rf)
		ps = append(ps, fps...)
		if item != nil && len(fps) == 0 {
			items = append(items, item)
			at = append(at, i)
		}
	}
	return items, at, ps
}

// DecodeFeature reads one GeoJSON Feature of a layer, as feature index i.
func DecodeFeature(layer string, i int, raw []byte) (geo.Feature, geo.Problems) {
	f, err := geojson.UnmarshalFeature(raw)
	if err != nil {
		var ps geo.Problems
		ps.Add(layer, i, "", "feature", "a GeoJSON Feature: "+err.Error())
		return nil, ps
	}
	if f.Type != "Feature" {
		var ps geo.Problems
		ps.Add(layer, i, "", "type", fmt.Sprintf(`"Feature", got %q`, f.Type))
		return nil, ps
	}
	if msg := checkPositions(raw); msg != "" {
		var ps geo.Problems
		id, _ := f.ID.(string)
		ps.Add(layer, i, id, "geometry.coordinates", msg)
		return nil, ps
	}
	return FromFeature(layer, i, f)
}

// JSONError adds the line and column in raw to a JSON syntax or type
// error; other errors are returned as they are.
func JSONError(raw []byte, err error) error {
	var off int64 = -1
	switch e := err.(type) {
	case *json.SyntaxError:
		off = e.Offset
	case *json.UnmarshalTypeError:
		off = e.Offset
	}
	if off < 0 || off > int64(len(raw)) {
		return err
	}
	line := 1 + bytes.Count(raw[:off], []byte("\n"))
	col := off - int64(bytes.LastIndexByte(raw[:off], '\n'))
	return fmt.Errorf("line %d, column %d: %w", line, col, err)
}

// EncodeGeoJSON writes items as a GeoJSON FeatureCollection, one feature per
// line, with coordinates rounded to Precision decimals.
func EncodeGeoJSON(w io.Writer, items []geo.Feature) error {
	if _, err := io.WriteString(w, `{"type":"FeatureCollection","features":[`+"\n"); err != nil {
		return err
	}
	for i, it := range items {
		b, err := json.Marshal(ToFeature(it))
		if err != nil {
			return fmt.Errorf("feature %d (%s): %w", i, it.FeatureID(), err)
		}
		if i < len(items)-1 {
			b = append(b, ',')
		}
		b = append(b, '\n')
		if _, err := w.Write(b); err != nil {
			return err
		}
	}
	_, err := io.WriteString(w, "]}\n")
	return err
}

// DecodeFeatureDoc reads one Feature of a layer from its decoded JSON
// (what encoding/json gives for an object; the geometry may also be a
// *geojson.Geometry), as DecodeFeature reads the same Feature's text: the
// same checks, the same problems, without encoding the document first.
// A merge patch (RFC 7396) is applied to such a document.
func DecodeFeatureDoc(layer string, i int, doc map[string]any) (geo.Feature, geo.Problems) {
	var ps geo.Problems
	if kind, _ := doc["type"].(string); kind != "Feature" {
		ps.Add(layer, i, "", "type", fmt.Sprintf(`"Feature", got %v`, doc["type"]))
		return nil, ps
	}
	f := &geojson.Feature{Type: "Feature", ID: doc["id"]}
	switch p := doc["properties"].(type) {
	case nil:
	case map[string]any:
		f.Properties = p
	default:
		ps.Add(layer, i, "", "feature", "a GeoJSON Feature: properties must be an object")
		return nil, ps
	}
	id, _ := f.ID.(string)
	switch g := doc["geometry"].(type) {
	case nil:
	case *geojson.Geometry:
		f.Geometry = g.Geometry()
	default:
		raw, err := json.Marshal(g)
		if err != nil {
			ps.Add(layer, i, id, "feature", "a GeoJSON Feature: "+err.Error())
			return nil, ps
		}
		if gm, ok := g.(map[string]any); ok {
			kind, _ := gm["type"].(string)
			if c, has := gm["coordinates"]; has && positionDepth(kind) > 0 {
				craw, _ := json.Marshal(c)
				if msg := positionProblem(kind, craw); msg != "" {
					ps.Add(layer, i, id, "geometry.coordinates", msg)
					return nil, ps
				}
			}
		}
		gg, err := geojson.UnmarshalGeometry(raw)
		if err != nil {
			ps.Add(layer, i, "", "feature", "a GeoJSON Feature: "+err.Error())
			return nil, ps
		}
		f.Geometry = gg.Geometry()
	}
	return FromFeature(layer, i, f)
}
