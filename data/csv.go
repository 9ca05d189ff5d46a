package data

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"golang.org/x/text/encoding/simplifiedchinese"

	"gridwatch/geo"
)

// CSVLayers are the point layers that can be read from CSV.
var CSVLayers = []string{geo.LayerCameras, geo.LayerResponders, geo.LayerIncidents, geo.LayerPlaces}

// IsCSVLayer reports whether layer can be read from CSV.
func IsCSVLayer(layer string) bool {
	for _, l := range CSVLayers {
		if l == layer {
			return true
		}
	}
	return false
}

// DecodeCSV reads a point layer from CSV: a header row naming the columns
// (id, lon, lat and the layer's properties, in any order), then one row per
// feature. Booleans are true/false, lists (grids) are separated by ';'. The
// text is UTF-8, with or without a byte-order mark, or GB18030 (what Excel
// writes on Chinese systems); a file that is not valid UTF-8 is read as
// GB18030. A malformed file is refused whole; each problem names its line.
func DecodeCSV(layer string, r io.Reader) ([]geo.Feature, error) {
	if !IsCSVLayer(layer) {
		return nil, geo.Errorf(geo.Invalid, "%s: CSV is only read for %s", layer, strings.Join(CSVLayers, ", "))
	}
	raw, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", layer, err)
	}
	text, err := toUTF8(raw)
	if err != nil {
		var bad *badTextError
		if errors.As(err, &bad) {
			return nil, geo.Problems{{Layer: layer, Index: -1, Field: "text", Line: bad.line,
				Expected: fmt.Sprintf("UTF-8 or GB18030 text (byte 0x%02x at byte %d of the line is valid in neither; save the file as UTF-8)", bad.b, bad.col)}}.
				Err(layer + ": neither UTF-8 nor GB18030 text")
		}
		return nil, &geo.Error{Code: geo.Invalid, Message: layer + ": neither UTF-8 nor GB18030 text", Err: err}
	}
	cr := csv.NewReader(bytes.NewReader(text))
	cr.FieldsPerRecord = -1
	records, err := cr.ReadAll()
	if err != nil {
		return nil, &geo.Error{Code: geo.Invalid, Message: layer + ": malformed CSV", Err: err}
	}
	if len(records) == 0 {
		return nil, geo.Errorf(geo.Invalid, "%s: empty CSV file (expected a header row)", layer)
	}
	schema, _ := SchemaOf(layer)
	cols, ps := csvHeader(layer, schema, records[0])
	if len(ps) > 0 {
		return nil, ps.Err(layer + ": bad CSV header")
	}
	items := make([]geo.Feature, 0, len(records)-1)
	for i, rec := range records[1:] {
		line := i + 2
		if len(rec) != len(cols) {
			ps = append(ps, geo.Problem{Layer: layer, Index: i, Field: "row", Line: line,
				Expected: fmt.Sprintf("%d fields as in the header, got %d", len(cols), len(rec))})
			continue
		}
		f, rowPs := csvFeature(layer, i, schema, cols, rec)
		if len(rowPs) == 0 {
			item, fps := FromFeature(layer, i, f)
			rowPs = fps
			if item != nil {
				items = append(items, item)
			}
		}
		for _, p := range rowPs {
			p.Line = line
			ps = append(ps, p)
		}
	}
	if err := ps.Err(layer + ": invalid CSV rows"); err != nil {
		return nil, err
	}
	return items, nil
}

// toUTF8 strips a UTF-8 byte-order mark, or decodes GB18030 when the bytes
// are not valid UTF-8.
func toUTF8(raw []byte) ([]byte, error) {
	raw = bytes.TrimPrefix(raw, []byte("\xef\xbb\xbf"))
	if utf8.Valid(raw) {
		return raw, nil
	}
	if err := checkGB18030(raw); err != nil {
		return nil, err
	}
	out, err := simplifiedchinese.GB18030.NewDecoder().Bytes(raw)
	if err != nil {
		return nil, err
	}
	if replaced(raw, out) {
		// Well-formed four-byte sequences outside GB18030's mapping.
		for i, l := range bytes.SplitAfter(raw, []byte("\n")) {
			if lo, err := simplifiedchinese.GB18030.NewDecoder().Bytes(l); err != nil || replaced(l, lo) {
				return nil, &badTextError{line: i + 1, col: 1, b: l[0]}
			}
		}
	}
	if !utf8.Valid(out) {
		return nil, errors.New("invalid GB18030 text")
	}
	return out, nil
}

