package api

import (
	"encoding/json"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"gridwatch/data"
	"gridwatch/geo"
)

// layerCache keeps, for each layer name, the GeoJSON features of the last
// layer value seen, so that requests do not rebuild them. An entry is valid
// for one layer value (pointer) at one version: an atlas built from scratch
// restarts its versions at 1, so the version alone does not identify the
// content. With a store's versions (stable), the version does, in every
// process serving the store.
type layerCache struct {
	gen    atomic.Uint64
	stable bool
	slots  map[string]*atomic.Pointer[layerData] // fixed at construction
}

func newLayerCache(stable bool) *layerCache {
	c := &layerCache{stable: stable, slots: make(map[string]*atomic.Pointer[layerData], len(geo.LayerNames))}
	for _, name := range geo.LayerNames {
		c.slots[name] = &atomic.Pointer[layerData]{}
	}
	return c
}

// layerData is one layer value with its derived, lazily built output.
type layerData struct {
	name    string
	schema  data.LayerSchema
	layer   geo.AnyLayer
	version uint64
	gen     uint64 // unique to this (layer value, version) within the process

	once     sync.Once
	features []*geojson.Feature
	raw      []json.RawMessage // features encoded
	bounds   []orb.Bound       // of each item's geometry
	spans    []timeSpan        // of each item; nil when the layer has no time
	timeExt  timeSpan          // the union of spans
	err      error
}

// timeSpan is a closed time interval; an instant has lo == hi.
type timeSpan struct{ lo, hi time.Time }

// get returns the cached data of the named layer value, replacing a stale
// entry. It never blocks; building the features is left to build.
func (c *layerCache) get(name string, schema data.LayerSchema, l geo.AnyLayer) *layerData {
	slot, ok := c.slots[name]
	if !ok {
		return &layerData{name: name, schema: schema, layer: l, version: l.Version(), gen: c.nextGen()}
	}
	for range 2 {
		d := slot.Load()
		if d != nil && d.layer == l && d.version == l.Version() {
			return d
		}
		nd := &layerData{name: name, schema: schema, layer: l, version: l.Version(), gen: c.nextGen()}
		if slot.CompareAndSwap(d, nd) {
			return nd
		}
	}
	// Requests on two atlases are racing; serve this one uncached.
	return &layerData{name: name, schema: schema, layer: l, version: l.Version(), gen: c.nextGen()}
}

// nextGen numbers a new layer value: 0 when versions are stable (they
// identify the value alone).
func (c *layerCache) nextGen() uint64 {
	if c.stable {
		return 0
	}
	return c.gen.Add(1)
}

// tag identifies the layer value for ETags.
func (d *layerData) tag() string {
	return fmt.Sprintf("%s:%d:%d", d.name, d.version, d.gen)
}

// build makes the features, their encodings, bounds and times, once. The
// work is shared by every request on the layer value, so it does not stop
// when the request that started it is cancelled.
func (d *layerData) build() error {
	d.once.Do(func() { d.err = d.doBuild() })
	return d.err
}

func (d *layerData) doBuild() error {
	n := d.layer.Len()
	d.features = make([]*geojson.Feature, n)
	d.raw = make([]json.RawMessage, n)
	d.bounds = make([]orb.Bound, n)
	var timeProp data.Property
	if d.schema.Time != "" {
		timeProp, _ = d.schema.Property(d.schema.Time)
		d.spans = make([]timeSpan, n)
	}
	for i := range n {
		item := d.layer.Feature(i)
		f := data.ToFeature(item)
		raw, err := json.Marshal(f)
		if err != nil {
			return fmt.Errorf("%s feature %d (%s): %w", d.name, i, item.FeatureID(), err)
		}
		d.features[i], d.raw[i] = f, raw
		if g, ok := item.FeatureGeometry().(orb.Geometry); ok {
			d.bounds[i] = g.Bound()
		}
		if d.spans != nil {
			sp, err := spanOf(f.Properties[timeProp.Name], timeProp.Type)
			if err != nil {
				return fmt.Errorf("%s feature %d (%s) property %s: %w", d.name, i, item.FeatureID(), timeProp.Name, err)
			}
			d.spans[i] = sp
			if i == 0 {
				d.timeExt = sp
			} else {
				d.timeExt = timeSpan{lo: minTime(d.timeExt.lo, sp.lo), hi: maxTime(d.timeExt.hi, sp.hi)}
			}
		}
	}
	return nil
}

// spanOf returns the time span of a time property's value: a date covers
// its whole day (UTC), a date-time is an instant.
func spanOf(v any, t data.Type) (timeSpan, error) {
	s, ok := v.(string)
	if !ok {
		return timeSpan{}, fmt.Errorf("a time string, got %T", v)
	}
	if t == data.TypeDate {
		day, err := time.Parse(data.DateLayout, s)
		if err != nil {
			return timeSpan{}, err
		}
		return timeSpan{lo: day, hi: day.Add(24*time.Hour - time.Nanosecond)}, nil
	}
	at, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return timeSpan{}, err
	}
	return timeSpan{lo: at, hi: at}, nil
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
