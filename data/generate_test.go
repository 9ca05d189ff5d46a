package data

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
	"github.com/stretchr/testify/require"

	"gridwatch/geo"
)

// generated is a dataset with its atlas, built once and shared by the tests
// (read-only: NewAtlas has already filled in its derived fields).
type generated struct {
	d   *geo.Dataset
	a   *geo.Atlas
	err error
}

var scaleOne = sync.OnceValue(func() generated {
	d, err := Generate(GenerateOptions{Seed: DefaultSeed})
	if err != nil {
		return generated{err: err}
	}
	a, err := geo.NewAtlas(d, geo.Options{})
	return generated{d: d, a: a, err: err}
})

// mustScaleOne returns the shared scale-1 dataset and its atlas.
func mustScaleOne(t *testing.T) (*geo.Dataset, *geo.Atlas) {
	t.Helper()
	g := scaleOne()
	require.NoError(t, g.err)
	return g.d, g.a
}

func TestGenerate_Deterministic(t *testing.T) {
	t.Parallel()
	opt := GenerateOptions{Seed: 7, Scale: 0.05}
	a, err := Generate(opt)
	require.NoError(t, err)
	b, err := Generate(opt)
	require.NoError(t, err)
	require.Equal(t, a, b)

	opt.Seed = 8
	c, err := Generate(opt)
	require.NoError(t, err)
	require.NotEqual(t, a.Grids[0].Polygon, c.Grids[0].Polygon)
	require.NotEqual(t, a.Incidents[0], c.Incidents[0])
}

func TestGenerate_ScaleOneCounts(t *testing.T) {
	t.Parallel()
	d, _ := mustScaleOne(t)
	within := func(what string, got, lo, hi int) {
		t.Helper()
		require.GreaterOrEqual(t, got, lo, what)
		require.LessOrEqual(t, got, hi, what)
	}
	within("townships", len(d.Townships), 6, 6)
	within("grids", len(d.Grids), 480, 520)
	within("stations", len(d.Stations), 6, 8)
	within("beats", len(d.Beats), 2*len(d.Stations), 40)
	within("cameras", len(d.Cameras), 2000, 9000)
	within("incidents", len(d.Incidents), 11000, 13000)
	within("places", len(d.Places), 300, 900)
	within("settlements", len(d.Settlements), len(d.Grids), 3000)

	kinds := map[geo.VillageKind]int{}
	for _, v := range d.Villages {
		kinds[v.Kind]++
	}
	within("villages", kinds[geo.KindVillage], 58, 66)
	within("communities", kinds[geo.KindCommunity], 9, 11)

	var pop, hh, urban int
	for _, g := range d.Grids {
		pop, hh = pop+g.Population, hh+g.Households
		if g.Township == "T01" {
			urban += g.Population
		}
	}
	within("population", pop, 190_000, 210_000)
	within("households", hh, 70_000, 80_000)
	within("urban population", urban, 38*pop/100, 42*pop/100)

	roles := map[geo.Role]int{}
	for _, r := range d.Responders {
		roles[r.Role]++
	}
	within("police", roles[geo.RolePolice], 100, 140)
	within("auxiliaries", roles[geo.RoleAuxiliary], 280, 320)
	within("grid workers", roles[geo.RoleGridWorker], 470, 530)
	within("volunteers", roles[geo.RoleVolunteer], 380, 420)
}

func TestGenerate_AtlasAcceptsIt(t *testing.T) {
	t.Parallel()
	_, a := mustScaleOne(t)
	require.Empty(t, a.Tiling.OverlapCells)
	require.Empty(t, a.Tiling.GapCells)
	// The sample covered the whole district: its cells add up to its area.
	sampled := float64(a.Tiling.Cells) * a.Tiling.CellAreaM2
	require.InDelta(t, 3500e6, sampled, 400e6)
}

func TestGenerate_SmallScaleAtlas(t *testing.T) {
	t.Parallel()
	for _, scale := range []float64{MinScale, 0.05} {
		d, err := Generate(GenerateOptions{Seed: 3, Scale: scale})
		require.NoError(t, err)
		_, err = geo.NewAtlas(d, geo.Options{})
		require.NoError(t, err, "scale %g", scale)
	}
}

