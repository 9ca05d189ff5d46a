package coverage

import (
	"time"

	"gridwatch/geo"
)

// ReferenceTime returns the moment that responders' report ages are
// measured against: the clock, except for a dataset that describes a past
// date (Meta.AsOf), which is judged as of the end of that UTC date (when
// its generator dates the last reports) once the clock has passed it. A
// snapshot of 30 June therefore keeps its available responders however
// long after it is served, while a live dataset, with no as-of date,
// follows the clock. Reports dated after the reference time (such as live
// updates to a snapshot) count as fresh.
func ReferenceTime(a *geo.Atlas, clock time.Time) time.Time {
	if a == nil || a.Meta.AsOf.IsZero() {
		return clock
	}
	y, m, d := a.Meta.AsOf.UTC().Date()
	end := time.Date(y, m, d+1, 0, 0, 0, 0, time.UTC)
	if clock.After(end) {
		return end
	}
	return clock
}
