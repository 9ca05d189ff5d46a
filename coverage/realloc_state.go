package coverage

import (
	"math"
	"slices"

	"github.com/paulmach/orb"

	"gridwatch/geo"
)

// reallocRoles are the roles in the order of their index in headcounts.
var reallocRoles = [4]geo.Role{geo.RolePolice, geo.RoleAuxiliary, geo.RoleGridWorker, geo.RoleVolunteer}

func reallocRoleIndex(r geo.Role) int {
	for i, x := range reallocRoles {
		if x == r {
			return i
		}
	}
	return -1
}

// reallocOfficer is a responder in a role that may move.
type reallocOfficer struct {
	resp       int   // responder layer index
	role       int   // index in reallocRoles
	grids      []int // grid indexes served now
	station    orb.Point
	hasStation bool
}

// reallocMove moves officer (an index in state.officers) from grid from
// (-1: the station) to grid to.
type reallocMove struct {
	officer, from, to int
}

// reallocObjective is what the planner minimises, in this order.
type reallocObjective struct {
	max, spread float64
	below       int
}

// better reports whether o is better than p, comparing the load figures
// with a relative tolerance so that rounding never counts as a gain.
func (o reallocObjective) better(p reallocObjective) bool {
	const tol = 1e-9
	if d := o.max - p.max; math.Abs(d) > tol*math.Max(1, math.Abs(p.max)) {
		return d < 0
	}
	if d := o.spread - p.spread; math.Abs(d) > tol*math.Max(1, math.Abs(p.spread)) {
		return d < 0
	}
	return o.below < p.below
}

// worseThan reports whether o is better than p: p.worseThan is the test
// a candidate must pass to beat p.
func (p reallocObjective) worseThan(o reallocObjective) bool { return o.better(p) }

// reallocChange is how a candidate move changes one grid's police share
// (dp) and police headcount (dh).
type reallocChange struct {
	grid int
	dp   float64
	dh   int
}

// reallocState is the district's staffing while a plan is built: police
// shares, headcounts and load indexes of every grid, with the sums that
// let a candidate move be scored in time proportional to the grids it
// changes. The officers are the police officers and the responders of the
// other roles that may move. Clones share the inner slices of officers'
// grids and policeOf, which are therefore never changed in place.
type reallocState struct {
	c         ReallocConstraints
	norm      Norm
	mins      [4]int
	movable   [4]bool
	demand    []float64
	splitW    []float64 // nil: equal split
	police    []float64
	head      [][4]int
	li        []float64 // load index of staffed grids
	centroid  []orb.Point
	officers  []reallocOfficer
	moved     []bool
	policeOf  [][]int // police officers (state indexes) serving each grid
	order     []int   // staffed grids, highest index first
	uorder    []int   // unstaffed grids, highest demand first
	s1, s2    float64 // Σ li, Σ li² over staffed grids
	nu        int     // unstaffed grids
	sd, sd2   float64 // Σ demand, Σ demand² over unstaffed grids
	below     int
	made      []reallocMove   // the moves made on this state, in order
	evals     *int            // candidate moves evaluated, shared by clones
	buf, buf2 []reallocChange // scratch of eval and bestPair
	buf3      []reallocChange
}

// newReallocState builds the state of the atlas's staffing as the load
// result measured it.
func newReallocState(a *geo.Atlas, load *LoadResult, c ReallocConstraints) *reallocState {
	n := a.Grids.Len()
	st := &reallocState{c: c, norm: *load.Options.Norm, demand: make([]float64, n), police: make([]float64, n),
		head: make([][4]int, n), li: make([]float64, n), centroid: make([]orb.Point, n), policeOf: make([][]int, n),
		evals: new(int)}
	st.mins = [4]int{c.MinPerGrid.Police, c.MinPerGrid.Auxiliaries, c.MinPerGrid.GridWorkers, c.MinPerGrid.Volunteers}
	for _, r := range c.Roles {
		if i := reallocRoleIndex(r); i >= 0 {
			st.movable[i] = true
		}
	}
	for i := range load.Grids {
		st.demand[i] = load.Grids[i].Demand
		st.centroid[i] = reallocCentroid(load.Grids[i].Grid.Polygon)
	}
	st.splitW = loadSplitWeights(load.Options.Split, st.demand)
	assigned := loadAssignments(a)
	for i, r := range a.Responders.Items() {
		ri := reallocRoleIndex(r.Role)
		if ri < 0 {
			continue
		}
		if ri != 0 && !st.movable[ri] {
			for _, g := range assigned[i] {
				st.head[g][ri]++
			}
			continue
		}
		o := reallocOfficer{resp: i, role: ri, grids: append([]int(nil), assigned[i]...)}
		if s, ok := a.Stations.Get(r.Station); ok {
			o.station, o.hasStation = s.Point, true
		}
		k := len(st.officers)
		st.officers = append(st.officers, o)
		for _, g := range o.grids {
			st.head[g][ri]++
			if ri == 0 {
				st.policeOf[g] = append(st.policeOf[g], k)
			}
		}
	}
	st.moved = make([]bool, len(st.officers))
	for g := range st.police {
		st.police[g] = st.shareOfGrid(g)
	}
	st.refresh()
	return st
}

