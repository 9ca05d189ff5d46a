package data

import (
	"time"

	"github.com/paulmach/orb"

	"gridwatch/geo"
)

// decodeItem builds the domain item of r's layer from its properties.
func decodeItem(r *propReader, g orb.Geometry) geo.Feature {
	switch r.layer {
	case geo.LayerTownships:
		return &geo.Township{ID: r.id, Name: r.str("name"), Kind: geo.TownshipKind(r.str("kind")), Polygon: r.multiPolygon(g)}
	case geo.LayerVillages:
		return &geo.Village{ID: r.id, Name: r.str("name"), Kind: geo.VillageKind(r.str("kind")),
			Township: r.str("township"), Polygon: r.multiPolygon(g)}
	case geo.LayerGrids:
		return &geo.Grid{ID: r.id, Name: r.str("name"), Village: r.str("village"), Township: r.str("township"),
			Polygon: r.polygon(g), Population: r.integer("population"), Households: r.integer("households")}
	case geo.LayerStations:
		return &geo.Station{ID: r.id, Name: r.str("name"), Point: r.point(g)}
	case geo.LayerBeats:
		return &geo.Beat{ID: r.id, Name: r.str("name"), Station: r.str("station"), Polygon: r.polygon(g)}
	case geo.LayerSettlements:
		return &geo.Settlement{ID: r.id, Name: r.str("name"), Grid: r.str("grid"), Polygon: r.polygon(g),
			Population: r.integer("population"), Households: r.integer("households")}
	case geo.LayerPlaces:
		return &geo.Place{ID: r.id, Name: r.str("name"), Kind: r.str("kind"), Point: r.point(g), Grid: r.str("grid")}
	case geo.LayerCameras:
		return &geo.Camera{ID: r.id, Source: geo.CameraSource(r.str("source")), Type: geo.CameraType(r.str("type")),
			Point: r.point(g), BearingDeg: r.num("bearing_deg"), FOVDeg: r.num("fov_deg"), RangeM: r.num("range_m"),
			Online: r.boolean("online"), Installed: r.timeOf("installed", DateLayout, "a date YYYY-MM-DD"), Grid: r.str("grid")}
	case geo.LayerResponders:
		return &geo.Responder{ID: r.id, Name: r.str("name"), Role: geo.Role(r.str("role")), Station: r.str("station"),
			Grids: r.strings("grids"), Point: r.point(g), Available: r.boolean("available"),
			Updated: r.timeOf("updated", time.RFC3339, "an RFC 3339 time")}
	case geo.LayerIncidents:
		return &geo.Incident{ID: r.id, Time: r.timeOf("time", time.RFC3339, "an RFC 3339 time"), Category: r.str("category"),
			Source: geo.IncidentSource(r.str("source")), Point: r.point(g), Grid: r.str("grid"),
			ResolvedLevel: geo.Level(r.str("resolved_level"))}
	case geo.LayerWaterways:
		return &geo.Waterway{ID: r.id, Name: r.str("name"), Kind: geo.WaterwayKind(r.str("kind")), Line: r.lineString(g)}
	case geo.LayerRoads:
		return &geo.Road{ID: r.id, Name: r.str("name"), Class: geo.RoadClass(r.str("class")), Oneway: r.boolean("oneway"),
			SpeedKMH: r.optNum("speed_kmh"), Bridge: r.boolean("bridge"), Line: r.lineString(g)}
	}
	return nil
}
