// Package geo holds gridwatch's domain model and geometry: the layer types
// (grids, beats, cameras, responders, ...), their validation, geodesy on the
// project's one Earth radius, polygon dissolve, the spatial indexes and the
// Atlas, an immutable indexed snapshot of a dataset.
//
// geo does no I/O and imports no other package of the project.
package geo
