package coverage

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/paulmach/orb"
	"github.com/uber/h3-go/v4"

	"gridwatch/geo"
)

// DefaultVideoHotspotResolution is the H3 resolution hotspots are counted on by
// default: cells of about 0.1 km² (350 m across), the size of a village
// block, coarse enough that a year of incidents piles up in them.
const DefaultVideoHotspotResolution = 9

// VideoHotspot is an H3 cell of one grid with incidents in the window that no
// camera of the variant sees (each incident tested exactly against every
// viewshed).
type VideoHotspot struct {
	// ID is "{grid}-{cell}" ("-{cell}" for incidents outside every grid).
	ID string
	// Cell is the H3 cell.
	Cell h3.Cell
	// Grid is the grid the incidents are in; nil outside every grid.
	Grid *geo.Grid
	// Incidents is the number of unwatched incidents.
	Incidents int
}

// Polygon returns the hotspot's cell as a polygon.
func (h VideoHotspot) Polygon() orb.Polygon { return geo.CellPolygon(h.Cell) }

// VideoHotspotQuery selects hotspots.
type VideoHotspotQuery struct {
	// Variant is the cameras counted.
	Variant Variant
	// Window is the window incidents are counted in.
	Window Window
	// Resolution is the H3 resolution of the cells, in [MinVideoResolution,
	// MaxVideoResolution]; 0 means DefaultVideoHotspotResolution.
	Resolution int
	// Grid, Village and Township, when set, keep the hotspots of that unit.
	Grid, Village, Township string
	// BBoxes, when set, keep the hotspots whose cell's centre lies in one.
	BBoxes []orb.Bound
	// Limit, when positive, keeps the first Limit hotspots.
	Limit int
}

// Hotspots returns the unwatched incidents aggregated on H3 cells per grid,
// by count (highest first; ties by id), and how many matched before
// q.Limit. Summed per grid, the hotspots' incidents are the grid's
// incidents less those covered.
func (v *Video) Hotspots(q VideoHotspotQuery) ([]VideoHotspot, int, error) {
	res := q.Resolution
	if res == 0 {
		res = DefaultVideoHotspotResolution
	}
	if err := CheckVideoResolution(res); err != nil {
		return nil, 0, err
	}
	if q.Window.Days == 0 {
		q.Window.Days = DefaultWindowDays
	}
	a := v.atlas
	k := q.Variant.index()
	cells := v.static.incidentCells(a, res)
	type key struct {
		grid int32
		cell h3.Cell
	}
	counts := map[key]int{}
	for i, inc := range a.Incidents.Items() {
		if v.incSeen[i][k] > 0 || !q.Window.Contains(inc.Time) {
			continue
		}
		counts[key{v.static.incGrid[i], cells[i]}]++
	}
	var out []VideoHotspot
	for kk, n := range counts {
		h := VideoHotspot{Cell: kk.cell, Incidents: n, ID: fmt.Sprintf("-%s", kk.cell)}
		if kk.grid >= 0 {
			h.Grid = a.Grids.At(int(kk.grid))
			h.ID = h.Grid.ID + h.ID
		}
		if !videoHotspotKept(h, q) {
			continue
		}
		out = append(out, h)
	}
	slices.SortFunc(out, func(x, y VideoHotspot) int {
		if c := cmp.Compare(y.Incidents, x.Incidents); c != 0 {
			return c
		}
		return cmp.Compare(x.ID, y.ID)
	})
	matched := len(out)
	if q.Limit > 0 && len(out) > q.Limit {
		out = out[:q.Limit]
	}
	return out, matched, nil
}

func videoHotspotKept(h VideoHotspot, q VideoHotspotQuery) bool {
	if q.Grid != "" || q.Village != "" || q.Township != "" {
		g := h.Grid
		if g == nil || (q.Grid != "" && g.ID != q.Grid) || (q.Village != "" && g.Village != q.Village) ||
			(q.Township != "" && g.Township != q.Township) {
			return false
		}
	}
	if q.BBoxes == nil {
		return true
	}
	c := geo.CellCenter(h.Cell)
	for _, b := range q.BBoxes {
		if b.Contains(c) {
			return true
		}
	}
	return false
}