func TestGenerate_AreaAndPlace(t *testing.T) {
	t.Parallel()
	d, a := mustScaleOne(t)
	var area float64
	for _, g := range d.Grids {
		area += geo.PolygonArea(g.Polygon)
	}
	require.InDelta(t, 3500e6, area, 350e6)
	b := a.Grids.Bound()
	require.GreaterOrEqual(t, b.Min[0], 105.73)
	require.LessOrEqual(t, b.Max[0], 106.58)
	require.GreaterOrEqual(t, b.Min[1], 37.07)
	require.LessOrEqual(t, b.Max[1], 37.63)
	seat, ok := a.GridAt(orb.Point{106.07, 37.42})
	require.True(t, ok)
	require.Equal(t, "T01", seat.Township)
}

func TestGenerate_Units(t *testing.T) {
	t.Parallel()
	d, _ := mustScaleOne(t)
	wantTowns := []struct {
		name string
		kind geo.TownshipKind
	}{
		{"新民街道", geo.KindSubdistrict}, {"红寺堡镇", geo.KindTown}, {"太阳山镇", geo.KindTown},
		{"新庄集乡", geo.KindTownship}, {"大河乡", geo.KindTownship}, {"柳泉乡", geo.KindTownship},
	}
	for i, w := range wantTowns {
		require.Equal(t, w.name, d.Townships[i].Name)
		require.Equal(t, w.kind, d.Townships[i].Kind)
		require.Len(t, d.Townships[i].Polygon, 1, d.Townships[i].ID)
	}
	for _, v := range d.Villages {
		require.Len(t, v.Polygon, 1, v.ID)
		require.Equal(t, v.Kind == geo.KindCommunity, v.Township == "T01", v.ID)
	}
	area := func(mp orb.MultiPolygon) float64 { return geo.MultiPolygonArea(mp) }
	urban := area(d.Villages[0].Polygon) / float64(countGrids(d, d.Villages[0].ID))
	rural := area(d.Villages[len(d.Villages)-1].Polygon) / float64(countGrids(d, d.Villages[len(d.Villages)-1].ID))
	require.Less(t, urban, 1e6, "urban grids are a fraction of a km²")
	require.Greater(t, rural, 2e6, "rural grids are several km²")
}

func countGrids(d *geo.Dataset, village string) int {
	n := 0
	for _, g := range d.Grids {
		if g.Village == village {
			n++
		}
	}
	return n
}

func TestGenerate_Settlements(t *testing.T) {
	t.Parallel()
	d, a := mustScaleOne(t)
	per := map[string]int{}
	for _, s := range d.Settlements {
		per[s.Grid]++
		g, ok := a.Grids.Get(s.Grid)
		require.True(t, ok)
		for _, p := range s.Polygon[0] {
			require.True(t, planar.PolygonContains(g.Polygon, p), "settlement %s pokes out of grid %s", s.ID, g.ID)
		}
		require.Positive(t, s.Population, s.ID)
		require.Positive(t, s.Households, s.ID)
	}
	for _, g := range d.Grids {
		require.Positive(t, per[g.ID], "grid %s has no settlement", g.ID)
		require.Positive(t, g.Population, g.ID)
	}
}

func TestGenerate_Cameras(t *testing.T) {
	t.Parallel()
	d, _ := mustScaleOne(t)
	offline := 0
	sources := map[geo.CameraSource]int{}
	types := map[geo.CameraType]int{}
	for _, c := range d.Cameras {
		sources[c.Source]++
		types[c.Type]++
		if !c.Online {
			offline++
		}
		switch {
		case c.Source == geo.SourceCourtyard:
			require.True(t, c.RangeM >= 10 && c.RangeM <= 40, c.ID)
		case c.Type == geo.TypeHighMast:
			require.True(t, c.RangeM >= 500 && c.RangeM <= 1500, c.ID)
		case c.Type == geo.TypeFaceCapture || c.Type == geo.TypeVehicleCapture:
			require.True(t, c.RangeM >= 30 && c.RangeM <= 80, c.ID)
		case c.Type.Omnidirectional():
			require.True(t, c.FOVDeg == 360 && c.RangeM >= 100 && c.RangeM <= 300, c.ID)
		default:
			require.True(t, c.FOVDeg >= 60 && c.FOVDeg <= 110 && c.RangeM >= 50 && c.RangeM <= 150, c.ID)
		}
		require.True(t, c.Installed.Before(d.Meta.AsOf), c.ID)
	}
	share := float64(offline) / float64(len(d.Cameras))
	require.True(t, share >= 0.03 && share <= 0.10, "offline share %.3f", share)
	require.Len(t, sources, len(geo.CameraSources))
	require.Len(t, types, len(geo.CameraTypes))
	require.Greater(t, sources[geo.SourceCourtyard], len(d.Cameras)/3)
	require.Less(t, types[geo.TypeHighMast], 100)
}

