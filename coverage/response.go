package coverage

import (
	"fmt"
	"math"
	"time"

	"github.com/paulmach/orb"
	"github.com/uber/h3-go/v4"

	"gridwatch/geo"
	"gridwatch/geo/route"
)

// Scope is the area a response-time analysis covers.
type Scope string

// Response scopes.
const (
	// ScopeSettlements covers the settlements (where people live) on fine
	// cells: the population figures are exact to a cell.
	ScopeSettlements Scope = "settlements"
	// ScopeDistrict covers every grid, farmland and empty land included,
	// on coarser cells; people are counted on settlement cells and added
	// to the coarse cell that holds each.
	ScopeDistrict Scope = "district"
)

// Defaults of a response-time analysis.
const (
	// DefaultThresholdS is the arrival time beyond which a place is a
	// response gap: 15 minutes.
	DefaultThresholdS = 900
	// DefaultSettlementRes is the H3 resolution of the settlements scope:
	// resolution 10 cells average 0.015 km² (about 66 m a side), several
	// to each settlement footprint.
	DefaultSettlementRes = 10
	// DefaultDistrictRes is the H3 resolution of the district scope:
	// resolution 8 cells average 0.74 km² (about 460 m a side).
	DefaultDistrictRes = 8
	// MaxResponseCells bounds the cells one analysis may look at: the
	// default district (3,500 km²) at resolution 10 needs about 230,000;
	// at resolution 11 it would need 1.6 million cells, minutes and
	// gigabytes, and is refused up front, naming the resolution.
	MaxResponseCells = 600_000
)

// ResponseOptions tune Response. The zero value of each field means its
// default.
type ResponseOptions struct {
	// Scope is settlements (default) or district.
	Scope Scope
	// Resolution is the H3 resolution: 7 to 12; 0 means the scope's
	// default. The district scope counts people at DefaultSettlementRes
	// (or Resolution, when finer).
	Resolution int
	// ThresholdS is the arrival time, seconds, beyond which a cell is a
	// gap; 0 means DefaultThresholdS.
	ThresholdS float64
	// Role is the role that responds; "" means police.
	Role geo.Role
	// Now is the reference time of report ages.
	Now time.Time
	// MaxAge is how old a report may be for its responder to count as
	// available; 0 turns the check off.
	MaxAge time.Duration
	// ETA is the arrival-time model; nil means DefaultETA.
	ETA ETA
	// Network, when set and not empty, times every cell's trip on this
	// road network (the role's profile) instead of the straight line; a
	// cell whose centre reaches no road is never reached (+Inf).
	Network *route.Network
}

// normalized fills in the defaults and checks the options.
func (o ResponseOptions) normalized() (ResponseOptions, error) {
	var ps geo.Problems
	bad := func(field, expected string) { ps.Add("query", -1, "", field, expected) }
	switch o.Scope {
	case "":
		o.Scope = ScopeSettlements
	case ScopeSettlements, ScopeDistrict:
	default:
		bad("scope", fmt.Sprintf("settlements or district, got %q", o.Scope))
	}
	if o.Resolution == 0 {
		o.Resolution = DefaultSettlementRes
		if o.Scope == ScopeDistrict {
			o.Resolution = DefaultDistrictRes
		}
	}
	if o.Resolution < 7 || o.Resolution > 12 {
		bad("resolution", fmt.Sprintf("an H3 resolution from 7 to 12, got %d", o.Resolution))
	}
	if o.ThresholdS == 0 {
		o.ThresholdS = DefaultThresholdS
	}
	if !(o.ThresholdS > 0) || math.IsInf(o.ThresholdS, 0) {
		bad("threshold_s", fmt.Sprintf("a positive number of seconds, got %g", o.ThresholdS))
	}
	if o.Role == "" {
		o.Role = geo.RolePolice
	}
	if !o.Role.Valid() {
		bad("role", fmt.Sprintf("one of %s, got %q", roleList(), o.Role))
	}
	if o.MaxAge < 0 {
		bad("max_age_s", fmt.Sprintf("a number of seconds >= 0, got %g", o.MaxAge.Seconds()))
	}
	if o.ETA == nil {
		o.ETA = DefaultETA()
	}
	if err := ps.Err("invalid response-time query"); err != nil {
		return o, err
	}
	return o, o.ETA.Validate()
}

// ResponseCoverage is the answer of Response.
type ResponseCoverage struct {
	// Scope, Resolution, ThresholdS and Role are the options in effect.
	Scope      Scope
	Resolution int
	ThresholdS float64
	Role       geo.Role
	// Model is how arrival times were estimated.
	Model ETAModel
	// Responders is the number of responders of Role available at Now.
	Responders int
	// Cells is the number of cells looked at.
	Cells int
	// Population is the number of people in them.
	Population float64
	// PopulationBeyond is the number of people in cells whose arrival time
	// exceeds ThresholdS.
	PopulationBeyond float64
	// Incidents and IncidentsBeyond count incidents likewise.
	Incidents, IncidentsBeyond int
	// MeanS is the population-weighted mean arrival time, seconds (+Inf
	// when no responder is available; NaN without people).
	MeanS float64
	// Gaps are the edge-connected parts of the cells beyond ThresholdS,
	// most people first.
	Gaps []Gap
	// Grids has one entry per grid, in layer order.
	Grids []GridResponse
}

// ShareBeyond returns PopulationBeyond ÷ Population (NaN without people).
func (r *ResponseCoverage) ShareBeyond() float64 {
	if r.Population == 0 {
		return math.NaN()
	}
	return r.PopulationBeyond / r.Population
}

// Gap is one connected area whose estimated arrival time exceeds the
// threshold.
type Gap struct {
	// Cells are the gap's cells, sorted.
	Cells []h3.Cell
	// Polygon is the outline of the cells (RFC 7946 ring order).
	Polygon orb.Polygon
	// AreaM2 is the summed area of the cells, square metres.
	AreaM2 float64
	// Population is the number of people in the cells.
	Population float64
	// Incidents is the number of incidents in the cells.
	Incidents int
	// WorstS is the longest arrival time in the gap, seconds (+Inf when no
	// responder is available).
	WorstS float64
	// Grids are the ids of the grids whose people live in the gap, sorted.
	Grids []string
}

// GridResponse is the response time of one grid.
type GridResponse struct {
	// Grid is the grid.
	Grid *geo.Grid
	// Cells is the number of the grid's cells (settlement cells in the
	// settlements scope).
	Cells int
	// Population is the number of people in them.
	Population float64
	// PopulationBeyond is the number of them beyond the threshold.
	PopulationBeyond float64
	// WorstS is the longest arrival time over the grid's cells, seconds;
	// NaN when the grid has no cells.
	WorstS float64
	// MeanS is the population-weighted mean arrival time, seconds; NaN
	// when the grid has no people.
	MeanS float64
}
