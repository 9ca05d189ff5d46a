package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"
	"github.com/paulmach/orb/geojson"

	"gridwatch/data"
	"gridwatch/geo"
)

// writeRoutes adds the write routes of the collections.
func (s *Server) writeRoutes(r chi.Router) {
	r.Put("/collections/{collectionId}/items", s.handle(s.putItems))
	r.Post("/collections/{collectionId}/items", s.handle(s.postItems))
	r.Patch("/collections/{collectionId}/items/{featureId}", s.handle(s.patchItem))
	r.Delete("/collections/{collectionId}/items/{featureId}", s.handle(s.deleteItem))
}

// writeTarget is the layer a write request names, checked.
type writeTarget struct {
	layer  string
	id     string // the feature id, for PATCH and DELETE
	dryRun bool
	// crs is the coordinate system of the body's geometries (input_crs).
	crs data.CRS
	// version is the layer's version the request was checked against
	// (If-Match); 0 when the request is unconditional.
	version uint64
}

// writeParams are the query parameters every write takes.
var writeParams = []string{"dry_run", "input_crs"}

// target reads the collection (and feature) of a write request, its
// dry_run and input_crs parameters and its If-Match condition against the
// current atlas. Without a durable store only a responder's PATCH is
// taken.
func (s *Server) target(r *http.Request, withID bool) (writeTarget, error) {
	a, err := s.current()
	if err != nil {
		return writeTarget{}, err
	}
	t := writeTarget{layer: chi.URLParam(r, "collectionId")}
	d, err := s.layerData(a, t.layer)
	if err != nil {
		return writeTarget{}, err
	}
	if !s.sec.durable && !(r.Method == http.MethodPatch && t.layer == geo.LayerResponders) {
		return writeTarget{}, errNoStore
	}
	if withID {
		if t.id, err = url.PathUnescape(chi.URLParam(r, "featureId")); err != nil {
			return writeTarget{}, geo.Errorf(geo.NotFound, "no feature %s in %s", quote(chi.URLParam(r, "featureId")), t.layer)
		}
	}
	q := r.URL.Query()
	if err := onlyParams(q, writeParams...); err != nil {
		return writeTarget{}, err
	}
	for _, name := range writeParams {
		if len(q[name]) > 1 {
			return writeTarget{}, invalidParam(name, "one value, got "+strconv.Itoa(len(q[name])))
		}
	}
	if v := q.Get("dry_run"); v != "" {
		if t.dryRun, err = strconv.ParseBool(v); err != nil {
			return writeTarget{}, invalidParam("dry_run", "true or false, got "+quote(v))
		}
	}
	if t.crs, err = data.ParseCRS("input_crs", q.Get("input_crs")); err != nil {
		return writeTarget{}, err
	}
	if cond := r.Header.Get("If-Match"); cond != "" {
		if !s.ifMatch(r, cond, d) {
			return writeTarget{}, geo.Errorf(geo.Precondition, "If-Match %s does not name the current version of %s: send its ETag %s, or the ETag of GET /collections/%s/items without query parameters", quote(cond), t.layer, s.layerTag(t.layer, d.version), t.layer)
		}
		t.version = d.version
	}
	return t, nil
}

// layerTag is the strong ETag of a layer version, which write answers
// carry and If-Match takes.
func (s *Server) layerTag(layer string, version uint64) string {
	return fmt.Sprintf(`"%s-%s-%d"`, s.tagEpoch[:8], layer, version)
}

// ifMatch reports whether an If-Match list names the layer's current
// version: its layer tag, or the ETag of its items (GET
// /collections/{id}/items in JSON, compared without the weak prefix, as a
// client has no other tag of the layer), or "*".
func (s *Server) ifMatch(r *http.Request, list string, d *layerData) bool {
	list = strings.TrimSpace(list)
	if list == "*" {
		return true
	}
	itemsReq := r.Clone(r.Context())
	itemsReq.URL.Path, itemsReq.URL.RawQuery = collectionPath(d.name)+"/items", ""
	want := []string{s.layerTag(d.name, d.version), strings.TrimPrefix(s.etag(itemsReq, formatJSON, d.tag()), "W/")}
	for _, t := range strings.Split(list, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		for _, w := range want {
			if t == w {
				return true
			}
		}
	}
	return false
}

// stale reports whether a conditional write meets a layer changed since
// its condition was checked.
func (t writeTarget) stale(a *geo.Atlas) error {
	if t.version == 0 {
		return nil
	}
	if v := a.Versions()[t.layer]; v != t.version {
		return geo.Errorf(geo.Precondition, "%s changed (version %d, the request was checked against %d); read it again and retry", t.layer, v, t.version)
	}
	return nil
}

