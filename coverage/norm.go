package coverage

import (
	"fmt"

	"gridwatch/geo"
)

// Norm is the staffing norm of a grid, counted by headcount: "one area, one
// police officer, two auxiliaries" (一区一警两辅), and the target share of
// police officers assigned to grids rather than kept at stations.
type Norm struct {
	// Police is the least number of police officers assigned to a grid
	// (query norm_police; default 1).
	Police int
	// Auxiliaries is the least number of auxiliaries assigned to a grid
	// (query norm_auxiliaries; default 2).
	Auxiliaries int
	// PoliceInGridsTarget is the target share of police officers assigned
	// to at least one grid (default 0.5).
	PoliceInGridsTarget float64
}

// DefaultNorm returns the norm of the "135" model: 1 police officer and 2
// auxiliaries per grid, at least half of the police force in grids.
func DefaultNorm() Norm { return Norm{Police: 1, Auxiliaries: 2, PoliceInGridsTarget: 0.5} }

// MaxNormHeadcount bounds the headcounts of a Norm.
const MaxNormHeadcount = 100

// Validate checks the norm, naming every bad field.
func (n Norm) Validate() error {
	var ps geo.Problems
	for _, f := range []struct {
		name string
		v    int
	}{{"norm_police", n.Police}, {"norm_auxiliaries", n.Auxiliaries}} {
		if f.v < 0 || f.v > MaxNormHeadcount {
			ps.Add("query", -1, "", f.name, fmt.Sprintf("a whole number in [0, %d], got %d", MaxNormHeadcount, f.v))
		}
	}
	if !(n.PoliceInGridsTarget >= 0 && n.PoliceInGridsTarget <= 1) {
		ps.Add("query", -1, "", "police_in_grids_target", fmt.Sprintf("a share in [0, 1], got %g", n.PoliceInGridsTarget))
	}
	return ps.Err("invalid staffing norm")
}

// Below reports whether a grid with these headcounts is below the norm.
func (n Norm) Below(h Staff[int]) bool {
	return h.Police < n.Police || h.Auxiliaries < n.Auxiliaries
}

// Compliance is how a district meets the staffing norm.
type Compliance struct {
	// Norm is the norm checked.
	Norm Norm
	// Grids is the number of grids.
	Grids int
	// GridsBelowNorm is the number of grids below the norm in either role.
	GridsBelowNorm int
	// GridsBelowPoliceNorm is the number of grids with fewer police
	// officers than the norm.
	GridsBelowPoliceNorm int
	// GridsBelowAuxiliaryNorm is the number of grids with fewer auxiliaries
	// than the norm.
	GridsBelowAuxiliaryNorm int
	// PoliceOfficers is the number of police officers in the district.
	PoliceOfficers int
	// PoliceInGrids is the number of police officers assigned to at least
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

// normCompliance measures compliance with the norm over the grids' loads.
func normCompliance(a *geo.Atlas, grids []GridLoad, n Norm) Compliance {
	c := Compliance{Norm: n, Grids: len(grids)}
	for _, g := range grids {
		if g.BelowNorm {
			c.GridsBelowNorm++
		}
		if g.Assigned.Police < n.Police {
			c.GridsBelowPoliceNorm++
		}
		if g.Assigned.Auxiliaries < n.Auxiliaries {
			c.GridsBelowAuxiliaryNorm++
		}
		if g.Assigned.GridWorkers > 0 {
			c.GridsWithGridWorker++
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
