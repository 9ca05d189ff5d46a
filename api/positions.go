package api

import (
	"time"

	"net/http"

	"github.com/go-chi/chi/v5"

	"gridwatch/data"
	"gridwatch/geo"
)

// mediaMergePatch is the media type of a JSON merge patch (RFC 7396).
const mediaMergePatch = "application/merge-patch+json"

// maxFutureSkew is how far in the future of the server's clock a
// responder's updated time may be (device clocks drift).
const maxFutureSkew = 5 * time.Minute

// DefaultPositionLinger bounds how often position reports make a commit:
// a report's group starts no sooner than this after the previous group,
// so that reports share one transaction and one atlas version (at 1,000
// reports a second, groups of about ten, 100 atlas versions a second). A
// report waits at most this long for its group to start, and not at all
// after a quiet spell; then comes the commit.
const DefaultPositionLinger = 10 * time.Millisecond

// patchResponder serves PATCH /collections/responders/items/{featureId}:
// a tracker's position report (or any responder patch), served by the
// one write pipeline as every PATCH is (patchItem): the same decoder,
// rules and group commit with a durable store or without one. Without a
// store the change lives in memory only.
//
// It is refused (403) unless the server runs with Options.DevPositions
// or the request carries a valid token (the permission table lets
// trackers and admins through).
func (s *Server) patchResponder(w http.ResponseWriter, r *http.Request) error {
	if !s.disp.devPositions && !principalOf(r.Context()).Token {
		return geo.Errorf(geo.Forbidden, "position updates are refused: start the server with the development flag "+
			"(--dev-positions) to accept them without a token")
	}
	if s.sec.writes == nil {
		return geo.Errorf(geo.Unavailable, "this server serves a read-only atlas: position updates need a writable atlas holder")
	}
	chi.RouteContext(r.Context()).URLParams.Add("collectionId", geo.LayerResponders)
	return s.patchItem(w, r)
}

// prepareWrite readies the caches of the dispatcher's endpoints for next,
// the atlas after a group of writes to prev: when the group only replaced
// responders in place (position reports), the index of responders by grid
// carries over after checking those responders alone, instead of every
// reader of the new version checking the whole layer.
func (d *dispatch) prepareWrite(prev, next *geo.Atlas, changes []data.Change) {
	if prev == nil || next == nil || prev.Responders == next.Responders {
		return
	}
	var moved []string
	for _, c := range changes {
		if c.Layer != geo.LayerResponders {
			continue
		}
		if c.Replace || len(c.Remove) > 0 {
			return // the next reader indexes the new layer
		}
		for _, it := range c.Items {
			moved = append(moved, it.FeatureID())
		}
	}
	d.carryAssignments(prev, next, moved)
}
