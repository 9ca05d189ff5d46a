package api

import (
	"strings"
	"time"

	"gridwatch/data"
)

// interval is the datetime of an items request: a closed interval whose
// ends may be open (unbounded).
type interval struct {
	start, end         time.Time
	openStart, openEnd bool
}

// parseInterval parses a datetime parameter: an RFC 3339 date-time, or an
// interval start/end whose ends are date-times, ".." or empty for open. A
// full date (2024-05-01) stands for its whole day in UTC. It returns what was
// expected when the value is bad.
func parseInterval(v string) (interval, string) {
	const want = "an RFC 3339 date-time (2024-05-01T08:00:00Z), a date, or an interval start/end with \"..\" or nothing for an open end"
	parts := strings.Split(v, "/")
	switch len(parts) {
	case 1:
		if v == "" || v == ".." {
			return interval{}, want + "; got " + quote(v)
		}
		lo, hi, ok := parseInstant(v)
		if !ok {
			return interval{}, want + "; got " + quote(v)
		}
		return interval{start: lo, end: hi}, ""
	case 2:
		var iv interval
		var ok bool
		if p := parts[0]; p == "" || p == ".." {
			iv.openStart = true
		} else if iv.start, _, ok = parseInstant(p); !ok {
			return interval{}, want + "; the start is " + quote(p)
		}
		if p := parts[1]; p == "" || p == ".." {
			iv.openEnd = true
		} else if _, iv.end, ok = parseInstant(p); !ok {
			return interval{}, want + "; the end is " + quote(p)
		}
		if !iv.openStart && !iv.openEnd && iv.end.Before(iv.start) {
			return interval{}, "an interval whose start is not after its end; got " + quote(v)
		}
		return iv, ""
	}
	return interval{}, want + "; got " + quote(v)
}

// parseInstant parses a date-time, or a date as the first and last instant
// of its day. A date followed by a bare "T" is taken as the date: GDAL 3.6
// spells a date that way when it turns a comparison on a date field into a
// datetime parameter.
func parseInstant(s string) (lo, hi time.Time, ok bool) {
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, t, true
	}
	if len(s) == len(data.DateLayout)+1 && s[len(s)-1] == 'T' {
		s = s[:len(s)-1]
	}
	if day, err := time.Parse(data.DateLayout, s); err == nil {
		return day, day.Add(24*time.Hour - time.Nanosecond), true
	}
	return time.Time{}, time.Time{}, false
}

// meets reports whether a time span intersects the interval.
func (iv interval) meets(sp timeSpan) bool {
	return (iv.openEnd || !sp.lo.After(iv.end)) && (iv.openStart || !sp.hi.Before(iv.start))
}
