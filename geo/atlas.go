package geo

import (
	"fmt"

	"github.com/paulmach/orb"

	"gridwatch/geo/route"
)

// Atlas is one immutable, fully indexed snapshot of a dataset: every layer
// with its R-tree and id index, point → grid and point → beat lookups, and a
// version per layer. Readers share an Atlas without locks; a write builds a
// new Atlas that shares the layers it did not change.
type Atlas struct {
	// Meta describes the dataset.
	Meta Meta
	// Townships is the township layer.
	Townships *Layer[*Township]
	// Villages is the village layer.
	Villages *Layer[*Village]
	// Grids is the grid layer.
	Grids *Layer[*Grid]
	// Beats is the beat layer.
	Beats *Layer[*Beat]
	// Stations is the police-station layer.
	Stations *Layer[*Station]
	// Cameras is the camera layer.
	Cameras *Layer[*Camera]
	// Responders is the responder layer.
	Responders *Layer[*Responder]
	// Incidents is the incident layer.
	Incidents *Layer[*Incident]
	// Settlements is the settlement layer.
	Settlements *Layer[*Settlement]
	// Places is the key-place layer.
	Places *Layer[*Place]
	// Waterways is the canal and river layer.
	Waterways *Layer[*Waterway]
	// Roads is the road layer.
	Roads *Layer[*Road]
	// Tiling is the result of the grids' tiling check.
	Tiling TilingReport

	gridShapes []PreparedPolygon // by grid index
	beatShapes []PreparedPolygon // by beat index
	network    *route.Network
}

// Options tune NewAtlas.
type Options struct {
	// Progress, when set, is called with a short description of each stage.
	Progress func(stage string)
}

// NewAtlas validates a dataset and indexes it. Every problem found is
// reported at once as an Invalid *Error. Derived fields (the grid of each
// camera, incident and place) are recomputed; townships and villages
// missing from the dataset are derived from the grids. The input is never
// changed: items whose derived fields change are copied. Every layer starts
// at version 1.
func NewAtlas(in *Dataset, opt Options) (*Atlas, error) {
	return newAtlas(in, opt, nil)
}

// newAtlas is NewAtlas; when network is set it is the dataset's road
// network already (the roads and waterways did not change).
func newAtlas(in *Dataset, opt Options, network *route.Network) (*Atlas, error) {
	progress := opt.Progress
	if progress == nil {
		progress = func(string) {}
	}
	progress("validating features")
	copied := *in
	d := &copied
	deriveUnits(d)
	var ps Problems
	validateFeatures(d, &ps)
	validateReferences(d, &ps)
	if blocksIndexing(ps) {
		return nil, ps.Err("invalid dataset")
	}
	progress("indexing")
	a := &Atlas{
		Meta:        d.Meta,
		Townships:   NewLayer(d.Townships, 1),
		Villages:    NewLayer(d.Villages, 1),
		Grids:       NewLayer(d.Grids, 1),
		Beats:       NewLayer(d.Beats, 1),
		Stations:    NewLayer(d.Stations, 1),
		Settlements: NewLayer(d.Settlements, 1),
		Responders:  NewLayer(d.Responders, 1),
		Waterways:   NewLayer(d.Waterways, 1),
		Roads:       NewLayer(d.Roads, 1),
	}
	a.gridShapes = prepareAll(d.Grids)
	a.beatShapes = prepareAll(d.Beats)
	a.Cameras = NewLayer(deriveGrids(d.Cameras, a.gridID, func(c *Camera) *string { return &c.Grid }), 1)
	a.Incidents = NewLayer(deriveGrids(d.Incidents, a.gridID, func(c *Incident) *string { return &c.Grid }), 1)
	a.Places = NewLayer(deriveGrids(d.Places, a.gridID, func(c *Place) *string { return &c.Grid }), 1)

	if network == nil {
		progress("building the road network")
		network = buildNetwork(d.Roads, d.Waterways)
	}
	a.network = network
	progress("checking settlements")
	a.validateSettlements(&ps)
	progress("checking that the grids tile the district")
	a.Tiling = CheckTiling(a, 0)
	a.Tiling.problems(&ps, a.Grids.Index)
	if err := ps.Err("invalid dataset"); err != nil {
		return nil, err
	}
	return a, nil
}

// deriveGrids returns items with their grid field set to the grid containing
// their point, copying each item whose field changes.
func deriveGrids[T any, P interface {
	*T
	Feature
}](items []P, gridID func(orb.Point) string, field func(P) *string) []P {
	out := make([]P, len(items))
	for i, it := range items {
		id := gridID(it.FeatureGeometry().(orb.Point))
		if *field(it) != id {
			cp := *it
			it = P(&cp)
			*field(it) = id
		}
		out[i] = it
	}
	return out
}

// blocksIndexing reports whether problems found so far make the settlement
// and tiling checks meaningless: those read the grids and settlements only,
// so problems in other layers do not stop them, and every problem of a
// dataset is reported at once.
func blocksIndexing(ps Problems) bool {
	for _, p := range ps {
		if p.Layer == LayerGrids || p.Layer == LayerSettlements {
			return true
		}
	}
	return false
}

