package api

import (
	"fmt"

	"gridwatch/coverage"
	"gridwatch/geo"
	"gridwatch/geo/route"
)

// roadPaths declares the road-network endpoints.
func (s *Server) roadPaths(doc *openAPIDoc) {
	doc.Tags = append(doc.Tags, oaTag{Name: "Roads",
		Description: "Trips on the road network: routes between points and the areas reached in a given time."})
	tags := []string{"Roads"}
	role := dispQueryParam("role", "Whose travel times the trip (police car, auxiliary's motorcycle, grid worker's e-bike, volunteer on foot).",
		schema{"type": "string", "enum": dispRoles(), "default": string(geo.RolePolice)}, false)
	lonLat := schema{"type": "string", "pattern": `^-?[0-9.]+,-?[0-9.]+$`}
	noRoads := dispProblem("The dataset has no roads.")
	routeOK := okResponses(mediaGeoJSON, schema{"type": "object", "description": "A Feature: the route as a LineString " +
		"(start, access leg, roads, access leg, end) with role, eta_model, eta_s, length_m and access_m."}, false)
	routeOK["409"] = noRoads
	doc.Paths["/route"] = oaPathItem{Get: &oaOperation{Tags: tags, OperationID: "getRoute",
		Summary: "The fastest trip between two points on the road network",
		Description: fmt.Sprintf("Each point reaches the nearest road it can without crossing a waterway (at most %d m) "+
			"off-road at the role's access speed; roads are driven at their speed capped by the role's top speed; canals are "+
			"crossed only at bridges. 400 names a point that reaches no road; 404 when no road joins them.", route.DefaultMaxAccessM),
		Parameters: []oaParam{
			dispQueryParam("from", "Start, lon,lat.", lonLat, true),
			dispQueryParam("to", "End, lon,lat.", lonLat, true),
			role,
			dispQueryParam("input_crs", "The coordinate system of from and to; answers are WGS84.", dispCRSSchema(), false),
		},
		Responses: routeOK}}
	isoParams := []oaParam{
		dispQueryParam("minutes", fmt.Sprintf("Travel times, minutes, ascending, comma-separated (at most %d, each up to %d).", coverage.MaxIsochrones, coverage.MaxIsochroneMinutes),
			schema{"type": "string", "default": "5,10,15"}, false),
		role,
		dispQueryParam("resolution", "H3 resolution of the outlines.", schema{"type": "integer", "minimum": 7, "maximum": 10, "default": coverage.DefaultIsochroneRes}, false),
	}
	isoOK := okResponses(mediaGeoJSON, schema{"type": "object", "description": "A FeatureCollection, one MultiPolygon per " +
		"travel time (the H3 cells whose centre is reached in time), with minutes, cells, area_m2, population (people of the " +
		"settlements whose centroid is reached) and grids (id, name, population reached, grid_population); origin says where from."}, false)
	isoOK["409"] = noRoads
	doc.Paths["/stations/{stationId}/isochrones"] = oaPathItem{Get: &oaOperation{Tags: tags, OperationID: "getStationIsochrones",
		Summary:    "The areas a police station reaches within some minutes on the road network, with the people and grids inside",
		Parameters: append([]oaParam{{Name: "stationId", In: "path", Required: true, Schema: schema{"type": "string"}, Description: "Id of the station."}}, isoParams...),
		Responses:  isoOK}}
	doc.Paths["/isochrones"] = oaPathItem{Get: &oaOperation{Tags: tags, OperationID: "getIsochrones",
		Summary: "The same from any point",
		Parameters: append([]oaParam{
			dispQueryParam("lon", "Longitude of the point.", schema{"type": "number", "minimum": -180, "maximum": 180}, true),
			dispQueryParam("lat", "Latitude of the point.", schema{"type": "number", "minimum": -90, "maximum": 90}, true),
			dispQueryParam("input_crs", "The coordinate system of the point.", dispCRSSchema(), false),
		}, isoParams...),
		Responses: isoOK}}
}
