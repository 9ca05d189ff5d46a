package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"strings"

	"gridwatch/data"
	"gridwatch/geo"
)

// writeJSON encodes v and writes it with the media type. Encoding happens
// before anything is written, so a failure is still a clean 500.
func writeJSON(w http.ResponseWriter, mediaType string, v any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return &geo.Error{Code: geo.Internal, Message: "encode response", Err: err}
	}
	w.Header().Set("Content-Type", mediaType)
	_, err := w.Write(buf.Bytes())
	return err
}

// layerData returns the cached data of a layer of the atlas, or a NotFound
// error when there is no such collection.
func (s *Server) layerData(a *geo.Atlas, name string) (*layerData, error) {
	l, ok := a.Layer(name)
	schema, known := data.SchemaOf(name)
	if !ok || !known || isNil(l) {
		return nil, geo.Errorf(geo.NotFound, "no collection %s; the collections are %s and viewsheds", quote(name), strings.Join(geo.LayerNames, ", "))
	}
	return s.layers.get(name, schema, l), nil
}

// isNil reports whether an interface holds a nil pointer.
func isNil(v any) bool {
	if v == nil {
		return true
	}
	rv := reflect.ValueOf(v)
	return rv.Kind() == reflect.Pointer && rv.IsNil()
}

// onlyParams refuses a query with any parameter other than those allowed,
// naming each unknown one.
func onlyParams(q url.Values, allowed ...string) error {
	var ps geo.Problems
	for _, name := range sortedKeys(q) {
		known := false
		for _, a := range allowed {
			known = known || a == name
		}
		if !known {
			ps.Add("", -1, "", name, fmt.Sprintf("no such parameter; this resource accepts %s", orNone(allowed)))
		}
	}
	return ps.Err("unknown query parameter")
}

func orNone(names []string) string {
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, ", ")
}
