package api

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"strings"

	"gridwatch/geo"
)

// An ETag names one representation: the process epoch (or the store's
// lineage), the caller's role,
// the resource (base URL, path and query), the format, and what the
// response read (the tags of its layers, the dataset's metadata). It is weak
// because item pages carry a timeStamp and bodies may be compressed.

// etag returns the weak ETag of a response in format f that read parts.
func (s *Server) etag(r *http.Request, f format, parts ...string) string {
	h := sha256.New()
	for _, p := range []string{s.tagEpoch, roleOf(r.Context()), s.base(r), r.URL.Path, r.URL.Query().Encode(), string(f)} {
		_, _ = io.WriteString(h, p)
		_, _ = h.Write([]byte{0})
	}
	for _, p := range parts {
		_, _ = io.WriteString(h, p)
		_, _ = h.Write([]byte{0})
	}
	return `W/"` + hex.EncodeToString(h.Sum(nil)[:16]) + `"`
}

// roleOf returns the caller's role, part of every ETag so that callers who
// see different data never share a cached response.
func roleOf(ctx context.Context) string { return callerRole(ctx) }

// metaTag identifies the dataset metadata for ETags.
func metaTag(m geo.Meta) string {
	return strings.Join([]string{"meta", m.Name, m.Description, boolString(m.Synthetic)}, "\x1f")
}

// atlasTags returns the tags of every layer of a (and its metadata).
func (s *Server) atlasTags(a *geo.Atlas) ([]string, map[string]*layerData) {
	tags := []string{metaTag(a.Meta)}
	ds := make(map[string]*layerData, len(geo.LayerNames))
	for _, name := range geo.LayerNames {
		d, err := s.layerData(a, name)
		if err != nil {
			continue
		}
		ds[name] = d
		tags = append(tags, d.tag())
	}
	return tags, ds
}

// notModified sets the ETag of the response and, when the request's
// If-None-Match names it, answers 304 and returns true.
func notModified(w http.ResponseWriter, r *http.Request, tag string) bool {
	w.Header().Set("ETag", tag)
	if !etagListMatches(r.Header.Get("If-None-Match"), tag) {
		return false
	}
	w.WriteHeader(http.StatusNotModified)
	return true
}

// etagListMatches reports whether an If-None-Match list names tag, by weak
// comparison (RFC 9110 §13.1.2).
func etagListMatches(list, tag string) bool {
	list = strings.TrimSpace(list)
	if list == "" {
		return false
	}
	if list == "*" {
		return true
	}
	want := strings.TrimPrefix(tag, "W/")
	for _, t := range strings.Split(list, ",") {
		if strings.TrimPrefix(strings.TrimSpace(t), "W/") == want {
			return true
		}
	}
	return false
}

func boolString(b bool) string {
	if b {
		return "true"
	}
	return "false"
}
