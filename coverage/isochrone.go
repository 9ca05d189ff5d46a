package coverage

import (
	"context"
	"fmt"
	"math"
	"slices"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
	"github.com/uber/h3-go/v4"

	"gridwatch/geo"
	"gridwatch/geo/route"
)

// Limits and defaults of isochrones.
const (
	// MaxIsochroneMinutes is the longest isochrone: one hour.
	MaxIsochroneMinutes = 60
	// MaxIsochrones is the most isochrones one request may ask for.
	MaxIsochrones = 12
	// DefaultIsochroneRes is the H3 resolution of the outlines: cells of
	// about 0.105 km² (about 174 m a side).
	DefaultIsochroneRes = 9
)

// DefaultIsochroneMinutes are the isochrones drawn when none are asked for.
var DefaultIsochroneMinutes = []float64{5, 10, 15}

// IsochroneOptions tune Isochrones; the zero value of each field means its
// default.
type IsochroneOptions struct {
	// Minutes are the travel times, ascending, each in (0, 60].
	Minutes []float64
	// Role is whose travel profile times the trips; "" means police.
	Role geo.Role
	// Resolution is the H3 resolution of the outlines, 7 to 10.
	Resolution int
	// ETA holds the roles' travel; nil means DefaultETA.
	ETA ETA
}

func (o IsochroneOptions) normalized() (IsochroneOptions, error) {
	var ps geo.Problems
	bad := func(field, expected string) { ps.Add("query", -1, "", field, expected) }
	if len(o.Minutes) == 0 {
		o.Minutes = DefaultIsochroneMinutes
	}
	if len(o.Minutes) > MaxIsochrones {
		bad("minutes", fmt.Sprintf("at most %d values, got %d", MaxIsochrones, len(o.Minutes)))
	}
	for i, m := range o.Minutes {
		if !(m > 0 && m <= MaxIsochroneMinutes) {
			bad("minutes", fmt.Sprintf("minutes in (0, %d], got %g", MaxIsochroneMinutes, m))
		} else if i > 0 && !(m > o.Minutes[i-1]) {
			bad("minutes", fmt.Sprintf("ascending values, got %g after %g", m, o.Minutes[i-1]))
		}
	}
	if o.Role == "" {
		o.Role = geo.RolePolice
	}
	if !o.Role.Valid() {
		bad("role", fmt.Sprintf("one of %s, got %q", roleList(), o.Role))
	}
	if o.Resolution == 0 {
		o.Resolution = DefaultIsochroneRes
	}
	if o.Resolution < 7 || o.Resolution > 10 {
		bad("resolution", fmt.Sprintf("an H3 resolution from 7 to 10, got %d", o.Resolution))
	}
	if o.ETA == nil {
		o.ETA = DefaultETA()
	}
	if err := ps.Err("invalid isochrone query"); err != nil {
		return o, err
	}
	return o, o.ETA.Validate()
}

// Isochrone is the area reached from a point within some minutes on the
// road network.
type Isochrone struct {
	// Minutes is the travel time.
	Minutes float64
	// Cells are the H3 cells whose centre is reached in time, sorted.
	Cells []h3.Cell
	// Polygon is the outline of the cells.
	Polygon orb.MultiPolygon
	// AreaM2 is the summed area of the cells, square metres.
	AreaM2 float64
	// Population is the number of people in the settlements whose
	// centroid is reached in time.
	Population float64
	// Grids are the grids with people reached, in layer order.
	Grids []IsochroneGrid
}

// IsochroneGrid is what an isochrone holds of one grid.
type IsochroneGrid struct {
	// Grid is the grid.
	Grid *geo.Grid
	// Population is the number of people in the grid's settlements
	// reached in time.
	Population float64
}