func TestGenerate_Incidents(t *testing.T) {
	t.Parallel()
	d, _ := mustScaleOne(t)
	asOf := d.Meta.AsOf
	levels := map[geo.Level]int{}
	for i, in := range d.Incidents {
		require.True(t, in.Time.After(asOf.AddDate(0, 0, -365)) && !in.Time.After(asOf), in.ID)
		if i > 0 {
			require.False(t, in.Time.Before(d.Incidents[i-1].Time), "incidents are in time order")
		}
		levels[in.ResolvedLevel]++
	}
	open := levels[geo.LevelOpen]
	require.Positive(t, open)
	require.Less(t, open, len(d.Incidents)/50)
	grid := float64(levels[geo.LevelGrid]) / float64(len(d.Incidents)-open)
	require.InDelta(t, 0.95, grid, 0.015)
}

// The default district is short-staffed the way the documents describe:
// police far fewer than grids, 40–50 % of them kept at stations, officers
// linked to 1–15 grids (urban fewer than rural), some remote grids with no
// linked officer, and some grids near stations sharing a second one.
func TestGenerate_Police(t *testing.T) {
	t.Parallel()
	d, _ := mustScaleOne(t)
	urban := map[string]bool{}
	for _, tw := range d.Townships {
		urban[tw.ID] = tw.Kind == geo.KindSubdistrict
	}
	township := map[string]string{}
	for _, g := range d.Grids {
		township[g.ID] = g.Township
	}
	police, kept := 0, 0
	linked := map[string]int{}
	var perUrban, perRural []int
	for _, r := range d.Responders {
		if r.Role != geo.RolePolice {
			continue
		}
		police++
		if len(r.Grids) == 0 {
			kept++
			continue
		}
		require.GreaterOrEqual(t, len(r.Grids), 1)
		require.LessOrEqual(t, len(r.Grids), 15, r.ID)
		for _, g := range r.Grids {
			linked[g]++
		}
		if urban[township[r.Grids[0]]] {
			perUrban = append(perUrban, len(r.Grids))
		} else {
			perRural = append(perRural, len(r.Grids))
		}
	}
	require.Less(t, police, len(d.Grids))
	share := float64(kept) / float64(police)
	require.True(t, share >= 0.4 && share <= 0.5, "police kept at the station: %.2f", share)
	mean := func(xs []int) float64 {
		s := 0
		for _, x := range xs {
			s += x
		}
		return float64(s) / float64(len(xs))
	}
	require.NotEmpty(t, perUrban)
	require.NotEmpty(t, perRural)
	require.Less(t, 2*mean(perUrban), mean(perRural), "urban officers are linked to far fewer grids")
	unlinked, shared := 0, 0
	for _, g := range d.Grids {
		switch {
		case linked[g.ID] == 0:
			unlinked++
			require.False(t, urban[g.Township], "%s: only remote rural grids lack a linked officer", g.ID)
		case linked[g.ID] >= 2:
			shared++
		}
	}
	require.Positive(t, unlinked)
	require.Less(t, unlinked, len(d.Grids)/50)
	require.Greater(t, shared, 10)
}

func TestGenerate_Responders(t *testing.T) {
	t.Parallel()
	d, _ := mustScaleOne(t)
	end := d.Meta.AsOf.Add(24 * time.Hour)
	stale, available := 0, 0
	for _, r := range d.Responders {
		require.True(t, r.Updated.Before(end) && r.Updated.After(d.Meta.AsOf.Add(-4*24*time.Hour)), r.ID)
		if end.Sub(r.Updated) > time.Hour {
			stale++
		}
		if r.Available {
			available++
		}
	}
	require.Positive(t, stale)
	require.Less(t, stale, len(d.Responders)/2)
	require.Greater(t, available, len(d.Responders)*7/10)
}

