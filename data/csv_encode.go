package data

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/paulmach/orb"

	"gridwatch/geo"
)

// EncodeCSV writes a point layer as UTF-8 CSV with the columns id, lon, lat
// and the layer's properties in schema order, the form DecodeCSV reads.
func EncodeCSV(w io.Writer, layer string, items []geo.Feature) error {
	if !IsCSVLayer(layer) {
		return geo.Errorf(geo.Invalid, "%s: CSV is only written for %s", layer, strings.Join(CSVLayers, ", "))
	}
	schema, _ := SchemaOf(layer)
	cw := csv.NewWriter(w)
	header := []string{"id", "lon", "lat"}
	for _, p := range schema.Properties {
		header = append(header, p.Name)
	}
	if err := cw.Write(header); err != nil {
		return err
	}
	for _, it := range items {
		f := ToFeature(it)
		pt, ok := f.Geometry.(orb.Point)
		if !ok {
			return fmt.Errorf("%s %s: not a point", layer, it.FeatureID())
		}
		row := []string{it.FeatureID(), strconv.FormatFloat(pt[0], 'f', -1, 64), strconv.FormatFloat(pt[1], 'f', -1, 64)}
		for _, p := range schema.Properties {
			row = append(row, csvCell(f.Properties[p.Name]))
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func csvCell(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case bool:
		return strconv.FormatBool(x)
	case int:
		return strconv.Itoa(x)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case []string:
		return strings.Join(x, ";")
	}
	return fmt.Sprint(v)
}
