package coverage

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/paulmach/orb"
	"github.com/uber/h3-go/v4"

	"gridwatch/geo"
)

// Limits and defaults of a placement.
const (
	// MaxPlacementBudget is the largest number of cameras a placement
	// chooses.
	MaxPlacementBudget = 500
	// MaxPlacementCandidates bounds the (site, bearing) candidates of a
	// placement.
	MaxPlacementCandidates = 200_000
	// DefaultPlacementBearingStepDeg is the step between the bearings tried
	// at each site for a camera that does not see all around.
	DefaultPlacementBearingStepDeg = 45
	// PlacementSiteResolution is the H3 resolution of generated sites
	// (cells about 50 m across): see PlacementOptions.Sites.
	PlacementSiteResolution = 11
)

// CameraModel is the camera a placement installs.
type CameraModel struct {
	// Type is the camera type; PTZ and dome cameras see all around.
	Type geo.CameraType `json:"type"`
	// FOVDeg is the field of view, degrees, in (0, 360].
	FOVDeg float64 `json:"fov_deg"`
	// RangeM is the range, metres, in (0, geo.MaxCameraRange].
	RangeM float64 `json:"range_m"`
}

// Disc reports whether the model sees all around, so that its bearing does
// not matter.
func (m CameraModel) Disc() bool { return m.Type.Omnidirectional() || m.FOVDeg >= 360 }

// check returns an Invalid error naming the first bad field.
func (m CameraModel) check() error {
	switch {
	case !m.Type.Valid():
		return placementInvalid("camera.type", "a camera type (fixed, ptz, dome, high_mast, face_capture, vehicle_capture), got "+fmt.Sprintf("%q", m.Type))
	case !(m.FOVDeg > 0 && m.FOVDeg <= 360):
		return placementInvalid("camera.fov_deg", fmt.Sprintf("degrees in (0, 360], got %g", m.FOVDeg))
	case !(m.RangeM > 0 && m.RangeM <= geo.MaxCameraRange):
		return placementInvalid("camera.range_m", fmt.Sprintf("metres in (0, %d], got %g", geo.MaxCameraRange, m.RangeM))
	}
	return nil
}

// PlacementSite is where a camera may go: a pole, a rooftop, a village
// entrance.
type PlacementSite struct {
	// ID names the site.
	ID string
	// Point is the site's position.
	Point orb.Point
}

// PlacementOptions describe a placement.
type PlacementOptions struct {
	// Budget is the largest number of cameras to place, in [1,
	// MaxPlacementBudget].
	Budget int
	// Camera is the model installed.
	Camera CameraModel
	// Weights weigh what is newly seen.
	Weights PlacementWeights
	// Variant is the coverage the new cameras add to.
	Variant Variant
	// Window holds the incidents that count.
	Window Window
	// Sites are the candidate sites. When empty, sites are generated from
	// the gaps: the centres of the resolution-PlacementSiteResolution
	// cells that hold a watched-surface cell (settlements, key places'
	// surroundings) with a sample point no camera of the variant sees,
	// narrowed by Keep.
	Sites []PlacementSite
	// Keep, when not nil, keeps generated sites (not given ones) by
	// position.
	Keep func(orb.Point) bool
	// BearingStepDeg is the step between the bearings tried at each site
	// for a model that does not see all around (0, 45, 90, …); 0 means
	// DefaultPlacementBearingStepDeg.
	BearingStepDeg float64
	// OnePerSite allows at most one camera per site.
	OnePerSite bool
	// Plain uses the plain greedy (every candidate evaluated each round)
	// instead of the lazy one: the same result, for comparison.
	Plain bool
}

// PlacementPick is a chosen candidate with its marginal gains: what it
// newly covers given the cameras chosen before it.
type PlacementPick struct {
	// Rank is 1 for the first camera chosen.
	Rank int
	// Site is the site's id.
	Site string
	// Camera is the camera installed (id "planned-<rank>").
	Camera *geo.Camera
	// Gain is the weighted marginal gain.
	Gain float64
	// GainPopulation, GainIncidents and GainPlaces are its parts:
	// residents, incidents in the window and key places newly seen.
	GainPopulation, GainIncidents, GainPlaces float64
}

