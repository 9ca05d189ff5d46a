package coverage

import (
	"github.com/uber/h3-go/v4"

	"gridwatch/geo"
)

// PlacementWeights weigh what a camera newly covers: the weight of a plan
// is Population × people newly seen + Incidents × incidents in the window
// newly seen + Places × key places newly seen.
type PlacementWeights struct {
	// Population weighs a resident newly seen.
	Population float64 `json:"population"`
	// Incidents weighs an incident in the window newly seen.
	Incidents float64 `json:"incidents"`
	// Places weighs a key place newly seen.
	Places float64 `json:"places"`
}

// elemRef locates the elements of a probe cell: seven consecutive ones,
// one per sample point (settlement surfaces), or one for the centre only
// (whole-grid surfaces).
type elemRef struct {
	base  int32
	all   bool
	owner int32 // the grid owning the element's cell
}

// coverUniverse is what cameras can newly cover, seen from a variant's
// coverage: the people on the watched surface (per cell sample point, so
// that people seen add up as in Video), the incidents in the window and
// the key places, as a coverProblem's elements.
type coverUniverse struct {
	v       *Video
	k       int
	w       Window
	prob    coverProblem
	byProbe map[h3.Cell][]elemRef
	incElem map[int]int32
	plcElem map[int]int32
}

// newCoverUniverse builds the elements of v for the variant, window and
// weights; elements already seen are marked covered.
func newCoverUniverse(v *Video, variant Variant, w Window, wt PlacementWeights) *coverUniverse {
	u := &coverUniverse{v: v, k: variant.index(), w: w, byProbe: map[h3.Cell][]elemRef{},
		incElem: map[int]int32{}, plcElem: map[int]int32{}}
	_, surf := v.static.surface()
	buckets := v.buckets()
	if surf.whole {
		for g, cells := range surf.cells {
			for _, c := range cells {
				st := buckets[c.bucket].find(c.probe)
				u.byProbe[c.probe] = append(u.byProbe[c.probe], elemRef{base: u.add(wt, [3]float64{c.pop, 0, 0}, st.seen(u.k)), owner: int32(g)})
			}
		}
	} else {
		for g, sis := range surf.settlesOf {
			for _, si := range sis {
				s := &surf.settles[si]
				if s.cellArea <= 0 {
					continue
				}
				for _, c := range s.cells {
					st := buckets[c.bucket].find(c.probe)
					pop := float64(s.pop) * float64(c.area) / float64(7*s.cellArea)
					base := int32(len(u.prob.weight))
					for b := range 7 {
						u.add(wt, [3]float64{pop, 0, 0}, st.n[u.k][b] > 0)
					}
					u.byProbe[c.probe] = append(u.byProbe[c.probe], elemRef{base: base, all: true, owner: int32(g)})
				}
			}
		}
	}
	for i, inc := range v.atlas.Incidents.Items() {
		if w.Contains(inc.Time) {
			u.incElem[i] = u.add(wt, [3]float64{0, 1, 0}, v.incSeen[i][u.k] > 0)
		}
	}
	for i := range v.atlas.Places.Items() {
		u.plcElem[i] = u.add(wt, [3]float64{0, 0, 1}, v.plcSeen[i][u.k] > 0)
	}
	return u
}

// add appends an element and returns its index.
func (u *coverUniverse) add(wt PlacementWeights, parts [3]float64, covered bool) int32 {
	u.prob.weight = append(u.prob.weight, wt.Population*parts[0]+wt.Incidents*parts[1]+wt.Places*parts[2])
	u.prob.parts = append(u.prob.parts, parts)
	u.prob.covered = append(u.prob.covered, covered)
	return int32(len(u.prob.weight) - 1)
}

// elements returns the elements a sector covers, in a fixed order: the
// sample points of the surface cells it sees, then incidents, then places.
func (u *coverUniverse) elements(s geo.Sector) []int32 {
	var out []int32
	for _, cm := range s.AppendCellMasks(nil, u.v.res) {
		for _, r := range u.byProbe[cm.Cell] {
			if !r.all {
				if cm.Mask&1 != 0 {
					out = append(out, r.base)
				}
				continue
			}
			for b := range 7 {
				if cm.Mask&(1<<b) != 0 {
					out = append(out, r.base+int32(b))
				}
			}
		}
	}
	a := u.v.atlas
	a.Incidents.Search(s.Bound(), func(i int) bool {
		if e, ok := u.incElem[i]; ok && s.Contains(a.Incidents.At(i).Point) {
			out = append(out, e)
		}
		return true
	})
	a.Places.Search(s.Bound(), func(i int) bool {
		if e, ok := u.plcElem[i]; ok && s.Contains(a.Places.At(i).Point) {
			out = append(out, e)
		}
		return true
	})
	return out
}

// unseenProbes returns the probe cells holding at least one element not
// yet covered.
func (u *coverUniverse) unseenProbes() []h3.Cell {
	var out []h3.Cell
	for c, refs := range u.byProbe {
		for _, r := range refs {
			if u.unseen(r) {
				out = append(out, c)
				break
			}
		}
	}
	geo.SortCells(out)
	return out
}

func (u *coverUniverse) unseen(r elemRef) bool {
	n := int32(1)
	if r.all {
		n = 7
	}
	for e := r.base; e < r.base+n; e++ {
		if !u.prob.covered[e] && u.prob.weight[e] > 0 {
			return true
		}
	}
	return false
}
