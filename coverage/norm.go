package coverage

import (
	"fmt"

	"gridwatch/geo"
)

// Norm is the staffing norm at its three levels, as the "135" model puts
// them: every grid has a linked community police officer (一格一警, grid
// level); every police area (警务区, a beat) has at least one community
// officer and two auxiliaries working in it (一区一警两辅, beat level); at
// least half of the police force is in grids rather than at stations
// (district level). Headcounts, not staff shares.
type Norm struct {
	// GridPolice is the least number of police officers linked to a grid
	// (query norm_grid_police; default 1).
	GridPolice int
	// BeatPolice is the least number of police officers working in a beat,
	// that is linked to at least one of its grids (query norm_police;
	// default 1).
	BeatPolice int
	// BeatAuxiliaries is the least number of auxiliaries working in a beat
	// (query norm_auxiliaries; default 2).
	BeatAuxiliaries int
	// PoliceInGridsTarget is the target share of police officers linked to
	// at least one grid (query police_in_grids_target; default 0.5).
	PoliceInGridsTarget float64
}

// DefaultNorm returns the norm of the "135" model: one linked officer per
// grid, one officer and two auxiliaries per beat, at least half of the
// police force in grids.
func DefaultNorm() Norm {
	return Norm{GridPolice: 1, BeatPolice: 1, BeatAuxiliaries: 2, PoliceInGridsTarget: 0.5}
}

// MaxNormHeadcount bounds the headcounts of a Norm.
const MaxNormHeadcount = 100

// Validate checks the norm, naming every bad field.
func (n Norm) Validate() error {
	var ps geo.Problems
	for _, f := range []struct {
		name string
		v    int
	}{{"norm_grid_police", n.GridPolice}, {"norm_police", n.BeatPolice}, {"norm_auxiliaries", n.BeatAuxiliaries}} {
		if f.v < 0 || f.v > MaxNormHeadcount {
			ps.Add("query", -1, "", f.name, fmt.Sprintf("a whole number in [0, %d], got %d", MaxNormHeadcount, f.v))
		}
	}
	if !(n.PoliceInGridsTarget >= 0 && n.PoliceInGridsTarget <= 1) {
		ps.Add("query", -1, "", "police_in_grids_target", fmt.Sprintf("a share in [0, 1], got %g", n.PoliceInGridsTarget))
	}
	return ps.Err("invalid staffing norm")
}

// Below reports whether a grid with these headcounts is below the grid
// norm: fewer linked police officers than GridPolice.
func (n Norm) Below(h Staff[int]) bool { return h.Police < n.GridPolice }

// BeatBelow reports whether a beat with these numbers of people working in
// it is below the beat norm (BeatPolice + BeatAuxiliaries).
func (n Norm) BeatBelow(h Staff[int]) bool {
	return h.Police < n.BeatPolice || h.Auxiliaries < n.BeatAuxiliaries
}

// Compliance is how a district meets the staffing norm at each level.
type Compliance struct {
	// Norm is the norm checked.
	Norm Norm
	// Grids is the number of grids.
	Grids int
	// GridsBelowNorm is the number of grids with fewer linked police
	// officers than Norm.GridPolice (with the default norm: grids without
	// a linked officer).
	GridsBelowNorm int
	// Beats is the number of beats.
	Beats int
	// BeatsBelowNorm is the number of beats below the beat norm in either
	// role.
	BeatsBelowNorm int
	// BeatsBelowPoliceNorm is the number of beats with fewer police
	// officers working in them than Norm.BeatPolice.
	BeatsBelowPoliceNorm int
	// BeatsBelowAuxiliaryNorm is the number of beats with fewer
	// auxiliaries working in them than Norm.BeatAuxiliaries.
	BeatsBelowAuxiliaryNorm int
	// GridsInNoBeat is the number of grids whose interior point lies in no
	// beat (they count for no beat).
	GridsInNoBeat int
	// PoliceOfficers is the number of police officers in the district.
	PoliceOfficers int
	// PoliceInGrids is the number of police officers linked to at least
	// one grid.
	PoliceInGrids int
	// PoliceInGridsShare is PoliceInGrids / PoliceOfficers; nil without
	// police officers.
	PoliceInGridsShare *float64
	// MeetsPoliceInGridsTarget reports whether PoliceInGridsShare reaches
	// Norm.PoliceInGridsTarget (false without police officers).
	MeetsPoliceInGridsTarget bool
	// GridsWithGridWorker is the number of grids with at least one grid
	// worker assigned.
	GridsWithGridWorker int
	// GridWorkerShare is GridsWithGridWorker / Grids; nil without grids.
	GridWorkerShare *float64
}

// normCompliance measures compliance with the norm over the grids' loads
// and the beats' staff.
func normCompliance(a *geo.Atlas, grids []GridLoad, beats []BeatStaff, n Norm) Compliance {
	c := Compliance{Norm: n, Grids: len(grids), Beats: len(beats)}
	for _, g := range grids {
		if g.BelowNorm {
			c.GridsBelowNorm++
		}
		if g.Beat == "" {
			c.GridsInNoBeat++
		}
		if g.Assigned.GridWorkers > 0 {
			c.GridsWithGridWorker++
		}
	}
	for _, b := range beats {
		if b.BelowNorm {
			c.BeatsBelowNorm++
		}
		if b.Working.Police < n.BeatPolice {
			c.BeatsBelowPoliceNorm++
		}
		if b.Working.Auxiliaries < n.BeatAuxiliaries {
			c.BeatsBelowAuxiliaryNorm++
		}
	}
	for _, r := range a.Responders.Items() {
		if r.Role != geo.RolePolice {
			continue
		}
		c.PoliceOfficers++
		for _, id := range r.Grids {
			if a.Grids.Index(id) >= 0 {
				c.PoliceInGrids++
				break
			}
		}
	}
	if c.PoliceOfficers > 0 {
		s := float64(c.PoliceInGrids) / float64(c.PoliceOfficers)
		c.PoliceInGridsShare = &s
		c.MeetsPoliceInGridsTarget = s >= n.PoliceInGridsTarget
	}
	if c.Grids > 0 {
		s := float64(c.GridsWithGridWorker) / float64(c.Grids)
		c.GridWorkerShare = &s
	}
	return c
}
