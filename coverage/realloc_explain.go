package coverage

import (
	"fmt"
	"math"
	"strings"

	"gridwatch/geo"
)

// reason says why move i of the plan (in its order) is there: whom it
// gives a linked officer, and what the plan would lose without it — the
// highest load index, its spread or a grid's only officer — or which
// later move it lets leave a grid without breaking the minimum.
func (st *reallocState) reason(a *geo.Atlas, moves []reallocMove, i int, final reallocObjective) string {
	m := moves[i]
	before := st.clone()
	for _, x := range moves[:i] {
		before.apply(x)
	}
	var parts []string
	if before.officers[m.officer].role == 0 && before.head[m.to][0] == 0 {
		parts = append(parts, fmt.Sprintf("links a police officer to %s, which had none", a.Grids.At(m.to).ID))
	}
	s, _, ok := st.without(moves, i)
	switch {
	case !ok:
		parts = append(parts, st.enables(a, moves, i))
	default:
		o := s.objective()
		switch {
		case o.max > final.max+reallocEps*math.Max(1, final.max):
			parts = append(parts, fmt.Sprintf("without it the highest load index would be %.3f, not %.3f", o.max, final.max))
		case o.spread > final.spread+reallocEps*math.Max(1, final.spread):
			parts = append(parts, fmt.Sprintf("without it the spread of the load index would be %.3f, not %.3f", o.spread, final.spread))
		case o.below > final.below:
			parts = append(parts, fmt.Sprintf("without it %d grids would be below the grid norm, not %d", o.below, final.below))
		}
	}
	if len(parts) == 0 {
		return "it changes neither the highest load index nor its spread"
	}
	return strings.Join(parts, "; ")
}

// enables names the later move that needs move i to keep its grid at the
// minimum.
func (st *reallocState) enables(a *geo.Atlas, moves []reallocMove, i int) string {
	m := moves[i]
	for j := i + 1; j < len(moves); j++ {
		if moves[j].from == m.to && st.officers[moves[j].officer].role == st.officers[m.officer].role {
			r := a.Responders.At(st.officers[moves[j].officer].resp)
			return fmt.Sprintf("refills %s so that %s (move %d) can leave it without taking it below the minimum",
				a.Grids.At(m.to).ID, r.ID, j+1)
		}
	}
	return "the other moves need it to keep every grid at its minimum"
}

// explain says why a plan has no moves: the constraints whose relaxation
// alone would let one move beat making none (each tried on its own), or,
// when none would, that no allowed move lowers the load by more than the
// tie tolerance.
func (st *reallocState) explain() ([]string, string) {
	if st.c.MaxMoves == 0 {
		return []string{"max_moves"}, "max_moves is 0, so no move is made"
	}
	if !st.movable[0] {
		return []string{"roles"}, "only moves of police officers change the load index and the grids without a linked officer; roles does not include police"
	}
	var binding, notes []string
	relax := func(name string, change func(s *reallocState), note string) {
		s := st.clone()
		change(s)
		if s.oneMoveHelps() {
			binding = append(binding, name)
			notes = append(notes, note)
		}
	}
	if st.mins[0] > 0 {
		if st.sourcesLeft() == 0 {
			// No grid may give an officer at all: the minimum binds
			// whatever else would help.
			binding = append(binding, "min_police_per_grid")
			notes = append(notes, fmt.Sprintf("no grid has more police officers than min_police_per_grid %d, so no linked officer may leave one", st.mins[0]))
		} else {
			relax("min_police_per_grid", func(s *reallocState) { s.mins[0], s.c.MinPerGrid.Police = 0, 0 },
				fmt.Sprintf("min_police_per_grid %d forbids the moves that would help", st.mins[0]))
		}
	}
	if !st.c.FromStation {
		if n := st.atStations(); n > 0 {
			relax("from_station", func(s *reallocState) { s.c.FromStation = true },
				fmt.Sprintf("%d police officers are kept at stations: try from_station, which lets them join a grid", n))
		}
	}
	if st.c.MaxDistanceM > 0 {
		relax("max_distance_m", func(s *reallocState) { s.c.MaxDistanceM = 0 },
			fmt.Sprintf("the moves that would help are longer than max_distance_m %.0f: try a longer one", st.c.MaxDistanceM))
	}
	if st.c.TieTolerance > 0 {
		relax("tie_tolerance", func(s *reallocState) { s.c.TieTolerance = 0 },
			fmt.Sprintf("the best move lowers the highest load index and its spread by less than tie_tolerance %g (%.1f%%)",
				st.c.TieTolerance, 100*st.c.TieTolerance))
	}
	if len(binding) == 0 {
		return nil, "no allowed move lowers the highest load index or its spread by more than tie_tolerance: the load is as even as these moves can make it"
	}
	return binding, "no move helps: " + strings.Join(notes, "; ")
}

// oneMoveHelps reports whether some single allowed move (or chain of two)
// beats making no move: its objective is outside the tie tolerance of
// doing nothing.
func (st *reallocState) oneMoveHelps() bool {
	cur := st.objective()
	if m, ok := st.bestMove(); ok && !st.withinBand(cur, st.eval(m)) {
		return true
	}
	if st.c.MaxMoves >= 2 {
		if _, o, ok := st.bestPair(st.peakGrids(), cur); ok && !st.withinBand(cur, o) {
			return true
		}
	}
	return false
}

// sourcesLeft counts the (officer, grid) pairs a police officer may leave
// now.
func (st *reallocState) sourcesLeft() int {
	n := 0
	for k := range st.officers {
		if st.officers[k].role == 0 {
			st.sources(k, func(from int) {
				if from >= 0 {
					n++
				}
			})
		}
	}
	return n
}

// atStations counts the police officers kept at a station (no grid).
func (st *reallocState) atStations() int {
	n := 0
	for _, o := range st.officers {
		if o.role == 0 && len(o.grids) == 0 && o.hasStation {
			n++
		}
	}
	return n
}