// Placement is a chosen set of new cameras.
type Placement struct {
	// Picks are the cameras, in the order chosen.
	Picks []PlacementPick
	// Gain is the total weighted gain, the sum of the picks' gains.
	Gain float64
	// GainPopulation, GainIncidents and GainPlaces are the totals of the
	// parts.
	GainPopulation, GainIncidents, GainPlaces float64
	// Sites and Candidates count the sites and the (site, bearing)
	// candidates considered.
	Sites, Candidates int
	// Guarantee is the share of the optimal gain the plan is sure to
	// reach: GreedyGuarantee, or GreedyGuaranteeOnePerSite with
	// OnePerSite.
	Guarantee float64
}

// Cameras returns the picks' cameras, in order.
func (p *Placement) Cameras() []*geo.Camera {
	out := make([]*geo.Camera, len(p.Picks))
	for i, pk := range p.Picks {
		out[i] = pk.Camera
	}
	return out
}

// Place chooses up to opt.Budget new cameras maximising the weight they
// newly cover (a maximum coverage problem) by greedy choice with lazy
// evaluation: each round takes the candidate of largest marginal gain.
// Coverage is monotone and submodular, so the plan reaches at least
// 1 − 1/e (63%) of the optimum when candidates are independent, and at
// least ½ of it with OnePerSite (a partition matroid: one candidate per
// site). It stops early when no candidate gains anything.
func (v *Video) Place(opt PlacementOptions) (*Placement, error) {
	return v.PlaceContext(context.Background(), opt)
}

// PlaceContext is Place that stops, returning ctx's error, when ctx ends.
func (v *Video) PlaceContext(ctx context.Context, opt PlacementOptions) (*Placement, error) {
	stop := newStopper(ctx)
	inst, err := v.newPlacementInstance(opt, stop)
	if err != nil {
		return nil, err
	}
	inst.u.prob.stop = stop
	p := inst.solve()
	if err := stop.now(); err != nil {
		return nil, err
	}
	return p, nil
}

// placementInstance is a placement's coverage problem with its sites and
// candidates.
type placementInstance struct {
	v     *Video
	opt   PlacementOptions
	u     *coverUniverse
	sites []PlacementSite
	cands []placementCand
}

// placementCand is a (site, bearing) candidate.
type placementCand struct {
	site    int
	bearing float64
}

// newPlacementInstance checks the options and builds the candidates.
func (v *Video) newPlacementInstance(opt PlacementOptions, stop *stopper) (*placementInstance, error) {
	if err := checkPlacement(&opt); err != nil {
		return nil, err
	}
	inst := &placementInstance{v: v, opt: opt, u: newCoverUniverse(v, opt.Variant, opt.Window, opt.Weights), sites: opt.Sites}
	if len(inst.sites) == 0 {
		inst.sites = generatedSites(inst.u, opt.Keep)
	}
	bearings := []float64{0}
	if !opt.Camera.Disc() {
		bearings = bearings[:0]
		for b := 0.0; b < 360-1e-9; b += opt.BearingStepDeg {
			bearings = append(bearings, b)
		}
	}
	if n := len(inst.sites) * len(bearings); n > MaxPlacementCandidates {
		return nil, &geo.Error{Code: geo.TooLarge, Message: fmt.Sprintf("placement: %d candidates (%d sites × %d bearings), at most %d: narrow the area or widen the bearing step",
			n, len(inst.sites), len(bearings), MaxPlacementCandidates)}
	}
	u := inst.u
	for si, s := range inst.sites {
		if stop.stop() {
			return nil, stop.err
		}
		for _, b := range bearings {
			sec := geo.NewSector(s.Point, b, modelFOV(opt.Camera), opt.Camera.RangeM)
			u.prob.cands = append(u.prob.cands, u.elements(sec))
			u.prob.site = append(u.prob.site, int32(si))
			inst.cands = append(inst.cands, placementCand{si, b})
		}
	}
	return inst, nil
}

// greedy runs the lazy greedy, or the plain one with opt.Plain.
func (inst *placementInstance) greedy() []choice {
	if inst.opt.Plain {
		return inst.u.prob.plainGreedy(inst.opt.Budget, inst.opt.OnePerSite)
	}
	return inst.u.prob.lazyGreedy(inst.opt.Budget, inst.opt.OnePerSite)
}

