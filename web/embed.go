// Package web holds the built map page (web/dist: index.html and its
// hashed script and stylesheet), embedded so that serving it needs neither
// Node nor npm. The sources are in web/src; `npm run build` in web/
// rebuilds dist/ from them with the front-end libraries pinned in
// package-lock.json.
package web

import (
	"embed"
	"io/fs"
)

//go:embed dist
var dist embed.FS

// Dist returns the built page: index.html at its root and the assets under
// assets/.
func Dist() fs.FS {
	sub, err := fs.Sub(dist, "dist")
	if err != nil {
		// fs.Sub only fails on an invalid path, and "dist" is valid.
		panic(err)
	}
	return sub
}
