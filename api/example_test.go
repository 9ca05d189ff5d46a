package api_test

import (
	"log/slog"
	"net/http"
	"os"

	"gridwatch/api"
	"gridwatch/geo"
)

// The wiring of `gridwatch serve`: the holder keeps the current atlas, a
// write stores a new one, and the server reads it on every request.
func ExampleNew() {
	var atlas *geo.Atlas // from geo.NewAtlas
	holder := api.NewAtlasHolder(atlas)
	srv := &http.Server{
		Addr: "127.0.0.1:8080",
		Handler: api.New(api.Options{
			Atlas:  holder.Load,
			Logger: slog.New(slog.NewJSONHandler(os.Stderr, nil)),
		}),
	}
	_ = srv // srv.ListenAndServe()
}
