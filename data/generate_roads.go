package data

import (
	"fmt"
	"math"
	"sort"

	"github.com/paulmach/orb"

	"gridwatch/geo"
)

// The last stage turns the roads and canals drawn for the settlements into
// the roads and waterways layers: both are clipped to the district, every
// settlement is joined to the network by a village road, roads that cross
// get a shared vertex (an at-grade junction), and wherever a road crosses a
// canal the stretch over it becomes a bridge of its own.

// roadPlan is a road while it is being built, in metres.
type roadPlan struct {
	pts   polyline
	class geo.RoadClass
	name  string
}

// Bridge half-lengths either side of a canal's centre line, metres.
const (
	mainBridgeHalfM   = 25
	branchBridgeHalfM = 12
	// spurMinM is how far a settlement's centre must be from every road
	// for it to get a village road of its own.
	spurMinM = 60
)

// buildRoads emits the roads and waterways layers.
func (b *builder) buildRoads() error {
	inside := func(p [2]float64) bool { return b.m.locate(b.m.f.point(p[0], p[1])) >= 0 }
	var roads []*roadPlan
	for i, t := range b.net.trunk {
		class, name := geo.RoadCounty, fmt.Sprintf("县道X%03d", i+1)
		if i >= b.net.tree {
			k := i - b.net.tree
			class, name = geo.RoadNational, fmt.Sprintf("国道G%03d", k+1)
			if k%2 == 1 {
				class, name = geo.RoadProvincial, fmt.Sprintf("省道S%03d", k+1)
			}
		}
		for _, piece := range clipLine(t, inside) {
			roads = append(roads, &roadPlan{pts: piece, class: class, name: name})
		}
	}
	var waters []polyline
	var halves []float64
	var names []string
	mainNo, branchNo := 0, 0
	for i, w := range b.net.waters {
		half, name := float64(branchBridgeHalfM), ""
		if b.net.mains[i] {
			mainNo, branchNo = mainNo+1, 0
			half, name = mainBridgeHalfM, numeral(mainNo)+"干渠"
		} else {
			branchNo++
			name = numeral(mainNo) + "干" + numeral(branchNo) + "支渠"
		}
		for _, piece := range clipLine(w, inside) {
			waters, halves, names = append(waters, piece), append(halves, half), append(names, name)
		}
	}
	roads = b.addSpurs(roads)
	addJunctions(roads)
	b.emitWaterways(waters, names)
	b.emitRoads(bridged(roads, waters, halves))
	return nil
}

// clipLine returns the runs of pl inside the district, each cut within
// 100 m of the border.
func clipLine(pl polyline, inside func([2]float64) bool) []polyline {
	type sampleAt struct {
		p      [2]float64
		vertex bool
	}
	var ss []sampleAt
	for i := 0; i+1 < len(pl); i++ {
		p, q := pl[i], pl[i+1]
		steps := max(1, int(math.Ceil(math.Hypot(q[0]-p[0], q[1]-p[1])/100)))
		for s := 0; s < steps; s++ {
			t := float64(s) / float64(steps)
			ss = append(ss, sampleAt{[2]float64{p[0] + t*(q[0]-p[0]), p[1] + t*(q[1]-p[1])}, s == 0})
		}
	}
	if len(pl) > 0 {
		ss = append(ss, sampleAt{pl[len(pl)-1], true})
	}
	in := make([]bool, len(ss))
	for k, s := range ss {
		in[k] = inside(s.p)
	}
	var out []polyline
	var cur polyline
	for k, s := range ss {
		if !in[k] {
			if len(cur) >= 2 {
				out = append(out, cur)
			}
			cur = nil
			continue
		}
		edge := k == 0 || k == len(ss)-1 || !in[k-1] || !in[k+1]
		if s.vertex || edge {
			cur = append(cur, s.p)
		}
	}
	if len(cur) >= 2 {
		out = append(out, cur)
	}
	return out
}

// segRef names segment seg (from vertex seg to seg+1) of line.
type segRef struct{ line, seg int32 }

// segIndex finds segments near a box: a uniform grid of buckets.
type segIndex struct {
	cell float64
	m    map[[2]int32][]segRef
}

func newSegIndex(cell float64) *segIndex {
	return &segIndex{cell: cell, m: map[[2]int32][]segRef{}}
}

