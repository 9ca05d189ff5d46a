package coverage

import (
	"github.com/uber/h3-go/v4"

	"gridwatch/geo"
)

// onlineMask marks, in a gathered cell mask, a camera that is online (the
// sample points use bits 0–6).
const onlineMask = 0x80

// buckets returns the seen state of the watched surface's probe cells,
// building it on first use.
func (v *Video) buckets() []*cellBucket {
	v.cells.once.Do(func() {
		if v.cells.buckets == nil {
			v.cells.buckets = v.buildBuckets()
		}
		v.cells.ready.Store(true)
	})
	return v.cells.buckets
}

// buildBuckets gathers the cell masks of every camera's viewshed on the
// watched surface's probe cells (in two halves side by side) and deals
// them to buckets.
func (v *Video) buildBuckets() []*cellBucket {
	t, surf := v.static.surface()
	cams := v.atlas.Cameras.Items()
	half := len(cams) / 2
	gather := func(cams []*geo.Camera) []geo.CellMask {
		var out, buf []geo.CellMask
		for _, c := range cams {
			buf = geo.CameraSector(c).AppendCellMasks(buf[:0], v.res)
			for _, m := range buf {
				if _, ok := surf.probeOwner(m.Cell); !ok {
					continue
				}
				if c.Online {
					m.Mask |= onlineMask
				}
				out = append(out, m)
			}
		}
		return out
	}
	first := make(chan []geo.CellMask)
	go func() { first <- gather(cams[:half]) }()
	second := gather(cams[half:])
	all := append(<-first, second...)
	return dealCells(all, t, v.atlas.Grids.Len()+1)
}

// dealCells sorts the gathered masks, counts the cameras that see each
// sample point of each cell, and deals the cells to the grids holding their
// centres.
func dealCells(all []geo.CellMask, t *videoTable, n int) []*cellBucket {
	geo.SortCellMasks(all)
	buckets := make([]*cellBucket, n)
	for i := range buckets {
		buckets[i] = &cellBucket{}
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
		b := buckets[t.gridOf(c)]
		b.cells = append(b.cells, st) // in cell order, as all is
	}
	return buckets
}

// videoGrid is what coverage keeps per grid: areas seen (of the grid and of
// its settlements), people seen, and its gaps once asked for.
type videoGrid struct {
	covered       [2]float64 // area of the grid seen, m²
	settleCovered [2]float64 // settlement area seen, m²
	popCovered    [2]float64 // people seen (each settlement's spread evenly on it)
	gaps          [2]videoGapMemo
}

// seenCell reports whether a probe cell in a bucket is seen by variant k.
func (v *Video) seenCell(bucket int32, probe h3.Cell, k int) bool {
	return v.buckets()[bucket].find(probe).seen(k)
}
