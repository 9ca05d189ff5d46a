package api

import (
	"mime"
	"net/http"
	"strconv"
	"strings"

	"gridwatch/geo"
)

// format is a representation of a resource, named as in the f parameter.
type format string

// The formats every resource comes in.
const (
	formatJSON format = "json"
	formatHTML format = "html"
)

// negotiate picks the format of a response: the f parameter when given,
// else the Accept header (HTML only when the client prefers it to JSON).
func negotiate(r *http.Request) (format, error) {
	q := r.URL.Query()
	if fs, ok := q["f"]; ok {
		if len(fs) != 1 {
			return "", invalidParam("f", "one value, json or html")
		}
		switch strings.ToLower(fs[0]) {
		case "json", "geojson":
			return formatJSON, nil
		case "html":
			return formatHTML, nil
		}
		return "", invalidParam("f", "json or html, got "+quote(fs[0]))
	}
	if prefersHTML(r.Header.Get("Accept")) {
		return formatHTML, nil
	}
	return formatJSON, nil
}

// prefersHTML reports whether an Accept header ranks HTML above JSON; a tie
// (as with */*) goes to JSON.
func prefersHTML(accept string) bool {
	if accept == "" {
		return false
	}
	var htmlQ, jsonQ float64
	for _, part := range strings.Split(accept, ",") {
		mt, params, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		q := 1.0
		if v, ok := params["q"]; ok {
			q = qValue("q=" + v)
		}
		switch {
		case mt == "text/html" || mt == "application/xhtml+xml":
			htmlQ = max(htmlQ, q)
		case mt == "application/json" || mt == "application/geo+json" ||
			mt == "application/problem+json" || mt == "application/*" || mt == "*/*":
			jsonQ = max(jsonQ, q)
		case mt == "text/*":
			htmlQ = max(htmlQ, q)
		}
	}
	return htmlQ > jsonQ
}

// invalidParam returns the Invalid error of a bad query parameter.
func invalidParam(name, expected string) error {
	return &geo.Error{Code: geo.Invalid, Message: "invalid query parameter " + quote(name),
		Problems: []geo.Problem{{Index: -1, Field: name, Expected: expected}}}
}

// quote quotes a value for an error message, shortened to 80 bytes.
func quote(s string) string {
	if len(s) > 80 {
		return strconv.Quote(s[:80]) + "…"
	}
	return strconv.Quote(s)
}
