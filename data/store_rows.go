package data

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"gridwatch/geo"
)

// layerColumns lists the property columns of a layer's feature table, in
// schema order (after fid, geom and id).
func layerColumns(s LayerSchema) []string {
	out := make([]string, len(s.Properties))
	for i, p := range s.Properties {
		out[i] = p.Name
	}
	return out
}

// upsertSQL is the statement that inserts a feature, or replaces the one
// with the same id in place (keeping its fid, so layer order is kept).
func upsertSQL(s LayerSchema) string {
	cols := append([]string{"geom", "id"}, layerColumns(s)...)
	quoted := make([]string, len(cols))
	marks := make([]string, len(cols))
	sets := make([]string, 0, len(cols))
	for i, c := range cols {
		quoted[i], marks[i] = ident(c), "?"
		if c != "id" {
			sets = append(sets, ident(c)+" = excluded."+ident(c))
		}
	}
	return fmt.Sprintf(`INSERT INTO %s (%s) VALUES (%s) ON CONFLICT("id") DO UPDATE SET %s`,
		ident(s.Name), strings.Join(quoted, ", "), strings.Join(marks, ", "), strings.Join(sets, ", "))
}

// selectSQL reads every feature of a layer in layer (fid) order. Date
// columns are cast to text so that the driver hands them over as written.
func selectSQL(s LayerSchema) string {
	cols := []string{"geom", `"id"`}
	for _, p := range s.Properties {
		c := ident(p.Name)
		if p.Type == TypeDate || p.Type == TypeDateTime {
			c = "CAST(" + c + " AS TEXT)"
		}
		cols = append(cols, c)
	}
	return fmt.Sprintf("SELECT %s FROM %s ORDER BY fid", strings.Join(cols, ", "), ident(s.Name))
}

// rowValues returns the column values of an item, in upsertSQL order. The
// geometry is stored exactly (not rounded); properties are those of
// ToFeature.
func rowValues(s LayerSchema, item geo.Feature) ([]any, error) {
	g, ok := item.FeatureGeometry().(orb.Geometry)
	if !ok {
		return nil, fmt.Errorf("%s %q: no geometry", s.Name, item.FeatureID())
	}
	blob, err := EncodeGeoPackageGeometry(g)
	if err != nil {
		return nil, fmt.Errorf("%s %q: %w", s.Name, item.FeatureID(), err)
	}
	props := ToFeature(item).Properties
	out := make([]any, 0, 2+len(s.Properties))
	out = append(out, blob, item.FeatureID())
	for _, p := range s.Properties {
		v, err := columnValue(p, props[p.Name])
		if err != nil {
			return nil, fmt.Errorf("%s %q property %s: %w", s.Name, item.FeatureID(), p.Name, err)
		}
		out = append(out, v)
	}
	return out, nil
}

// columnValue converts a property value to what its column stores.
func columnValue(p Property, v any) (any, error) {
	if v == nil {
		return nil, nil
	}
	switch p.Type {
	case TypeStrings:
		b, err := json.Marshal(v)
		if err != nil {
			return nil, err
		}
		return string(b), nil
	case TypeBoolean:
		if b, ok := v.(bool); ok {
			if b {
				return int64(1), nil
			}
			return int64(0), nil
		}
		return nil, fmt.Errorf("a boolean, got %T", v)
	case TypeDate, TypeDateTime:
		if s, ok := v.(string); ok && s == "" {
			return nil, nil
		}
	}
	return v, nil
}

// propertyValue converts a column value back to the JSON value the codecs
// read (numbers as float64, booleans as bool, lists as []any).
func propertyValue(p Property, v any) (any, error) {
	if b, ok := v.([]byte); ok {
		v = string(b)
	}
	if v == nil {
		return nil, nil
	}
	switch x := v.(type) {
	case int64:
		if p.Type == TypeBoolean {
			return x != 0, nil
		}
		return float64(x), nil
	case float64, bool:
		return x, nil
	case string:
		if p.Type != TypeStrings {
			return x, nil
		}
		var list []any
		if err := json.Unmarshal([]byte(x), &list); err != nil {
			return nil, fmt.Errorf("a JSON array of strings: %w", err)
		}
		return list, nil
	}
	return nil, fmt.Errorf("an unexpected column value of type %T", v)
}

// readLayerRows reads every feature of a layer, decoding each with the
// GeoJSON codec so that a store edited by hand is validated like a file.
func readLayerRows(ctx context.Context, tx *sql.Tx, s LayerSchema) ([]geo.Feature, geo.Problems, error) {
	rows, err := tx.QueryContext(ctx, selectSQL(s))
	if err != nil {
		return nil, nil, fmt.Errorf("read %s: %w", s.Name, err)
	}
	defer rows.Close()
	var items []geo.Feature
	var ps geo.Problems
	vals := make([]any, 2+len(s.Properties))
	ptrs := make([]any, len(vals))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for index := 0; rows.Next(); index++ {
		if err := rows.Scan(ptrs...); err != nil {
			return nil, nil, fmt.Errorf("read %s row %d: %w", s.Name, index, err)
		}
		f, rowPs := rowFeature(s, index, vals)
		item, fps := FromFeature(s.Name, index, f)
		if len(rowPs) > 0 {
			// The geometry or a column could not be read: report that, and
			// what the codec finds in the rest of the row.
			ps = append(ps, rowPs...)
			for _, p := range fps {
				if !hasField(rowPs, p.Field) {
					ps = append(ps, p)
				}
			}
			continue
		}
		ps = append(ps, fps...)
		if item != nil {
			items = append(items, item)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("read %s: %w", s.Name, err)
	}
	return items, ps, nil
}

// rowFeature turns one scanned row (geom, id, properties) into a feature.
func rowFeature(s LayerSchema, index int, vals []any) (*geojson.Feature, geo.Problems) {
	var ps geo.Problems
	id, _ := vals[1].(string)
	blob, _ := vals[0].([]byte)
	var g orb.Geometry
	if blob == nil {
		ps.Add(s.Name, index, id, "geometry", "a geometry (the geom column is empty)")
	} else if dg, err := DecodeGeoPackageGeometry(blob); err != nil {
		ps.Add(s.Name, index, id, "geometry", "a GeoPackage geometry in EPSG:4326: "+err.Error())
	} else {
		g = dg
	}
	f := geojson.NewFeature(g)
	f.ID = id
	for i, p := range s.Properties {
		v, err := propertyValue(p, vals[2+i])
		if err != nil {
			ps.Add(s.Name, index, id, p.Name, err.Error())
			continue
		}
		if v != nil {
			f.Properties[p.Name] = v
		}
	}
	return f, ps
}

func hasField(ps geo.Problems, field string) bool {
	for _, p := range ps {
		if p.Field == field {
			return true
		}
	}
	return false
}
