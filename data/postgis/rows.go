package postgis

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"
	"github.com/paulmach/orb/geojson"

	"gridwatch/data"
	"gridwatch/geo"
)

// querier is what a pool, a connection and a transaction have in common.
type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// upsertSQL inserts a feature, or replaces the one of the same id in place
// (keeping its fid, so that the layer's order is kept). Parameters: $1
// district, $2 change_seq, $3 geometry as WKB, $4 id, then the properties
// in schema order.
func upsertSQL(s data.LayerSchema) string {
	cols := []string{"district", "change_seq", "geom", `"id"`}
	vals := []string{"$1", "$2", "ST_GeomFromWKB($3, 4326)", "$4"}
	sets := []string{"change_seq = excluded.change_seq", "geom = excluded.geom"}
	for i, p := range s.Properties {
		c := ident(p.Name)
		cols = append(cols, c)
		vals = append(vals, fmt.Sprintf("$%d::%s", 5+i, columnType(p.Type)))
		sets = append(sets, c+" = excluded."+c)
	}
	for i, p := range offsetProps(s) {
		c := ident(offsetColumn(p))
		cols = append(cols, c)
		vals = append(vals, fmt.Sprintf("$%d::integer", 5+len(s.Properties)+i))
		sets = append(sets, c+" = excluded."+c)
	}
	return fmt.Sprintf(`INSERT INTO %s (%s) VALUES (%s) ON CONFLICT (district, "id") DO UPDATE SET %s`,
		ident(s.Name), strings.Join(cols, ", "), strings.Join(vals, ", "), strings.Join(sets, ", "))
}

// selectSQL reads a district's features of a layer in layer (fid) order;
// $1 is the district, $2 the change sequence after which rows are read (0
// for all). Dates come as text in the form the codecs read; date-times as
// instants followed (after every property) by their UTC offsets.
func selectSQL(s data.LayerSchema) string {
	cols := []string{"ST_AsBinary(geom)", `"id"`}
	for _, p := range s.Properties {
		c := ident(p.Name)
		switch p.Type {
		case data.TypeDate:
			c = "to_char(" + c + ", 'YYYY-MM-DD')"
		}
		cols = append(cols, c)
	}
	for _, p := range offsetProps(s) {
		cols = append(cols, ident(offsetColumn(p)))
	}
	return fmt.Sprintf(`SELECT %s FROM %s WHERE district = $1 AND change_seq > $2 ORDER BY fid`,
		strings.Join(cols, ", "), ident(s.Name))
}

// rowArgs returns the upsertSQL arguments of an item.
func rowArgs(s data.LayerSchema, district string, seq int64, item geo.Feature) ([]any, error) {
	g, ok := item.FeatureGeometry().(orb.Geometry)
	if !ok || g == nil {
		return nil, fmt.Errorf("%s %q: no geometry", s.Name, item.FeatureID())
	}
	blob, err := wkb.Marshal(g)
	if err != nil {
		return nil, fmt.Errorf("%s %q: encode geometry: %w", s.Name, item.FeatureID(), err)
	}
	props := data.ToFeature(item).Properties
	out := make([]any, 0, 4+len(s.Properties))
	out = append(out, district, seq, blob, item.FeatureID())
	for _, p := range s.Properties {
		v, err := columnArg(p, props[p.Name])
		if err != nil {
			return nil, fmt.Errorf("%s %q property %s: %w", s.Name, item.FeatureID(), p.Name, err)
		}
		out = append(out, v)
	}
	for _, p := range offsetProps(s) {
		var off any
		if str, ok := props[p.Name].(string); ok {
			if t, err := time.Parse(time.RFC3339, str); err == nil {
				_, sec := t.Zone()
				off = int32(sec / 60)
			}
		}
		out = append(out, off)
	}
	return out, nil
}

