package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"sort"
	"strings"
	"unicode/utf8"

	"gridwatch/data"
	"gridwatch/geo"
)

// mediaCSV is the media type of CSV write bodies (application/merge-patch+json,
// mediaMergePatch, is declared with the position updates).
const mediaCSV = "text/csv"

// The members a write body may have besides what gridwatch reads: what an
// OGC API answer carries, so that a page read from the API can be written
// back, and what GDAL writes.
var (
	collectionMembers = map[string]bool{"type": true, "features": true, "bbox": true, "links": true,
		"numberMatched": true, "numberReturned": true, "timeStamp": true, "name": true, "crs": true}
	featureMembers = map[string]bool{"type": true, "id": true, "geometry": true, "properties": true, "bbox": true, "links": true}
)

// readBody reads the request body within the body limit.
func (s *Server) readBody(r *http.Request) ([]byte, error) {
	if r.Body == nil {
		return nil, nil
	}
	raw, err := io.ReadAll(r.Body)
	if err != nil {
		if le := s.asLimitError(r, err); le != err {
			return nil, le
		}
		return nil, geo.Errorf(geo.Invalid, "could not read the request body: %v", err)
	}
	return raw, nil
}

// bodyFormat returns the media type of the body: JSON (geo+json, json,
// merge-patch+json, or no Content-Type) or CSV.
func bodyFormat(r *http.Request, allowCSV bool) (string, error) {
	ct := r.Header.Get("Content-Type")
	if ct == "" {
		return mediaJSON, nil
	}
	mt, _, err := mime.ParseMediaType(ct)
	switch {
	case err != nil:
	case mt == mediaGeoJSON || mt == mediaJSON || mt == mediaMergePatch:
		return mediaJSON, nil
	case mt == mediaCSV && allowCSV:
		return mediaCSV, nil
	}
	want := "application/geo+json or application/json"
	if allowCSV {
		want += " (or text/csv for a point layer)"
	}
	return "", bodyProblem("Content-Type", want+", got "+quote(ct))
}

// bodyProblem is the Invalid error of a malformed body.
func bodyProblem(field, expected string) error {
	return &geo.Error{Code: geo.Invalid, Message: "invalid request body",
		Problems: []geo.Problem{{Index: -1, Field: field, Expected: expected}}}
}

// checkJSONText refuses JSON that is not UTF-8 or nests deeper than the
// limit, before it is decoded.
func (s *Server) checkJSONText(raw []byte) error {
	if len(bytes.TrimSpace(raw)) == 0 {
		return bodyProblem("body", "a JSON document; the body is empty")
	}
	if !utf8.Valid(raw) {
		return bodyProblem("body", "UTF-8 text (RFC 8259); the body has invalid UTF-8")
	}
	maxDepth := s.sec.limits.MaxJSONDepth
	if d := jsonDepth(raw, maxDepth); d > maxDepth {
		return limitError(geo.Invalid, "json_depth", int64(maxDepth), "the JSON body nests deeper than %d levels", maxDepth)
	}
	return nil
}

// jsonDepth returns the deepest nesting of arrays and objects in raw,
// stopping early once it passes limit. Brackets in strings do not count.
func jsonDepth(raw []byte, limit int) int {
	depth, deepest := 0, 0
	inString, escaped := false, false
	for _, c := range raw {
		switch {
		case inString:
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
			}
		case c == '"':
			inString = true
		case c == '[' || c == '{':
			depth++
			if depth > deepest {
				deepest = depth
				if deepest > limit {
					return deepest
				}
			}
		case c == ']' || c == '}':
			depth--
		}
	}
	return deepest
}

// decodeObject decodes a JSON object's members, refusing trailing data.
func decodeObject(raw []byte) (map[string]json.RawMessage, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	var obj map[string]json.RawMessage
	if err := dec.Decode(&obj); err != nil {
		return nil, bodyProblem("body", "a JSON object: "+data.JSONError(raw, err).Error())
	}
	if obj == nil {
		return nil, bodyProblem("body", "a JSON object, got null")
	}
	if dec.More() {
		return nil, bodyProblem("body", "one JSON document; there is more after it")
	}
	return obj, nil
}

// unknownMembers adds a problem for each member of obj not in known.
func unknownMembers(ps *geo.Problems, layer string, index int, obj map[string]json.RawMessage, known map[string]bool, what string) {
	var names []string
	for k := range obj {
		if !known[k] {
			names = append(names, k)
		}
	}
	sort.Strings(names)
	allowed := make([]string, 0, len(known))
	for k := range known {
		allowed = append(allowed, k)
	}
	sort.Strings(allowed)
	for _, k := range names {
		ps.Add(layer, index, "", k, fmt.Sprintf("no such member; a %s has %s", what, strings.Join(allowed, ", ")))
	}
}

