package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"gridwatch/data"
	"gridwatch/geo"
)

// mergePatch applies an RFC 7396 JSON merge patch to target: members of
// an object patch replace the target's, null removes them, objects merge
// recursively and anything else replaces the target whole.
func mergePatch(target, patch any) any {
	p, ok := patch.(map[string]any)
	if !ok {
		return patch
	}
	t, ok := target.(map[string]any)
	if !ok {
		t = map[string]any{}
	} else {
		cp := make(map[string]any, len(t))
		for k, v := range t {
			cp[k] = v
		}
		t = cp
	}
	for k, v := range p {
		if v == nil {
			delete(t, k)
			continue
		}
		t[k] = mergePatch(t[k], v)
	}
	return t
}

// trackerFields are what a tracker may change of a responder.
var trackerFields = map[string]bool{"available": true, "updated": true}

// checkTrackerPatch refuses a tracker's patch that touches anything but a
// responder's position, availability and update time.
func checkTrackerPatch(patch map[string]any) error {
	var ps geo.Problems
	for k, v := range patch {
		switch k {
		case "geometry", "type":
		case "properties":
			props, ok := v.(map[string]any)
			if !ok {
				ps.Add(geo.LayerResponders, -1, "", "properties", "an object with available and updated")
				continue
			}
			for name := range props {
				if !trackerFields[name] {
					ps.Add(geo.LayerResponders, -1, "", "properties."+name, "only geometry, available and updated (the tracker role changes nothing else)")
				}
			}
		default:
			ps.Add(geo.LayerResponders, -1, "", k, "only geometry, available and updated (the tracker role changes nothing else)")
		}
	}
	if len(ps) == 0 {
		return nil
	}
	return &geo.Error{Code: geo.Forbidden, Message: "a tracker may change a responder's position, available and updated only", Problems: ps}
}

// dateReport dates a responder's report: a patch that moves the responder
// or changes its availability without an updated time is dated now, as the
// position updates are.
func dateReport(patch map[string]any, now time.Time) {
	props, isObject := patch["properties"].(map[string]any)
	if _, has := patch["properties"]; has && !isObject {
		return // a malformed patch: decoding reports it
	}
	_, moved := patch["geometry"]
	_, avail := props["available"]
	if _, dated := props["updated"]; dated || (!moved && !avail) {
		return
	}
	if props == nil {
		props = map[string]any{}
		patch["properties"] = props
	}
	props["updated"] = now.UTC().Truncate(time.Second).Format(time.RFC3339)
}

// patchedItem returns it (an item of layer) merge-patched: the patch
// applies to the feature's GeoJSON (unrounded coordinates), and the
// result is decoded as any written feature is (data.DecodeFeatureDoc,
// the decoded-JSON twin of data.DecodeFeature). The id may not change.
func patchedItem(it geo.Feature, layer, id string, patch map[string]any) (geo.Feature, error) {
	doc, err := featureDoc(it, patch)
	if err != nil {
		return nil, fmt.Errorf("encode %s %q: %w", layer, id, err)
	}
	merged := mergePatch(doc, patch).(map[string]any)
	if v, ok := merged["id"]; ok && fmt.Sprint(v) != id {
		return nil, bodyProblem("id", fmt.Sprintf("the id %s; a PATCH cannot change it (POST a new feature and DELETE this one)", quote(id)))
	}
	if props, ok := merged["properties"].(map[string]any); ok {
		if v, ok := props["id"]; ok && fmt.Sprint(v) != id {
			return nil, bodyProblem("id", fmt.Sprintf("the id %s; a PATCH cannot change it", quote(id)))
		}
	}
	item, ps := data.DecodeFeatureDoc(layer, 0, merged)
	if err := ps.Err("invalid patched feature"); err != nil {
		return nil, err
	}
	return item, nil
}

// featureDoc is the GeoJSON of an item as decoded JSON (maps, []any,
// float64...), built without encoding it: its geometry as an orb value
// unless the patch changes it (then as decoded JSON, to be merged).
func featureDoc(it geo.Feature, patch map[string]any) (map[string]any, error) {
	f := data.ToFeature(it)
	g := it.FeatureGeometry().(orb.Geometry)
	props := make(map[string]any, len(f.Properties))
	for k, v := range f.Properties {
		props[k] = jsonValue(v)
	}
	doc := map[string]any{"type": "Feature", "id": it.FeatureID(), "properties": props}
	if _, patched := patch["geometry"]; !patched {
		doc["geometry"] = geojson.NewGeometry(g)
		return doc, nil
	}
	if pt, ok := g.(orb.Point); ok {
		doc["geometry"] = map[string]any{"type": "Point", "coordinates": []any{pt[0], pt[1]}}
		return doc, nil
	}
	raw, err := geojson.NewGeometry(g).MarshalJSON()
	if err != nil {
		return nil, err
	}
	var gm any
	if err := json.Unmarshal(raw, &gm); err != nil {
		return nil, err
	}
	doc["geometry"] = gm
	return doc, nil
}

// jsonValue returns a property value as encoding/json decodes it (the
// values data.ToFeature sets: strings, numbers, booleans, string lists).
func jsonValue(v any) any {
	switch x := v.(type) {
	case int:
		return float64(x)
	case int64:
		return float64(x)
	case []string:
		out := make([]any, len(x))
		for i, s := range x {
			out[i] = s
		}
		return out
	}
	return v
}

