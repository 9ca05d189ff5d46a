package postgis_test

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"gridwatch/data"
	"gridwatch/data/pgtest"
	"gridwatch/data/postgis"
	"gridwatch/geo"
)

// benchScaleEnv names a folder holding a generated dataset of scale 20
// (gridwatch gen --scale 20), which BenchmarkStartup then reads instead of
// generating one (about a minute).
const benchScaleEnv = "GRIDWATCH_BENCH_SCALE20"

var benchData struct {
	sync.Mutex
	sets map[float64]*geo.Dataset
}

// benchDataset returns the dataset of a scale: the embedded default for
// 1, a generated one otherwise.
func benchDataset(b *testing.B, scale float64) *geo.Dataset {
	b.Helper()
	benchData.Lock()
	defer benchData.Unlock()
	if d := benchData.sets[scale]; d != nil {
		return d
	}
	var d *geo.Dataset
	var err error
	switch dir := os.Getenv(benchScaleEnv); {
	case scale == 1:
		d, err = data.Default()
	case dir != "" && scale == 20:
		d, err = data.ReadDir(dir)
	default:
		d, err = data.Generate(data.GenerateOptions{Seed: 1, Scale: scale})
	}
	if err != nil {
		b.Fatal(err)
	}
	if benchData.sets == nil {
		benchData.sets = map[float64]*geo.Dataset{}
	}
	benchData.sets[scale] = d
	return d
}

// BenchmarkStartup measures what a server does before it answers: open
// the store, read the whole district and index it (geo.NewAtlas), from
// the GeoPackage (the baseline) and from PostGIS, at scales 1 and 20. It
// reports both times, their ratio, the atlas's heap and the district's
// rows and bytes in PostgreSQL.
func BenchmarkStartup(b *testing.B) {
	for _, scale := range []float64{1, 20} {
		b.Run(fmt.Sprintf("scale_%g", scale), func(b *testing.B) {
			d := benchDataset(b, scale)
			ctx := context.Background()
			seed := func() (*geo.Dataset, error) { return d, nil }
			dir := b.TempDir()
			t0 := time.Now()
			g, err := data.OpenStore(ctx, dir, data.StoreOptions{Seed: seed})
			if err != nil {
				b.Fatal(err)
			}
			gpkgSeed := time.Since(t0)
			_ = g.Close()
			url := pgtest.Database(b)
			t0 = time.Now()
			p, err := postgis.Open(ctx, url, postgis.Options{Seed: seed})
			if err != nil {
				b.Fatal(err)
			}
			pgSeed := time.Since(t0)
			rows, bytes := districtSize(b, p)
			_ = p.Close()
			b.ResetTimer()
			var gpkg, pg time.Duration
			var heap uint64
			for range b.N {
				t0 := time.Now()
				g, err := data.OpenStore(ctx, dir, data.StoreOptions{})
				if err != nil {
					b.Fatal(err)
				}
				ds, err := g.Load(ctx)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := geo.NewAtlas(ds, geo.Options{}); err != nil {
					b.Fatal(err)
				}
				_ = g.Close()
				gpkg += time.Since(t0)

				runtime.GC()
				var before runtime.MemStats
				runtime.ReadMemStats(&before)
				t0 = time.Now()
				p, err := postgis.Open(ctx, url, postgis.Options{})
				if err != nil {
					b.Fatal(err)
				}
				ds, _, err = p.Snapshot(ctx)
				if err != nil {
					b.Fatal(err)
				}
				a, err := geo.NewAtlas(ds, geo.Options{})
				if err != nil {
					b.Fatal(err)
				}
				pg += time.Since(t0)
				_ = p.Close()
				ds = nil
				runtime.GC()
				var after runtime.MemStats
				runtime.ReadMemStats(&after)
				heap = after.HeapAlloc - min(before.HeapAlloc, after.HeapAlloc)
				runtime.KeepAlive(a)
			}
			n := float64(b.N)
			b.ReportMetric(gpkg.Seconds()/n, "gpkg_s")
			b.ReportMetric(pg.Seconds()/n, "postgis_s")
			b.ReportMetric(pg.Seconds()/gpkg.Seconds(), "postgis/gpkg")
			b.ReportMetric(float64(heap)/(1<<20), "atlas_MiB")
			b.ReportMetric(float64(rows), "pg_rows")
			b.ReportMetric(float64(bytes)/(1<<20), "pg_MiB")
			b.ReportMetric(gpkgSeed.Seconds(), "gpkg_seed_s")
			b.ReportMetric(pgSeed.Seconds(), "postgis_seed_s")
		})
	}
}