func TestGenerate_BeatsCutSomeGrids(t *testing.T) {
	t.Parallel()
	d, a := mustScaleOne(t)
	cut := 0
	for _, g := range d.Grids {
		beats := map[string]bool{}
		c, _ := planar.CentroidArea(g.Polygon)
		for _, p := range g.Polygon[0] {
			q := orb.Point{p[0] + 0.05*(c[0]-p[0]), p[1] + 0.05*(c[1]-p[1])}
			if in, ok := a.GridAt(q); !ok || in.ID != g.ID {
				continue
			}
			if b, ok := a.BeatAt(q); ok {
				beats[b.ID] = true
			}
		}
		if len(beats) > 1 {
			cut++
		}
	}
	require.Greater(t, cut, len(d.Grids)/50, "beats should not always follow grid boundaries")
	require.Less(t, cut, len(d.Grids)/2)
}

func TestGenerate_PlacesAndNames(t *testing.T) {
	t.Parallel()
	d, _ := mustScaleOne(t)
	entrances := map[string]int{}
	for _, p := range d.Places {
		require.NotEmpty(t, p.Grid, p.ID)
		if p.Kind == "village_entrance" {
			g, _ := findGrid(d, p.Grid)
			entrances[g.Village]++
		}
	}
	for _, v := range d.Villages {
		if v.Kind == geo.KindVillage {
			require.True(t, entrances[v.ID] >= 1 && entrances[v.ID] <= 3, v.ID)
		}
		require.True(t, strings.HasSuffix(v.Name, "村") || strings.HasSuffix(v.Name, "社区"), v.Name)
	}
	require.True(t, d.Meta.Synthetic)
	require.Equal(t, "Hongsibao (synthetic)", d.Meta.Name)
	require.Contains(t, d.Meta.Description, "ynthetic")
	require.Equal(t, DefaultAsOf, d.Meta.AsOf)
	require.Equal(t, "G0001", d.Grids[0].ID)
	require.Equal(t, "V001", d.Villages[0].ID)
	require.Equal(t, "PS1", d.Stations[0].ID)
	require.Equal(t, "R0001", d.Responders[0].ID)
	require.Equal(t, "C00001", d.Cameras[0].ID)
	require.Equal(t, "I000001", d.Incidents[0].ID)
	require.Equal(t, "S00001", d.Settlements[0].ID)
	require.Equal(t, "P0001", d.Places[0].ID)
}

func findGrid(d *geo.Dataset, id string) (*geo.Grid, bool) {
	for _, g := range d.Grids {
		if g.ID == id {
			return g, true
		}
	}
	return nil, false
}

func TestGenerate_CoordinatesRounded(t *testing.T) {
	t.Parallel()
	d, err := Generate(GenerateOptions{Seed: 11, Scale: 0.05})
	require.NoError(t, err)
	check := func(p orb.Point) {
		require.Equal(t, round7(p[0]), p[0])
		require.Equal(t, round7(p[1]), p[1])
	}
	for _, g := range d.Grids {
		for _, r := range g.Polygon {
			for _, p := range r {
				check(p)
			}
		}
	}
	for _, c := range d.Cameras {
		check(c.Point)
	}
	for _, in := range d.Incidents {
		check(in.Point)
		require.Zero(t, in.Time.Nanosecond())
	}
}

func TestGenerate_Options(t *testing.T) {
	t.Parallel()
	for _, s := range []float64{-1, MinScale / 2, MaxScale * 2} {
		_, err := Generate(GenerateOptions{Scale: s})
		require.Error(t, err)
		require.Equal(t, geo.Invalid, geo.ErrorCode(err))
	}
	var calls, last, total int
	asOf := time.Date(2025, 3, 4, 15, 0, 0, 0, time.FixedZone("", 8*3600))
	d, err := Generate(GenerateOptions{Scale: MinScale, AsOf: asOf, Progress: func(done, n int, _ string) {
		require.GreaterOrEqual(t, done, last)
		calls, last, total = calls+1, done, n
	}})
	require.NoError(t, err)
	require.Equal(t, time.Date(2025, 3, 4, 0, 0, 0, 0, time.UTC), d.Meta.AsOf)
	require.Equal(t, total, last)
	require.Greater(t, calls, 5)
	require.Equal(t, MinScale, d.Meta.Scale)
}
