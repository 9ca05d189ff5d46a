// Package route finds shortest travel times on a road network: it builds
// a graph from road centre lines, snaps points to the nearest road
// segment, and answers point-to-point routes (a contraction hierarchy per
// travel profile, with plain Dijkstra as the baseline), one-to-many and
// many-to-one times (bounded Dijkstra) and reachable sets (isochrones).
//
// Roads connect where they share a vertex (exact to 1e-7 degrees), as in
// OpenStreetMap. Barriers (canals, rivers) are lines that nothing crosses
// but a bridge: a road segment that is not a bridge and crosses a barrier
// is dropped from the graph, and an off-road access leg never crosses one.
//
// A trip from a point to a point is: an access leg, off-road in a straight
// line from the point to the nearest point of a road segment (the snap),
// at the profile's access speed; the roads, each driven at its speed
// capped by the profile's top speed; and an access leg from the road to
// the destination. Lengths are great-circle (haversine) distances on the
// sphere of mean radius 6,371,008.8 m, so no trip is faster than the
// straight line at the highest speed the profile reaches.
//
// The package depends on no other package of the project: it takes roads
// and barriers as plain lines.
package route
