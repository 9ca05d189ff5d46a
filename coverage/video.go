package coverage

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/paulmach/orb"
	"github.com/uber/h3-go/v4"

	"gridwatch/geo"
)

// Variant selects the cameras a coverage counts.
type Variant string

// Coverage variants.
const (
	// Installed counts every camera.
	Installed Variant = "installed"
	// Operational counts online cameras only.
	Operational Variant = "operational"
)

// Variants lists the variants, installed first.
var Variants = []Variant{Installed, Operational}

// ParseVariant reads a variant, defaulting to Installed when s is empty.
func ParseVariant(s string) (Variant, error) {
	switch Variant(s) {
	case "":
		return Installed, nil
	case Installed, Operational:
		return Variant(s), nil
	}
	return "", videoInvalid("variant", "installed or operational, got "+fmt.Sprintf("%q", s))
}

// index returns the variant's slot in per-variant arrays.
func (v Variant) index() int {
	if v == Operational {
		return 1
	}
	return 0
}

// The H3 resolutions video coverage accepts.
//
// DefaultVideoResolution is 12 (cells of about 310 m², 18 m across here),
// chosen by measurement against a brute-force reference on the default
// district (coverage/video_accuracy_test.go; docs/coverage.md): at 12 the
// installed coverage_area of every grid is within 0.64 percentage point of
// the reference (mean 0.05) and coverage_settlement_area within 2.4 points
// (95% of grids within 1.0, mean 0.3), for about 0.7 s of CPU. Resolution
// 11 (cells of 2,200 m², 50 m across, as wide as a typical camera's range)
// takes half the CPU but misses the 1-point target (3.3 points;
// settlements 13); resolution 13 halves the error again for four times the
// CPU.
const (
	// MinVideoResolution is the coarsest resolution accepted.
	MinVideoResolution = 9
	// MaxVideoResolution is the finest resolution accepted.
	MaxVideoResolution = 13
	// DefaultVideoResolution is the resolution used when none is given.
	DefaultVideoResolution = 12
)

// CheckVideoResolution returns an Invalid error unless res is in
// [MinVideoResolution, MaxVideoResolution].
func CheckVideoResolution(res int) error {
	if res < MinVideoResolution || res > MaxVideoResolution {
		return videoInvalid("resolution", fmt.Sprintf("an H3 resolution from %d to %d, got %d", MinVideoResolution, MaxVideoResolution, res))
	}
	return nil
}

// videoInvalid returns the Invalid error of a bad query parameter.
func videoInvalid(field, expected string) error {
	return &geo.Error{Code: geo.Invalid, Message: "invalid " + field,
		Problems: []geo.Problem{{Layer: "query", Index: -1, Field: field, Expected: expected}}}
}

// VideoOptions tune NewVideo.
type VideoOptions struct {
	// Resolution is the H3 resolution of the computation; 0 means
	// DefaultVideoResolution.
	Resolution int
	// SweepStepM is the spacing of the scanlines that measure areas,
	// metres; 0 means VideoSweepStepM.
	SweepStepM float64
}

// Video is the video coverage of an atlas: how much of each grid and of
// each settlement the cameras see, and which incidents and key places lie
// in view (tested exactly against the viewsheds). Areas are measured
// exactly on the viewsheds' geometry (geo.AreaSweep: the union of the
// viewsheds that reach a grid, cut by the grid and by each settlement, on
// scanlines 1 m apart), not on cells. The watched surface's H3 cells at
// the coverage's resolution, which gaps and placement work on, are built
// when first asked for (a cell is seen when its centre lies in a camera's
// viewshed, geo.Sector.Cells, with six more sample points per cell,
// geo.CellMask). It reads the cameras, grids, settlements, places and
// incidents layers (and villages and townships for names). A Video is
// immutable and safe for concurrent use; WithCameras derives the coverage
// of an atlas with changed cameras by recomputing only the grids their
// viewsheds reach.
type Video struct {
	atlas     *geo.Atlas
	res       int
	step      float64     // scanline spacing, metres
	reach     float64     // the longest camera range, metres
	camBounds []orb.Bound // viewshed bound of each camera, by index
	static    *videoStatic
	cells     *videoCells
	grids     []*videoGrid // by grid index
	incSeen   []viewers    // by incident index
	plcSeen   []viewers    // by place index
}