func (ix *segIndex) key(x, y float64) [2]int32 {
	return [2]int32{int32(math.Floor(x / ix.cell)), int32(math.Floor(y / ix.cell))}
}

func (ix *segIndex) addLine(line int, pl polyline) {
	for s := 0; s+1 < len(pl); s++ {
		a, c := pl[s], pl[s+1]
		lo := ix.key(math.Min(a[0], c[0]), math.Min(a[1], c[1]))
		hi := ix.key(math.Max(a[0], c[0]), math.Max(a[1], c[1]))
		for x := lo[0]; x <= hi[0]; x++ {
			for y := lo[1]; y <= hi[1]; y++ {
				k := [2]int32{x, y}
				ix.m[k] = append(ix.m[k], segRef{int32(line), int32(s)})
			}
		}
	}
}

// near calls fn once for every segment in a bucket that meets the box.
func (ix *segIndex) near(x0, y0, x1, y1 float64, fn func(segRef)) {
	lo, hi := ix.key(x0, y0), ix.key(x1, y1)
	seen := map[segRef]bool{}
	for x := lo[0]; x <= hi[0]; x++ {
		for y := lo[1]; y <= hi[1]; y++ {
			for _, r := range ix.m[[2]int32{x, y}] {
				if !seen[r] {
					seen[r] = true
					fn(r)
				}
			}
		}
	}
}

// insert is a vertex to add to a line: on segment seg at fraction t.
type insert struct {
	seg int
	t   float64
	p   [2]float64
}

// closest returns the point of segment ab nearest p and its fraction.
func closest(p, a, c [2]float64) ([2]float64, float64) {
	dx, dy := c[0]-a[0], c[1]-a[1]
	l2 := dx*dx + dy*dy
	t := 0.0
	if l2 > 0 {
		t = ((p[0]-a[0])*dx + (p[1]-a[1])*dy) / l2
	}
	switch {
	case t <= 0:
		return a, 0
	case t >= 1:
		return c, 1
	}
	return [2]float64{a[0] + t*dx, a[1] + t*dy}, t
}

// addSpurs joins every settlement farther than spurMinM from the network
// by a straight village road from its centre to the nearest point of a
// road (which may be the village road of a settlement joined before).
func (b *builder) addSpurs(roads []*roadPlan) []*roadPlan {
	ix := newSegIndex(1000)
	for i, r := range roads {
		ix.addLine(i, r.pts)
	}
	inserts := make([][]insert, len(roads))
	limit := math.Hypot(b.box[1]-b.box[0], b.box[3]-b.box[2])
	for _, s := range b.setts {
		if len(roads) == 0 {
			break
		}
		p := [2]float64{s.cx, s.cy}
		best, bestD := insert{seg: -1}, math.Inf(1)
		bestLine := -1
		for r := 1000.0; bestLine < 0 && r < 2*limit; r *= 2 {
			ix.near(p[0]-r, p[1]-r, p[0]+r, p[1]+r, func(ref segRef) {
				pts := roads[ref.line].pts
				q, t := closest(p, pts[ref.seg], pts[ref.seg+1])
				if d := math.Hypot(q[0]-p[0], q[1]-p[1]); d <= r && (d < bestD || d == bestD && int(ref.line) < bestLine) {
					best, bestD, bestLine = insert{seg: int(ref.seg), t: t, p: q}, d, int(ref.line)
				}
			})
		}
		if bestLine < 0 || bestD < spurMinM {
			continue
		}
		if best.t > 0 && best.t < 1 {
			inserts[bestLine] = append(inserts[bestLine], best)
		}
		v := b.villages[b.grids[s.grid].village]
		roads = append(roads, &roadPlan{pts: polyline{p, best.p}, class: geo.RoadVillage, name: v.name + "村道"})
		inserts = append(inserts, nil)
		ix.addLine(len(roads)-1, roads[len(roads)-1].pts)
	}
	for i, r := range roads {
		r.pts = withInserts(r.pts, inserts[i])
	}
	return roads
}

// withInserts returns pl with the vertices added.
func withInserts(pl polyline, ins []insert) polyline {
	if len(ins) == 0 {
		return pl
	}
	sort.Slice(ins, func(i, j int) bool {
		if ins[i].seg != ins[j].seg {
			return ins[i].seg < ins[j].seg
		}
		return ins[i].t < ins[j].t
	})
	out := make(polyline, 0, len(pl)+len(ins))
	k := 0
	for s, v := range pl {
		out = append(out, v)
		for ; k < len(ins) && ins[k].seg == s; k++ {
			if ins[k].p != out[len(out)-1] && (s+1 >= len(pl) || ins[k].p != pl[s+1]) {
				out = append(out, ins[k].p)
			}
		}
	}
	return out
}