// putItems serves PUT /collections/{collectionId}/items: the body (a
// FeatureCollection or CSV) becomes the layer's whole content.
func (s *Server) putItems(w http.ResponseWriter, r *http.Request) error {
	t, err := s.target(r, false)
	if err != nil {
		return err
	}
	raw, err := s.readBody(r)
	if err != nil {
		return err
	}
	body, err := s.decodeWriteBody(r, t, raw)
	if err != nil {
		return err
	}
	if body.single {
		return bodyProblem("type", `a FeatureCollection: PUT replaces the whole layer (POST adds one Feature)`)
	}
	apply := func(a *geo.Atlas) (*geo.Atlas, []data.Change, error) {
		na, err := a.WithLayer(t.layer, body.items)
		return na, []data.Change{{Layer: t.layer, Replace: true, Items: body.items}}, err
	}
	noteAudit(r.Context(), t.layer, len(body.items))
	a, err := s.runWrite(r, t, &writeOp{layer: t.layer, op: "replace", apply: apply})
	if err != nil || a == nil {
		return err
	}
	return s.writeDone(w, r, a, t, http.StatusOK, writeSummary{Replaced: len(body.items)})
}

// postItems serves POST /collections/{collectionId}/items: a Feature
// (answered 201 with its Location) or a FeatureCollection of new
// features. An id that exists already is a 409.
func (s *Server) postItems(w http.ResponseWriter, r *http.Request) error {
	t, err := s.target(r, false)
	if err != nil {
		return err
	}
	raw, err := s.readBody(r)
	if err != nil {
		return err
	}
	body, err := s.decodeWriteBody(r, t, raw)
	if err != nil {
		return err
	}
	ids := make([]string, len(body.items))
	for i, it := range body.items {
		ids[i] = it.FeatureID()
	}
	add := func(lookup func(string) (geo.Feature, bool)) ([]geo.Feature, []string, error) {
		return body.items, nil, duplicates(lookup, t.layer, body.items)
	}
	noteAudit(r.Context(), t.layer, len(body.items), ids...)
	a, err := s.runWrite(r, t, &writeOp{layer: t.layer, op: "add", edit: add})
	if err != nil || a == nil {
		return err
	}
	if body.single {
		return s.featureDone(w, r, a, t, ids[0], http.StatusCreated)
	}
	return s.writeDone(w, r, a, t, http.StatusCreated, writeSummary{Created: ids})
}

// duplicates refuses new items whose id the layer has, or that share an
// id, listing every one (409).
func duplicates(lookup func(string) (geo.Feature, bool), layer string, items []geo.Feature) error {
	var ps geo.Problems
	seen := map[string]int{}
	for i, it := range items {
		id := it.FeatureID()
		if _, ok := lookup(id); ok {
			ps.Add(layer, i, id, "id", "an id not yet in "+layer+" (use PATCH to change a feature)")
		} else if j, dup := seen[id]; dup {
			ps.Add(layer, i, id, "id", fmt.Sprintf("a unique id (feature %d has it too)", j))
		}
		seen[id] = i
	}
	if len(ps) == 0 {
		return nil
	}
	return &geo.Error{Code: geo.Conflict, Message: "duplicate ids", Problems: ps}
}