// videoCells holds the seen state of the watched surface's probe cells,
// built on first use: by grid index of the cell's centre, then one bucket
// for cells outside every grid.
type videoCells struct {
	once    sync.Once
	ready   atomic.Bool
	buckets []*cellBucket
}

// viewers counts the cameras that see a thing: installed (every camera) and
// operational (online cameras).
type viewers [2]int32

// videoCellState is a seen cell: how many cameras of each variant see each
// of its seven sample points (geo.CellMask; point 0 is its centre), and its
// area in videoAreaUnit.
type videoCellState struct {
	cell h3.Cell
	n    [2][7]int32
	area int64
}

// add counts the cameras d for the sample points in mask (bits 0–6).
func (st *videoCellState) add(mask uint8, d viewers) {
	for b := range 7 {
		if mask&(1<<b) != 0 {
			st.n[0][b] += d[0]
			st.n[1][b] += d[1]
		}
	}
}

// seen reports whether variant k sees the cell's centre.
func (st videoCellState) seen(k int) bool { return st.n[k][0] > 0 }

// cellBucket holds the seen probe cells whose centre lies in one grid,
// sorted by cell: sorted slices are several times cheaper to build and
// scan than maps of the same cells.
type cellBucket struct {
	cells []videoCellState
}

// find returns the state of cell c (the zero state when nothing sees it).
func (b *cellBucket) find(c h3.Cell) videoCellState {
	i, ok := slices.BinarySearchFunc(b.cells, c, func(e videoCellState, c h3.Cell) int { return cmp.Compare(e.cell, c) })
	if !ok {
		return videoCellState{}
	}
	return b.cells[i]
}

// videoStatic is what a coverage derives from the layers other than
// cameras: exact areas, each grid's settlements and region, memos over
// incidents and, built on first use, the watched surface and its cell
// table. It is shared by every Video derived with WithCameras.
type videoStatic struct {
	grids, settlements, places, incidents any // the layers it was built from
	atlas                                 *geo.Atlas
	res                                   int
	whole                                 bool        // no settlements: the surface is every grid whole
	gridArea                              []float64   // exact area of each grid, m²
	settlesOf                             [][]int32   // settlement indices by grid
	settleArea                            []float64   // exact area of each settlement, m²
	settlePop                             []int       // residents of each settlement
	regions                               []orb.Bound // by grid: what a camera must meet to change its figures
	incGrid                               []int32     // grid index of each incident, -1 outside
	plcGrid                               []int32     // grid index of each place, -1 outside
	incOf, plcOf                          [][]int32   // incident and place indices by grid
	incOutside, plcOutside                []int32     // incidents and places outside every grid

	surfOnce sync.Once
	table    *videoTable
	surf     *videoSurface

	mu       sync.Mutex
	incCells map[int][]h3.Cell // incident cells by resolution
}

// NewVideo computes the video coverage of an atlas.
func NewVideo(a *geo.Atlas, opt VideoOptions) (*Video, error) {
	return NewVideoContext(context.Background(), a, opt)
}

// NewVideoContext is NewVideo that stops, returning ctx's error, when ctx
// ends.
func NewVideoContext(ctx context.Context, a *geo.Atlas, opt VideoOptions) (*Video, error) {
	res := opt.Resolution
	if res == 0 {
		res = DefaultVideoResolution
	}
	if err := CheckVideoResolution(res); err != nil {
		return nil, err
	}
	step := opt.SweepStepM
	if step <= 0 {
		step = VideoSweepStepM
	}
	v := &Video{atlas: a, res: res, step: step, reach: maxCameraRange(a), camBounds: cameraBounds(a), static: newVideoStatic(a, res),
		cells: &videoCells{}, grids: make([]*videoGrid, a.Grids.Len()),
		incSeen: make([]viewers, a.Incidents.Len()), plcSeen: make([]viewers, a.Places.Len())}
	if err := v.measureGrids(ctx, nil); err != nil {
		return nil, err
	}
	v.seeOutside()
	return v, nil
}

