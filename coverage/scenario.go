package coverage

import (
	"fmt"
	"slices"

	"github.com/paulmach/orb"

	"gridwatch/geo"
)

// Scenario operations.
const (
	// OpAdd adds a camera.
	OpAdd = "add"
	// OpMove moves a camera to a new position.
	OpMove = "move"
	// OpRemove removes a camera.
	OpRemove = "remove"
	// OpFix brings an offline camera online.
	OpFix = "fix"
)

// ScenarioChange is one camera change of a scenario.
type ScenarioChange struct {
	// Op is OpAdd, OpMove, OpRemove or OpFix.
	Op string
	// Camera is the camera added (OpAdd).
	Camera *geo.Camera
	// ID is the camera moved, removed or fixed.
	ID string
	// To is where the camera moves (OpMove).
	To orb.Point
}

// ScenarioGrid is a grid's coverage before and after a scenario.
type ScenarioGrid struct {
	// Grid is the grid.
	Grid *geo.Grid
	// Before and After are its figures.
	Before, After VideoFigures
}

// ScenarioResult is the outcome of a scenario.
type ScenarioResult struct {
	// Grids are the grids touched (whose figures change, or that hold a
	// changed camera before or after), in layer order.
	Grids []ScenarioGrid
	// Before and After are the district's figures.
	Before, After VideoFigures
	// Video is the coverage after the scenario.
	Video *Video
}

// Scenario applies changes, in order, to a copy of the coverage's atlas and
// returns the coverage of the variant before and after, per grid touched
// and for the district. The receiver and its atlas are unchanged.
func (v *Video) Scenario(changes []ScenarioChange, variant Variant, w Window) (*ScenarioResult, error) {
	a := v.atlas
	var ids []string
	camGrids := map[string]bool{}
	for i, ch := range changes {
		next, id, err := applyChange(a, ch)
		if err != nil {
			return nil, fmt.Errorf("changes[%d]: %w", i, err)
		}
		for _, at := range []*geo.Atlas{a, next} {
			if c, ok := at.Cameras.Get(id); ok && c.Grid != "" {
				camGrids[c.Grid] = true
			}
		}
		a, ids = next, append(ids, id)
	}
	nv, err := v.WithCameras(a, ids)
	if err != nil {
		return nil, fmt.Errorf("scenario coverage: %w", err)
	}
	before, after := v.Grids(variant, w), nv.Grids(variant, w)
	r := &ScenarioResult{Video: nv}
	for i := range before {
		r.Before.Add(before[i].VideoFigures)
		r.After.Add(after[i].VideoFigures)
		if before[i].VideoFigures != after[i].VideoFigures || camGrids[before[i].Grid.ID] {
			r.Grids = append(r.Grids, ScenarioGrid{Grid: before[i].Grid, Before: before[i].VideoFigures, After: after[i].VideoFigures})
		}
	}
	return r, nil
}

// applyChange returns the atlas with one change applied and the id of the
// camera changed.
func applyChange(a *geo.Atlas, ch ScenarioChange) (*geo.Atlas, string, error) {
	if ch.Op == OpAdd {
		if ch.Camera == nil || ch.Camera.ID == "" {
			return nil, "", scenarioInvalid("camera", "a camera Feature with an id")
		}
		if _, ok := a.Cameras.Get(ch.Camera.ID); ok {
			return nil, "", scenarioInvalid("camera", fmt.Sprintf("a new camera id, %q exists", ch.Camera.ID))
		}
		c := *ch.Camera
		c.Grid = gridID(a, c.Point)
		next, err := a.Apply(geo.LayerCameras, []geo.Feature{&c}, nil)
		return next, c.ID, err
	}
	if !slices.Contains([]string{OpMove, OpRemove, OpFix}, ch.Op) {
		return nil, "", scenarioInvalid("op", fmt.Sprintf("add, move, remove or fix, got %q", ch.Op))
	}
	old, ok := a.Cameras.Get(ch.ID)
	if !ok {
		return nil, "", &geo.Error{Code: geo.Invalid, Message: fmt.Sprintf("no camera %q", ch.ID),
			Problems: []geo.Problem{{Layer: "body", Index: -1, Field: "id", Expected: "the id of a camera of the dataset or added before"}}}
	}
	if ch.Op == OpRemove {
		next, err := a.Apply(geo.LayerCameras, nil, []string{ch.ID})
		return next, ch.ID, err
	}
	c := *old
	if ch.Op == OpMove {
		c.Point = ch.To
		c.Grid = gridID(a, c.Point)
	} else {
		c.Online = true
	}
	next, err := a.Apply(geo.LayerCameras, []geo.Feature{&c}, nil)
	return next, ch.ID, err
}

// gridID returns the id of the grid holding pt, or "".
func gridID(a *geo.Atlas, pt orb.Point) string {
	if g, ok := a.GridAt(pt); ok {
		return g.ID
	}
	return ""
}

// scenarioInvalid returns the Invalid error of a bad change field.
func scenarioInvalid(field, expected string) error {
	return &geo.Error{Code: geo.Invalid, Message: "invalid " + field,
		Problems: []geo.Problem{{Layer: "body", Index: -1, Field: field, Expected: expected}}}
}