// deleteItem serves DELETE /collections/{collectionId}/items/{featureId}.
func (s *Server) deleteItem(w http.ResponseWriter, r *http.Request) error {
	t, err := s.target(r, true)
	if err != nil {
		return err
	}
	remove := func(lookup func(string) (geo.Feature, bool)) ([]geo.Feature, []string, error) {
		if _, ok := lookup(t.id); !ok {
			return nil, nil, geo.Errorf(geo.NotFound, "no feature %s in %s", quote(t.id), t.layer)
		}
		return nil, []string{t.id}, nil
	}
	noteAudit(r.Context(), t.layer, 1, t.id)
	a, err := s.runWrite(r, t, &writeOp{layer: t.layer, op: "delete", edit: remove})
	if err != nil || a == nil {
		return err
	}
	if t.dryRun {
		return s.writeDone(w, r, a, t, http.StatusOK, writeSummary{})
	}
	w.Header().Set("ETag", s.layerTag(t.layer, a.Versions()[t.layer]))
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// runWrite validates a write against the current atlas (dry run) or
// commits it; it returns the atlas just after the write. A conditional
// write (If-Match) is applied on its own, checked against the layer's
// version at its turn.
func (s *Server) runWrite(r *http.Request, t writeTarget, w *writeOp) (*geo.Atlas, error) {
	if w.apply == nil {
		w.apply = editApply(w.layer, w.edit)
	}
	if t.version != 0 {
		apply := w.apply
		w.edit = nil
		w.conditional = true
		w.apply = func(a *geo.Atlas) (*geo.Atlas, []data.Change, error) {
			if err := t.stale(a); err != nil {
				return nil, nil, err
			}
			na, changes, err := apply(a)
			// A store shared with other processes checks the version
			// again in its transaction.
			for i := range changes {
				if changes[i].Layer == t.layer {
					changes[i].IfVersion = t.version
				}
			}
			return na, changes, err
		}
	}
	if t.dryRun {
		a, err := s.current()
		if err != nil {
			return nil, err
		}
		na, _, err := w.apply(a)
		noteOutcome(r.Context(), outcomeOf(err, "dry_run"))
		return na, err
	}
	a, err := s.sec.writes.submit(r.Context(), w)
	noteOutcome(r.Context(), outcomeOf(err, "applied"))
	var wd errWithdrawn
	if errors.As(err, &wd) {
		ms := s.sec.limits.Timeout.Milliseconds()
		e := &geo.Error{Code: geo.Unavailable, Err: err,
			Message: "the request ended before its write was applied, so the write was not applied; retry it"}
		if errors.Is(err, context.DeadlineExceeded) {
			e.Limit, e.Max = "timeout", ms
			e.Message = fmt.Sprintf("the write waited longer than the request's %d ms and was not applied; retry it", ms)
		}
		return nil, e
	}
	return a, err
}

// outcomeOf is the audit outcome of a write that ended with err: done
// when it succeeded, else not_applied (withdrawn, or the store failed) or
// refused (invalid, conflict...).
func outcomeOf(err error, done string) string {
	var wd errWithdrawn
	switch {
	case err == nil:
		return done
	case errors.As(err, &wd) || geo.ErrorCode(err) == geo.Unavailable || geo.ErrorCode(err) == geo.StoreUnavailable:
		return "not_applied"
	}
	return "refused"
}

// writeSummary is the answer to a write of several features.
type writeSummary struct {
	Layer    string   `json:"layer"`
	DryRun   bool     `json:"dry_run"`
	Valid    bool     `json:"valid"`
	Version  uint64   `json:"version"`
	Features int      `json:"features"`
	Replaced int      `json:"replaced,omitempty"`
	Created  []string `json:"created,omitempty"`
}

// writeDone answers a write with a summary and the layer's new ETag. A dry
// run answers 200 and reports the version the write would make.
func (s *Server) writeDone(w http.ResponseWriter, r *http.Request, a *geo.Atlas, t writeTarget, status int, sum writeSummary) error {
	l, _ := a.Layer(t.layer)
	sum.Layer, sum.DryRun, sum.Valid, sum.Version, sum.Features = t.layer, t.dryRun, true, l.Version(), l.Len()
	if t.dryRun {
		status = http.StatusOK
	} else {
		w.Header().Set("ETag", s.layerTag(t.layer, l.Version()))
	}
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Type", mediaJSON)
	w.WriteHeader(status)
	return writeJSON(w, mediaJSON, sum)
}

// featureDone answers a write of one feature with the feature as stored,
// its Location (201) and the layer's new ETag.
func (s *Server) featureDone(w http.ResponseWriter, r *http.Request, a *geo.Atlas, t writeTarget, id string, status int) error {
	if t.dryRun {
		return s.writeDone(w, r, a, t, http.StatusOK, writeSummary{})
	}
	l, _ := a.Layer(t.layer)
	it, ok := l.FeatureByID(id)
	if !ok {
		return geo.Errorf(geo.Internal, "%s %q missing after its write", t.layer, id)
	}
	f := data.ToFeature(it)
	f.ExtraMembers = geojson.Properties{"links": []link{{Href: s.base(r) + itemPath(t.layer, id), Rel: "self", Type: mediaGeoJSON}}}
	h := w.Header()
	h.Set("ETag", s.layerTag(t.layer, l.Version()))
	h.Set("Cache-Control", "no-store")
	if status == http.StatusCreated {
		h.Set("Location", s.base(r)+itemPath(t.layer, id))
	}
	h.Set("Content-Type", mediaGeoJSON)
	w.WriteHeader(status)
	return writeJSON(w, mediaGeoJSON, f)
}
