package data

import (
	"math"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"gridwatch/geo"
)

// Precision is the number of decimal places kept in output coordinates
// (RFC 7946 recommends no more than needed: 1e-7 degrees is about 1 cm).
const Precision = 7

// DateLayout is the layout of date properties.
const DateLayout = "2006-01-02"

// ToFeature converts an item of any layer to a GeoJSON feature: the feature
// id is the item's id, repeated as "id" in the properties, and coordinates
// are rounded to Precision decimals.
func ToFeature(item geo.Feature) *geojson.Feature {
	f := geojson.NewFeature(RoundGeometry(item.FeatureGeometry().(orb.Geometry)))
	f.ID = item.FeatureID()
	p := f.Properties
	p["id"] = item.FeatureID()
	switch v := item.(type) {
	case *geo.Township:
		p["name"], p["kind"] = v.Name, string(v.Kind)
	case *geo.Village:
		p["name"], p["kind"], p["township"] = v.Name, string(v.Kind), v.Township
	case *geo.Grid:
		p["name"], p["village"], p["township"] = v.Name, v.Village, v.Township
		p["population"], p["households"] = v.Population, v.Households
	case *geo.Station:
		p["name"] = v.Name
	case *geo.Beat:
		p["name"], p["station"] = v.Name, v.Station
	case *geo.Settlement:
		p["name"], p["grid"] = v.Name, v.Grid
		p["population"], p["households"] = v.Population, v.Households
	case *geo.Place:
		p["name"], p["kind"], p["grid"] = v.Name, v.Kind, v.Grid
	case *geo.Camera:
		p["source"], p["type"] = string(v.Source), string(v.Type)
		p["bearing_deg"], p["fov_deg"], p["range_m"] = v.BearingDeg, v.FOVDeg, v.RangeM
		p["online"], p["installed"], p["grid"] = v.Online, v.Installed.Format(DateLayout), v.Grid
	case *geo.Responder:
		grids := v.Grids
		if grids == nil {
			grids = []string{}
		}
		p["name"], p["role"], p["station"], p["grids"] = v.Name, string(v.Role), v.Station, grids
		p["available"], p["updated"] = v.Available, v.Updated.Format(time.RFC3339)
	case *geo.Incident:
		p["time"], p["category"], p["source"] = v.Time.Format(time.RFC3339), v.Category, string(v.Source)
		p["resolved_level"], p["grid"] = string(v.ResolvedLevel), v.Grid
	case *geo.Waterway:
		p["name"], p["kind"] = v.Name, string(v.Kind)
	case *geo.Road:
		p["name"], p["class"], p["oneway"] = v.Name, string(v.Class), v.Oneway
		p["speed_kmh"], p["bridge"] = v.Speed(), v.Bridge
	}
	return f
}

// RoundGeometry returns a copy of g with every coordinate rounded to
// Precision decimal places.
func RoundGeometry(g orb.Geometry) orb.Geometry {
	switch v := g.(type) {
	case orb.Point:
		return roundPoint(v)
	case orb.LineString:
		return orb.LineString(roundPoints(v))
	case orb.Ring:
		return orb.Ring(roundPoints(v))
	case orb.Polygon:
		return roundPolygon(v)
	case orb.MultiPolygon:
		out := make(orb.MultiPolygon, len(v))
		for i, p := range v {
			out[i] = roundPolygon(p)
		}
		return out
	case orb.MultiPoint:
		return orb.MultiPoint(roundPoints(v))
	case orb.MultiLineString:
		out := make(orb.MultiLineString, len(v))
		for i, l := range v {
			out[i] = roundPoints(l)
		}
		return out
	}
	return g
}

const scale = 1e7

func roundPoint(p orb.Point) orb.Point {
	return orb.Point{math.Round(p[0]*scale) / scale, math.Round(p[1]*scale) / scale}
}

func roundPoints[T ~[]orb.Point](ps T) T {
	out := make(T, len(ps))
	for i, p := range ps {
		out[i] = roundPoint(p)
	}
	return out
}

func roundPolygon(p orb.Polygon) orb.Polygon {
	out := make(orb.Polygon, len(p))
	for i, r := range p {
		out[i] = roundPoints(r)
	}
	return out
}