// districtSize counts the district's rows and the bytes of every layer
// table (with indexes and TOAST); one district per database here.
func districtSize(b *testing.B, s *postgis.Store) (rows, bytes int64) {
	b.Helper()
	ctx := context.Background()
	for _, sc := range data.Schemas {
		var n, size int64
		if err := s.Pool().QueryRow(ctx, fmt.Sprintf(`SELECT count(*), pg_total_relation_size('%s') FROM %q WHERE district = $1`, sc.Name, sc.Name),
			s.District()).Scan(&n, &size); err != nil {
			b.Fatal(err)
		}
		rows += n
		bytes += size
	}
	return rows, bytes
}

// BenchmarkGroupCommit measures position updates committed to PostGIS one
// transaction each (the baseline) against groups of 100 in one
// transaction, on a cluster with fsync on; ns/op is per update in both,
// and the grouped run reports the speed-up.
func BenchmarkGroupCommit(b *testing.B) {
	c := pgtest.Own(b, pgtest.Options{Durable: true})
	ctx := context.Background()
	var perUpdate [2]float64
	for k, group := range []int{1, 100} {
		b.Run(map[int]string{1: "alone", 100: "grouped_by_100"}[group], func(b *testing.B) {
			db, err := c.NewDatabase(ctx)
			if err != nil {
				b.Fatal(err)
			}
			s, err := postgis.Open(ctx, c.URL(db), postgis.Options{Seed: seedTiny})
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			d, err := s.Load(ctx)
			if err != nil {
				b.Fatal(err)
			}
			r := *d.Responders[0]
			b.ReportAllocs()
			b.ResetTimer()
			start := time.Now()
			for i := 0; i < b.N; i += group {
				changes := make([]data.Change, 0, group)
				for j := 0; j < group && i+j < b.N; j++ {
					cp := r
					cp.Point = orb.Point{r.Point[0] + float64(i+j)*1e-9, r.Point[1]}
					changes = append(changes, data.Change{Layer: geo.LayerResponders, Items: []geo.Feature{&cp}})
				}
				if err := s.Commit(ctx, changes); err != nil {
					b.Fatal(err)
				}
			}
			perUpdate[k] = float64(time.Since(start).Nanoseconds()) / float64(b.N)
			if k == 1 && perUpdate[0] > 0 {
				b.ReportMetric(perUpdate[0]/perUpdate[1], "x_faster_than_alone")
			}
		})
	}
}

// BenchmarkPropagation measures how long a write committed by one replica
// takes to reach another (notice, changed rows, atlas swap): p50 and p99
// over b.N writes.
func BenchmarkPropagation(b *testing.B) {
	url := pgtest.Database(b)
	w := startBenchReplica(b, url)
	r := startBenchReplica(b, url)
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := range b.N {
		resp := *responderAt(w.atlas.Load(), "R1")
		resp.Point[0] = 106.0 + float64(i%1000)*1e-6
		a, err := w.atlas.Load().Edit(geo.LayerResponders, []geo.Feature{&resp}, nil)
		if err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		if err := w.Commit(context.Background(), []data.Change{{Layer: geo.LayerResponders, Items: []geo.Feature{&resp}}}); err != nil {
			b.Fatal(err)
		}
		w.Publish(a)
		for responderAt(r.atlas.Load(), "R1").Point != resp.Point {
			if time.Since(start) > 5*time.Second {
				b.Fatal("not propagated in 5 s")
			}
			time.Sleep(100 * time.Microsecond)
		}
		lat = append(lat, time.Since(start))
	}
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50_ms")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99_ms")
}

func startBenchReplica(b *testing.B, url string) *replicaUnderTest {
	b.Helper()
	r := &replicaUnderTest{}
	r.Replica = postgis.NewReplica(postgis.ReplicaOptions{URL: url, Store: postgis.Options{Seed: seedTiny},
		Current: r.atlas.Load, Publish: r.atlas.Store})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- r.Run(ctx) }()
	b.Cleanup(func() { cancel(); <-done })
	select {
	case <-r.Loaded():
	case err := <-done:
		b.Fatalf("replica stopped: %v", err)
	}
	return r
}
