// Package coverage holds the analyses over a geo.Atlas: video coverage and
// gaps, police load, responder lookups and response coverage.
package coverage