// snapM is how near a vertex a crossing must be to be moved onto it.
const snapM = 0.05

// addJunctions gives every pair of roads that cross a shared vertex at
// the crossing.
func addJunctions(roads []*roadPlan) {
	ix := newSegIndex(1000)
	for i, r := range roads {
		ix.addLine(i, r.pts)
	}
	inserts := make([][]insert, len(roads))
	for i, r := range roads {
		for s := 0; s+1 < len(r.pts); s++ {
			a, c := r.pts[s], r.pts[s+1]
			ix.near(math.Min(a[0], c[0]), math.Min(a[1], c[1]), math.Max(a[0], c[0]), math.Max(a[1], c[1]), func(ref segRef) {
				j := int(ref.line)
				if j <= i && !(j == i && int(ref.seg) > s+1) {
					return // each pair once; a road's own neighbouring segments meet at a vertex
				}
				o := roads[j].pts
				p, t, u, ok := crossing(a, c, o[ref.seg], o[ref.seg+1])
				if !ok {
					return
				}
				// Onto a vertex when the crossing is (nearly) at one.
				la, lo := math.Hypot(c[0]-a[0], c[1]-a[1]), math.Hypot(o[ref.seg+1][0]-o[ref.seg][0], o[ref.seg+1][1]-o[ref.seg][1])
				onA, onO := -1, -1
				switch {
				case t*la < snapM:
					p, onA = a, s
				case (1-t)*la < snapM:
					p, onA = c, s+1
				}
				switch {
				case onA < 0 && u*lo < snapM:
					p, onO = o[ref.seg], int(ref.seg)
				case onA < 0 && (1-u)*lo < snapM:
					p, onO = o[ref.seg+1], int(ref.seg)+1
				}
				if onA < 0 {
					inserts[i] = append(inserts[i], insert{seg: s, t: t, p: p})
				}
				if onO < 0 {
					inserts[j] = append(inserts[j], insert{seg: int(ref.seg), t: u, p: p})
				}
			})
		}
	}
	for i, r := range roads {
		r.pts = withInserts(r.pts, inserts[i])
	}
}

// crossing returns where segments ab and cd cross at a point inside both
// (fractions t along ab and u along cd); touching at an end point is not
// a crossing.
func crossing(a, b, c, d [2]float64) ([2]float64, float64, float64, bool) {
	rx, ry := b[0]-a[0], b[1]-a[1]
	sx, sy := d[0]-c[0], d[1]-c[1]
	den := rx*sy - ry*sx
	if den == 0 {
		return [2]float64{}, 0, 0, false
	}
	qx, qy := c[0]-a[0], c[1]-a[1]
	t := (qx*sy - qy*sx) / den
	u := (qx*ry - qy*rx) / den
	const eps = 1e-9
	if t <= eps || t >= 1-eps || u <= eps || u >= 1-eps {
		return [2]float64{}, 0, 0, false
	}
	return [2]float64{a[0] + t*rx, a[1] + t*ry}, t, u, true
}

// bridgedRoad is a piece of a road, a bridge or not.
type bridgedRoad struct {
	*roadPlan
	bridge bool
}

