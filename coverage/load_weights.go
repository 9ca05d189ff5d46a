package coverage

import (
	"fmt"
	"math"

	"gridwatch/geo"
)

// LoadWeights weight the four per-officer loadFigures in the load index. Only
// their ratios matter; each must be finite and at least 0, and one must be
// positive.
type LoadWeights struct {
	// Residents weighs residents per police officer (query weight_residents).
	Residents float64
	// Households weighs households per police officer (weight_households).
	Households float64
	// Incidents weighs incidents in the window per police officer
	// (weight_incidents).
	Incidents float64
	// Area weighs square kilometres per police officer (weight_area).
	Area float64
}

// DefaultLoadWeights are the default weights: residents 0.35, incidents
// 0.35, households 0.1, area 0.2. People and matters reported make most of
// a community officer's work (visits, disputes, calls); households mostly
// repeat residents, so they weigh little; area stands for the travel that
// a dispersed resettlement district adds to every visit.
func DefaultLoadWeights() LoadWeights {
	return LoadWeights{Residents: 0.35, Households: 0.1, Incidents: 0.35, Area: 0.2}
}

// loadWeightFields are the query names of the weights, in the order of
// LoadWeights.values.
var loadWeightFields = [4]string{"weight_residents", "weight_households", "weight_incidents", "weight_area"}

// values returns the weights in the order residents, households,
// incidents, area.
func (w LoadWeights) values() [4]float64 {
	return [4]float64{w.Residents, w.Households, w.Incidents, w.Area}
}

// Validate checks the weights, naming every bad one.
func (w LoadWeights) Validate() error {
	var ps geo.Problems
	var sum float64
	for i, v := range w.values() {
		if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
			ps.Add("query", -1, "", loadWeightFields[i], fmt.Sprintf("a finite number >= 0, got %g", v))
			continue
		}
		sum += v
	}
	if len(ps) == 0 && sum <= 0 {
		ps.Add("query", -1, "", "weight_residents", "at least one of weight_residents, weight_households, weight_incidents, weight_area above 0")
	}
	return ps.Err("invalid load weights")
}