// solve chooses the cameras.
func (inst *placementInstance) solve() *Placement {
	opt, a := inst.opt, inst.v.atlas
	p := &Placement{Sites: len(inst.sites), Candidates: len(inst.cands), Guarantee: GreedyGuarantee}
	if opt.OnePerSite {
		p.Guarantee = GreedyGuaranteeOnePerSite
	}
	for i, ch := range inst.greedy() {
		c := inst.cands[ch.cand]
		s := inst.sites[c.site]
		cam := &geo.Camera{ID: plannedID(a, i+1), Source: geo.SourceXueliang, Type: opt.Camera.Type, Point: s.Point,
			BearingDeg: c.bearing, FOVDeg: opt.Camera.FOVDeg, RangeM: opt.Camera.RangeM, Online: true, Installed: installDate(opt.Window),
			Grid: gridID(a, s.Point)}
		p.Picks = append(p.Picks, PlacementPick{Rank: i + 1, Site: s.ID, Camera: cam, Gain: ch.gain,
			GainPopulation: ch.parts[0], GainIncidents: ch.parts[1], GainPlaces: ch.parts[2]})
		p.Gain += ch.gain
		p.GainPopulation += ch.parts[0]
		p.GainIncidents += ch.parts[1]
		p.GainPlaces += ch.parts[2]
	}
	return p
}

// installDate is the installation date given to planned cameras: the
// window's last day (Asia/Shanghai), as midnight UTC.
func installDate(w Window) time.Time {
	y, m, d := w.End.In(China).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// modelFOV is the field of view of a model's viewshed.
func modelFOV(m CameraModel) float64 {
	if m.Disc() {
		return 360
	}
	return m.FOVDeg
}

// plannedID returns the id of the rank-th planned camera: "planned-<rank>",
// primed until no camera of the atlas has it.
func plannedID(a *geo.Atlas, rank int) string {
	id := fmt.Sprintf("planned-%d", rank)
	for {
		if _, ok := a.Cameras.Get(id); !ok {
			return id
		}
		id += "'"
	}
}

// checkPlacement checks the options and fills in defaults.
func checkPlacement(opt *PlacementOptions) error {
	if opt.Budget < 1 || opt.Budget > MaxPlacementBudget {
		return placementInvalid("budget", fmt.Sprintf("a whole number in [1, %d], got %d", MaxPlacementBudget, opt.Budget))
	}
	if err := opt.Camera.check(); err != nil {
		return err
	}
	w := opt.Weights
	for _, f := range []struct {
		name string
		x    float64
	}{{"weights.population", w.Population}, {"weights.incidents", w.Incidents}, {"weights.places", w.Places}} {
		if !(f.x >= 0) || math.IsInf(f.x, 0) {
			return placementInvalid(f.name, fmt.Sprintf("a finite number ≥ 0, got %g", f.x))
		}
	}
	if opt.BearingStepDeg == 0 {
		opt.BearingStepDeg = DefaultPlacementBearingStepDeg
	}
	if !(opt.BearingStepDeg >= 1 && opt.BearingStepDeg <= 360) {
		return placementInvalid("bearing_step_deg", fmt.Sprintf("degrees in [1, 360], got %g", opt.BearingStepDeg))
	}
	if opt.Variant == "" {
		opt.Variant = Installed
	}
	return nil
}

// generatedSites returns the centres of the resolution-
// PlacementSiteResolution cells holding an unseen watched-surface cell,
// kept by keep, in cell order.
func generatedSites(u *coverUniverse, keep func(orb.Point) bool) []PlacementSite {
	res := min(PlacementSiteResolution, u.v.res)
	seen := map[h3.Cell]bool{}
	var out []PlacementSite
	for _, c := range u.unseenProbes() {
		p := geo.CellParent(c, res)
		if seen[p] {
			continue
		}
		seen[p] = true
		pt := geo.CellCenter(p)
		if keep != nil && !keep(pt) {
			continue
		}
		out = append(out, PlacementSite{ID: p.String(), Point: pt})
	}
	return out
}

// placementInvalid returns the Invalid error of a bad placement field.
func placementInvalid(field, expected string) error {
	return &geo.Error{Code: geo.Invalid, Message: "invalid " + field,
		Problems: []geo.Problem{{Layer: "body", Index: -1, Field: field, Expected: expected}}}
}
