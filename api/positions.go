package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/paulmach/orb"

	"gridwatch/data"
	"gridwatch/geo"
)

// maxPositionBody bounds the body of a position PATCH.
const maxPositionBody = 16 << 10

// mediaMergePatch is the media type of a JSON merge patch (RFC 7396).
const mediaMergePatch = "application/merge-patch+json"

// maxFutureSkew is how far in the future of the server's clock a report's
// updated time may be (device clocks drift).
const maxFutureSkew = 5 * time.Minute

// patchResponder serves PATCH /collections/responders/items/{featureId}:
// a JSON merge patch (RFC 7396) of the responder's Feature that may set
// its position (geometry), properties.available and properties.updated,
// and nothing else. A patch that moves the responder or changes its
// availability without an updated time is dated now. The answer, the
// feature as it is after the patch, comes once the patch's batch is
// applied, so a read that starts after it sees the change.
//
// It is refused (403) unless the server runs with Options.DevPositions
// or the request carries a valid token (the permission table lets
// trackers and admins through). With a durable store (Options.Store) the
// write goes through the store's group commit instead.
func (s *Server) patchResponder(w http.ResponseWriter, r *http.Request) error {
	if !s.disp.devPositions && !principalOf(r.Context()).Token {
		return geo.Errorf(geo.Forbidden, "position updates are refused: start the server with the development flag "+
			"(--dev-positions) to accept them without a token")
	}
	if s.sec != nil && s.sec.writes != nil {
		// A durable store takes every write through its group commit, so
		// that no write is lost to another; it serves the same merge patch.
		chi.RouteContext(r.Context()).URLParams.Add("collectionId", geo.LayerResponders)
		return s.patchItem(w, r)
	}
	if s.disp.writer == nil {
		return geo.Errorf(geo.Unavailable, "this server serves a read-only atlas: position updates need a writable atlas holder")
	}
	id, err := url.PathUnescape(chi.URLParam(r, "featureId"))
	if err != nil {
		return geo.Errorf(geo.NotFound, "no feature %s in responders", quote(chi.URLParam(r, "featureId")))
	}
	p := newQueryParams(r.URL.Query())
	p.accept([]string{"input_crs"})
	crs := p.crs()
	if err := p.ps.Err("invalid query"); err != nil {
		return err
	}
	a, err := s.current()
	if err != nil {
		return err
	}
	if _, ok := a.Responders.Get(id); !ok {
		return geo.Errorf(geo.NotFound, "no feature %s in responders", quote(id))
	}
	patch, err := s.decodePositionPatch(r, id, crs)
	if err != nil {
		return err
	}
	resp, err := s.disp.writer.submit(r.Context().Done(), patch)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	return writeJSON(w, mediaGeoJSON, responderFeature(resp))
}