// columnArg converts a property value (as ToFeature gives it) to the
// argument of its typed column.
func columnArg(p data.Property, v any) (any, error) {
	if v == nil {
		return nil, nil
	}
	switch p.Type {
	case data.TypeInteger:
		f, ok := v.(float64)
		if !ok {
			if i, ok := v.(int); ok {
				return int64(i), nil
			}
			return nil, fmt.Errorf("a number, got %T", v)
		}
		return int64(f), nil
	case data.TypeStrings:
		switch x := v.(type) {
		case []string:
			return x, nil
		case []any:
			out := make([]string, len(x))
			for i, e := range x {
				s, ok := e.(string)
				if !ok {
					return nil, fmt.Errorf("a list of strings, got a %T in it", e)
				}
				out[i] = s
			}
			return out, nil
		}
		return nil, fmt.Errorf("a list of strings, got %T", v)
	case data.TypeDate, data.TypeDateTime:
		if s, ok := v.(string); ok && s == "" {
			return nil, nil
		}
	}
	return v, nil
}

// readLayer reads a district's rows of a layer written after seq, decoding
// each with the GeoJSON codec so that rows edited by hand (in QGIS, with
// SQL) are validated as a file is.
func readLayer(ctx context.Context, q querier, s data.LayerSchema, district string, after int64) ([]geo.Feature, geo.Problems, error) {
	rows, err := q.Query(ctx, selectSQL(s), district, after)
	if err != nil {
		return nil, nil, fmt.Errorf("read %s: %w", s.Name, err)
	}
	defer rows.Close()
	var items []geo.Feature
	var ps geo.Problems
	for index := 0; rows.Next(); index++ {
		vals, err := rows.Values()
		if err != nil {
			return nil, nil, fmt.Errorf("read %s row %d: %w", s.Name, index, err)
		}
		f, rowPs := rowFeature(s, index, vals)
		if len(rowPs) > 0 {
			ps = append(ps, rowPs...)
			continue
		}
		item, fps := data.FromFeature(s.Name, index, f)
		ps = append(ps, fps...)
		if item != nil && len(fps) == 0 {
			items = append(items, item)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("read %s: %w", s.Name, err)
	}
	return items, ps, nil
}

// rowFeature turns one row (geometry as WKB, id, properties) into a
// feature.
func rowFeature(s data.LayerSchema, index int, vals []any) (*geojson.Feature, geo.Problems) {
	var ps geo.Problems
	id, _ := vals[1].(string)
	blob, _ := vals[0].([]byte)
	g, err := wkb.Unmarshal(blob)
	if err != nil {
		ps.Add(s.Name, index, id, "geometry", "a WKB geometry: "+err.Error())
	}
	f := geojson.NewFeature(g)
	f.ID = id
	offsets := map[string]int32{}
	for i, p := range offsetProps(s) {
		if off, ok := vals[2+len(s.Properties)+i].(int32); ok {
			offsets[p.Name] = off
		}
	}
	for i, p := range s.Properties {
		if t, ok := vals[2+i].(time.Time); ok && p.Type == data.TypeDateTime {
			off := offsets[p.Name]
			f.Properties[p.Name] = t.In(time.FixedZone("", int(off)*60)).Format(time.RFC3339)
			continue
		}
		v, err := propertyValue(vals[2+i])
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

// propertyValue converts a column value to the JSON value the codecs read
// (numbers as float64, lists as []any).
func propertyValue(v any) (any, error) {
	switch x := v.(type) {
	case nil:
		return nil, nil
	case int64:
		return float64(x), nil
	case int32:
		return float64(x), nil
	case float64, bool, string:
		return x, nil
	case time.Time:
		return x.UTC().Format(time.RFC3339), nil
	case []any:
		return x, nil
	case []string:
		out := make([]any, len(x))
		for i, s := range x {
			out[i] = s
		}
		return out, nil
	}
	return nil, fmt.Errorf("an unexpected column value of type %T", v)
}
