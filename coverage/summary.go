package coverage

import "gridwatch/geo"

// UnitVideo is the video coverage of a village, a township or the
// district: the sums of its grids' figures.
type UnitVideo struct {
	// Unit is the unit.
	Unit Unit
	// Grids is the number of grids in the unit.
	Grids int
	VideoFigures
}

// Summary returns the coverage of every unit of the level, counting the
// variant's cameras and the incidents in the window.
func (v *Video) Summary(level Level, variant Variant, w Window) []UnitVideo {
	return RollUpVideo(v.atlas, v.Grids(variant, w), level)
}

// RollUpVideo sums grid figures into the units of a level. Units come in layer
// order (villages, townships), followed by units that grids name but the
// layer lacks, in grid order; a unit without grids has zero figures. Every
// figure is a whole number, so the sums are exact.
func RollUpVideo(a *geo.Atlas, grids []GridVideo, level Level) []UnitVideo {
	var out []UnitVideo
	pos := map[string]int{}
	add := func(u Unit) int {
		if i, ok := pos[u.ID]; ok {
			return i
		}
		pos[u.ID] = len(out)
		out = append(out, UnitVideo{Unit: u})
		return len(out) - 1
	}
	switch level {
	case LevelVillage:
		for _, vl := range a.Villages.Items() {
			add(Unit{ID: vl.ID, Name: vl.Name})
		}
	case LevelTownship:
		for _, t := range a.Townships.Items() {
			add(Unit{ID: t.ID, Name: t.Name})
		}
	default:
		add(Unit{ID: "district", Name: a.Meta.Name})
	}
	for _, g := range grids {
		i := add(UnitOf(a, g.Grid, level))
		out[i].Grids++
		out[i].VideoFigures.Add(g.VideoFigures)
	}
	return out
}
