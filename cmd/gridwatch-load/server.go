package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"gridwatch/api"
	"gridwatch/data"
	"gridwatch/geo"
)

// The environment variables that hand the load generators their tokens
// (durable mode), so that the secrets do not show in the process list.
const (
	readerTokenEnv  = "GRIDWATCH_LOAD_READER_TOKEN"
	trackerTokenEnv = "GRIDWATCH_LOAD_TRACKER_TOKEN"
)

// loadServer is the server under load and what it holds open.
type loadServer struct {
	handler *api.Server
	holder  *api.AtlasHolder
	store   *data.Store // nil in memory
}

// close stops the server's write pipeline and closes its store.
func (s *loadServer) close() {
	_ = s.handler.Close()
	if s.store != nil {
		_ = s.store.Close()
	}
}

// newLoadServer builds the server: in memory with --dev-positions, or
// with --data on a durable store with tokens, as gridwatch serve --data
// --tokens runs in production.
func newLoadServer(c config, d *geo.Dataset, a *geo.Atlas, audit *slog.Logger, stderr io.Writer) (*loadServer, error) {
	opt := api.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Audit: audit}
	if c.dataDir == "" {
		holder := api.NewAtlasHolder(a)
		opt.Holder, opt.DevPositions = holder, true
		return &loadServer{handler: api.New(opt), holder: holder}, nil
	}
	start := time.Now()
	store, err := data.OpenStore(context.Background(), c.dataDir, data.StoreOptions{Seed: func() (*geo.Dataset, error) { return d, nil }})
	if err != nil {
		return nil, err
	}
	// The atlas served is the store's, as gridwatch serve --data loads it.
	sd, err := store.Load(context.Background())
	if err == nil {
		a, err = geo.NewAtlas(sd, geo.Options{})
	}
	if err != nil {
		_ = store.Close()
		return nil, err
	}
	fmt.Fprintf(stderr, "durable store %s ready in %s\n", store.Path(), time.Since(start).Round(time.Millisecond))
	reader, tracker := secret(), secret()
	if err := os.Setenv(readerTokenEnv, reader); err != nil {
		return nil, err
	}
	if err := os.Setenv(trackerTokenEnv, tracker); err != nil {
		return nil, err
	}
	holder := api.NewAtlasHolder(a)
	opt.Holder, opt.Store, opt.Publish, opt.CommitLinger = holder, store, holder.Store, c.linger
	opt.Tokens = api.NewTokens(api.NewTokenSet(
		api.NewToken(api.RoleAnalyst, "load-reader", reader, time.Time{}),
		api.NewToken(api.RoleTracker, "load-tracker", tracker, time.Time{})))
	return &loadServer{handler: api.New(opt), holder: holder, store: store}, nil
}

// secret returns a random token secret.
func secret() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
