package api

import (
	"context"
	"fmt"
	"math"
	"time"

	"gridwatch/coverage"
	"gridwatch/geo"
)

// The viewer floor (docs/security.md): what a viewer gets from police data
// (officer, camera and incident positions and times) is an aggregate no
// finer than these. Analysts, admins and the local demo get exact answers.
const (
	// floorResolution is the finest H3 resolution of a viewer's answer:
	// resolution 9 cells average 0.105 km². Every grid of the default
	// dataset is larger (the smallest is 0.19 km²), so for viewers the
	// unit of an aggregate over points is the grid; an analysis a viewer
	// starts runs at no finer a resolution than this.
	floorResolution = 9
	// floorWindowDays is the shortest window a viewer may count
	// incidents over.
	floorWindowDays = 30
	// floorTimeStepS is the step, seconds, that a viewer's arrival times
	// are rounded to (about 480 m for a police car), so that times per
	// grid do not place an officer by multilateration.
	floorTimeStepS = 60
)

// floorWindows are the window lengths a viewer may ask for: any two differ
// by at least floorWindowDays, so that subtracting the counts of two
// windows ending on the same day never isolates fewer days than that.
// Longer windows are whole years (multiples of 365 days).
var floorWindows = []int{30, 90, 180}

// floored reports whether the caller gets the viewer floor instead of exact
// answers: everyone who does not see exact counts (see exactCounts).
func floored(ctx context.Context) bool { return !exactCounts(ctx) }

// floorWindowAllowed reports whether a viewer may count over days days.
func floorWindowAllowed(days int) bool {
	if days >= 365 {
		return days%365 == 0
	}
	for _, d := range floorWindows {
		if d == days {
			return true
		}
	}
	return false
}

// floorWindowExpected describes the windows a viewer may ask for.
const floorWindowExpected = "for the viewer role 30, 90, 180 or a multiple of 365 days (exact windows need an analyst token)"

// checkFloorWindow adds the problems of a window a viewer may not ask for:
// a length outside floorWindowAllowed, and an as_of other than the
// dataset's (sliding the end of a window dates the incidents in it).
func (p *paramReader) checkFloorWindow(a *geo.Atlas, asOfGiven bool, w coverage.Window) {
	if !p.floor {
		return
	}
	if w.Days > 0 && !floorWindowAllowed(w.Days) {
		p.bad("window_days", fmt.Sprintf("%s, got %d", floorWindowExpected, w.Days))
	}
	if asOfGiven && !a.Meta.AsOf.IsZero() {
		want, _ := coverage.NewWindow(a, time.Time{}, 1, time.Time{})
		if !w.End.Equal(want.End) {
			p.bad("as_of", "for the viewer role the dataset's as-of date "+want.End.In(coverage.China).Format(time.DateOnly)+" or none")
		}
	} else if asOfGiven {
		p.bad("as_of", "none for the viewer role (the dataset has no as-of date, so windows end today)")
	}
}

// floorSeconds rounds an arrival time up to the floor's step for callers
// under the floor; NaN and infinities stay.
func floorSeconds(ctx context.Context, s float64) float64 {
	if !floored(ctx) || math.IsNaN(s) || math.IsInf(s, 0) {
		return s
	}
	return math.Ceil(s/floorTimeStepS) * floorTimeStepS
}

// blurredIncidents is the count a formula is given in place of an incident
// count hidden from a viewer (1 or 2), so that the figures computed from it
// (a gap's priority, a grid's load index) do not give the count back.
const blurredIncidents = 1.5
