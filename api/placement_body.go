package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"gridwatch/coverage"
	"gridwatch/geo"
)

// maxPlanningBody bounds the body of /coverage/placement and
// /coverage/scenario, bytes.
const maxPlanningBody = 4 << 20

// jsonObject is a JSON object body read member by member: unknown members
// and members of the wrong type are problems, all reported at once.
type jsonObject struct {
	path    string // the members' prefix, e.g. "camera."
	members map[string]json.RawMessage
	ps      *geo.Problems
}

// readJSONBody reads the request body as a JSON object.
func readJSONBody(r *http.Request) (*jsonObject, error) {
	raw, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, maxPlanningBody))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, &geo.Error{Code: geo.TooLarge, Limit: "body_bytes", Max: maxPlanningBody,
				Message: fmt.Sprintf("the body is larger than %d bytes", maxPlanningBody)}
		}
		return nil, fmt.Errorf("read body: %w", err)
	}
	o := &jsonObject{ps: &geo.Problems{}}
	if len(bytes.TrimSpace(raw)) == 0 {
		raw = []byte("{}")
	}
	if err := json.Unmarshal(raw, &o.members); err != nil || o.members == nil {
		o.ps.Add("body", -1, "", "body", "a JSON object")
		return nil, o.err()
	}
	return o, nil
}

// bad records a problem with a member.
func (o *jsonObject) bad(name, expected string) { o.ps.Add("body", -1, "", o.path+name, expected) }

// err returns the problems found, or nil.
func (o *jsonObject) err() error { return o.ps.Err("invalid body") }

// only reports every member not in names.
func (o *jsonObject) only(names ...string) {
	for _, k := range sortedKeys(o.members) {
		if !slices.Contains(names, k) {
			o.bad(k, "no such member: accepted are "+orNone(names))
		}
	}
}

// get decodes member name into v when present, reporting a wrong type.
func (o *jsonObject) get(name string, v any, expected string) bool {
	raw, ok := o.members[name]
	if !ok || string(raw) == "null" {
		return false
	}
	if err := json.Unmarshal(raw, v); err != nil {
		o.bad(name, expected)
		return false
	}
	return true
}

// object returns member name as an object (nil when absent or not one).
func (o *jsonObject) object(name string) *jsonObject {
	var m map[string]json.RawMessage
	if !o.get(name, &m, "a JSON object") || m == nil {
		return nil
	}
	return &jsonObject{path: o.path + name + ".", members: m, ps: o.ps}
}

// window reads variant, as_of and window_days.
func (o *jsonObject) window(a *geo.Atlas, now time.Time) (coverage.Variant, coverage.Window) {
	variant := coverage.Installed
	var s string
	if o.get("variant", &s, "installed or operational") {
		v, err := coverage.ParseVariant(s)
		if err != nil {
			o.bad("variant", "installed or operational, got "+quote(s))
		}
		variant = v
	}
	var asOf time.Time
	if o.get("as_of", &s, "a date YYYY-MM-DD") {
		t, err := time.Parse(time.DateOnly, s)
		if err != nil {
			o.bad("as_of", "a date YYYY-MM-DD, got "+quote(s))
		}
		asOf = t
	}
	days := coverage.DefaultWindowDays
	if o.get("window_days", &days, "a whole number of days in [1, 36600]") && (days < 1 || days > 36600) {
		o.bad("window_days", fmt.Sprintf("a whole number of days in [1, 36600], got %d", days))
		days = coverage.DefaultWindowDays
	}
	w, err := coverage.NewWindow(a, asOf, days, now)
	if err != nil {
		o.bad("window_days", "a whole number of days in [1, 36600]")
	}
	return variant, w
}

// queryObject reads a query string as the JSON object a body would be, for
// the GET forms of the planning endpoints: a value that is JSON (a number,
// true, an array, an object) is taken as such, a comma-separated list as
// an array of numbers, anything else as a string; "camera.type=dome" sets
// member type of object camera. The format parameter f is dropped.
func queryObject(q url.Values) *jsonObject {
	o := &jsonObject{members: map[string]json.RawMessage{}, ps: &geo.Problems{}}
	nested := map[string]map[string]json.RawMessage{}
	for k, vs := range q {
		if k == "f" || len(vs) == 0 {
			continue
		}
		v := vs[len(vs)-1]
		raw := json.RawMessage(v)
		switch {
		case json.Valid(raw) && !strings.HasPrefix(v, `"`):
		case strings.Contains(v, ",") && json.Valid([]byte("["+v+"]")):
			raw = json.RawMessage("[" + v + "]")
		default:
			raw, _ = json.Marshal(v)
		}
		if obj, member, ok := strings.Cut(k, "."); ok {
			if nested[obj] == nil {
				nested[obj] = map[string]json.RawMessage{}
			}
			nested[obj][member] = raw
			continue
		}
		o.members[k] = raw
	}
	for obj, m := range nested {
		raw, _ := json.Marshal(m)
		o.members[obj] = raw
	}
	return o
}

// requestObject reads the body of a POST, or the query of a GET, as a JSON
// object.
func requestObject(r *http.Request) (*jsonObject, error) {
	if r.Method == http.MethodPost {
		return readJSONBody(r)
	}
	return queryObject(r.URL.Query()), nil
}
