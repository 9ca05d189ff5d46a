package geo

import (
	"fmt"
	"sort"

	"github.com/paulmach/orb"
)

// validateReferences checks that every id a feature refers to exists, and
// that a grid's township is its village's township.
func validateReferences(d *Dataset, ps *Problems) {
	townships := idSet(len(d.Townships), func(i int) string { return d.Townships[i].ID })
	villages := map[string]string{} // village id -> township id
	for _, v := range d.Villages {
		villages[v.ID] = v.Township
	}
	for i, v := range d.Villages {
		if !townships[v.Township] {
			ps.Add(LayerVillages, i, v.ID, "township", fmt.Sprintf("the id of a township; no township %q", v.Township))
		}
	}
	for i, g := range d.Grids {
		vt, ok := villages[g.Village]
		if !ok {
			ps.Add(LayerGrids, i, g.ID, "village", fmt.Sprintf("the id of a village; no village %q", g.Village))
		}
		switch {
		case !townships[g.Township]:
			ps.Add(LayerGrids, i, g.ID, "township", fmt.Sprintf("the id of a township; no township %q", g.Township))
		case ok && townships[vt] && vt != g.Township:
			// A village with an unknown township is reported once, above,
			// not again for each of its grids.
			ps.Add(LayerGrids, i, g.ID, "township", fmt.Sprintf("the township of village %q, %q; got %q", g.Village, vt, g.Township))
		}
	}
	stations := idSet(len(d.Stations), func(i int) string { return d.Stations[i].ID })
	for i, b := range d.Beats {
		if !stations[b.Station] {
			ps.Add(LayerBeats, i, b.ID, "station", fmt.Sprintf("the id of a station; no station %q", b.Station))
		}
	}
	grids := idSet(len(d.Grids), func(i int) string { return d.Grids[i].ID })
	for i, r := range d.Responders {
		if !stations[r.Station] {
			ps.Add(LayerResponders, i, r.ID, "station", fmt.Sprintf("the id of a station; no station %q", r.Station))
		}
		seen := map[string]bool{}
		for _, g := range r.Grids {
			if !grids[g] {
				ps.Add(LayerResponders, i, r.ID, "grids", fmt.Sprintf("ids of grids; no grid %q", g))
			} else if seen[g] {
				ps.Add(LayerResponders, i, r.ID, "grids", fmt.Sprintf("each grid once; %q is listed twice", g))
			}
			seen[g] = true
		}
	}
	for i, s := range d.Settlements {
		if !grids[s.Grid] {
			ps.Add(LayerSettlements, i, s.ID, "grid", fmt.Sprintf("the id of a grid; no grid %q", s.Grid))
		}
	}
}

func idSet(n int, id func(int) string) map[string]bool {
	m := make(map[string]bool, n)
	for i := 0; i < n; i++ {
		m[id(i)] = true
	}
	return m
}

// deriveUnits fills in the townships and villages that a dataset without
// those layers names in its grids: each unit's outline is the dissolve of its
// grids, its name is its id, and its kind is township or village.
func deriveUnits(d *Dataset) {
	if len(d.Villages) == 0 {
		byVillage := map[string][]orb.Polygon{}
		townshipOf := map[string]string{}
		for _, g := range d.Grids {
			byVillage[g.Village] = append(byVillage[g.Village], g.Polygon)
			townshipOf[g.Village] = g.Township
		}
		for _, id := range sortedKeys(byVillage) {
			d.Villages = append(d.Villages, &Village{ID: id, Name: id, Kind: KindVillage,
				Township: townshipOf[id], Polygon: Dissolve(byVillage[id])})
		}
	}
	if len(d.Townships) == 0 {
		byTownship := map[string][]orb.Polygon{}
		for _, g := range d.Grids {
			byTownship[g.Township] = append(byTownship[g.Township], g.Polygon)
		}
		for _, id := range sortedKeys(byTownship) {
			d.Townships = append(d.Townships, &Township{ID: id, Name: id, Kind: KindTownship,
				Polygon: Dissolve(byTownship[id])})
		}
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
