package geo

import (
	"github.com/paulmach/orb"

	"gridwatch/geo/route"
)

// Network returns the road network of the atlas: its roads, cut where a
// road that is not a bridge crosses a waterway, with the waterways as the
// barriers off-road access never crosses. It is built with the atlas and
// shared by every atlas derived from it until a write changes the roads or
// the waterways; its contraction hierarchies are built on first use.
func (a *Atlas) Network() *route.Network { return a.network }

// buildNetwork builds the road network of a dataset.
func buildNetwork(roads []*Road, waterways []*Waterway) *route.Network {
	rs := make([]route.Road, len(roads))
	for i, r := range roads {
		rs[i] = route.Road{Line: r.Line, SpeedKMH: r.Speed(), Oneway: r.Oneway, Bridge: r.Bridge}
	}
	bars := make([]orb.LineString, len(waterways))
	for i, w := range waterways {
		bars[i] = w.Line
	}
	return route.New(rs, bars, route.Options{})
}
