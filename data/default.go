package data

import (
	"embed"
	"io/fs"

	"gridwatch/geo"
)

// defaultFS holds the default dataset: a synthetic district modelled on
// Hongsibao, written by `gridwatch gen --gzip` (make dataset).
//
//go:embed default
var defaultFS embed.FS

// Default reads the embedded default dataset.
func Default() (*geo.Dataset, error) {
	sub, err := fs.Sub(defaultFS, "default")
	if err != nil {
		return nil, err
	}
	return ReadFS(sub)
}
