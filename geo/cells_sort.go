package geo

import (
	"cmp"
	"math/bits"
	"slices"

	"github.com/uber/h3-go/v4"
)

// radixMin is the length below which SortCells uses slices.Sort.
const radixMin = 2048

// SortCells sorts cells by index, in place. Cells of one district share
// their leading bits (mode, resolution, base cell) and their trailing ones
// (unused digits), so a radix sort over the bits that vary, 11 at a time,
// beats a comparison sort several times over on large sets.
func SortCells(cs []h3.Cell) {
	if len(cs) < radixMin {
		slices.Sort(cs)
		return
	}
	radixSort(cs, func(c h3.Cell) h3.Cell { return c })
}

// SortCellMasks sorts masks by cell, in place and stably (masks of one cell
// keep their order).
func SortCellMasks(ms []CellMask) {
	if len(ms) < radixMin {
		slices.SortStableFunc(ms, func(a, b CellMask) int { return cmp.Compare(a.Cell, b.Cell) })
		return
	}
	radixSort(ms, func(m CellMask) h3.Cell { return m.Cell })
}

// radixSort sorts xs by key, stably, least significant digit first.
func radixSort[T any](xs []T, key func(T) h3.Cell) {
	var diff uint64
	first := uint64(key(xs[0]))
	for _, x := range xs {
		diff |= uint64(key(x)) ^ first
	}
	if diff == 0 {
		return
	}
	lo, hi := bits.TrailingZeros64(diff), 64-bits.LeadingZeros64(diff)
	const digit = 11
	buf := make([]T, len(xs))
	src, dst := xs, buf
	var count [1 << digit]int
	for shift := lo; shift < hi; shift += digit {
		clear(count[:])
		for _, x := range src {
			count[(uint64(key(x))>>uint(shift))&(1<<digit-1)]++
		}
		sum := 0
		for i, n := range count {
			count[i] = sum
			sum += n
		}
		for _, x := range src {
			d := (uint64(key(x)) >> uint(shift)) & (1<<digit - 1)
			dst[count[d]] = x
			count[d]++
		}
		src, dst = dst, src
	}
	if &src[0] != &xs[0] {
		copy(xs, src)
	}
}
