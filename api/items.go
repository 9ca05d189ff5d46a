package api

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"
)

// featureCollectionDoc is a page of items.
type featureCollectionDoc struct {
	Type           string            `json:"type"`
	NumberMatched  int               `json:"numberMatched"`
	NumberReturned int               `json:"numberReturned"`
	TimeStamp      string            `json:"timeStamp"`
	Links          []link            `json:"links"`
	Features       []json.RawMessage `json:"features"`
}

// items serves GET /collections/{collectionId}/items.
func (s *Server) items(w http.ResponseWriter, r *http.Request) error {
	a, err := s.current()
	if err != nil {
		return err
	}
	if chi.URLParam(r, "collectionId") == viewshedsName { // derived from cameras: viewshed_collection.go
		return s.viewshedItems(w, r, a)
	}
	d, err := s.layerData(a, chi.URLParam(r, "collectionId"))
	if err != nil {
		return err
	}
	f, err := negotiate(r)
	if err != nil {
		return err
	}
	q, err := s.parseItemsQuery(r.URL.Query(), d.schema)
	if err != nil {
		return err
	}
	if notModified(w, r, s.etag(r, f, d.tag())) {
		return nil
	}
	if err := d.build(); err != nil {
		return err
	}
	matched, err := d.match(r.Context(), q)
	if err != nil {
		return err
	}
	lo := min(q.offset, len(matched))
	hi := lo + min(q.limit, len(matched)-lo)
	onPage := matched[lo:hi]
	links := s.itemsLinks(r, d, q, f, len(matched), len(onPage))
	setLinkHeader(w, links)
	if f == formatHTML {
		return s.renderItems(w, r, d, onPage, len(matched), links)
	}
	doc := featureCollectionDoc{
		Type: "FeatureCollection", NumberMatched: len(matched), NumberReturned: len(onPage),
		TimeStamp: s.now().UTC().Format(time.RFC3339), Links: links,
		Features: make([]json.RawMessage, len(onPage)),
	}
	for k, i := range onPage {
		doc.Features[k] = d.raw[i]
	}
	return writeJSON(w, mediaGeoJSON, doc)
}

// itemsLinks returns the links of a page: self and alternate, next while
// items remain, prev after the first page, and the collection. Every link
// keeps the request's parameters.
func (s *Server) itemsLinks(r *http.Request, d *layerData, q itemsQuery, f format, matched, returned int) []link {
	path := collectionPath(d.name) + "/items"
	pageType := mediaGeoJSON
	if f == formatHTML {
		pageType = mediaHTML
	}
	links := s.selfLinks(r, path, q.canonical, f, mediaGeoJSON, "This page")
	at := func(offset int) url.Values {
		v := url.Values{}
		for k, vs := range q.canonical {
			v[k] = vs
		}
		if offset > 0 {
			v.Set("offset", strconv.Itoa(offset))
		} else {
			v.Del("offset")
		}
		return v
	}
	if q.offset+returned < matched {
		links = append(links, link{Href: s.href(r, path, at(q.offset+returned), f), Rel: "next", Type: pageType, Title: "Next page"})
	}
	if q.offset > 0 {
		links = append(links, link{Href: s.href(r, path, at(max(0, q.offset-q.limit)), f), Rel: "prev", Type: pageType, Title: "Previous page"})
	}
	return append(links, link{Href: s.href(r, collectionPath(d.name), nil, formatJSON), Rel: "collection", Type: mediaJSON, Title: d.schema.Title})
}

// setLinkHeader repeats the paging links in a Link header (RFC 8288).
func setLinkHeader(w http.ResponseWriter, links []link) {
	var parts []string
	for _, l := range links {
		if l.Rel == "next" || l.Rel == "prev" {
			parts = append(parts, fmt.Sprintf("<%s>; rel=%q; type=%q", l.Href, l.Rel, l.Type))
		}
	}
	if len(parts) > 0 {
		w.Header().Set("Link", strings.Join(parts, ", "))
	}
}
