package api

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/httprate"
	"github.com/paulmach/orb"

	"gridwatch/geo"
)

// Limits bound what one request may ask for. A zero field takes its
// default (DefaultLimits), except RatePerMinute, where zero means no rate
// limit. OGC's limit parameter is not here: it clamps (Options.MaxLimit);
// every limit here refuses.
type Limits struct {
	// MaxBodyBytes is the largest request body (413 limit "body_bytes").
	MaxBodyBytes int64
	// MaxFeatures is the most features one write may carry (413 limit
	// "features").
	MaxFeatures int
	// MaxK is the largest k a nearest-neighbour query may ask (400 limit "k").
	MaxK int
	// MaxBatch is the most points one batch request may carry (413 limit
	// "batch").
	MaxBatch int
	// MaxQueryCost caps an items page: the page size times the area in km²
	// of the bbox within the layer's extent (400 limit "query_cost").
	MaxQueryCost float64
	// MaxJSONDepth is the deepest nesting of a JSON body (400 limit
	// "json_depth").
	MaxJSONDepth int
	// Timeout is how long a request may run (503 limit "timeout").
	Timeout time.Duration
	// MaxAnalyses is how many analysis requests (/coverage/*, /load/*,
	// /response/*) the server runs at once (503 limit "analyses").
	MaxAnalyses int
	// MaxAnalysesPerClient is how many of them one token (or client
	// address) runs at once (429 limit "analyses_per_client").
	MaxAnalysesPerClient int
	// PlausibleMarginM is how far outside the bounding box of the
	// district's grids a responder's reported position may lie (400
	// otherwise); it also clips the area of an items page's query cost.
	PlausibleMarginM float64
	// RatePerMinute is how many requests one token (or, without a token,
	// one client address) may make in a sliding minute (429 limit "rate",
	// with Retry-After). Zero turns the rate limit off.
	RatePerMinute int
}

// DefaultLimits returns the documented defaults (the serve flags' too).
func DefaultLimits() Limits {
	return Limits{
		MaxBodyBytes:  32 << 20,
		MaxFeatures:   100_000,
		MaxK:          100,
		MaxBatch:      1_000,
		MaxQueryCost:  1e9,
		MaxJSONDepth:  32,
		Timeout:       30 * time.Second,
		RatePerMinute: 6_000,
		// The map page asks for up to seven analyses at once.
		MaxAnalyses:          12,
		MaxAnalysesPerClient: 8,
		PlausibleMarginM:     geo.DefaultPlausibleMarginM,
	}
}

// withDefaults fills the zero fields (but RatePerMinute) with the defaults.
func (l Limits) withDefaults() Limits {
	d := DefaultLimits()
	if l.MaxBodyBytes <= 0 {
		l.MaxBodyBytes = d.MaxBodyBytes
	}
	if l.MaxFeatures <= 0 {
		l.MaxFeatures = d.MaxFeatures
	}
	if l.MaxK <= 0 {
		l.MaxK = d.MaxK
	}
	if l.MaxBatch <= 0 {
		l.MaxBatch = d.MaxBatch
	}
	if l.MaxQueryCost <= 0 {
		l.MaxQueryCost = d.MaxQueryCost
	}
	if l.MaxJSONDepth <= 0 {
		l.MaxJSONDepth = d.MaxJSONDepth
	}
	if l.Timeout <= 0 {
		l.Timeout = d.Timeout
	}
	if l.MaxAnalyses <= 0 {
		l.MaxAnalyses = d.MaxAnalyses
	}
	if l.MaxAnalysesPerClient <= 0 {
		l.MaxAnalysesPerClient = d.MaxAnalysesPerClient
	}
	if l.PlausibleMarginM <= 0 {
		l.PlausibleMarginM = d.PlausibleMarginM
	}
	l.RatePerMinute = max(l.RatePerMinute, 0)
	return l
}

