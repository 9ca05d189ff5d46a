package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// loadMembers reads a JSON object into its members' values as text:
// strings unquoted, arrays of strings joined by commas, numbers and
// booleans as written. Nested objects, other arrays and null are refused:
// bad maps each such member to what was expected.
func loadMembers(raw []byte) (out, bad map[string]string, err error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var members map[string]any
	if err := dec.Decode(&members); err != nil {
		return nil, nil, fmt.Errorf("not a JSON object: %w", err)
	}
	if members == nil {
		return nil, nil, errors.New("not a JSON object")
	}
	if dec.More() {
		return nil, nil, errors.New("more than one JSON value")
	}
	out, bad = make(map[string]string, len(members)), map[string]string{}
	for name, v := range members {
		switch x := v.(type) {
		case string:
			out[name] = x
		case json.Number:
			out[name] = x.String()
		case bool:
			out[name] = fmt.Sprint(x)
		case []any:
			parts := make([]string, len(x))
			for i, e := range x {
				s, ok := e.(string)
				if !ok {
					bad[name] = "an array of strings"
				}
				parts[i] = s
			}
			out[name] = strings.Join(parts, ",")
		default:
			bad[name] = "a string, number, boolean or array of strings"
		}
	}
	return out, bad, nil
}
