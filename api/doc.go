// Package api is gridwatch's HTTP interface: an OGC API - Features (Part 1,
// Core 1.0) server over every layer of a geo.Atlas, with GeoJSON and HTML
// renderings, an OpenAPI 3.0 description, problem+json errors, ETags, CORS
// and gzip.
//
// Handlers return errors to one adapter (problem.go) that maps geo.Code to
// an HTTP status and writes an RFC 9457 problem; nothing else in the
// package chooses an error status.
package api
