package api

import (
	"net/http"
	"net/url"
	"strings"
)

// link is an OGC API link object.
type link struct {
	Href  string `json:"href"`
	Rel   string `json:"rel"`
	Type  string `json:"type,omitempty"`
	Title string `json:"title,omitempty"`
}

// base returns the absolute URL of the API root, without a trailing slash.
func (s *Server) base(r *http.Request) string {
	if s.baseURL != "" {
		return s.baseURL
	}
	scheme, host := "http", r.Host
	if r.TLS != nil {
		scheme = "https"
	}
	if s.forwarded {
		if p := firstToken(r.Header.Get("X-Forwarded-Proto")); p == "http" || p == "https" {
			scheme = p
		}
		if h := firstToken(r.Header.Get("X-Forwarded-Host")); h != "" {
			host = h
		}
	}
	if host == "" {
		host = "localhost"
	}
	return scheme + "://" + host
}

func firstToken(v string) string {
	v, _, _ = strings.Cut(v, ",")
	return strings.TrimSpace(v)
}

// href returns the absolute URL of path (which starts with "/") with the
// query, and f set to the format when the format is not empty.
func (s *Server) href(r *http.Request, path string, q url.Values, f format) string {
	u := s.base(r) + path
	v := url.Values{}
	for k, vs := range q {
		v[k] = vs
	}
	if f != "" {
		v.Set("f", string(f))
	}
	if enc := v.Encode(); enc != "" {
		u += "?" + enc
	}
	return u
}

// selfLinks returns the self and alternate links of a resource shown in
// format f, which exists in JSON (of media type jsonType) and HTML.
func (s *Server) selfLinks(r *http.Request, path string, q url.Values, f format, jsonType, title string) []link {
	jsonLink := link{Href: s.href(r, path, q, formatJSON), Type: jsonType, Title: title + " as JSON"}
	htmlLink := link{Href: s.href(r, path, q, formatHTML), Type: mediaHTML, Title: title + " as HTML"}
	if f == formatHTML {
		htmlLink.Rel, jsonLink.Rel = "self", "alternate"
		return []link{htmlLink, jsonLink}
	}
	jsonLink.Rel, htmlLink.Rel = "self", "alternate"
	return []link{jsonLink, htmlLink}
}

// collectionPath returns the path of a collection, escaped.
func collectionPath(id string) string { return "/collections/" + url.PathEscape(id) }

// itemPath returns the path of one feature, escaped.
func itemPath(collection, id string) string {
	return collectionPath(collection) + "/items/" + url.PathEscape(id)
}
