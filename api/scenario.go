package api

import (
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"gridwatch/coverage"
	"gridwatch/data"
	"gridwatch/geo"
)

// MaxScenarioChanges bounds the changes of a scenario.
const MaxScenarioChanges = 1000

// parseChanges reads the changes of a scenario body.
func parseChanges(o *jsonObject) []coverage.ScenarioChange {
	var raws []json.RawMessage
	if !o.get("changes", &raws, "an array of changes") {
		o.bad("changes", "an array of changes (required)")
		return nil
	}
	if len(raws) > MaxScenarioChanges {
		o.bad("changes", fmt.Sprintf("at most %d changes, got %d", MaxScenarioChanges, len(raws)))
		return nil
	}
	out := make([]coverage.ScenarioChange, 0, len(raws))
	for i, raw := range raws {
		var m map[string]json.RawMessage
		if json.Unmarshal(raw, &m) != nil || m == nil {
			o.bad(fmt.Sprintf("changes[%d]", i), "a JSON object")
			continue
		}
		c := &jsonObject{path: fmt.Sprintf("%schanges[%d].", o.path, i), members: m, ps: o.ps}
		out = append(out, parseChange(c, i))
	}
	return out
}

// parseChange reads one change.
func parseChange(c *jsonObject, i int) coverage.ScenarioChange {
	var ch coverage.ScenarioChange
	c.get("op", &ch.Op, "add, move, remove or fix")
	switch ch.Op {
	case coverage.OpAdd:
		c.only("op", "camera")
		if raw, ok := c.members["camera"]; ok {
			f, ps := data.DecodeFeature(geo.LayerCameras, i, raw)
			for _, p := range ps {
				c.bad("camera."+p.Field, p.Expected)
			}
			if cam, ok := f.(*geo.Camera); ok && len(ps) == 0 {
				ch.Camera = cam
			}
		} else {
			c.bad("camera", "a camera GeoJSON Feature (required for add)")
		}
	case coverage.OpMove:
		c.only("op", "id", "to")
		c.get("id", &ch.ID, "a camera id")
		var to []float64
		if !c.get("to", &to, "[lon, lat]") || len(to) != 2 || to[0] < -180 || to[0] > 180 || to[1] < -90 || to[1] > 90 {
			c.bad("to", "[lon, lat] in WGS84 degrees (required for move)")
		} else {
			ch.To = orb.Point{to[0], to[1]}
		}
	case coverage.OpRemove, coverage.OpFix:
		c.only("op", "id")
		if !c.get("id", &ch.ID, "a camera id") {
			c.bad("id", "a camera id (required)")
		}
	default:
		c.bad("op", "add, move, remove or fix, got "+quote(ch.Op))
	}
	return ch
}

// scenario serves POST /coverage/scenario (a JSON body) and GET
// /coverage/scenario (changes as JSON in a query parameter).
func (h *planningAPI) scenario(w http.ResponseWriter, r *http.Request) error {
	a, err := h.s.current()
	if err != nil {
		return err
	}
	o, err := requestObject(r)
	if err != nil {
		return err
	}
	o.only("changes", "variant", "as_of", "window_days")
	changes := parseChanges(o)
	variant, win := o.window(a, h.s.now())
	if err := o.err(); err != nil {
		return err
	}
	v, err := h.cache.Get(r.Context(), a, coverage.DefaultVideoResolution)
	if err != nil {
		return err
	}
	sc, err := v.Scenario(changes, variant, win)
	if err != nil {
		return err
	}
	fc := geojson.NewFeatureCollection()
	for _, g := range sc.Grids {
		f := geojson.NewFeature(data.RoundGeometry(loadOriented(g.Grid.Polygon)))
		f.ID = g.Grid.ID
		before, after := geojson.Properties{}, geojson.Properties{}
		videoFigureProps(r.Context(), g.Before, before)
		videoFigureProps(r.Context(), g.After, after)
		f.Properties = geojson.Properties{"id": g.Grid.ID, "name": g.Grid.Name, "village": g.Grid.Village,
			"township": g.Grid.Township, "before": before, "after": after}
		fc.Append(f)
	}
	fc.ExtraMembers = geojson.Properties{"numberReturned": len(fc.Features), "summary": geojson.Properties{
		"changes": len(changes), "variant": variant, "window": windowDoc(win),
		"before": districtProps(r.Context(), sc.Before), "after": districtProps(r.Context(), sc.After)}}
	return writeJSON(w, mediaGeoJSON, fc)
}
