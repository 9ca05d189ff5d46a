package geo_test

import (
	"fmt"

	"github.com/paulmach/orb"

	"gridwatch/geo"
)

func ExampleDistance() {
	// One degree of latitude on the project's sphere.
	d := geo.Distance(orb.Point{106.0, 37.0}, orb.Point{106.0, 38.0})
	fmt.Printf("%.1f m\n", d)
	// Output: 111195.1 m
}

func ExampleDestination() {
	start := orb.Point{106.0, 37.4}
	p := geo.Destination(start, 90, 1000)
	fmt.Printf("%.5f,%.5f %.3f m\n", p[0], p[1], geo.Distance(start, p))
	// Output: 106.01132,37.40000 1000.000 m
}

func ExampleRingArea() {
	ccw := orb.Ring{{106, 37}, {106.01, 37}, {106.01, 37.01}, {106, 37.01}, {106, 37}}
	cw := orb.Ring{{106, 37}, {106, 37.01}, {106.01, 37.01}, {106.01, 37}, {106, 37}}
	fmt.Printf("%.0f m² %.0f m²\n", geo.RingArea(ccw), geo.RingArea(cw))
	// Output: 987396 m² -987396 m²
}

func ExampleDissolve() {
	square := func(x, y float64) orb.Polygon {
		return orb.Polygon{{{x, y}, {x + 1, y}, {x + 1, y + 1}, {x, y + 1}, {x, y}}}
	}
	// Three squares in an L, and one apart.
	mp := geo.Dissolve([]orb.Polygon{square(0, 0), square(1, 0), square(0, 1), square(5, 5)})
	for _, p := range mp {
		fmt.Println(len(p[0])-1, "vertices,", len(p)-1, "holes, counter-clockwise:", geo.RingArea(p[0]) > 0)
	}
	// Output:
	// 8 vertices, 0 holes, counter-clockwise: true
	// 4 vertices, 0 holes, counter-clockwise: true
}

func ExampleCheckPolygon() {
	bowTie := orb.Polygon{{{0, 0}, {1, 1}, {1, 0}, {0, 1}, {0, 0}}}
	fmt.Println(geo.CheckPolygon(bowTie))
	// Output: outer ring: a ring that does not cross itself (segments 0 and 2 meet)
}
