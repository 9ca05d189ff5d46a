package geo

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/paulmach/orb"
	"github.com/uber/h3-go/v4"
)

// TilingMaxCells bounds the number of H3 cells the tiling check samples; the
// resolution is the finest in [7, 10] whose cells over the grids' bounding
// box stay under it.
const TilingMaxCells = 150_000

// TilingReport is the result of checking that the grids tile the district:
// no point covered by two grids (overlap) and no hole enclosed by grids
// (gap). It is checked on the centres of H3 cells at Resolution: an overlap
// or gap is found when it holds at least one cell centre, so the tolerance
// is about one cell (CellAreaM2); thinner slivers can pass unseen.
type TilingReport struct {
	// Resolution is the H3 resolution of the sample.
	Resolution int `json:"resolution"`
	// CellAreaM2 is the area of the cell at the centre of the grids' bounds,
	// at Resolution, square metres; cells nearby differ from it by a few
	// per cent.
	CellAreaM2 float64 `json:"cell_area_m2"`
	// Cells is the number of cell centres that fell in a grid.
	Cells int `json:"cells"`
	// OverlapCells are cells whose centre lies in two or more grids.
	OverlapCells []OverlapCell `json:"overlap_cells,omitempty"`
	// GapCells are centres of cells in no grid but enclosed by grids.
	GapCells []orb.Point `json:"gap_cells,omitempty"`
}

// OverlapCell is one sample point covered by more than one grid.
type OverlapCell struct {
	// Point is the cell centre.
	Point orb.Point `json:"point"`
	// Grids are the ids of the grids that contain it, in layer order.
	Grids []string `json:"grids"`
}

// CheckTiling samples the grids on H3 cell centres at resolution res (0
// picks one from TilingMaxCells) and reports overlaps and enclosed gaps.
func CheckTiling(a *Atlas, res int) TilingReport {
	b := a.Grids.Bound()
	if a.Grids.Len() == 0 {
		return TilingReport{}
	}
	if res == 0 {
		res = tilingResolution(b)
	}
	rep := TilingReport{Resolution: res, CellAreaM2: cellAreaAt(b.Center(), res)}
	// Pad the box by two cells so that its edge cells lie outside every grid.
	pad := 2 * math.Sqrt(rep.CellAreaM2) / 111000
	box := orb.Bound{Min: orb.Point{b.Min[0] - pad/math.Cos(b.Center()[1]*deg), b.Min[1] - pad},
		Max: orb.Point{b.Max[0] + pad/math.Cos(b.Center()[1]*deg), b.Max[1] + pad}}
	cells := h3.PolygonToCells(h3.GeoPolygon{GeoLoop: h3.GeoLoop{
		{Lat: box.Min[1], Lng: box.Min[0]}, {Lat: box.Min[1], Lng: box.Max[0]},
		{Lat: box.Max[1], Lng: box.Max[0]}, {Lat: box.Max[1], Lng: box.Min[0]},
	}}, res)
	if len(cells) == 0 {
		return rep
	}
	covered := make(map[h3.Cell]int8, len(cells)) // 0 empty, 1 one grid, 2 more
	for _, c := range cells {
		ll := c.LatLng()
		pt := orb.Point{ll.Lng, ll.Lat}
		var idx []int
		a.Grids.Search(orb.Bound{Min: pt, Max: pt}, func(i int) bool {
			if a.gridShapes[i].Contains(pt) {
				idx = append(idx, i)
			}
			return true
		})
		sort.Ints(idx)
		ids := make([]string, len(idx))
		for k, i := range idx {
			ids[k] = a.Grids.At(i).ID
		}
		switch {
		case len(ids) == 1:
			covered[c] = 1
			rep.Cells++
		case len(ids) > 1:
			covered[c] = 2
			rep.Cells++
			rep.OverlapCells = append(rep.OverlapCells, OverlapCell{Point: pt, Grids: ids})
		default:
			covered[c] = 0
		}
	}
	// Flood the empty cells from the box's edge; empty cells not reached are
	// enclosed by grids: gaps.
	outside := make(map[h3.Cell]bool)
	var stack []h3.Cell
	for _, c := range cells {
		if covered[c] != 0 {
			continue
		}
		ll := c.LatLng()
		if ll.Lng-box.Min[0] < pad || box.Max[0]-ll.Lng < pad || ll.Lat-box.Min[1] < pad || box.Max[1]-ll.Lat < pad {
			outside[c] = true
			stack = append(stack, c)
		}
	}
	for len(stack) > 0 {
		c := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		ring := c.GridDisk(1)
		for _, n := range ring {
			v, inBox := covered[n]
			if inBox && v == 0 && !outside[n] {
				outside[n] = true
				stack = append(stack, n)
			}
		}
	}
	for _, c := range cells {
		if covered[c] == 0 && !outside[c] {
			ll := c.LatLng()
			rep.GapCells = append(rep.GapCells, orb.Point{ll.Lng, ll.Lat})
		}
	}
	return rep
}

func tilingResolution(b orb.Bound) int {
	mlon, mlat := MetresPerDegree(b.Center()[1])
	area := (b.Max[0] - b.Min[0]) * mlon * (b.Max[1] - b.Min[1]) * mlat
	for res := 10; res > 7; res-- {
		if area/cellAreaAt(b.Center(), res) <= TilingMaxCells {
			return res
		}
	}
	return 7
}

// cellAreaAt returns the area of the H3 cell at pt, in square metres. Cells
// of one resolution differ in area by up to a factor of two over the globe,
// so the global mean (h3.HexagonAreaAvgM2) can be well off for one district.
func cellAreaAt(pt orb.Point, res int) float64 {
	return h3.CellAreaM2(h3.LatLngToCell(h3.NewLatLng(pt[1], pt[0]), res))
}

// problems adds the report's overlaps, one problem per set of overlapping
// grids on the first grid of the set, and its gaps (at most five of each) to
// ps. index returns a grid's position in its layer.
func (r TilingReport) problems(ps *Problems, index func(id string) int) {
	type overlap struct {
		cell  OverlapCell
		count int
	}
	var order []string
	sets := map[string]*overlap{}
	for _, o := range r.OverlapCells {
		k := strings.Join(o.Grids, "\x00")
		if sets[k] == nil {
			order = append(order, k)
			sets[k] = &overlap{cell: o}
		}
		sets[k].count++
	}
	for i, k := range order {
		if i == 5 {
			ps.Add(LayerGrids, -1, "", "geometry", fmt.Sprintf("no overlaps; %d more sets of overlapping grids", len(order)-5))
			break
		}
		o := sets[k]
		first := o.cell.Grids[0]
		ps.Add(LayerGrids, index(first), first, "geometry", fmt.Sprintf(
			"a grid that does not overlap grids %q; they share %d sample points, e.g. %.6f,%.6f",
			o.cell.Grids[1:], o.count, o.cell.Point[0], o.cell.Point[1]))
	}
	for i, g := range r.GapCells {
		if i == 5 {
			ps.Add(LayerGrids, -1, "", "geometry", fmt.Sprintf("no gaps; %d more gap sample points", len(r.GapCells)-5))
			break
		}
		ps.Add(LayerGrids, -1, "", "geometry", fmt.Sprintf("grids that leave no gap; no grid covers %.6f,%.6f, which grids enclose", g[0], g[1]))
	}
}
