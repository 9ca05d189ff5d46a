package geo_test

import (
	"math"
	"testing"

	"github.com/paulmach/orb"
	"github.com/stretchr/testify/require"

	"gridwatch/geo"
)

func TestCheckPoint(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		p    orb.Point
		want string
	}{
		{"valid", orb.Point{lon0, lat0}, ""},
		{"corners of the world", orb.Point{-180, 90}, ""},
		{"NaN longitude", orb.Point{math.NaN(), lat0}, "finite coordinates"},
		{"NaN latitude", orb.Point{lon0, math.NaN()}, "finite coordinates"},
		{"infinite longitude", orb.Point{math.Inf(1), lat0}, "finite coordinates"},
		{"infinite latitude", orb.Point{lon0, math.Inf(-1)}, "finite coordinates"},
		{"longitude above 180", orb.Point{180.5, lat0}, "longitude in [-180, 180], got 180.5"},
		{"longitude below -180", orb.Point{-181, lat0}, "longitude in [-180, 180], got -181"},
		{"latitude above 90", orb.Point{lon0, 90.1}, "latitude in [-90, 90], got 90.1"},
		{"latitude below -90", orb.Point{lon0, -91}, "latitude in [-90, 90], got -91"},
		{"swapped lat/lon", orb.Point{lat0, lon0}, "latitude in [-90, 90], got 106"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tt.want, geo.CheckPoint(tt.p))
		})
	}
}

func TestCheckPolygon_Bad(t *testing.T) {
	t.Parallel()
	square := orb.Ring{{0, 0}, {4, 0}, {4, 4}, {0, 4}, {0, 0}}
	u := orb.Ring{{0, 0}, {3, 0}, {3, 3}, {2, 3}, {2, 1}, {1, 1}, {1, 3}, {0, 3}, {0, 0}}
	tests := []struct {
		name string
		p    orb.Polygon
		want string
	}{
		{"no rings", orb.Polygon{}, "a polygon with at least one ring"},
		{"NaN coordinate", orb.Polygon{{{0, 0}, {1, 0}, {math.NaN(), 1}, {0, 0}}}, "outer ring: finite coordinates"},
		{"infinite coordinate", orb.Polygon{{{0, 0}, {math.Inf(1), 0}, {1, 1}, {0, 0}}}, "outer ring: finite coordinates"},
		{"longitude out of range", orb.Polygon{{{179, 0}, {181, 0}, {180, 1}, {179, 0}}},
			"outer ring: longitude in [-180, 180], got 181"},
		{"latitude out of range", orb.Polygon{{{0, 89}, {1, 89}, {1, 91}, {0, 89}}},
			"outer ring: latitude in [-90, 90], got 91"},
		{"three positions", orb.Polygon{{{0, 0}, {1, 0}, {0, 0}}}, "outer ring: at least 4 positions, got 3"},
		{"unclosed ring", orb.Polygon{{{0, 0}, {1, 0}, {1, 1}, {0, 1}}},
			"outer ring: a closed ring (last position equal to the first)"},
		{"collinear positions", orb.Polygon{{{0, 0}, {1, 1}, {2, 2}, {0, 0}}},
			"outer ring: a ring with a non-zero area (it is degenerate)"},
		{"one position repeated", orb.Polygon{{{1, 1}, {1, 1}, {1, 1}, {1, 1}}},
			"outer ring: a ring with a non-zero area (it is degenerate)"},
		{"two positions back and forth", orb.Polygon{{{0, 0}, {1, 0}, {0, 0}, {1, 0}, {0, 0}}},
			"outer ring: a ring with a non-zero area (it is degenerate)"},
		{"bow-tie", orb.Polygon{{{0, 0}, {1, 1}, {1, 0}, {0, 1}, {0, 0}}},
			"outer ring: a ring that does not cross itself (segments 0 and 2 meet)"},
		{"touches itself at a vertex", orb.Polygon{{{0, 0}, {2, 0}, {1, 1}, {2, 2}, {0, 2}, {1, 1}, {0, 0}}},
			"outer ring: a ring that does not cross itself (segments 1 and 4 meet)"},
		{"vertex on another edge", orb.Polygon{{{0, 0}, {4, 0}, {4, 4}, {2, 0}, {0, 4}, {0, 0}}},
			"outer ring: a ring that does not cross itself (segments 0 and 3 meet)"},
		{"adjacent segments fold back", orb.Polygon{{{0, 0}, {2, 0}, {1, 0}, {1, 1}, {0, 0}}},
			"outer ring: a ring that does not cross itself (segments 0 and 1 meet)"},
		{"spike at the closing vertex", orb.Polygon{{{0, 0}, {2, 0}, {2, 2}, {0, 2}, {0, -1}, {0, 0}}},
			"outer ring: a ring that does not cross itself (segments 0 and 3 meet)"},
		{"bad hole", orb.Polygon{square, {{1, 1}, {2, 1}, {1, 1}}}, "ring 1: at least 4 positions, got 3"},
		{"hole outside", orb.Polygon{square, {{5, 5}, {6, 5}, {6, 6}, {5, 5}}},
			"ring 1 (a hole) inside the outer ring"},
		{"hole in the notch of a concave ring", orb.Polygon{u, {{1.2, 2}, {1.8, 2}, {1.8, 2.5}, {1.2, 2}}},
			"ring 1 (a hole) inside the outer ring"},
		{"hole half outside", orb.Polygon{square, {{3, 1}, {5, 1}, {5, 2}, {3, 2}, {3, 1}}},
			"ring 1 (a hole) inside the outer ring"},
		{"hole crossing a concave outer ring", orb.Polygon{u, {{0.5, 2}, {2.5, 2}, {2.5, 2.5}, {0.5, 2.5}, {0.5, 2}}},
			"ring 1 (a hole) inside the outer ring"},
		{"second hole outside", orb.Polygon{square, {{1, 1}, {1, 2}, {2, 2}, {1, 1}}, {{5, 5}, {6, 5}, {6, 6}, {5, 5}}},
			"ring 2 (a hole) inside the outer ring"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tt.want, geo.CheckPolygon(tt.p))
		})
	}
}

