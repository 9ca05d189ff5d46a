package coverage

import (
	"fmt"

	"github.com/paulmach/orb"

	"gridwatch/geo"
)

// MaxBatch is the most points one batch of nearest queries may hold.
const MaxBatch = 1000

// NearestBatch answers the query q (whose Point is ignored) for each point,
// in order. More than MaxBatch points is a TooLarge error; bad points are
// reported together, each by its index in points.
func NearestBatch(l *geo.Layer[*geo.Responder], points []orb.Point, q NearestQuery) ([][]Hit, error) {
	if len(points) > MaxBatch {
		return nil, &geo.Error{Code: geo.TooLarge, Limit: "points", Max: MaxBatch,
			Message: fmt.Sprintf("a batch holds at most %d points, got %d", MaxBatch, len(points))}
	}
	var ps geo.Problems
	for i, p := range points {
		var one geo.Problems
		checkPoint(&one, p)
		for _, pr := range one {
			ps.Add("points", i, "", pr.Field, pr.Expected)
		}
	}
	if err := ps.Err("invalid points"); err != nil {
		return nil, err
	}
	if q.ETA == nil {
		q.ETA = DefaultETA()
	}
	out := make([][]Hit, len(points))
	for i, p := range points {
		q.Point = p
		hits, err := Nearest(l, q)
		if err != nil {
			return nil, fmt.Errorf("point %d: %w", i, err)
		}
		out[i] = hits
	}
	return out, nil
}