// limitError returns the error of a refused limit: code decides the status
// (Invalid 400, TooLarge 413, RateLimited 429, Unavailable 503); the
// problem carries the limit's name and value.
func limitError(code geo.Code, limit string, maxValue int64, format string, args ...any) *geo.Error {
	return &geo.Error{Code: code, Limit: limit, Max: maxValue, Message: fmt.Sprintf(format, args...)}
}

// checkK refuses a k above the limit. Handlers of nearest-neighbour
// queries call it; the guard also checks a k query parameter on every
// route.
func (s *Server) checkK(k int) error {
	if maxK := s.sec.limits.MaxK; k > maxK {
		e := limitError(geo.Invalid, "k", int64(maxK), "k is %d; at most %d neighbours may be asked for", k, maxK)
		e.Problems = []geo.Problem{{Index: -1, Field: "k", Expected: fmt.Sprintf("an integer from 1 to %d, got %d", maxK, k)}}
		return e
	}
	return nil
}

// checkBatch refuses a batch of n items above the limit; batch handlers
// call it before doing any work.
func (s *Server) checkBatch(n int) error {
	if n > s.sec.limits.MaxBatch {
		return limitError(geo.TooLarge, "batch", int64(s.sec.limits.MaxBatch), "the batch has %d items; at most %d are accepted", n, s.sec.limits.MaxBatch)
	}
	return nil
}

// checkFeatureCount refuses a write of n features above the limit.
func (s *Server) checkFeatureCount(n int) error {
	if n > s.sec.limits.MaxFeatures {
		return limitError(geo.TooLarge, "features", int64(s.sec.limits.MaxFeatures), "the write has %d features; at most %d are accepted in one request", n, s.sec.limits.MaxFeatures)
	}
	return nil
}

// asLimitError turns the errors of limits enforced by the standard
// library into limit problems: a body over http.MaxBytesReader's limit
// (413) and the request's deadline (503).
func (s *Server) asLimitError(r *http.Request, err error) error {
	var mb *http.MaxBytesError
	if errors.As(err, &mb) {
		return limitError(geo.TooLarge, "body_bytes", mb.Limit, "the request body is larger than %d bytes", mb.Limit)
	}
	if errors.Is(err, context.DeadlineExceeded) && errors.Is(r.Context().Err(), context.DeadlineExceeded) {
		ms := s.sec.limits.Timeout.Milliseconds()
		return &geo.Error{Code: geo.Unavailable, Limit: "timeout", Max: ms, Err: err,
			Message: fmt.Sprintf("the request took longer than %d ms and was stopped; narrow it (bbox, limit, fewer items) and retry", ms)}
	}
	return err
}

// checkRequestLimits refuses, before any work, a body declared too large,
// a k above the limit, and an items page above the query cost.
func (s *Server) checkRequestLimits(r *http.Request, m routeMatch) error {
	l := s.sec.limits
	if r.ContentLength > l.MaxBodyBytes {
		return limitError(geo.TooLarge, "body_bytes", l.MaxBodyBytes, "the request body is %d bytes; at most %d are accepted", r.ContentLength, l.MaxBodyBytes)
	}
	q := r.URL.Query()
	if vs := q["k"]; len(vs) == 1 {
		if k, err := strconv.Atoi(strings.TrimSpace(vs[0])); err == nil {
			if err := s.checkK(k); err != nil {
				return err
			}
		}
	}
	if r.Method == http.MethodGet && normalizePattern(m.Pattern) == "/collections/{}/items" {
		return s.checkQueryCost(q, m.Collection)
	}
	return nil
}

