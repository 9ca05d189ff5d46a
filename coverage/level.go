package coverage

import (
	"fmt"

	"gridwatch/geo"
)

// Level is a governance level that grid figures roll up to.
type Level string

// Roll-up levels.
const (
	LevelVillage  Level = "village"
	LevelTownship Level = "township"
	LevelDistrict Level = "district"
	// LevelGrid and LevelBeat are levels of the police load summary only
	// (ParseLoadLevel): each grid its own unit, and the beats (警务区).
	LevelGrid Level = "grid"
	LevelBeat Level = "beat"
)

// ParseLevel reads a roll-up level, defaulting to district when s is empty.
func ParseLevel(s string) (Level, error) {
	switch Level(s) {
	case "":
		return LevelDistrict, nil
	case LevelVillage, LevelTownship, LevelDistrict:
		return Level(s), nil
	}
	return "", &geo.Error{Code: geo.Invalid, Message: fmt.Sprintf("level: expected village, township or district, got %q", s),
		Problems: []geo.Problem{{Layer: "query", Index: -1, Field: "level", Expected: "village, township or district"}}}
}

// ParseLoadLevel reads a level of the police load summary: grid, beat,
// village, township or district (the default when s is empty).
func ParseLoadLevel(s string) (Level, error) {
	switch Level(s) {
	case LevelGrid, LevelBeat:
		return Level(s), nil
	}
	if l, err := ParseLevel(s); err == nil {
		return l, nil
	}
	return "", &geo.Error{Code: geo.Invalid, Message: fmt.Sprintf("level: expected grid, beat, village, township or district, got %q", s),
		Problems: []geo.Problem{{Layer: "query", Index: -1, Field: "level", Expected: "grid, beat, village, township or district"}}}
}

// Unit is one unit of a level: a village, a township or the district.
type Unit struct {
	// ID is the unit's id ("district" for the district).
	ID string
	// Name is the unit's name (the dataset's name for the district).
	Name string
}

// UnitOf returns the unit of level that grid g belongs to.
func UnitOf(a *geo.Atlas, g *geo.Grid, level Level) Unit {
	switch level {
	case LevelVillage:
		if v, ok := a.Villages.Get(g.Village); ok {
			return Unit{ID: v.ID, Name: v.Name}
		}
		return Unit{ID: g.Village, Name: g.Village}
	case LevelTownship:
		if t, ok := a.Townships.Get(g.Township); ok {
			return Unit{ID: t.ID, Name: t.Name}
		}
		return Unit{ID: g.Township, Name: g.Township}
	}
	return Unit{ID: "district", Name: a.Meta.Name}
}
