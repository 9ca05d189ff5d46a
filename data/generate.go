package data

import (
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"gridwatch/geo"
)

// DefaultSeed is the seed of the embedded default dataset.
const DefaultSeed int64 = 1

// MinScale and MaxScale bound GenerateOptions.Scale.
const (
	MinScale = 0.01
	MaxScale = 50
)

// DefaultAsOf is the as-of date of the embedded default dataset: 30 June
// 2026, midnight UTC. Treat it as a constant.
var DefaultAsOf = time.Date(2026, time.June, 30, 0, 0, 0, 0, time.UTC)

// GenerateOptions tune Generate.
type GenerateOptions struct {
	// Seed selects the dataset: the same seed, scale and as-of date give
	// the same dataset, bit for bit.
	Seed int64
	// Scale is the size of the district: 1 is modelled on Hongsibao (about
	// 3,500 km², 500 grids, 200,000 people); S multiplies the counts and the
	// area (by about sqrt(S) in each direction). Zero means 1; otherwise it
	// must lie in [MinScale, MaxScale].
	Scale float64
	// AsOf is the dataset's as-of date (its UTC date is kept); incidents fall
	// in the 365 days before it. Zero means DefaultAsOf.
	AsOf time.Time
	// Progress, when set, is called before each stage and once at the end
	// with the number of stages done, their total and the stage's name.
	Progress func(done, total int, stage string)
}

// Generate builds a synthetic district dataset modelled on the published
// structure of Hongsibao district (Wuzhong, Ningxia): one urban subdistrict,
// two towns and three townships, villages and communities, grids that tile
// the district, settlements along roads and canals, police stations and
// beats, responders, cameras, key places and a year of incidents. No
// boundary, position, name or event in it is real. The result passes
// geo.NewAtlas.
func Generate(opt GenerateOptions) (*geo.Dataset, error) {
	opt, err := opt.normalized()
	if err != nil {
		return nil, err
	}
	b := newBuilder(opt)
	stages := []struct {
		name string
		run  func() error
	}{
		{"district outline", b.buildDistrict},
		{"townships", b.buildTownships},
		{"roads and canals", b.buildNetwork},
		{"villages and grids", b.buildUnits},
		{"population and settlements", b.buildSettlements},
		{"police stations and beats", b.buildPolice},
		{"key places", b.buildPlaces},
		{"responders", b.buildResponders},
		{"cameras", b.buildCameras},
		{"incidents", b.buildIncidents},
		{"outlines", b.buildOutlines},
		{"roads and waterways", b.buildRoads},
	}
	for i, s := range stages {
		if opt.Progress != nil {
			opt.Progress(i, len(stages), s.name)
		}
		if err := s.run(); err != nil {
			return nil, fmt.Errorf("data: generate %s: %w", s.name, err)
		}
	}
	if opt.Progress != nil {
		opt.Progress(len(stages), len(stages), "done")
	}
	return b.ds, nil
}

// normalized fills in defaults and checks the options.
func (o GenerateOptions) normalized() (GenerateOptions, error) {
	if o.Scale == 0 {
		o.Scale = 1
	}
	if math.IsNaN(o.Scale) || o.Scale < MinScale || o.Scale > MaxScale {
		return o, geo.Errorf(geo.Invalid, "data: scale must be in [%g, %g], got %g", float64(MinScale), float64(MaxScale), o.Scale)
	}
	if o.AsOf.IsZero() {
		o.AsOf = DefaultAsOf
	}
	y, m, d := o.AsOf.UTC().Date()
	o.AsOf = time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	return o, nil
}

// Stages of the generator, each with its own random stream.
const (
	stageDistrict uint64 = iota + 1
	stageTownships
	stageNetwork
	stageUnits
	stageSettlements
	stagePolice
	stagePlaces
	stageResponders
	stageCameras
	stageIncidents
	stageNames
)

// builder holds the state of one generation.
type builder struct {
	opt   GenerateOptions
	seed  uint64
	n     counts
	m     *mesh
	g     *grower
	local *time.Location // China Standard Time, UTC+8
	names *namer

	box       [4]float64 // the district's box in metres: west, east, south, north
	edge      []int32    // per hex: hops to the district's border
	towns     []*township
	villages  []*village
	grids     []*gridUnit
	net       network
	setts     []*settlement
	stations  []*stationUnit
	beats     []*beatUnit
	places    []*geo.Place
	placeInfo []placeInfo

	hexTown, hexVillage, hexGrid, hexStation []int32 // region of each hex

	ds *geo.Dataset
}

func newBuilder(opt GenerateOptions) *builder {
	b := &builder{opt: opt, seed: uint64(opt.Seed), n: countsFor(opt.Scale),
		local: time.FixedZone("", 8*3600)}
	b.names = newNamer(b.rng(stageNames))
	b.ds = &geo.Dataset{Meta: geo.Meta{
		Name:      "Hongsibao (synthetic)",
		Synthetic: true,
		AsOf:      opt.AsOf,
		Seed:      opt.Seed,
		Scale:     opt.Scale,
		Description: fmt.Sprintf("Synthetic dataset, not real data: built on the published structure of "+
			"Hongsibao district (Wuzhong, Ningxia) - one urban subdistrict, two towns and three townships, "+
			"about 62 villages and 10 communities, close to 500 grids, about 200,000 people, 40%% urban - "+
			"with every boundary, position, name, camera, responder and incident generated from seed %d "+
			"at scale %g. No real boundaries or positions are used.", opt.Seed, opt.Scale),
	}}
	return b
}

// rng returns the random stream of a stage.
func (b *builder) rng(stage uint64) *rand.Rand {
	return rand.New(rand.NewPCG(b.seed, mix64(stage)))
}

// counts are the sizes of a district at some scale.
type counts struct {
	hexes                                                   int
	subdistricts, rural                                     int // townships
	communities, villages                                   int
	urbanGrids, ruralGrids                                  int
	urbanPop, ruralPop                                      int
	stations, beats                                         int
	police, auxiliaries, gridWorkers, volunteers, incidents int
}

func countsFor(s float64) counts {
	n := func(base float64, least int) int { return max(int(math.Round(base*s)), least) }
	c := counts{hexes: int(math.Round(districtAreaM2 * s / hexArea)), subdistricts: n(1, 1), rural: n(5, 1)}
	c.communities = max(n(10, 1), c.subdistricts)
	c.villages = max(n(62, 1), c.rural)
	c.urbanGrids = max(n(140, 1), c.communities)
	c.ruralGrids = max(n(360, 1), c.villages)
	pop := n(200000, 200)
	c.urbanPop = int(math.Round(0.4 * float64(pop)))
	c.ruralPop = pop - c.urbanPop
	towns := c.subdistricts + c.rural
	c.stations = towns + max(1, int(math.Round(float64(towns)/6)))
	c.beats = max(n(26, 1), 2*c.stations)
	c.police = max(n(120, 1), 2*c.stations)
	c.auxiliaries = n(300, 1)
	c.gridWorkers = n(500, 1)
	c.volunteers = n(400, 1)
	c.incidents = n(12000, 1)
	return c
}

// ids formats the i-th (0-based) id of a layer of n items with a prefix and
// at least width digits.
func ids(prefix string, width, i, n int) string {
	w := max(width, len(fmt.Sprint(n)))
	return fmt.Sprintf("%s%0*d", prefix, w, i+1)
}