// checkQueryCost refuses an items page whose size times the area (km²) of
// its bbox within the layer's extent is above the limit. Malformed
// parameters are left for the handler to report.
func (s *Server) checkQueryCost(q map[string][]string, collection string) error {
	a := s.atlas()
	if a == nil {
		return nil
	}
	layer, ok := a.Layer(collection)
	if !ok || isNil(layer) || layer.Len() == 0 {
		return nil
	}
	limit := s.defLimit
	if vs := q["limit"]; len(vs) == 1 {
		n, err := strconv.Atoi(vs[0])
		if err != nil || n < 1 {
			return nil
		}
		limit = min(n, s.maxLimit)
	}
	// The area is what the page can touch: the layer's extent clipped to
	// the district's plausible area, so that one far point (a tracker's
	// bad report) does not make every page of the layer too costly.
	ext := layer.Bound()
	if pb, ok := a.PlausibleBound(s.sec.limits.PlausibleMarginM); ok {
		if !ext.Intersects(pb) {
			ext = orb.Bound{Min: pb.Min, Max: pb.Min}
		} else {
			ext = orb.Bound{Min: orb.Point{math.Max(ext.Min[0], pb.Min[0]), math.Max(ext.Min[1], pb.Min[1])},
				Max: orb.Point{math.Min(ext.Max[0], pb.Max[0]), math.Min(ext.Max[1], pb.Max[1])}}
		}
	}
	area := boxAreaKm2(ext.Min[0], ext.Min[1], ext.Max[0], ext.Max[1])
	if vs := q["bbox"]; len(vs) == 1 {
		boxes, msg := parseBBox(vs[0])
		if msg != "" {
			return nil
		}
		area = 0
		for _, b := range boxes {
			if !b.Intersects(ext) {
				continue
			}
			lo := [2]float64{math.Max(b.Min[0], ext.Min[0]), math.Max(b.Min[1], ext.Min[1])}
			hi := [2]float64{math.Min(b.Max[0], ext.Max[0]), math.Min(b.Max[1], ext.Max[1])}
			area += boxAreaKm2(lo[0], lo[1], hi[0], hi[1])
		}
	}
	cost := float64(limit) * area
	if maxCost := s.sec.limits.MaxQueryCost; cost > maxCost {
		return limitError(geo.Invalid, "query_cost", int64(maxCost),
			"the page would cost %.3g (limit %d × %.0f km² of bbox within the layer); at most %.3g: use a smaller bbox or limit", cost, limit, area, maxCost)
	}
	return nil
}

// boxAreaKm2 is the area of a longitude/latitude box on the sphere of
// geo.EarthRadius, in km².
func boxAreaKm2(minLon, minLat, maxLon, maxLat float64) float64 {
	r := geo.EarthRadius / 1000
	rad := math.Pi / 180
	return r * r * (maxLon - minLon) * rad * math.Abs(math.Sin(maxLat*rad)-math.Sin(minLat*rad))
}

// newRateLimiter returns the per-token rate limiter, or nil without one.
func newRateLimiter(perMinute int) *httprate.RateLimiter {
	if perMinute <= 0 {
		return nil
	}
	return httprate.NewRateLimiter(perMinute, time.Minute)
}

// rateKey is what the rate limit counts by: the token's name, or the
// client's address for requests without a token.
func rateKey(r *http.Request, p principal) string {
	if p.Token {
		return "token:" + p.Name
	}
	host := r.RemoteAddr
	if i := strings.LastIndexByte(host, ':'); i > 0 {
		host = host[:i]
	}
	return "addr:" + httprate.CanonicalizeIP(strings.Trim(host, "[]"))
}

// checkRate counts the request against its key's rate and refuses it when
// the key is over the limit (httprate has then set Retry-After).
func (s *Server) checkRate(w http.ResponseWriter, r *http.Request, p principal) error {
	rl := s.sec.limiter
	if rl == nil {
		return nil
	}
	if !rl.OnLimit(w, r, rateKey(r, p)) {
		return nil
	}
	per := s.sec.limits.RatePerMinute
	return limitError(geo.RateLimited, "rate", int64(per), "more than %d requests a minute; retry after the number of seconds in Retry-After", per)
}
