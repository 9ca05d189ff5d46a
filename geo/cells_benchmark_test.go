package geo_test

import (
	"slices"
	"testing"

	"github.com/paulmach/orb"
	"github.com/uber/h3-go/v4"

	"gridwatch/geo"
)

// The H3 helpers against the baselines they replace, in one run:
// CellParts against geo.Dissolve of the cells' polygons (edges keyed on
// rounded vertices, no parts), Sector.Cells against testing every cell of a
// disk by its exact centre, PolygonCells against h3.PolygonToCells.

// benchBlob returns about n cells around Hongsibao, a ragged blob with holes.
func benchBlob(n int) []h3.Cell {
	disk := geo.PointCell(orb.Point{106.07, 37.42}, 12).GridDisk(int(float64(n)/3) / 50)
	var out []h3.Cell
	for i, c := range disk {
		if (i*7919)%10 < 7 {
			out = append(out, c)
		}
	}
	return out
}

func BenchmarkCellParts(b *testing.B) {
	cells := benchBlob(20000)
	b.ReportAllocs()
	for b.Loop() {
		geo.CellParts(cells)
	}
	b.ReportMetric(float64(len(cells)), "cells")
}

func BenchmarkCellParts_DissolveBaseline(b *testing.B) {
	cells := benchBlob(20000)
	b.ReportAllocs()
	for b.Loop() {
		polys := make([]orb.Polygon, len(cells))
		for i, c := range cells {
			polys[i] = geo.CellPolygon(c)
		}
		geo.Dissolve(polys)
	}
}

var benchSector = geo.NewSector(orb.Point{106.07, 37.42}, 60, 90, 400)

func BenchmarkSectorCells(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		benchSector.Cells(12)
	}
}

func BenchmarkSectorCells_BruteForceBaseline(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		var out []h3.Cell
		for _, c := range geo.PointCell(benchSector.Center, 12).GridDisk(30) {
			if benchSector.Contains(geo.CellCenter(c)) {
				out = append(out, c)
			}
		}
		slices.Sort(out)
	}
}

var benchPolygon = func() orb.Polygon {
	var r orb.Ring
	for i := range 24 {
		r = append(r, geo.Destination(orb.Point{106.07, 37.42}, -float64(i)*15, 300+float64(i%3)*100))
	}
	return orb.Polygon{append(r, r[0])}
}()

func BenchmarkPolygonCells(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		geo.PolygonCells(benchPolygon, 12)
	}
}

func BenchmarkPolygonCells_H3Baseline(b *testing.B) {
	loop := make(h3.GeoLoop, len(benchPolygon[0])-1)
	for i := range loop {
		loop[i] = h3.NewLatLng(benchPolygon[0][i][1], benchPolygon[0][i][0])
	}
	b.ReportAllocs()
	for b.Loop() {
		h3.PolygonToCells(h3.GeoPolygon{GeoLoop: loop}, 12)
	}
}
