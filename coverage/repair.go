package coverage

import (
	"cmp"
	"slices"

	"gridwatch/geo"
)

// Repair is an offline camera and what bringing it back online would
// newly show the operational coverage, alone.
type Repair struct {
	// Camera is the offline camera.
	Camera *geo.Camera
	// Gain is the weighted gain (see PlacementWeights).
	Gain float64
	// GainPopulation, GainIncidents and GainPlaces are its parts.
	GainPopulation, GainIncidents, GainPlaces float64
}

// Repairs is the ranked list of offline cameras.
type Repairs struct {
	// Cameras are the offline cameras, by gain (largest first, then id).
	Cameras []Repair
	// All is what repairing every offline camera together newly shows (less
	// than the sum of the gains where their views overlap).
	All Repair
}

// Repairs ranks the offline cameras by the weight each would bring back to
// the operational coverage if fixed: the people, incidents in the window
// and key places it alone would newly show.
func (v *Video) Repairs(wt PlacementWeights, w Window) *Repairs {
	u := newCoverUniverse(v, Operational, w, wt)
	var offline []*geo.Camera
	for _, c := range v.atlas.Cameras.Items() {
		if !c.Online {
			offline = append(offline, c)
			u.prob.cands = append(u.prob.cands, u.elements(geo.CameraSector(c)))
			u.prob.site = append(u.prob.site, int32(len(offline)-1))
		}
	}
	r := &Repairs{Cameras: make([]Repair, len(offline))}
	all := make([]int, len(offline))
	for i, c := range offline {
		g, parts := u.prob.unionGain([]int{i})
		r.Cameras[i] = Repair{Camera: c, Gain: g, GainPopulation: parts[0], GainIncidents: parts[1], GainPlaces: parts[2]}
		all[i] = i
	}
	g, parts := u.prob.unionGain(all)
	r.All = Repair{Gain: g, GainPopulation: parts[0], GainIncidents: parts[1], GainPlaces: parts[2]}
	slices.SortStableFunc(r.Cameras, func(a, b Repair) int {
		if c := cmp.Compare(b.Gain, a.Gain); c != 0 {
			return c
		}
		return cmp.Compare(a.Camera.ID, b.Camera.ID)
	})
	return r
}
