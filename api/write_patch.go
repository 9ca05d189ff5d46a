package api

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/paulmach/orb"

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
					ps.Add(geo.LayerResponders, -1, "", name, "only geometry, available and updated (the tracker role changes nothing else)")
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

// patchedItem returns the item of layer with the id (found by lookup),
// merge-patched: the patch applies to the feature's GeoJSON (unrounded
// coordinates). The id may not change.
func patchedItem(lookup func(string) (geo.Feature, bool), layer, id string, patch map[string]any) (geo.Feature, error) {
	it, ok := lookup(id)
	if !ok {
		return nil, geo.Errorf(geo.NotFound, "no feature %s in %s", quote(id), layer)
	}
	f := data.ToFeature(it)
	f.Geometry = it.FeatureGeometry().(orb.Geometry)
	raw, err := json.Marshal(f)
	if err != nil {
		return nil, fmt.Errorf("encode %s %q: %w", layer, id, err)
	}
	var doc any
	if err := json.Unmarshal(raw, &doc); err != nil {
		return nil, fmt.Errorf("decode %s %q: %w", layer, id, err)
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
	out, err := json.Marshal(merged)
	if err != nil {
		return nil, bodyProblem("body", "JSON values only")
	}
	item, ps := data.DecodeFeature(layer, 0, out)
	if err := ps.Err("invalid patched feature"); err != nil {
		return nil, err
	}
	return item, nil
}

// parsePatch checks a merge-patch body and returns it as an object.
func (s *Server) parsePatch(raw []byte) (map[string]any, error) {
	if err := s.checkJSONText(raw); err != nil {
		return nil, err
	}
	if _, err := decodeObject(raw); err != nil {
		return nil, err
	}
	var patch map[string]any
	if err := json.Unmarshal(raw, &patch); err != nil {
		return nil, bodyProblem("body", "a JSON merge patch object: "+err.Error())
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
	return patch, nil
}