// parsePatch checks a merge-patch body of the feature id and returns it
// as an object: known members only, no other id, and something to change.
func (s *Server) parsePatch(raw []byte, id string) (map[string]any, error) {
	if err := s.checkJSONText(raw); err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	var patch map[string]any
	if err := dec.Decode(&patch); err != nil {
		return nil, bodyProblem("body", "a JSON merge patch object: "+data.JSONError(raw, err).Error())
	}
	if patch == nil {
		return nil, bodyProblem("body", "a JSON merge patch object, got null")
	}
	if dec.More() {
		return nil, bodyProblem("body", "one JSON document; there is more after it")
	}
	var ps geo.Problems
	for k := range patch {
		if !featureMembers[k] {
			ps.Add("", -1, "", k, "no such member; a patch changes type, id, geometry, properties, bbox or links")
		}
	}
	if err := ps.Err("invalid merge patch"); err != nil {
		return nil, err
	}
	if v, ok := patch["id"]; ok && fmt.Sprint(v) != id {
		return nil, bodyProblem("id", fmt.Sprintf("the id %s; a PATCH cannot change it (POST a new feature and DELETE this one)", quote(id)))
	}
	if emptyPatch(patch) {
		return nil, bodyProblem("body", "a patch that changes something: geometry or properties (an empty patch would only make a new version)")
	}
	return patch, nil
}

// patchProperties returns the properties a patch sets (nil when none or
// when its properties are not an object).
func patchProperties(patch map[string]any) map[string]any {
	m, _ := patch["properties"].(map[string]any)
	return m
}

// emptyPatch reports whether a patch changes nothing a feature holds: no
// geometry and no property (type, id, bbox and links are not stored).
func emptyPatch(patch map[string]any) bool {
	if _, ok := patch["geometry"]; ok {
		return false
	}
	props, has := patch["properties"]
	if !has {
		return true
	}
	m, isObject := props.(map[string]any)
	return isObject && len(m) == 0
}

// patchItem serves PATCH /collections/{collectionId}/items/{featureId}: a
// JSON merge patch (RFC 7396) of the feature's GeoJSON, with a durable
// store or (for responders) without one. A tracker may change a
// responder's geometry, available and updated only (a token bound to
// responders, those alone) and gets back the id and version; others get
// the feature as stored. A responder patch that moves it or changes its
// availability without an updated time is dated now; a time beyond the
// clock skew is refused. The merged feature is computed and validated
// before it queues, and again in the committer only when a write ahead
// of it in its group changed the same feature.
func (s *Server) patchItem(w http.ResponseWriter, r *http.Request) error {
	t, err := s.target(r, true)
	if err != nil {
		return err
	}
	if _, err := bodyFormat(r, false); err != nil {
		return err
	}
	p := principalOf(r.Context())
	if err := checkReporter(p, t.id); err != nil {
		return err
	}
	raw, err := s.readBody(r)
	if err != nil {
		return err
	}
	patch, err := s.parsePatch(raw, t.id)
	if err != nil {
		return err
	}
	if positionsOnly(p) {
		if err := checkTrackerPatch(patch); err != nil {
			return err
		}
	}
	reprojectPatch(patch, t.crs)
	if t.layer == geo.LayerResponders {
		dateReport(patch, s.now())
	}
	// The rules on what a write sets apply to what the patch sets: an
	// updated time already stored is not the patch's to answer for.
	_, setsTime := patchProperties(patch)["updated"]
	compute := func(base geo.Feature) (geo.Feature, error) {
		item, err := patchedItem(base, t.layer, t.id, patch)
		if err == nil && setsTime {
			err = s.checkItems(t.layer, []geo.Feature{item}, 0)
		}
		return item, err
	}
	// Refuse a bad patch before it queues, against the current feature.
	a, err := s.current()
	if err != nil {
		return err
	}
	l, _ := a.Layer(t.layer)
	base, ok := l.FeatureByID(t.id)
	if !ok {
		return geo.Errorf(geo.NotFound, "no feature %s in %s", quote(t.id), t.layer)
	}
	item, err := compute(base)
	if err != nil {
		return err
	}
	update := func(lookup func(string) (geo.Feature, bool)) ([]geo.Feature, []string, error) {
		cur, ok := lookup(t.id)
		if !ok {
			return nil, nil, geo.Errorf(geo.NotFound, "no feature %s in %s", quote(t.id), t.layer)
		}
		if cur == base {
			return []geo.Feature{item}, nil, nil
		}
		it, err := compute(cur)
		if err != nil {
			return nil, nil, err
		}
		return []geo.Feature{it}, nil, nil
	}
	noteAudit(r.Context(), t.layer, 1, t.id)
	op := &writeOp{layer: t.layer, op: "update", edit: update}
	if t.layer == geo.LayerResponders {
		op.linger = s.sec.positionLinger
	}
	a, err = s.runWrite(r, t, op)
	if err != nil || a == nil {
		return err
	}
	if positionsOnly(p) && !t.dryRun {
		return s.reportDone(w, a, t)
	}
	return s.featureDone(w, r, a, t, t.id, http.StatusOK)
}
