package api

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"gridwatch/coverage"
	"gridwatch/data"
	"gridwatch/geo"
)

// loadMaxBody is the largest reallocation body, bytes.
const loadMaxBody = 64 << 10

// reallocateGet serves GET /load/reallocate: the constraints as query
// parameters (roles as a comma list).
func (h *loadAPI) reallocateGet(w http.ResponseWriter, r *http.Request) error {
	return h.reallocate(w, r, newQueryParams(r.URL.Query()), true)
}

// reallocatePost serves POST /load/reallocate: the constraints as the
// members of a JSON object; an unknown member is a 400 naming it.
func (h *loadAPI) reallocatePost(w http.ResponseWriter, r *http.Request) error {
	if err := onlyParams(r.URL.Query(), "f"); err != nil {
		return err
	}
	p, err := newBodyParams(r)
	if err != nil {
		return err
	}
	return h.reallocate(w, r, p, false)
}

// reallocate answers a reallocation request read by p: a FeatureCollection
// of the moves as LineStrings with a foreign member summary.
func (h *loadAPI) reallocate(w http.ResponseWriter, r *http.Request, p *paramReader, get bool) error {
	a, err := h.s.current()
	if err != nil {
		return err
	}
	if get {
		p.format()
	}
	opt := p.loadOptions(a, h.s.now())
	c := p.constraints()
	p.only()
	if err := p.err(); err != nil {
		return err
	}
	if err := c.Validate(); err != nil {
		return loadRelayer(err, p.layer)
	}
	l, tags, err := h.load(r.Context(), a, opt)
	if err != nil {
		return err
	}
	st, err := h.tags(a, geo.LayerStations)
	if err != nil {
		return err
	}
	tags = append(tags, st[0], fmt.Sprintf("%+v", c))
	tag := h.s.etag(r, formatJSON, tags...)
	if get && notModified(w, r, tag) {
		return nil
	}
	w.Header().Set("ETag", tag)
	key := "reallocate|" + strings.Join(tags, ",")
	plan, err := cached(r.Context(), h.cache, key, func(ctx context.Context) (*coverage.ReallocPlan, error) {
		return coverage.Reallocate(ctx, a, l, c)
	})
	if err != nil {
		return err
	}
	return writeJSON(w, mediaGeoJSON, loadPlanDoc(plan, c, l))
}

// newBodyParams reads a JSON object body into named values: strings as
// they are, arrays of strings joined by commas, other values as JSON text.
func newBodyParams(r *http.Request) (*paramReader, error) {
	raw, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, loadMaxBody))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, &geo.Error{Code: geo.TooLarge, Limit: "body_bytes", Max: loadMaxBody,
				Message: fmt.Sprintf("the body is larger than %d bytes", loadMaxBody)}
		}
		return nil, fmt.Errorf("read body: %w", err)
	}
	p := &paramReader{vals: map[string]string{}, layer: "body", used: map[string]bool{}}
	members, bad, err := loadMembers(raw)
	if err != nil {
		p.bad("body", `a JSON object of constraints, e.g. {"max_moves": 10, "roles": ["police"]}: `+err.Error())
		return nil, p.err()
	}
	for _, name := range sortedKeys(bad) {
		p.bad(name, bad[name])
	}
	for name, v := range members {
		if _, isBad := bad[name]; !isBad {
			p.vals[name] = v
		}
	}
	return p, nil
}

