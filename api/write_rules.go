package api

import (
	"fmt"
	"math"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/project"

	"gridwatch/data"
	"gridwatch/geo"
)

// The rules every write follows whatever the mode (durable store or
// none) and the path (PUT, POST, PATCH, a tracker's report): they live
// here once, and the handlers call them.

// positionsOnly reports whether the principal may change a responder's
// position, availability and update time only: a tracker, or the local
// demo behind its development flag (a stand-in for trackers).
func positionsOnly(p principal) bool {
	return p.Role == RoleTracker || p.Role == roleLocal
}

// checkReporter refuses a tracker's write to a responder its token is not
// bound to (a token bound to no responder may report for any).
func checkReporter(p principal, id string) error {
	if p.Role != RoleTracker || len(p.Responders) == 0 || slices.Contains(p.Responders, id) {
		return nil
	}
	return geo.Errorf(geo.Forbidden, "the token %s reports for %s only, not %s", quote(p.Name), strings.Join(p.Responders, ", "), quote(id))
}

// checkItems refuses items that break a rule of writes beyond the layer's
// validation: a responder's updated time later than the server's clock
// plus maxFutureSkew. offset is the index of items[0] in the body.
func (s *Server) checkItems(layer string, items []geo.Feature, offset int) error {
	if layer != geo.LayerResponders {
		return nil
	}
	now := s.now()
	var ps geo.Problems
	for i, it := range items {
		r, ok := it.(*geo.Responder)
		if ok {
			s.checkPlausible(&ps, layer, offset+i, r.ID, r.Point)
		}
		if ok && r.Updated.After(now.Add(maxFutureSkew)) {
			ps.Add(layer, offset+i, r.ID, "properties.updated", fmt.Sprintf("a time no later than the server's clock (%s) plus %s, got %s",
				now.UTC().Format(time.RFC3339), maxFutureSkew, r.Updated.UTC().Format(time.RFC3339)))
		}
	}
	return ps.Err("invalid " + layer)
}

// reproject converts the geometries of items from crs to WGS84 (input_crs
// of a PUT or POST): every coordinate is converted, and each item decoded
// again so that what derives from its position follows.
func reproject(layer string, items []geo.Feature, crs data.CRS) ([]geo.Feature, error) {
	if crs == data.WGS84 || crs == "" {
		return items, nil
	}
	out := make([]geo.Feature, len(items))
	var ps geo.Problems
	for i, it := range items {
		f := data.ToFeature(it)
		f.Geometry = project.Geometry(orb.Clone(it.FeatureGeometry().(orb.Geometry)), orb.Projection(crs.ToWGS84))
		item, fps := data.FromFeature(layer, i, f)
		ps = append(ps, fps...)
		out[i] = item
	}
	if err := ps.Err("invalid " + layer + " after conversion from " + string(crs)); err != nil {
		return nil, err
	}
	return out, nil
}

// reprojectPatch converts the coordinates of a merge patch's geometry
// from crs to WGS84 in place. Positions that are not pairs of numbers are
// left for the decoder to refuse.
func reprojectPatch(patch map[string]any, crs data.CRS) {
	if crs == data.WGS84 || crs == "" {
		return
	}
	g, ok := patch["geometry"].(map[string]any)
	if !ok {
		return
	}
	if c, ok := g["coordinates"]; ok {
		g["coordinates"] = reprojectCoords(c, crs)
	}
}

func reprojectCoords(v any, crs data.CRS) any {
	arr, ok := v.([]any)
	if !ok {
		return v
	}
	if len(arr) >= 2 {
		x, xok := arr[0].(float64)
		y, yok := arr[1].(float64)
		if xok && yok {
			p := crs.ToWGS84(orb.Point{x, y})
			out := slices.Clone(arr)
			out[0], out[1] = p[0], p[1]
			return out
		}
	}
	out := make([]any, len(arr))
	for i, e := range arr {
		out[i] = reprojectCoords(e, crs)
	}
	return out
}

// reportAnswer is what a position-only writer (a tracker) gets back: the
// id it wrote and the responders layer's version after the write, no
// more of the record.
type reportAnswer struct {
	ID      string `json:"id"`
	Version uint64 `json:"version"`
}

// reportDone answers a tracker's report with its id and the new version.
func (s *Server) reportDone(w http.ResponseWriter, a *geo.Atlas, t writeTarget) error {
	v := a.Versions()[t.layer]
	h := w.Header()
	h.Set("ETag", s.layerTag(t.layer, v))
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Type", mediaJSON)
	return writeJSON(w, mediaJSON, reportAnswer{ID: t.id, Version: v})
}

// checkPlausible adds a problem when pt lies outside the district's
// plausible area (its grids' bounding box grown by --plausible-margin-m):
// a tracker's report from the other side of the Earth is a fault, and
// one such point would make every page of the layer look costly.
func (s *Server) checkPlausible(ps *geo.Problems, layer string, index int, id string, pt orb.Point) {
	if math.Abs(pt[0]) > 180 || math.Abs(pt[1]) > 90 || math.IsNaN(pt[0]) || math.IsNaN(pt[1]) {
		return // not a position at all: the geometry's validation says so
	}
	b, ok := s.atlas().PlausibleBound(s.sec.limits.PlausibleMarginM)
	if !ok || b.Contains(pt) {
		return
	}
	ps.Add(layer, index, id, "geometry.coordinates", fmt.Sprintf("a position within %.0f km of the district (longitude %.4f to %.4f, latitude %.4f to %.4f), got [%g, %g]",
		s.sec.limits.PlausibleMarginM/1000, b.Min[0], b.Max[0], b.Min[1], b.Max[1], pt[0], pt[1]))
}
