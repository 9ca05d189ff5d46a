package coverage

import (
	"fmt"

	"gridwatch/geo"
)

// Staff is one number per responder role: a headcount (int) or a staff
// share (float64).
type Staff[T int | float64] struct {
	// Police is the figure for community police officers.
	Police T
	// Auxiliaries is the figure for police auxiliaries.
	Auxiliaries T
	// GridWorkers is the figure for grid workers.
	GridWorkers T
	// Volunteers is the figure for volunteer police.
	Volunteers T
}

// Of returns the figure of role r (zero for an unknown role).
func (s Staff[T]) Of(r geo.Role) T {
	if p := s.ptr(r); p != nil {
		return *p
	}
	var zero T
	return zero
}

// Add adds v to the figure of role r; an unknown role is ignored.
func (s *Staff[T]) Add(r geo.Role, v T) {
	if p := s.ptr(r); p != nil {
		*p += v
	}
}

func (s *Staff[T]) ptr(r geo.Role) *T {
	switch r {
	case geo.RolePolice:
		return &s.Police
	case geo.RoleAuxiliary:
		return &s.Auxiliaries
	case geo.RoleGridWorker:
		return &s.GridWorkers
	case geo.RoleVolunteer:
		return &s.Volunteers
	}
	return nil
}

// Split is how a responder who serves several grids is shared among them
// for workload (the staff share). Headcounts never split: an officer
// serving four grids counts 1 in the headcount of each.
type Split string

// The splits.
const (
	// SplitEqual gives each of a responder's k grids 1/k of the responder.
	SplitEqual Split = "equal"
	// SplitDemand gives each of a responder's grids a part proportional to
	// the grid's demand (Load's Demand: its load index with one full police
	// officer), each grid's demand counted as at least DemandFloor times the
	// district's mean grid demand so that every assigned grid gets a
	// positive part. Where every grid has zero demand it is SplitEqual.
	SplitDemand Split = "demand"
)

// DemandFloor is the smallest demand, as a fraction of the district's mean
// grid demand, that SplitDemand gives a grid.
const DemandFloor = 0.05

// ParseSplit reads a split, defaulting to SplitEqual when s is empty.
func ParseSplit(s string) (Split, error) {
	switch Split(s) {
	case "":
		return SplitEqual, nil
	case SplitEqual, SplitDemand:
		return Split(s), nil
	}
	return "", loadInvalidField("query", "split", fmt.Sprintf("equal or demand, got %q", s))
}

// loadInvalidField returns an Invalid *geo.Error naming one field of layer
// ("query" for a query parameter, "body" for a request body member).
func loadInvalidField(layer, field, expected string) error {
	return &geo.Error{Code: geo.Invalid, Message: fmt.Sprintf("%s: expected %s", field, expected),
		Problems: []geo.Problem{{Layer: layer, Index: -1, Field: field, Expected: expected}}}
}

// loadSplitWeights returns the weight of each grid in a SplitDemand split: its
// demand, floored at DemandFloor times the mean demand; nil when every
// grid's demand is zero (then the split is equal).
func loadSplitWeights(split Split, demand []float64) []float64 {
	if split != SplitDemand || len(demand) == 0 {
		return nil
	}
	var sum float64
	for _, d := range demand {
		sum += d
	}
	if sum <= 0 {
		return nil
	}
	floor := DemandFloor * sum / float64(len(demand))
	w := make([]float64, len(demand))
	for i, d := range demand {
		w[i] = max(d, floor)
	}
	return w
}

// loadShareOf returns the part of one responder that each of grids (grid
// indexes) gets: 1/k each when weights is nil, else in proportion to the
// weights. It appends to out and returns it.
func loadShareOf(grids []int, weights []float64, out []float64) []float64 {
	out = out[:0]
	if weights == nil {
		for range grids {
			out = append(out, 1/float64(len(grids)))
		}
		return out
	}
	var sum float64
	for _, g := range grids {
		sum += weights[g]
	}
	for _, g := range grids {
		out = append(out, weights[g]/sum)
	}
	return out
}

// loadAssignments returns, for each responder of the atlas, the layer indexes
// of the grids it serves (unknown and repeated ids dropped).
func loadAssignments(a *geo.Atlas) [][]int {
	out := make([][]int, a.Responders.Len())
	for i, r := range a.Responders.Items() {
		for _, id := range r.Grids {
			g := a.Grids.Index(id)
			if g < 0 || loadContainsInt(out[i], g) {
				continue
			}
			out[i] = append(out[i], g)
		}
	}
	return out
}

func loadContainsInt(list []int, v int) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// loadStaffGrids fills the headcount and the staff share of every role in each
// grid, given each responder's grids and the split weights (nil: equal).
func loadStaffGrids(a *geo.Atlas, assigned [][]int, weights []float64, grids []GridLoad) {
	var parts []float64
	for i, r := range a.Responders.Items() {
		gs := assigned[i]
		if len(gs) == 0 {
			continue
		}
		parts = loadShareOf(gs, weights, parts)
		for k, g := range gs {
			grids[g].Assigned.Add(r.Role, 1)
			grids[g].Share.Add(r.Role, parts[k])
		}
	}
}