// part returns the share of officer k in grid g (a grid it serves).
func (st *reallocState) part(k, g int) float64 {
	gs := st.officers[k].grids
	if st.splitW == nil {
		return 1 / float64(len(gs))
	}
	var w float64
	for _, h := range gs {
		w += st.splitW[h]
	}
	return st.splitW[g] / w
}

// shareOfGrid sums the police shares of grid g from its officers.
func (st *reallocState) shareOfGrid(g int) float64 {
	var p float64
	for _, k := range st.policeOf[g] {
		p += st.part(k, g)
	}
	return p
}

// refresh recomputes every load index, the orders and the sums.
func (st *reallocState) refresh() {
	st.order, st.uorder = st.order[:0], st.uorder[:0]
	st.s1, st.s2, st.nu, st.sd, st.sd2, st.below = 0, 0, 0, 0, 0, 0
	for g := range st.police {
		if st.head[g][0] > 0 {
			st.li[g] = st.demand[g] / st.police[g]
			st.s1 += st.li[g]
			st.s2 += st.li[g] * st.li[g]
			st.order = append(st.order, g)
		} else {
			st.li[g] = 0
			st.nu++
			st.sd += st.demand[g]
			st.sd2 += st.demand[g] * st.demand[g]
			st.uorder = append(st.uorder, g)
		}
		if st.belowNorm(st.head[g]) {
			st.below++
		}
	}
	slices.SortFunc(st.order, func(a, b int) int { return reallocDesc(st.li[a], st.li[b], a, b) })
	slices.SortFunc(st.uorder, func(a, b int) int { return reallocDesc(st.demand[a], st.demand[b], a, b) })
}

// reallocDesc orders by value, highest first, then by index.
func reallocDesc(va, vb float64, a, b int) int {
	switch {
	case va > vb:
		return -1
	case va < vb:
		return 1
	}
	return a - b
}

func (st *reallocState) belowNorm(h [4]int) bool {
	return h[0] < st.norm.GridPolice
}

// topStaffed returns the highest load index of the current staffed grids.
func (st *reallocState) topStaffed() float64 {
	if len(st.order) == 0 {
		return 0
	}
	return st.li[st.order[0]]
}

// indexOf returns grid g's current load index.
func (st *reallocState) indexOf(g int) float64 {
	if st.head[g][0] > 0 {
		return st.li[g]
	}
	return loadUnstaffedIndex(st.topStaffed(), st.demand[g])
}

// objective returns the current objective.
func (st *reallocState) objective() reallocObjective {
	return st.combine(st.topStaffed(), st.s1, st.s2, st.nu, st.sd, st.sd2, st.firstUnstaffedDemand(nil), st.below)
}

// combine returns the objective from the staffed maximum and sums and the
// unstaffed sums and highest demand.
func (st *reallocState) combine(top, s1, s2 float64, nu int, sd, sd2, topD float64, below int) reallocObjective {
	n := float64(len(st.police))
	o := reallocObjective{max: top, below: below}
	if nu > 0 {
		o.max = loadUnstaffedIndex(top, topD)
	}
	if n == 0 {
		return o
	}
	base := top + 1
	mean := (s1 + float64(nu)*base + sd) / n
	ex2 := (s2 + float64(nu)*base*base + 2*base*sd + sd2) / n
	o.spread = math.Sqrt(math.Max(ex2-mean*mean, 0))
	return o
}

// firstUnstaffedDemand returns the highest demand of an unstaffed grid not
// in changed.
func (st *reallocState) firstUnstaffedDemand(changed []reallocChange) float64 {
	for _, g := range st.uorder {
		if !reallocTouches(changed, g) {
			return st.demand[g]
		}
	}
	return math.Inf(-1)
}

func reallocTouches(changed []reallocChange, g int) bool {
	for _, c := range changed {
		if c.grid == g {
			return true
		}
	}
	return false
}

// reallocCentroid returns the area centroid of a polygon's outer ring,
// computed in lon/lat relative to its first vertex (planar, which is
// accurate to metres for grids a few kilometres across).
func reallocCentroid(p orb.Polygon) orb.Point {
	if len(p) == 0 || len(p[0]) == 0 {
		return orb.Point{}
	}
	r := p[0]
	o := r[0]
	var cx, cy, a2 float64
	for i := 0; i+1 < len(r); i++ {
		x0, y0 := r[i][0]-o[0], r[i][1]-o[1]
		x1, y1 := r[i+1][0]-o[0], r[i+1][1]-o[1]
		cross := x0*y1 - x1*y0
		a2 += cross
		cx += (x0 + x1) * cross
		cy += (y0 + y1) * cross
	}
	if a2 == 0 {
		return o
	}
	return orb.Point{o[0] + cx/(3*a2), o[1] + cy/(3*a2)}
}
