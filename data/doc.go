// Package data reads and writes gridwatch datasets: the GeoJSON and CSV
// codecs of every layer, dataset folders, the embedded default dataset and
// the synthetic-district generator.
package data
