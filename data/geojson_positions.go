package data

import (
	"encoding/json"
	"fmt"
)

// A GeoJSON position has at least two numbers (RFC 7946 §3.1.1), but
// decoding into orb fills a short one with zeros: [] becomes [0, 0] and
// [106.07] becomes [106.07, 0]. The raw coordinates are checked first so
// that a short position is refused instead of stored.

// positionDepth is how deep the positions of a geometry type sit in its
// coordinates array (1: the coordinates are one position); 0 for a type
// without coordinates of its own.
func positionDepth(kind string) int {
	switch kind {
	case "Point":
		return 1
	case "LineString", "MultiPoint":
		return 2
	case "Polygon", "MultiLineString":
		return 3
	case "MultiPolygon":
		return 4
	}
	return 0
}

// shortPosition returns the index path of the first position in raw (the
// coordinates of a geometry whose positions sit at depth) with fewer than
// two numbers, and whether there is one. It scans the text without
// decoding it; anything that is not an array of numbers is left to the
// decoder to refuse.
func shortPosition(raw []byte, depth int) (string, bool) {
	type level struct{ numbers, index int }
	var stack []level
	expectValue := false
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		switch {
		case c == '"':
			return "", false // not coordinates: the decoder says so
		case c == '[':
			if len(stack) > 0 {
				stack[len(stack)-1].index++
			}
			stack = append(stack, level{})
			expectValue = true
		case c == ']':
			if len(stack) == 0 {
				return "", false
			}
			if len(stack) == depth && stack[len(stack)-1].numbers < 2 {
				path := ""
				for _, l := range stack[:len(stack)-1] {
					path += fmt.Sprintf("[%d]", l.index-1)
				}
				return path, true
			}
			stack = stack[:len(stack)-1]
			expectValue = false
		case c == ',':
			expectValue = true
		case expectValue && (c == '-' || (c >= '0' && c <= '9')):
			if len(stack) > 0 {
				stack[len(stack)-1].numbers++
			}
			expectValue = false
		}
	}
	return "", false
}

// checkPositions returns what is wrong with a feature's raw geometry when
// one of its positions is short, or "" when none is.
func checkPositions(raw []byte) string {
	var f struct {
		Geometry *struct {
			Type        string          `json:"type"`
			Coordinates json.RawMessage `json:"coordinates"`
		} `json:"geometry"`
	}
	if json.Unmarshal(raw, &f) != nil || f.Geometry == nil {
		return "" // the decoder reports it
	}
	return positionProblem(f.Geometry.Type, f.Geometry.Coordinates)
}

// positionProblem returns what is wrong with the raw coordinates of a
// geometry of the kind when one of its positions is short, or "".
func positionProblem(kind string, coords []byte) string {
	depth := positionDepth(kind)
	if depth == 0 || coords == nil {
		return ""
	}
	if path, short := shortPosition(coords, depth); short {
		return fmt.Sprintf("positions of at least two numbers [lon, lat]; position %s of the %s has fewer", "coordinates"+path, kind)
	}
	return ""
}