// writeBody is a decoded write body.
type writeBody struct {
	items []geo.Feature
	// single is true for a body that is one Feature.
	single bool
}

// decodeWriteBody decodes a PUT or POST body of the target's layer: a
// GeoJSON FeatureCollection or Feature, or CSV for a point layer, in the
// target's input CRS; then the rules of writes apply (checkItems). Every
// problem of every feature is reported at once.
func (s *Server) decodeWriteBody(r *http.Request, t writeTarget, raw []byte) (writeBody, error) {
	body, err := s.decodeBody(r, t.layer, raw)
	if err != nil {
		return body, err
	}
	if body.items, err = reproject(t.layer, body.items, t.crs); err != nil {
		return body, err
	}
	return body, s.checkItems(t.layer, body.items, 0)
}

// decodeBody decodes a PUT or POST body of a layer.
func (s *Server) decodeBody(r *http.Request, layer string, raw []byte) (writeBody, error) {
	mt, err := bodyFormat(r, data.IsCSVLayer(layer))
	if err != nil {
		return writeBody{}, err
	}
	if mt == mediaCSV {
		items, err := data.DecodeCSV(layer, bytes.NewReader(raw))
		if err != nil {
			return writeBody{}, err
		}
		return writeBody{items: items}, s.checkFeatureCount(len(items))
	}
	if err := s.checkJSONText(raw); err != nil {
		return writeBody{}, err
	}
	obj, err := decodeObject(raw)
	if err != nil {
		return writeBody{}, err
	}
	var kind string
	if err := json.Unmarshal(obj["type"], &kind); err != nil || (kind != "Feature" && kind != "FeatureCollection") {
		return writeBody{}, bodyProblem("type", `"Feature" or "FeatureCollection"`)
	}
	if kind == "Feature" {
		item, err := decodeFeature(layer, 0, raw, obj)
		return writeBody{items: []geo.Feature{item}, single: true}, err
	}
	var ps geo.Problems
	unknownMembers(&ps, layer, -1, obj, collectionMembers, "FeatureCollection")
	checkCRS(&ps, layer, obj["crs"])
	var features []json.RawMessage
	if err := json.Unmarshal(obj["features"], &features); err != nil || features == nil {
		ps.Add(layer, -1, "", "features", "an array of GeoJSON Features")
		return writeBody{}, ps.Err("invalid FeatureCollection")
	}
	if err := s.checkFeatureCount(len(features)); err != nil {
		return writeBody{}, err
	}
	items := make([]geo.Feature, 0, len(features))
	for i, rf := range features {
		fobj, err := decodeObject(rf)
		if err != nil {
			ps.Add(layer, i, "", "feature", "a GeoJSON Feature object")
			continue
		}
		item, err := decodeFeature(layer, i, rf, fobj)
		if err != nil {
			ps = append(ps, problemsOf(err)...)
			continue
		}
		items = append(items, item)
	}
	if err := ps.Err("invalid features"); err != nil {
		return writeBody{}, err
	}
	return writeBody{items: items}, nil
}

// checkCRS accepts only the CRS84 (or EPSG:4326) crs member that some
// tools still write.
func checkCRS(ps *geo.Problems, layer string, raw json.RawMessage) {
	if raw == nil {
		return
	}
	s := string(raw)
	for _, ok := range []string{"CRS84", "EPSG::4326", "EPSG:4326"} {
		if strings.Contains(s, ok) {
			return
		}
	}
	ps.Add(layer, -1, "", "crs", "no crs member, or CRS84: coordinates are WGS 84 longitude, latitude (RFC 7946)")
}

// decodeFeature decodes one Feature object (obj are its members).
func decodeFeature(layer string, i int, raw []byte, obj map[string]json.RawMessage) (geo.Feature, error) {
	var ps geo.Problems
	unknownMembers(&ps, layer, i, obj, featureMembers, "Feature")
	item, fps := data.DecodeFeature(layer, i, raw)
	ps = append(ps, fps...)
	if err := ps.Err("invalid feature"); err != nil {
		return nil, err
	}
	return item, nil
}

// problemsOf returns the problems of an Invalid error (or one problem
// quoting any other error).
func problemsOf(err error) []geo.Problem {
	if ge, ok := err.(*geo.Error); ok && len(ge.Problems) > 0 {
		return ge.Problems
	}
	return []geo.Problem{{Index: -1, Field: "body", Expected: err.Error()}}
}