// constraints reads the reallocation constraints.
func (p *paramReader) constraints() coverage.ReallocConstraints {
	c := coverage.DefaultReallocConstraints()
	c.MaxMoves = p.integer("max_moves", c.MaxMoves, 0, coverage.MaxReallocMoves)
	if v, ok := p.str("roles"); ok {
		c.Roles = nil
		for _, s := range strings.Split(v, ",") {
			if v != "" {
				c.Roles = append(c.Roles, geo.Role(strings.TrimSpace(s)))
			}
		}
	}
	c.MaxDistanceM = p.number("max_distance_m", 0, 0, 1e7)
	c.MinPerGrid.Police = p.integer("min_police_per_grid", c.MinPerGrid.Police, 0, coverage.MaxNormHeadcount)
	c.MinPerGrid.Auxiliaries = p.integer("min_auxiliaries_per_grid", c.MinPerGrid.Auxiliaries, 0, coverage.MaxNormHeadcount)
	c.MinPerGrid.GridWorkers = p.integer("min_grid_workers_per_grid", c.MinPerGrid.GridWorkers, 0, coverage.MaxNormHeadcount)
	c.MinPerGrid.Volunteers = p.integer("min_volunteers_per_grid", c.MinPerGrid.Volunteers, 0, coverage.MaxNormHeadcount)
	c.FromStation = p.boolean("from_station", c.FromStation)
	c.TieTolerance = p.number("tie_tolerance", c.TieTolerance, 0, 0.999)
	return c
}

// loadRelayer sets the layer of every problem of an Invalid error.
func loadRelayer(err error, layer string) error {
	var ge *geo.Error
	if errors.As(err, &ge) {
		for i := range ge.Problems {
			ge.Problems[i].Layer = layer
		}
	}
	return err
}

// loadPlanDoc is the reallocation answer: each move a LineString from the
// grid (or station) left to the grid joined, in order, and the district
// before and after as the foreign member summary.
func loadPlanDoc(plan *coverage.ReallocPlan, c coverage.ReallocConstraints, l *coverage.LoadResult) *geojson.FeatureCollection {
	fc := geojson.NewFeatureCollection()
	for i, m := range plan.Moves {
		f := geojson.NewFeature(data.RoundGeometry(orb.LineString{m.From, m.To}))
		f.ID = fmt.Sprintf("move-%d", i+1)
		f.Properties = geojson.Properties{
			"order": i + 1, "officer": m.Officer, "role": m.Role,
			"from_grid": loadNullable(m.FromGrid), "from_station": loadNullable(m.FromStation), "to_grid": m.ToGrid,
			"distance_m":             m.DistanceM,
			"from_load_index_before": m.FromBefore, "from_load_index_after": m.FromAfter,
			"to_load_index_before": m.ToBefore, "to_load_index_after": m.ToAfter,
			"reason": m.Reason,
		}
		fc.Append(f)
	}
	roles := make([]string, len(c.Roles))
	for i, r := range c.Roles {
		roles[i] = string(r)
	}
	fc.ExtraMembers = geojson.Properties{
		"numberReturned": len(fc.Features),
		"summary": map[string]any{
			"before": loadSummaryOf(plan.Before), "after": loadSummaryOf(plan.After),
			"moves": len(plan.Moves), "evaluations": plan.Evaluations, "total_distance_m": plan.TotalDistanceM,
			"binding": loadBinding(plan.Binding), "explanation": loadNullable(plan.Explanation),
		},
		"constraints": map[string]any{
			"max_moves": c.MaxMoves, "roles": roles, "max_distance_m": loadNullableNumber(c.MaxDistanceM),
			"min_police_per_grid": c.MinPerGrid.Police, "min_auxiliaries_per_grid": c.MinPerGrid.Auxiliaries,
			"min_grid_workers_per_grid": c.MinPerGrid.GridWorkers, "min_volunteers_per_grid": c.MinPerGrid.Volunteers,
			"from_station": c.FromStation, "tie_tolerance": c.TieTolerance,
		},
	}
	for k, v := range loadAbout(l) {
		fc.ExtraMembers[k] = v
	}
	return fc
}

func loadSummaryOf(s coverage.ReallocSummary) map[string]any {
	return map[string]any{"max_load_index": s.MaxLoadIndex, "load_index_spread": s.LoadIndexSpread,
		"grids_below_norm": s.GridsBelowNorm, "grids_unstaffed": s.GridsUnstaffed}
}

// loadNullableNumber returns nil for 0 (no limit).
func loadNullableNumber(v float64) any {
	if v == 0 {
		return nil
	}
	return v
}

// loadBinding returns the binding constraints as a JSON array (empty, not
// null, when none binds).
func loadBinding(b []string) []string {
	if b == nil {
		return []string{}
	}
	return b
}