func csvHeader(layer string, schema LayerSchema, header []string) ([]string, geo.Problems) {
	var ps geo.Problems
	cols := make([]string, len(header))
	seen := map[string]bool{}
	for i, h := range header {
		h = strings.TrimSpace(h)
		cols[i] = h
		_, known := schema.Property(h)
		if !known && h != "id" && h != "lon" && h != "lat" {
			ps = append(ps, geo.Problem{Layer: layer, Index: -1, Field: h, Line: 1,
				Expected: "a known column: id, lon, lat, " + strings.TrimPrefix(propertyNames(schema), "id, ")})
		}
		if seen[h] {
			ps = append(ps, geo.Problem{Layer: layer, Index: -1, Field: h, Line: 1, Expected: "each column once"})
		}
		seen[h] = true
	}
	for _, need := range []string{"id", "lon", "lat"} {
		if !seen[need] {
			ps = append(ps, geo.Problem{Layer: layer, Index: -1, Field: need, Line: 1, Expected: "a column " + need})
		}
	}
	return cols, ps
}

// csvFeature turns one row into a GeoJSON feature, typing each cell by the
// schema; empty cells are absent properties.
func csvFeature(layer string, i int, schema LayerSchema, cols, rec []string) (*geojson.Feature, geo.Problems) {
	var ps geo.Problems
	var lon, lat float64
	props := geojson.Properties{}
	id := ""
	for c, name := range cols {
		cell := strings.TrimSpace(rec[c])
		if name == "id" {
			id = cell
		}
	}
	for c, name := range cols {
		cell := strings.TrimSpace(rec[c])
		bad := func(expected string) { ps.Add(layer, i, id, name, expected) }
		switch name {
		case "lon", "lat":
			v, err := strconv.ParseFloat(cell, 64)
			if err != nil {
				bad(fmt.Sprintf("a number of degrees, got %q", cell))
			}
			if name == "lon" {
				lon = v
			} else {
				lat = v
			}
			continue
		case "id":
			props["id"] = cell
			continue
		}
		if cell == "" {
			continue
		}
		p, _ := schema.Property(name)
		switch p.Type {
		case TypeNumber, TypeInteger:
			v, err := strconv.ParseFloat(cell, 64)
			if err != nil {
				bad(fmt.Sprintf("a number, got %q", cell))
				continue
			}
			props[name] = v
		case TypeBoolean:
			switch cell {
			case "true":
				props[name] = true
			case "false":
				props[name] = false
			default:
				bad(fmt.Sprintf("true or false, got %q", cell))
			}
		case TypeStrings:
			var list []any
			for _, s := range strings.Split(cell, ";") {
				if s = strings.TrimSpace(s); s != "" {
					list = append(list, s)
				}
			}
			props[name] = list
		default:
			props[name] = cell
		}
	}
	f := geojson.NewFeature(orb.Point{lon, lat})
	f.Properties = props
	return f, ps
}

// badTextError is the first byte of a file that is neither UTF-8 nor
// GB18030: its 1-based line, its 1-based byte within the line, and the byte.
type badTextError struct {
	line, col int
	b         byte
}

func (e *badTextError) Error() string {
	return fmt.Sprintf("line %d: byte 0x%02x is not valid GB18030", e.line, e.b)
}

// checkGB18030 checks the structure of GB18030 text: one byte below 0x80,
// two bytes (lead 0x81-0xFE, trail 0x40-0x7E or 0x80-0xFE) or four bytes
// (0x81-0xFE, 0x30-0x39, 0x81-0xFE, 0x30-0x39). The decoder of
// golang.org/x/text replaces a malformed sequence with U+FFFD instead of
// failing, which would store Latin-1 text such as "Caf\xe9" as mojibake.
func checkGB18030(raw []byte) error {
	line, start := 1, 0
	bad := func(i int) error { return &badTextError{line: line, col: i - start + 1, b: raw[i]} }
	lead := func(b byte) bool { return b >= 0x81 && b <= 0xfe }
	digit := func(b byte) bool { return b >= 0x30 && b <= 0x39 }
	for i := 0; i < len(raw); {
		b := raw[i]
		switch {
		case b < 0x80:
			if b == '\n' {
				line, start = line+1, i+1
			}
			i++
		case !lead(b):
			return bad(i)
		case i+1 < len(raw) && (raw[i+1] >= 0x40 && raw[i+1] <= 0x7e || raw[i+1] >= 0x80 && raw[i+1] <= 0xfe):
			i += 2
		case i+3 < len(raw) && digit(raw[i+1]) && lead(raw[i+2]) && digit(raw[i+3]):
			i += 4
		default:
			return bad(i)
		}
	}
	return nil
}

// gbReplacement is U+FFFD encoded in GB18030.
var gbReplacement = []byte{0x84, 0x31, 0xa4, 0x37}

// replaced reports whether decoding raw to out replaced a sequence with
// U+FFFD (more of them in out than raw spelled itself).
func replaced(raw, out []byte) bool {
	return bytes.Count(out, []byte("\uFFFD")) > bytes.Count(raw, gbReplacement)
}