// Isochrones returns, for each of opt.Minutes, the area reached from the
// point on the atlas's road network by the role's profile: the H3 cells
// whose centre's trip (access leg, roads, access leg, as a route is timed)
// takes at most that long, and the people and grids of the settlements
// whose centroid is reached. Only cells within the straight-line reach
// (minutes × the profile's top speed) can be reached, so only those are
// timed. It stops with the context.
func Isochrones(ctx context.Context, a *geo.Atlas, from orb.Point, opt IsochroneOptions) ([]Isochrone, error) {
	opt, err := opt.normalized()
	if err != nil {
		return nil, err
	}
	n := a.Network()
	if n == nil || n.Empty() {
		return nil, geo.Errorf(geo.Conflict, "the dataset has no roads: isochrones need a road network")
	}
	start, ok := n.Snap(from)
	if !ok {
		var ps geo.Problems
		ps.Add("query", -1, "", "point", fmt.Sprintf("a point within %d m of a road it can reach without crossing a waterway", route.DefaultMaxAccessM))
		return nil, ps.Err("invalid isochrone query")
	}
	prof := opt.ETA[opt.Role].Profile()
	maxS := opt.Minutes[len(opt.Minutes)-1] * 60
	tree := n.From([]route.Place{start}, prof, maxS)
	// No access leg is longer than the whole trip at the off-road speed.
	access := maxS * prof.AccessMPS()
	times, err := cellTimes(ctx, n, tree, from, maxS*n.TopMPS(prof), access, opt.Resolution)
	if err != nil {
		return nil, err
	}
	setts, err := settlementTimes(ctx, a, n, tree, from, maxS*n.TopMPS(prof), access)
	if err != nil {
		return nil, err
	}
	out := make([]Isochrone, len(opt.Minutes))
	for i, m := range opt.Minutes {
		limit := m * 60
		iso := Isochrone{Minutes: m}
		for c, t := range times {
			if t <= limit {
				iso.Cells = append(iso.Cells, c)
				iso.AreaM2 += geo.CellAreaM2(c)
			}
		}
		slices.Sort(iso.Cells)
		for _, p := range geo.CellParts(iso.Cells) {
			iso.Polygon = append(iso.Polygon, p.Polygon)
		}
		byGrid := map[int]float64{}
		for si, s := range a.Settlements.Items() {
			if setts[si] <= limit {
				iso.Population += float64(s.Population)
				if g := a.Grids.Index(s.Grid); g >= 0 {
					byGrid[g] += float64(s.Population)
				}
			}
		}
		for g := range a.Grids.Len() {
			if p, ok := byGrid[g]; ok {
				iso.Grids = append(iso.Grids, IsochroneGrid{Grid: a.Grids.At(g), Population: p})
			}
		}
		out[i] = iso
	}
	return out, nil
}

// cellTimes returns the trip time to the centre of every cell at res
// within radiusM of the point whose trip takes no longer than the tree's
// limit; a centre farther than accessM from every road is not reached.
// Each cell's snap is remembered by the network (SnapCached), so later
// isochrones on the same roads only look them up.
func cellTimes(ctx context.Context, n *route.Network, tree *route.Tree, from orb.Point, radiusM, accessM float64, res int) (map[h3.Cell]float64, error) {
	origin := geo.PointCell(from, res)
	// Ring k of a disk holds centres at least k·spacing·√3/2 from the origin's.
	spacing := geo.CellSpacingM(res)
	k := int(math.Ceil(radiusM/(spacing*math.Sqrt(3)/2))) + 1
	out := map[h3.Cell]float64{}
	for i, c := range h3.GridDisk(origin, k) {
		if i%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, geo.Errorf(geo.Unavailable, "isochrones: %v", err)
			}
		}
		p, ok := n.SnapCached(uint64(c), func() orb.Point { return geo.CellCenter(c) })
		if !ok || p.AccessM > accessM || geo.Distance(from, p.Point) > radiusM {
			continue
		}
		if t := tree.Seconds(p); !math.IsInf(t, 1) {
			out[c] = t
		}
	}
	return out, nil
}

// settlementTimes returns the trip time to each settlement's centroid
// (+Inf beyond the tree's limit, radiusM of the point or accessM of every
// road).
func settlementTimes(ctx context.Context, a *geo.Atlas, n *route.Network, tree *route.Tree, from orb.Point, radiusM, accessM float64) ([]float64, error) {
	out := make([]float64, a.Settlements.Len())
	for i, s := range a.Settlements.Items() {
		if i%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, geo.Errorf(geo.Unavailable, "isochrones: %v", err)
			}
		}
		out[i] = math.Inf(1)
		c, _ := planar.CentroidArea(s.Polygon)
		if geo.Distance(from, c) > radiusM {
			continue
		}
		if p, ok := n.SnapWithin(c, accessM); ok {
			out[i] = tree.Seconds(p)
		}
	}
	return out, nil
}