func prepareAll[T interface{ *Grid | *Beat }](items []T) []PreparedPolygon {
	out := make([]PreparedPolygon, len(items))
	for i, it := range items {
		switch v := any(it).(type) {
		case *Grid:
			out[i] = Prepare(v.Polygon)
		case *Beat:
			out[i] = Prepare(v.Polygon)
		}
	}
	return out
}

// GridAt returns the grid containing pt. Where grids share an edge and pt is
// on it, the grid that comes first in the layer wins.
func (a *Atlas) GridAt(pt orb.Point) (*Grid, bool) {
	i := locate(a.Grids, a.gridShapes, pt)
	if i < 0 {
		return nil, false
	}
	return a.Grids.At(i), true
}

// BeatAt returns the beat containing pt.
func (a *Atlas) BeatAt(pt orb.Point) (*Beat, bool) {
	i := locate(a.Beats, a.beatShapes, pt)
	if i < 0 {
		return nil, false
	}
	return a.Beats.At(i), true
}

func (a *Atlas) gridID(pt orb.Point) string {
	if g, ok := a.GridAt(pt); ok {
		return g.ID
	}
	return ""
}

// locate returns the lowest index of a layer item whose polygon contains pt, or -1.
func locate[T Feature](l *Layer[T], shapes []PreparedPolygon, pt orb.Point) int {
	best := -1
	l.Search(orb.Bound{Min: pt, Max: pt}, func(i int) bool {
		if (best < 0 || i < best) && shapes[i].Contains(pt) {
			best = i
		}
		return true
	})
	return best
}

// validateSettlements checks that each settlement's centroid lies in the
// grid it names and, where the dataset has settlements, that the settlements
// of each grid hold exactly its population and households.
func (a *Atlas) validateSettlements(ps *Problems) {
	if a.Settlements.Len() == 0 {
		return
	}
	pop := map[string]int{}
	hh := map[string]int{}
	for i, s := range a.Settlements.Items() {
		pop[s.Grid] += s.Population
		hh[s.Grid] += s.Households
		c := ringCentroid(s.Polygon[0])
		g, ok := a.GridAt(c)
		if !ok || g.ID != s.Grid {
			got := "outside every grid"
			if ok {
				got = fmt.Sprintf("in grid %q", g.ID)
			}
			ps.Add(LayerSettlements, i, s.ID, "geometry", fmt.Sprintf("a footprint inside grid %q; its centroid is %s", s.Grid, got))
		}
	}
	for i, g := range a.Grids.Items() {
		if pop[g.ID] != g.Population {
			ps.Add(LayerGrids, i, g.ID, "population", fmt.Sprintf("the sum of its settlements' population, %d; got %d", pop[g.ID], g.Population))
		}
		if hh[g.ID] != g.Households {
			ps.Add(LayerGrids, i, g.ID, "households", fmt.Sprintf("the sum of its settlements' households, %d; got %d", hh[g.ID], g.Households))
		}
	}
}

// ringCentroid returns the planar area centroid of a ring in lon/lat, which
// is close enough for footprints a few hundred metres across.
// Coordinates are taken relative to the first vertex so that products of
// large longitudes do not swamp a small footprint's area.
func ringCentroid(r orb.Ring) orb.Point {
	var cx, cy, a2 float64
	o := r[0]
	for i := 0; i+1 < len(r); i++ {
		p := orb.Point{r[i][0] - o[0], r[i][1] - o[1]}
		q := orb.Point{r[i+1][0] - o[0], r[i+1][1] - o[1]}
		cross := p[0]*q[1] - q[0]*p[1]
		a2 += cross
		cx += (p[0] + q[0]) * cross
		cy += (p[1] + q[1]) * cross
	}
	if a2 == 0 {
		return o
	}
	return orb.Point{o[0] + cx/(3*a2), o[1] + cy/(3*a2)}
}

// Versions returns the version of each layer, keyed by layer id.
func (a *Atlas) Versions() map[string]uint64 {
	return map[string]uint64{
		LayerTownships: a.Townships.Version(), LayerVillages: a.Villages.Version(),
		LayerGrids: a.Grids.Version(), LayerBeats: a.Beats.Version(),
		LayerStations: a.Stations.Version(), LayerCameras: a.Cameras.Version(),
		LayerResponders: a.Responders.Version(), LayerIncidents: a.Incidents.Version(),
		LayerSettlements: a.Settlements.Version(), LayerPlaces: a.Places.Version(),
		LayerWaterways: a.Waterways.Version(), LayerRoads: a.Roads.Version(),
	}
}

// Dataset returns the atlas's layers as a Dataset sharing the same items.
func (a *Atlas) Dataset() *Dataset {
	return &Dataset{
		Meta: a.Meta, Townships: a.Townships.Items(), Villages: a.Villages.Items(),
		Grids: a.Grids.Items(), Beats: a.Beats.Items(), Stations: a.Stations.Items(),
		Cameras: a.Cameras.Items(), Responders: a.Responders.Items(),
		Incidents: a.Incidents.Items(), Settlements: a.Settlements.Items(), Places: a.Places.Items(),
		Waterways: a.Waterways.Items(), Roads: a.Roads.Items(),
	}
}