// bridged cuts every road where it crosses a waterway into the stretch
// before, the bridge (half-length either side of the crossing, by the
// waterway's size) and the stretch after.
func bridged(roads []*roadPlan, waters []polyline, halves []float64) []bridgedRoad {
	ix := newSegIndex(1000)
	for i, w := range waters {
		ix.addLine(i, w)
	}
	var out []bridgedRoad
	for _, r := range roads {
		var spans [][2]float64 // arc-length intervals to bridge
		run := 0.0
		for s := 0; s+1 < len(r.pts); s++ {
			a, c := r.pts[s], r.pts[s+1]
			l := math.Hypot(c[0]-a[0], c[1]-a[1])
			ix.near(math.Min(a[0], c[0]), math.Min(a[1], c[1]), math.Max(a[0], c[0]), math.Max(a[1], c[1]), func(ref segRef) {
				w := waters[ref.line]
				if _, t, _, ok := crossing(a, c, w[ref.seg], w[ref.seg+1]); ok {
					h := halves[ref.line]
					spans = append(spans, [2]float64{run + t*l - h, run + t*l + h})
				}
			})
			run += l
		}
		if len(spans) == 0 {
			out = append(out, bridgedRoad{r, false})
			continue
		}
		sort.Slice(spans, func(i, j int) bool { return spans[i][0] < spans[j][0] })
		merged := [][2]float64{}
		for _, sp := range spans {
			sp[0], sp[1] = math.Max(sp[0], 0), math.Min(sp[1], run)
			if n := len(merged); n > 0 && sp[0] <= merged[n-1][1]+1 {
				merged[n-1][1] = math.Max(merged[n-1][1], sp[1])
				continue
			}
			merged = append(merged, sp)
		}
		var cuts []float64
		for _, sp := range merged {
			cuts = append(cuts, sp[0], sp[1])
		}
		pieces := cutAt(r.pts, cuts)
		// Pieces alternate: before the first span, the span, between, ...
		for k, pc := range pieces {
			if pc == nil {
				continue
			}
			out = append(out, bridgedRoad{&roadPlan{pts: pc, class: r.class, name: r.name}, k%2 == 1})
		}
	}
	return out
}

// cutAt cuts pl at the ascending arc lengths in cuts, returning
// len(cuts)+1 pieces that share their end points; a piece shorter than
// 1 m is nil (its neighbours then meet at its start).
func cutAt(pl polyline, cuts []float64) []polyline {
	out := make([]polyline, 0, len(cuts)+1)
	cur := polyline{pl[0]}
	run, k := 0.0, 0
	curStart := 0.0
	for s := 0; s+1 < len(pl); s++ {
		a, c := pl[s], pl[s+1]
		l := math.Hypot(c[0]-a[0], c[1]-a[1])
		for k < len(cuts) && cuts[k] < run+l {
			t := (cuts[k] - run) / l
			p := [2]float64{a[0] + t*(c[0]-a[0]), a[1] + t*(c[1]-a[1])}
			if cuts[k]-curStart < 1 {
				out = append(out, nil) // too short: its end is its start
				k++
				continue
			}
			if p != cur[len(cur)-1] {
				cur = append(cur, p)
			}
			out = append(out, cur)
			cur, curStart = polyline{p}, cuts[k]
			k++
		}
		cur = append(cur, c)
		run += l
	}
	// What is left: cur, then a piece for each cut at the very end.
	if run-curStart < 1 {
		// cur is too short: the piece before it ends at the line's end.
		for i := len(out) - 1; i >= 0; i-- {
			if out[i] != nil {
				out[i][len(out[i])-1] = pl[len(pl)-1]
				cur = nil
				break
			}
		}
	}
	out = append(out, cur)
	for ; k < len(cuts); k++ {
		out = append(out, nil)
	}
	return out
}

// lineOf returns the rounded lon/lat line of a polyline without repeated
// positions; nil when fewer than two remain.
func (b *builder) lineOf(pl polyline) orb.LineString {
	out := make(orb.LineString, 0, len(pl))
	for _, p := range pl {
		q := b.m.f.point(p[0], p[1])
		if len(out) == 0 || q != out[len(out)-1] {
			out = append(out, q)
		}
	}
	if len(out) < 2 {
		return nil
	}
	return out
}

func (b *builder) emitWaterways(waters []polyline, names []string) {
	out := make([]*geo.Waterway, 0, len(waters))
	for i, w := range waters {
		if l := b.lineOf(w); l != nil {
			out = append(out, &geo.Waterway{Name: names[i], Kind: geo.WaterwayCanal, Line: l})
		}
	}
	for i, w := range out {
		w.ID = ids("W", 4, i, len(out))
	}
	b.ds.Waterways = out
}

func (b *builder) emitRoads(roads []bridgedRoad) {
	out := make([]*geo.Road, 0, len(roads))
	for _, r := range roads {
		if l := b.lineOf(r.pts); l != nil {
			out = append(out, &geo.Road{Name: r.name, Class: r.class, SpeedKMH: r.class.DefaultSpeedKMH(), Bridge: r.bridge, Line: l})
		}
	}
	for i, r := range out {
		r.ID = ids("RD", 5, i, len(out))
	}
	b.ds.Roads = out
}
