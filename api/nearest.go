package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/paulmach/orb"

	"gridwatch/coverage"
	"gridwatch/geo"
)

// maxNearestBody bounds the body of a batch (1,000 points need about
// 50 kB).
const maxNearestBody = 1 << 20

// nearest serves GET /responders/nearest: whose the point is and the k
// nearest responders that pass the filters.
func (s *Server) nearest(w http.ResponseWriter, r *http.Request) error {
	a, err := s.current()
	if err != nil {
		return err
	}
	req, err := s.parseNearest(r.URL.Query(), false)
	if err != nil {
		return err
	}
	if err := req.useModel(a); err != nil {
		return err
	}
	req.query.Now = coverage.ReferenceTime(a, s.now())
	req.query.Point = req.point
	if notModified(w, r, s.etag(r, formatJSON, s.nearestTags(a, req)...)) {
		return nil
	}
	hits, err := coverage.Nearest(a.Responders, req.query)
	if err != nil {
		return err
	}
	resp := coverage.Responsible(a, req.point, s.disp.assignmentsFor(a))
	return writeJSON(w, mediaGeoJSON, nearestAnswer(resp, req, req.input, hits))
}

// nearestBatchBody is the body of POST /responders/nearest.
type nearestBatchBody struct {
	Points []orb.Point
}

// nearestBatch serves POST /responders/nearest: the same answer for up to
// coverage.MaxBatch points, in their order. The filters are the query
// parameters of the GET; the body is {"points": [[lon, lat], ...]}.
func (s *Server) nearestBatch(w http.ResponseWriter, r *http.Request) error {
	a, err := s.current()
	if err != nil {
		return err
	}
	req, err := s.parseNearest(r.URL.Query(), true)
	if err != nil {
		return err
	}
	if err := req.useModel(a); err != nil {
		return err
	}
	body, err := decodeBatchBody(r)
	if err != nil {
		return err
	}
	if err := s.checkBatch(len(body.Points)); err != nil {
		return err
	}
	req.query.Now = coverage.ReferenceTime(a, s.now())
	points := make([]orb.Point, len(body.Points))
	for i, p := range body.Points {
		points[i] = req.crs.ToWGS84(p)
	}
	hits, err := coverage.NearestBatch(a.Responders, points, req.query)
	if err != nil {
		return err
	}
	as := s.disp.assignmentsFor(a)
	out := struct {
		Results []nearestCollection `json:"results"`
	}{Results: make([]nearestCollection, len(points))}
	for i, p := range points {
		out.Results[i] = nearestAnswer(coverage.Responsible(a, p, as), req, body.Points[i], hits[i])
	}
	return writeJSON(w, mediaJSON, out)
}

// decodeBatchBody reads {"points": [[lon, lat], ...]}, naming the member
// or point at fault.
func decodeBatchBody(r *http.Request) (nearestBatchBody, error) {
	raw, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, maxNearestBody))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nearestBatchBody{}, &geo.Error{Code: geo.TooLarge, Limit: "body_bytes", Max: maxNearestBody,
				Message: fmt.Sprintf("the body is larger than %d bytes", maxNearestBody)}
		}
		return nearestBatchBody{}, fmt.Errorf("read body: %w", err)
	}
	var ps geo.Problems
	bad := func(i int, field, expected string) { ps.Add("body", i, "", field, expected) }
	var members map[string]json.RawMessage
	if err := json.Unmarshal(raw, &members); err != nil {
		bad(-1, "body", `a JSON object {"points": [[lon, lat], ...]}: `+err.Error())
		return nearestBatchBody{}, ps.Err("invalid batch")
	}
	for name := range members {
		if name != "points" {
			bad(-1, name, `no such member; the body is {"points": [[lon, lat], ...]} and the filters are query parameters`)
		}
	}
	var rawPoints []json.RawMessage
	if err := json.Unmarshal(members["points"], &rawPoints); err != nil || rawPoints == nil {
		bad(-1, "points", "an array of [lon, lat] positions")
	}
	if len(rawPoints) > coverage.MaxBatch {
		return nearestBatchBody{}, &geo.Error{Code: geo.TooLarge, Limit: "points", Max: coverage.MaxBatch,
			Message: fmt.Sprintf("a batch holds at most %d points, got %d", coverage.MaxBatch, len(rawPoints))}
	}
	out := nearestBatchBody{Points: make([]orb.Point, len(rawPoints))}
	for i, rp := range rawPoints {
		var xy []float64
		dec := json.NewDecoder(bytes.NewReader(rp))
		if err := dec.Decode(&xy); err != nil || len(xy) != 2 {
			bad(i, "points", "a position [lon, lat], got "+quote(string(rp)))
			continue
		}
		out.Points[i] = orb.Point{xy[0], xy[1]}
	}
	if err := ps.Err("invalid batch"); err != nil {
		return nearestBatchBody{}, err
	}
	return out, nil
}