// newVideoStatic builds the camera-independent part of a coverage but
// its surface.
func newVideoStatic(a *geo.Atlas, res int) *videoStatic {
	n := a.Grids.Len()
	st := &videoStatic{grids: a.Grids, settlements: a.Settlements, places: a.Places, incidents: a.Incidents,
		atlas: a, res: res, whole: a.Settlements.Len() == 0, gridArea: make([]float64, n), settlesOf: make([][]int32, n),
		settleArea: make([]float64, a.Settlements.Len()), settlePop: make([]int, a.Settlements.Len()),
		incCells: map[int][]h3.Cell{}}
	for i, g := range a.Grids.Items() {
		st.gridArea[i] = geo.PolygonArea(g.Polygon)
	}
	for si, s := range a.Settlements.Items() {
		st.settleArea[si], st.settlePop[si] = geo.PolygonArea(s.Polygon), s.Population
		if g := a.Grids.Index(s.Grid); g >= 0 {
			st.settlesOf[g] = append(st.settlesOf[g], int32(si))
		}
	}
	st.regions = gridRegions(a, st.settlesOf)
	st.incGrid = make([]int32, a.Incidents.Len())
	st.incOf, st.plcOf = make([][]int32, n), make([][]int32, n)
	for i, inc := range a.Incidents.Items() {
		g := int32(a.Grids.Index(inc.Grid))
		st.incGrid[i] = g
		if g >= 0 && st.regions[g].Contains(inc.Point) {
			st.incOf[g] = append(st.incOf[g], int32(i))
		} else {
			st.incOutside = append(st.incOutside, int32(i))
		}
	}
	st.plcGrid = make([]int32, a.Places.Len())
	for i, p := range a.Places.Items() {
		g := int32(a.Grids.Index(p.Grid))
		st.plcGrid[i] = g
		if g >= 0 && st.regions[g].Contains(p.Point) {
			st.plcOf[g] = append(st.plcOf[g], int32(i))
		} else {
			st.plcOutside = append(st.plcOutside, int32(i))
		}
	}
	return st
}

// surface returns the watched surface and the cell table, building them
// on first use.
func (st *videoStatic) surface() (*videoTable, *videoSurface) {
	st.surfOnce.Do(func() {
		st.table = newVideoTable(st.atlas, st.res)
		st.surf = buildVideoSurface(st.atlas, st.table)
	})
	return st.table, st.surf
}

// sameStatic reports whether a's layers other than cameras are those st
// was built from.
func (st *videoStatic) sameStatic(a *geo.Atlas) bool {
	return st.grids == any(a.Grids) && st.settlements == any(a.Settlements) &&
		st.places == any(a.Places) && st.incidents == any(a.Incidents)
}

// incidentCells returns the cell of every incident at resolution res,
// computed once per resolution.
func (st *videoStatic) incidentCells(a *geo.Atlas, res int) []h3.Cell {
	st.mu.Lock()
	defer st.mu.Unlock()
	if cs, ok := st.incCells[res]; ok {
		return cs
	}
	cs := make([]h3.Cell, a.Incidents.Len())
	for i, inc := range a.Incidents.Items() {
		cs[i] = geo.PointCell(inc.Point, res)
	}
	st.incCells[res] = cs
	return cs
}

// Atlas returns the atlas the coverage was computed for.
func (v *Video) Atlas() *geo.Atlas { return v.atlas }

// Resolution returns the H3 resolution of the coverage.
func (v *Video) Resolution() int { return v.res }

// SurfaceResolution returns the resolution of the watched surface: the
// coverage's, or a coarser one for datasets without settlements, whose
// surface is every grid whole (see VideoWholeGridMaxCells).
func (v *Video) SurfaceResolution() int {
	if v.static.whole {
		return wholeSurfaceResolution(v.static.gridArea, v.res)
	}
	return v.res
}

// Seen reports whether the variant's cameras see the centre of cell c (a
// cell at the coverage's resolution).
func (v *Video) Seen(c h3.Cell, variant Variant) bool {
	pt, k := geo.CellCenter(c), variant.index()
	seen := false
	v.eachCameraMeeting(orb.Bound{Min: pt, Max: pt}, func(cam *geo.Camera, s geo.Sector) {
		if !seen && (k == 0 || cam.Online) && s.Contains(pt) {
			seen = true
		}
	})
	return seen
}

// IncidentSeen reports whether the variant's cameras see incident i (by
// layer index): whether it lies in one of their viewsheds.
func (v *Video) IncidentSeen(i int, variant Variant) bool { return v.incSeen[i][variant.index()] > 0 }

// PlaceSeen reports whether the variant's cameras see place i (by layer
// index).
func (v *Video) PlaceSeen(i int, variant Variant) bool { return v.plcSeen[i][variant.index()] > 0 }
