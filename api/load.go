package api

import (
	"context"
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"

	"gridwatch/coverage"
	"gridwatch/geo"
)

// loadAPI serves police load, staffing norm, beat–grid congruence and the
// reallocation planner (docs/load.md), caching results by the versions of
// the layers they read.
type loadAPI struct {
	s     *Server
	cache *resultCache
}

// loadRoutes adds the load endpoints.
func (s *Server) loadRoutes(r chi.Router) {
	h := &loadAPI{s: s, cache: newResultCache(32)}
	r.Get("/load/grids", s.handle(h.grids))
	r.Get("/load/summary", s.handle(h.summary))
	r.Get("/load/congruence", s.handle(h.congruence))
	r.Get("/load/reallocate", s.handle(h.reallocateGet))
	r.Post("/load/reallocate", s.handle(h.reallocatePost))
}

// loadLayers are the layers the load analysis reads.
var loadLayers = []string{geo.LayerGrids, geo.LayerResponders, geo.LayerIncidents, geo.LayerVillages, geo.LayerTownships, geo.LayerBeats}

// tags returns the tags of the named layers of a, for ETags and cache keys.
func (h *loadAPI) tags(a *geo.Atlas, layers ...string) ([]string, error) {
	out := make([]string, 0, len(layers))
	for _, name := range layers {
		d, err := h.s.layerData(a, name)
		if err != nil {
			return nil, err
		}
		out = append(out, d.tag())
	}
	return out, nil
}

// load returns the (cached) load of the atlas under opt and the tags of
// the layers it read.
func (h *loadAPI) load(ctx context.Context, a *geo.Atlas, opt coverage.LoadOptions) (*coverage.LoadResult, []string, error) {
	tags, err := h.tags(a, loadLayers...)
	if err != nil {
		return nil, nil, err
	}
	key := "load|" + strings.Join(tags, ",") + "|" + loadKey(opt)
	l, err := cached(ctx, h.cache, key, func(context.Context) (*coverage.LoadResult, error) { return coverage.Load(a, opt) })
	return l, append(tags, loadKey(opt)), err
}

// grids serves GET /load/grids: every grid (narrowed by bbox, township,
// village) with its staff, figures and load index.
func (h *loadAPI) grids(w http.ResponseWriter, r *http.Request) error {
	a, err := h.s.current()
	if err != nil {
		return err
	}
	p := newQueryParams(r.URL.Query()).under(r.Context())
	p.format()
	opt := p.loadOptions(a, h.s.now())
	f := p.filter(a)
	p.only()
	if err := p.err(); err != nil {
		return err
	}
	l, tags, err := h.load(r.Context(), a, opt)
	if err != nil {
		return err
	}
	if notModified(w, r, h.s.etag(r, formatJSON, tags...)) {
		return nil
	}
	return writeJSON(w, mediaGeoJSON, loadGridsDoc(r.Context(), l, f))
}

// summary serves GET /load/summary?level=grid|beat|village|township|district.
func (h *loadAPI) summary(w http.ResponseWriter, r *http.Request) error {
	a, err := h.s.current()
	if err != nil {
		return err
	}
	p := newQueryParams(r.URL.Query()).under(r.Context())
	p.format()
	opt := p.loadOptions(a, h.s.now())
	lv, _ := p.str("level")
	level, lerr := coverage.ParseLoadLevel(lv)
	if lerr != nil {
		p.bad("level", "grid, beat, village, township or district, got "+quote(lv))
	}
	p.only()
	if err := p.err(); err != nil {
		return err
	}
	l, tags, err := h.load(r.Context(), a, opt)
	if err != nil {
		return err
	}
	if notModified(w, r, h.s.etag(r, formatJSON, tags...)) {
		return nil
	}
	return writeJSON(w, mediaJSON, loadSummaryDoc(r.Context(), a, l, level))
}

// congruence serves GET /load/congruence: the pieces of grids outside
// their dominant beat (view=pieces, the default) or every grid with its
// share in its dominant beat (view=grids), with the district score.
func (h *loadAPI) congruence(w http.ResponseWriter, r *http.Request) error {
	a, err := h.s.current()
	if err != nil {
		return err
	}
	p := newQueryParams(r.URL.Query())
	p.format()
	opt := coverage.CongruenceOptions{Pieces: true,
		Resolution:     p.integer("resolution", 0, coverage.MinCongruenceResolution, coverage.MaxCongruenceResolution),
		SplitTolerance: p.number("split_tolerance", coverage.DefaultSplitTolerance, 0, 0.999)}
	view, _ := p.str("view")
	if view != "" && view != "grids" && view != "pieces" {
		p.bad("view", "grids or pieces, got "+quote(view))
	}
	f := p.filter(a)
	p.only()
	if err := p.err(); err != nil {
		return err
	}
	tags, err := h.tags(a, geo.LayerGrids, geo.LayerBeats, geo.LayerVillages, geo.LayerTownships)
	if err != nil {
		return err
	}
	if notModified(w, r, h.s.etag(r, formatJSON, tags...)) {
		return nil
	}
	key := "congruence|" + strings.Join(tags, ",") + "|" + congKey(opt)
	c, err := cached(r.Context(), h.cache, key, func(ctx context.Context) (*coverage.CongruenceResult, error) {
		return coverage.Congruence(ctx, a, opt)
	})
	if err != nil {
		return err
	}
	return writeJSON(w, mediaGeoJSON, loadCongruenceDoc(c, f, view != "grids"))
}