func TestCheckPolygon_Good(t *testing.T) {
	t.Parallel()
	square := orb.Ring{{0, 0}, {4, 0}, {4, 4}, {0, 4}, {0, 0}}
	tests := []struct {
		name string
		p    orb.Polygon
	}{
		{"square", orb.Polygon{square}},
		{"clockwise square", orb.Polygon{reversedRing(square)}},
		{"triangle", orb.Polygon{{{0, 0}, {1, 0}, {0, 1}, {0, 0}}}},
		{"square with a hole", orb.Polygon{square, {{1, 1}, {1, 2}, {2, 2}, {2, 1}, {1, 1}}}},
		{"square with two holes", orb.Polygon{square, {{1, 1}, {1, 2}, {2, 2}, {1, 1}}, {{3, 3}, {3, 3.5}, {3.5, 3.5}, {3, 3}}}},
		{"hole touching the outer ring at a vertex", orb.Polygon{square, {{0, 2}, {1, 3}, {1, 1}, {0, 2}}}},
		{"concave U", orb.Polygon{{{0, 0}, {3, 0}, {3, 3}, {2, 3}, {2, 1}, {1, 1}, {1, 3}, {0, 3}, {0, 0}}}},
		{"concave with collinear vertices", orb.Polygon{{{0, 0}, {1, 0}, {2, 0}, {2, 2}, {1, 1}, {0, 2}, {0, 0}}}},
		{"repeated position", orb.Polygon{{{0, 0}, {4, 0}, {4, 0}, {4, 4}, {0, 4}, {0, 0}}}},
		{"fixture grid", block(0, 0, 1, 1)},
		{"meshed quad", mesh(3, 3, 7)[4]},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			require.Empty(t, geo.CheckPolygon(tt.p))
		})
	}
}
