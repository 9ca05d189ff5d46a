package coverage

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sync"

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
}

// Video is the video coverage of an atlas at one H3 resolution: which cells
// each camera sees, per-grid state, and which incidents and key places lie
// in view (tested exactly against the viewsheds). A cell is seen when its
// centre lies in a camera's viewshed (geo.Sector.Cells); areas count the
// share of a cell's seven sample points seen (its centre and its outer
// children's, geo.CellMask), which samples as finely as the next
// resolution at this one's cost. It reads the
// cameras, grids, settlements, places and incidents layers (and villages
// and townships for names). A Video is immutable and safe for concurrent
// use; WithCameras derives the coverage of an atlas with changed cameras by
// recomputing only the grids their viewsheds touch.
type Video struct {
	atlas   *geo.Atlas
	res     int
	static  *videoStatic
	buckets []*cellBucket // by grid index, then one for cells outside every grid
	grids   []*videoGrid  // by grid index
	incSeen []viewers     // by incident index
	plcSeen []viewers     // by place index
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

// points returns how many of the cell's sample points variant k sees.
func (st videoCellState) points(k int) int64 {
	var p int64
	for _, n := range st.n[k] {
		if n > 0 {
			p++
		}
	}
	return p
}

// cellBucket holds the seen cells whose centre lies in one grid, sorted by
// cell: sorted slices are several times cheaper to build and scan than
// maps of the same cells.
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

// videoStatic is what a coverage derives from the layers other than cameras:
// the watched surface, the frozen cell table and memos over incidents. It
// is shared by every Video derived with WithCameras.
type videoStatic struct {
	grids, settlements, places, incidents any // the layers it was built from
	table                                 *videoTable
	surf                                  *videoSurface
	incGrid                               []int32 // grid index of each incident, -1 outside
	plcGrid                               []int32 // grid index of each place, -1 outside

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
	v := &Video{atlas: a, res: res,
		buckets: make([]*cellBucket, a.Grids.Len()+1), grids: make([]*videoGrid, a.Grids.Len())}
	// The watched surface and the cameras' views are independent: they
	// are computed side by side, and the views in two halves.
	stop := newStopper(ctx)
	done := make(chan *videoStatic, 1)
	go func() { done <- newVideoStatic(a, res) }()
	masks := v.gatherCameras(stop)
	if err := stop.now(); err != nil {
		return nil, err
	}
	v.static = <-done
	if err := stop.now(); err != nil {
		return nil, err
	}
	v.dealCells(masks, v.static.table)
	for g := range v.grids {
		if stop.stop() {
			return nil, stop.err
		}
		v.grids[g] = v.gridResult(int32(g))
	}
	return v, stop.now()
}

// newVideoStatic builds the camera-independent part of a coverage.
func newVideoStatic(a *geo.Atlas, res int) *videoStatic {
	st := &videoStatic{grids: a.Grids, settlements: a.Settlements, places: a.Places, incidents: a.Incidents,
		table: newVideoTable(a, res), incCells: map[int][]h3.Cell{}}
	st.surf = buildVideoSurface(a, st.table)
	st.incGrid = make([]int32, a.Incidents.Len())
	for i, inc := range a.Incidents.Items() {
		st.incGrid[i] = int32(a.Grids.Index(inc.Grid))
	}
	st.plcGrid = make([]int32, a.Places.Len())
	for i, p := range a.Places.Items() {
		st.plcGrid[i] = int32(a.Grids.Index(p.Grid))
	}
	return st
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
func (v *Video) SurfaceResolution() int { return v.static.surf.res }

// Seen reports whether the variant's cameras see the centre of cell c (a
// cell at the coverage's resolution).
func (v *Video) Seen(c h3.Cell, variant Variant) bool {
	t := v.static.table.fork()
	return v.buckets[t.gridOf(c)].find(c).seen(variant.index())
}

// IncidentSeen reports whether the variant's cameras see incident i (by
// layer index): whether it lies in one of their viewsheds.
func (v *Video) IncidentSeen(i int, variant Variant) bool { return v.incSeen[i][variant.index()] > 0 }

// PlaceSeen reports whether the variant's cameras see place i (by layer
// index).
func (v *Video) PlaceSeen(i int, variant Variant) bool { return v.plcSeen[i][variant.index()] > 0 }