// decodePositionPatch reads and checks a merge patch, naming every field
// at fault.
func (s *Server) decodePositionPatch(r *http.Request, id string, crs data.CRS) (*positionPatch, error) {
	var ps geo.Problems
	bad := func(field, expected string) { ps.Add(geo.LayerResponders, -1, id, field, expected) }
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || (mt != mediaMergePatch && mt != mediaJSON) {
		bad("Content-Type", mediaMergePatch+" (or "+mediaJSON+"), got "+quote(r.Header.Get("Content-Type")))
		return nil, ps.Err("invalid position update")
	}
	raw, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, maxPositionBody))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, &geo.Error{Code: geo.TooLarge, Limit: "body_bytes", Max: maxPositionBody,
				Message: fmt.Sprintf("a position update is at most %d bytes", maxPositionBody)}
		}
		return nil, fmt.Errorf("read body: %w", err)
	}
	var members map[string]json.RawMessage
	if err := json.Unmarshal(raw, &members); err != nil || members == nil {
		bad("body", "a JSON merge patch of the Feature: an object with geometry and/or properties")
		return nil, ps.Err("invalid position update")
	}
	out := &positionPatch{id: id}
	for _, name := range sortedKeys(members) {
		v := members[name]
		switch name {
		case "type":
			if string(bytes.TrimSpace(v)) != `"Feature"` {
				bad("type", `"Feature" (or no type), got `+quote(string(v)))
			}
		case "id":
			var got string
			if json.Unmarshal(v, &got) != nil || got != id {
				bad("id", fmt.Sprintf("the id of the path, %q (or no id), got %s", id, quote(string(v))))
			}
		case "geometry":
			out.point = decodePatchPoint(v, crs, bad)
		case "properties":
			decodePatchProperties(v, out, bad)
		default:
			bad(name, "no such member; a position update may patch geometry, properties.available and properties.updated")
		}
	}
	now := s.now()
	if out.updated != nil && out.updated.After(now.Add(maxFutureSkew)) {
		bad("properties.updated", fmt.Sprintf("a time no later than the server's clock (%s) plus %s, got %s",
			now.UTC().Format(time.RFC3339), maxFutureSkew, out.updated.UTC().Format(time.RFC3339)))
	}
	if err := ps.Err("invalid position update"); err != nil {
		return nil, err
	}
	if out.updated == nil && (out.point != nil || out.available != nil) {
		t := now.UTC().Truncate(time.Second)
		out.updated = &t
	}
	return out, nil
}

// decodePatchPoint reads the geometry member: a Point (its type may be
// left out, as a merge patch of a Point keeps it) given in crs.
func decodePatchPoint(v json.RawMessage, crs data.CRS, bad func(field, expected string)) *orb.Point {
	const want = `a Point {"type": "Point", "coordinates": [lon, lat]}`
	var g map[string]json.RawMessage
	if err := json.Unmarshal(v, &g); err != nil || g == nil {
		bad("geometry", want+" (a responder always has a position), got "+quote(string(v)))
		return nil
	}
	for _, name := range sortedKeys(g) {
		if name != "type" && name != "coordinates" {
			bad("geometry."+name, "no such member; "+want)
		}
	}
	if t, ok := g["type"]; ok && string(bytes.TrimSpace(t)) != `"Point"` {
		bad("geometry.type", `"Point", got `+quote(string(t)))
	}
	var xy []float64
	if err := json.Unmarshal(g["coordinates"], &xy); err != nil || len(xy) != 2 {
		bad("geometry.coordinates", "[lon, lat], got "+quote(string(g["coordinates"])))
		return nil
	}
	in := orb.Point{xy[0], xy[1]}
	if msg := geo.CheckPoint(in); msg != "" {
		bad("geometry.coordinates", msg)
		return nil
	}
	pt := crs.ToWGS84(in)
	return &pt
}

// decodePatchProperties reads the properties member: available and
// updated, neither null.
func decodePatchProperties(v json.RawMessage, out *positionPatch, bad func(field, expected string)) {
	var props map[string]json.RawMessage
	if err := json.Unmarshal(v, &props); err != nil || props == nil {
		bad("properties", "an object with available and/or updated, got "+quote(string(v)))
		return
	}
	for _, name := range sortedKeys(props) {
		pv := props[name]
		switch name {
		case "available":
			var b bool
			if string(bytes.TrimSpace(pv)) == "null" || json.Unmarshal(pv, &b) != nil {
				bad("properties.available", "true or false, got "+quote(string(pv)))
				continue
			}
			out.available = &b
		case "updated":
			var s string
			t, err := time.Time{}, json.Unmarshal(pv, &s)
			if err == nil {
				t, err = time.Parse(time.RFC3339, s)
			}
			if err != nil {
				bad("properties.updated", "an RFC 3339 time, got "+quote(string(pv)))
				continue
			}
			out.updated = &t
		default:
			bad("properties."+name, "not patchable; a position update may patch properties.available and properties.updated only")
		}
	}
}
