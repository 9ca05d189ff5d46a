package coverage

import (
	"math"

	"github.com/uber/h3-go/v4"

	"gridwatch/geo"
)

// onlineMask marks, in a gathered cell mask, a camera that is online (the
// sample points use bits 0–6).
const onlineMask = 0x80

// gatherCameras returns the cell masks of every camera's viewshed (online
// cameras' marked with onlineMask) and sets the seen counts of incidents
// and places. The cameras are split in two halves computed side by side.
func (v *Video) gatherCameras(stop *stopper) []geo.CellMask {
	cams := v.atlas.Cameras.Items()
	half := len(cams) / 2
	type part struct {
		masks    []geo.CellMask
		inc, plc []viewers
	}
	gather := func(cams []*geo.Camera) part {
		p := part{masks: make([]geo.CellMask, 0, maskEstimate(cams, v.res)),
			inc: make([]viewers, v.atlas.Incidents.Len()), plc: make([]viewers, v.atlas.Places.Len())}
		for i, c := range cams {
			if i%16 == 0 && stop.ctx.Err() != nil {
				break
			}
			s := geo.CameraSector(c)
			n := len(p.masks)
			p.masks = s.AppendCellMasks(p.masks, v.res)
			d := viewers{1, 0}
			if c.Online {
				for i := n; i < len(p.masks); i++ {
					p.masks[i].Mask |= onlineMask
				}
				d[1] = 1
			}
			seePoints(v.atlas, s, d, p.inc, p.plc, nil)
		}
		return p
	}
	first := make(chan part)
	go func() { first <- gather(cams[:half]) }()
	second := gather(cams[half:])
	p := <-first
	for i := range p.inc {
		p.inc[i][0] += second.inc[i][0]
		p.inc[i][1] += second.inc[i][1]
	}
	for i := range p.plc {
		p.plc[i][0] += second.plc[i][0]
		p.plc[i][1] += second.plc[i][1]
	}
	v.incSeen, v.plcSeen = p.inc, p.plc
	return append(p.masks, second.masks...)
}

// dealCells sorts the gathered masks, counts the cameras that see each
// sample point of each cell, and deals the cells to the grids holding their
// centres.
func (v *Video) dealCells(all []geo.CellMask, t *videoTable) {
	geo.SortCellMasks(all)
	for i := range v.buckets {
		v.buckets[i] = &cellBucket{}
	}
	for i := 0; i < len(all); {
		c := all[i].Cell
		st := videoCellState{cell: c}
		for ; i < len(all) && all[i].Cell == c; i++ {
			d := viewers{1, 0}
			if all[i].Mask&onlineMask != 0 {
				d[1] = 1
			}
			st.add(all[i].Mask, d)
		}
		st.area = t.areaOf(c)
		b := v.buckets[t.gridOf(c)]
		b.cells = append(b.cells, st) // in cell order, as all is
	}
}

// maskEstimate estimates the cell masks of the cameras' viewsheds: the
// cells inside and a band of partly seen ones along the edges.
func maskEstimate(cams []*geo.Camera, res int) int {
	cell, spacing := h3.HexagonAreaAvgM2(res), geo.CellSpacingM(res)
	var n float64
	for _, c := range cams {
		s := geo.CameraSector(c)
		edge := 2 * math.Pi * c.RangeM * s.FOVDeg / 360
		if !s.Disc() {
			edge += 2 * c.RangeM
		}
		n += 1.1*s.AreaM2()/cell + 1.5*edge/spacing + 4
	}
	return int(n) + 1024
}

// seePoints adds d to the seen counts, in inc and plc, of the incidents
// and places in the sector, calling touched (when not nil) with the grid of
// each place.
func seePoints(a *geo.Atlas, s geo.Sector, d viewers, inc, plc []viewers, touched func(g int32)) {
	a.Incidents.Search(s.Bound(), func(i int) bool {
		if s.Contains(a.Incidents.At(i).Point) {
			inc[i][0] += d[0]
			inc[i][1] += d[1]
		}
		return true
	})
	a.Places.Search(s.Bound(), func(i int) bool {
		if s.Contains(a.Places.At(i).Point) {
			plc[i][0] += d[0]
			plc[i][1] += d[1]
			if touched != nil {
				touched(int32(i))
			}
		}
		return true
	})
}

// gridResult computes grid g's result from the buckets and the surface.
func (v *Video) gridResult(g int32) *videoGrid {
	r := &videoGrid{}
	for _, st := range v.buckets[g].cells {
		for k := range st.n {
			r.covered[k] += st.area * st.points(k)
		}
	}
	surf := v.static.surf
	for _, si := range surf.settlesOf[g] {
		s := &surf.settles[si]
		var cov [2]int64
		for _, c := range s.cells {
			st := v.buckets[c.bucket].find(c.probe)
			for k := range cov {
				cov[k] += c.area * st.points(k)
			}
		}
		for k := range cov {
			frac := float64(cov[k]) / float64(7*s.cellArea)
			r.settleCovered[k] += s.area * frac
			r.popCovered[k] += float64(s.pop) * frac
		}
	}
	return r
}

// videoGrid is what coverage keeps per grid: areas seen (of the grid and of
// its settlements), people seen, and its gaps once asked for.
type videoGrid struct {
	covered       [2]int64   // seen area of the cells centred in the grid, videoAreaUnit/7
	settleCovered [2]float64 // settlement area seen, m²
	popCovered    [2]float64 // people seen (settlements' people spread on their cells)
	gaps          [2]videoGapMemo
}

// seenCell reports whether a probe cell in a bucket is seen by variant k.
func (v *Video) seenCell(bucket int32, probe h3.Cell, k int) bool {
	return v.buckets[bucket].find(probe).seen(k)
}
