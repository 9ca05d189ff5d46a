package api

import (
	"fmt"
	"time"

	"github.com/paulmach/orb"

	"gridwatch/coverage"
	"gridwatch/geo"
)

// loadOptions reads the load options: window (as_of, window_days), weights,
// split and norm.
func (p *paramReader) loadOptions(a *geo.Atlas, now time.Time) coverage.LoadOptions {
	opt := coverage.LoadOptions{Split: coverage.SplitEqual}
	opt.Window = p.window(a, now)
	dw := coverage.DefaultLoadWeights()
	opt.Weights = coverage.LoadWeights{
		Residents:  p.number("weight_residents", dw.Residents, 0, 1e6),
		Households: p.number("weight_households", dw.Households, 0, 1e6),
		Incidents:  p.number("weight_incidents", dw.Incidents, 0, 1e6),
		Area:       p.number("weight_area", dw.Area, 0, 1e6),
	}
	if err := opt.Weights.Validate(); err != nil {
		p.bad("weight_residents", "at least one of weight_residents, weight_households, weight_incidents, weight_area above 0")
	}
	if v, ok := p.str("split"); ok {
		s, err := coverage.ParseSplit(v)
		if err != nil {
			p.bad("split", "equal or demand, got "+quote(v))
		}
		if p.floor && s == coverage.SplitDemand {
			// Shares in proportion to demand would give hidden counts back.
			p.bad("split", "equal for the viewer role (split=demand needs an analyst token)")
		}
		opt.Split = s
	}
	dn := coverage.DefaultNorm()
	opt.Norm = &coverage.Norm{
		GridPolice:          p.integer("norm_grid_police", dn.GridPolice, 0, coverage.MaxNormHeadcount),
		BeatPolice:          p.integer("norm_police", dn.BeatPolice, 0, coverage.MaxNormHeadcount),
		BeatAuxiliaries:     p.integer("norm_auxiliaries", dn.BeatAuxiliaries, 0, coverage.MaxNormHeadcount),
		PoliceInGridsTarget: p.number("police_in_grids_target", dn.PoliceInGridsTarget, 0, 1),
	}
	return opt
}

// loadFilter narrows a grid response: bbox, township, village.
type loadFilter struct {
	boxes             []orb.Bound
	township, village string
}

// filter reads bbox, township and village.
func (p *paramReader) filter(a *geo.Atlas) loadFilter {
	var f loadFilter
	if v, ok := p.str("bbox"); ok {
		boxes, msg := parseBBox(v)
		if msg != "" {
			p.bad("bbox", msg)
		}
		f.boxes = boxes
	}
	if v, ok := p.str("township"); ok {
		if _, known := a.Townships.Get(v); !known {
			p.bad("township", "the id of a township of the dataset, got "+quote(v))
		}
		f.township = v
	}
	if v, ok := p.str("village"); ok {
		if _, known := a.Villages.Get(v); !known {
			p.bad("village", "the id of a village of the dataset, got "+quote(v))
		}
		f.village = v
	}
	return f
}

// keeps reports whether grid g passes the filter.
func (f loadFilter) keeps(g *geo.Grid) bool {
	if f.township != "" && g.Township != f.township || f.village != "" && g.Village != f.village {
		return false
	}
	if f.boxes == nil {
		return true
	}
	b := g.Polygon.Bound()
	for _, box := range f.boxes {
		if b.Intersects(box) {
			return true
		}
	}
	return false
}

// loadKey identifies load options for the cache.
func loadKey(opt coverage.LoadOptions) string {
	w := opt.Weights
	return fmt.Sprintf("%s|%d|%g|%g|%g|%g|%s|%+v", opt.Window.End.Format(time.RFC3339Nano), opt.Window.Days,
		w.Residents, w.Households, w.Incidents, w.Area, opt.Split, *opt.Norm)
}
