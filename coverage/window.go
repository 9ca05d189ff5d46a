package coverage

import (
	"fmt"
	"time"

	"gridwatch/geo"
)

// China is the time zone that analysis windows count days in: Asia/Shanghai,
// UTC+8 all year (China has kept no daylight saving time since 1991).
var China = time.FixedZone("Asia/Shanghai", 8*3600)

// DefaultWindowDays is the default length of an analysis window, in days.
const DefaultWindowDays = 365

// Window is the half-open time window (End − Days, End]: the days that an
// analysis counts incidents in.
type Window struct {
	// End is the end of the window, included.
	End time.Time
	// Days is the window's length in days.
	Days int
}

// NewWindow returns the window of days days ending at the end of the day
// asOf falls on in Asia/Shanghai, so that as_of=2026-06-30 includes every
// incident of 30 June, Beijing time. A zero asOf means the atlas's as_of
// date, or now when the dataset has none.
func NewWindow(a *geo.Atlas, asOf time.Time, days int, now time.Time) (Window, error) {
	if days < 1 || days > 36600 {
		return Window{}, &geo.Error{Code: geo.Invalid, Message: fmt.Sprintf("window_days: expected a whole number of days in [1, 36600], got %d", days),
			Problems: []geo.Problem{{Layer: "query", Index: -1, Field: "window_days", Expected: "a whole number of days in [1, 36600]"}}}
	}
	if asOf.IsZero() {
		asOf = a.Meta.AsOf
	}
	if asOf.IsZero() {
		asOf = now
	}
	// A date parsed as midnight UTC is 08:00 of the same day in China.
	y, m, d := asOf.In(China).Date()
	end := time.Date(y, m, d+1, 0, 0, 0, 0, China).Add(-time.Nanosecond)
	return Window{End: end, Days: days}, nil
}

// Start returns the instant before the window's first moment.
func (w Window) Start() time.Time { return w.End.AddDate(0, 0, -w.Days) }

// Contains reports whether t falls in the window.
func (w Window) Contains(t time.Time) bool { return t.After(w.Start()) && !t.After(w.End) }

// Last returns the window of the last days days with the same end.
func (w Window) Last(days int) Window { return Window{End: w.End, Days: days} }
